"""What a viewer is shown of the information held about a person (R-IS-4, R-IS-5, R-IS-12).

Items the viewer may read in full come from sharing.policies.visible_information. For every
other item only its category's flag is shown, once per category, and never its summary or
detail; a category without a flag shows nothing at all. A confidential referrer is named only
to the agency that recorded the item, and never in anything that leaves the service.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from earlyhelp.accounts.models import CASEWORK_ROLES
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory, InformationItem

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Person

CONFIDENTIAL_REFERRER = "Confidential referrer"


@dataclass(frozen=True)
class InformationShown:
    """One item the viewer may read in full, with the referrer as they may see it."""

    id: int
    person_id: int
    category_code: str | None
    category_name: str
    summary: str
    detail: str
    source_organisation_name: str
    recorded_by_name: str
    recorded_at: datetime.datetime
    referrer: str
    referrer_redacted: bool


@dataclass(frozen=True)
class PersonInformation:
    """What a viewer sees: items in full, then the flags for what they may not read."""

    items: list[InformationShown]
    flags: list[str]


def referrer_shown(
    item: InformationItem, *, viewer_organisation_ids: set[int], exported: bool
) -> tuple[str, bool]:
    """(referrer as shown, whether it was redacted). R-IS-5.

    A confidential referrer is named only on the recording agency's own screens; everyone
    else, and anything exported or read by a partner system, gets "Confidential referrer".
    """
    if not item.referrer:
        return "", False
    if item.referrer_confidential and (
        exported or item.source_organisation_id not in viewer_organisation_ids
    ):
        return CONFIDENTIAL_REFERRER, True
    return item.referrer, False


def _viewer_organisation_ids(actor: User) -> set[int]:
    return {m.team.organisation_id for m in actor.active_memberships() if m.role in CASEWORK_ROLES}


def person_information(
    *,
    actor: User,
    person: Person,
    exported: bool = False,
    now: datetime.datetime | None = None,
) -> PersonInformation:
    """The information about ``person`` the actor may read, and flags for the rest.

    The caller has already fetched the person through people.selectors.person_get, which
    records the look; this checks the policy again so it can never be used on its own to
    reach someone the actor may not see. ``exported`` is for anything that leaves the
    service (API reads, exports): confidential referrers are then always redacted.
    """
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    readable = list(
        policies.visible_information(actor, now=now)
        .filter(person_id=person.pk)
        .select_related("category", "source_organisation", "recorded_by")
    )
    organisation_ids = _viewer_organisation_ids(actor)
    items = []
    for item in readable:
        referrer, redacted = referrer_shown(
            item, viewer_organisation_ids=organisation_ids, exported=exported
        )
        items.append(
            InformationShown(
                id=item.pk,
                person_id=item.person_id,
                category_code=item.category.code if item.category else None,
                category_name=item.category.name if item.category else "General",
                summary=item.summary,
                detail=item.detail,
                source_organisation_name=item.source_organisation.name,
                recorded_by_name=str(item.recorded_by),
                recorded_at=item.recorded_at,
                referrer=referrer,
                referrer_redacted=redacted,
            )
        )
    return PersonInformation(items=items, flags=_flags(person, {i.pk for i in readable}))


def _flags(person: Person, readable_ids: set[int]) -> list[str]:
    """The flag of each category with an item the viewer may not read, once (R-IS-12)."""
    category_ids = (
        InformationItem.objects.filter(person_id=person.pk, category__isnull=False)
        .exclude(pk__in=readable_ids)
        .values("category_id")
    )
    return list(
        InformationCategory.objects.filter(pk__in=category_ids)
        .exclude(flag_text="")
        .order_by("name")
        .values_list("flag_text", flat=True)
    )
