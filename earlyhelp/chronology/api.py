"""Chronology over /api/v1/: the same selectors as the pages (R-IS-12).

Every operation acts as the calling account, so the sharing policy decides which families
and people it reaches: one the caller may not see is the same 404 problem as one that does
not exist. An entry in a need-to-know category the caller has no basis for comes back with
``withheld: true`` and a summary naming only its kind and agency. Pages are keyset-paged:
pass the ``next_after`` of one page as ``after`` to get the next; there is no total count.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.chronology import selectors
from earlyhelp.chronology.models import EntryKind
from earlyhelp.people.api import IsoDate

router = Router(tags=["Chronology"])

READ = Scope.ASSESSMENTS_READ


class ChronologyQuery(Schema):
    after: Annotated[str, Field(max_length=40)] = Field(
        "", description="The `next_after` of the previous page; empty for the newest"
    )
    limit: int = Field(50, ge=1, le=200, description="How many entries to show")
    kind: list[EntryKind] = Field(default_factory=list, description="Only these kinds")
    date_from: IsoDate | None = Field(None, description="Only events on or after this date")
    date_to: IsoDate | None = Field(None, description="Only events on or before this date")


class ChronologyEntryOut(Schema):
    id: int
    family_id: int
    person_id: int | None
    occurred_on: datetime.date
    kind: EntryKind
    summary: str
    withheld: bool = Field(description="True: a need-to-know entry; only kind and agency shown")
    category_code: str | None
    source_organisation_id: int
    source_organisation_name: str


class ChronologyPageOut(Schema):
    items: list[ChronologyEntryOut]
    next_after: str | None = Field(description="Pass as `after` for older entries; null: no more")


def _out(page: selectors.Page) -> dict[str, Any]:
    items = []
    for shown in page.entries:
        entry = shown.entry
        items.append(
            {
                "id": entry.pk,
                "family_id": entry.family_id,
                "person_id": entry.person_id,
                "occurred_on": entry.occurred_on,
                "kind": entry.kind,
                "summary": shown.summary,
                "withheld": shown.withheld,
                "category_code": (
                    entry.category.code if entry.category and not shown.withheld else None
                ),
                "source_organisation_id": entry.source_organisation_id,
                "source_organisation_name": entry.source_organisation.name,
            }
        )
    return {"items": items, "next_after": page.next_after}


def _filters(query: ChronologyQuery) -> selectors.Filters:
    return selectors.Filters(
        kinds=tuple(str(kind) for kind in query.kind),
        date_from=query.date_from,
        date_to=query.date_to,
    )


@router.get(
    "/families/{record_id:family_id}/chronology",
    **operation(READ, {200: ChronologyPageOut}),
)
def chronology_family_list(
    request: HttpRequest, family_id: int, query: Query[ChronologyQuery]
) -> dict[str, Any]:
    """The family's chronology, newest first, from every agency (R-IS-12 applies)."""
    actor = api_actor(request)
    family = selectors.family_for_chronology(actor=actor, family_id=family_id, request=request)
    page = selectors.family_chronology(
        actor=actor,
        family=family,
        filters=_filters(query),
        after=query.after or None,
        limit=query.limit,
    )
    return _out(page)


@router.get(
    "/people/{record_id:person_id}/chronology",
    **operation(READ, {200: ChronologyPageOut}),
)
def chronology_person_list(
    request: HttpRequest, person_id: int, query: Query[ChronologyQuery]
) -> dict[str, Any]:
    """The person's chronology, newest first, from every agency (R-IS-12 applies)."""
    actor = api_actor(request)
    person = selectors.person_for_chronology(actor=actor, person_id=person_id, request=request)
    page = selectors.person_chronology(
        actor=actor,
        person=person,
        filters=_filters(query),
        after=query.after or None,
        limit=query.limit,
    )
    return _out(page)
