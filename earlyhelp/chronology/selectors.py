"""Reading a chronology, always starting from the sharing policy.

A family's chronology is read only where ``family_access_route`` names a route, a person's
only where ``person_access_route`` does; otherwise NotFoundOrForbidden (404), and the refused
look is recorded. Within those, an entry in a need-to-know category is shown in full only
where ``category_readable`` allows; anyone else sees "<kind> recorded by <agency>: ask the
lead professional", never its summary (R-IS-12). Pages are keyset-paged, newest first, and
never count the whole timeline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from earlyhelp.chronology.models import ChronologyEntry
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.people.models import Family, Person
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

PAGE_SIZE = 50
PAGE_MAX = 1000


@dataclass(frozen=True)
class Filters:
    """What the viewer narrowed the timeline to: kinds, and dates from and to (inclusive)."""

    kinds: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class EntryShown:
    """An entry as this viewer may see it; ``withheld``: only who recorded what kind."""

    entry: ChronologyEntry
    withheld: bool

    @property
    def summary(self) -> str:
        if self.withheld:
            return withheld_text(self.entry)
        return self.entry.summary


@dataclass(frozen=True)
class Page:
    entries: list[EntryShown]
    next_after: str | None


def withheld_text(entry: ChronologyEntry) -> str:
    """R-IS-12: that something was recorded and by whom, never what."""
    return (
        f"{entry.get_kind_display()} recorded by {entry.source_organisation.name}: "
        "ask the lead professional"
    )


def cursor_of(entry: ChronologyEntry) -> str:
    return f"{entry.occurred_on.isoformat()}.{entry.pk}"


def cursor_parse(after: str | None) -> tuple[datetime.date, int] | None:
    """The (date, id) a page follows; anything unreadable starts from the newest."""
    if not after:
        return None
    day, _, pk = after.partition(".")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _refused(actor: User, object_type: str, object_id: object, request: HttpRequest | None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def family_for_chronology(
    *,
    actor: User,
    family_id: int,
    request: HttpRequest | None = None,
    action: AccessAction = AccessAction.VIEW,
) -> Family:
    """The family, if the policy lets the actor see it; the look (or export) is recorded."""
    route = policies.family_access_route(actor, Family(pk=family_id))
    family = Family.objects.filter(pk=family_id).first() if route is not None else None
    if family is None:
        _refused(actor, "people.family", family_id, request)
        raise NotFoundOrForbidden
    access_record(
        actor=actor,
        action=action,
        obj=family,
        route=str(route),
        detail="chronology",
        request=request,
    )
    return family


def person_for_chronology(
    *,
    actor: User,
    person_id: int,
    request: HttpRequest | None = None,
    action: AccessAction = AccessAction.VIEW,
) -> Person:
    """The person, if the policy lets the actor see them; the look (or export) is recorded."""
    person = Person.objects.filter(pk=person_id).first()
    route = policies.person_access_route(actor, person) if person is not None else None
    if person is None or route is None:
        _refused(actor, "people.person", person_id, request)
        raise NotFoundOrForbidden
    access_record(
        actor=actor,
        action=action,
        obj=person,
        route=str(route),
        detail="chronology",
        request=request,
    )
    return person


def _page(
    actor: User,
    rows: QuerySet[ChronologyEntry],
    *,
    filters: Filters,
    after: str | None,
    limit: int,
) -> Page:
    limit = max(1, min(limit, PAGE_MAX))
    if filters.kinds:
        rows = rows.filter(kind__in=filters.kinds)
    if filters.date_from:
        rows = rows.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(occurred_on__lte=filters.date_to)
    position = cursor_parse(after)
    if position is not None:
        day, pk = position
        rows = rows.filter(Q(occurred_on__lt=day) | Q(occurred_on=day, id__lt=pk))
    found = list(
        rows.annotate(
            readable=ExpressionWrapper(
                policies.category_readable(
                    actor,
                    person="person_id",
                    category="category_id",
                    source_organisation="source_organisation_id",
                ),
                output_field=BooleanField(),
            )
        )
        .select_related("source_organisation", "person", "category")
        .order_by("-occurred_on", "-id")[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    shown = [EntryShown(entry, withheld=not getattr(entry, "readable", False)) for entry in found]
    return Page(shown, cursor_of(found[-1]) if more and found else None)


def family_chronology(
    *,
    actor: User,
    family: Family,
    filters: Filters = Filters(),
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """The family's timeline, newest first. The family must be one the actor may see."""
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    rows = ChronologyEntry.objects.filter(family=family)
    return _page(actor, rows, filters=filters, after=after, limit=limit)


def person_chronology(
    *,
    actor: User,
    person: Person,
    filters: Filters = Filters(),
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """The person's timeline, newest first. The person must be one the actor may see."""
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    rows = ChronologyEntry.objects.filter(person=person)
    return _page(actor, rows, filters=filters, after=after, limit=limit)


def family_latest(*, actor: User, family: Family, limit: int = 5) -> list[EntryShown]:
    """The newest few entries, for the family page's panel (the page has checked access)."""
    return family_chronology(actor=actor, family=family, limit=limit).entries
