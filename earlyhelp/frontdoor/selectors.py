"""Reads at the front door, always starting from the sharing policy.

A request for support is visible exactly when its family is. ``request_for_support_get``
records the look (AccessEvent) with the route that allowed it and records a refused one;
missing and forbidden are the same NotFoundOrForbidden (404). The queue is the front door's
own: anyone else gets the same NotFoundOrForbidden.

R-TIME-1: "overdue" is derived here from the stored due date, never stored. R-IS-12: a
concern in a need-to-know category is shown in full only to front door workers (it was sent
to them) and to those ``category_readable`` allows; others see who holds it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.frontdoor import rules
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.services import is_front_door_worker
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family

QUEUE_PAGE = 25
FAMILY_REQUESTS_SHOWN = 50


@dataclass(frozen=True)
class RequestRow:
    """A request as the pages and the API show it, with what is derived on read."""

    request: RequestForSupport
    concern_readable: bool
    decision_overdue: bool
    acknowledgement_overdue: bool
    decided_late: bool
    prompts: list[str]

    @property
    def status(self) -> str:
        r = self.request
        if r.decided_at is not None:
            return f"Decided: {r.get_route_display()}"
        if self.decision_overdue:
            return "Overdue"
        if r.acknowledged_at is not None:
            return "Acknowledged"
        return "Waiting for the front door"

    @property
    def is_escalation(self) -> bool:
        return rules.is_escalation(self.request.route)


@dataclass(frozen=True)
class QueueRow:
    row: RequestRow
    other_requests: int


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    # Keyset cursor for the next page ("<received_at ISO>_<id>"), or "" on the last page.
    next_after: str


def _readable(actor: User) -> Q:
    """R-IS-12: the front door reads every concern sent to it; others by the category rule."""
    if is_front_door_worker(actor):
        return Q(pk__isnull=False)
    return policies.category_readable(
        actor,
        person="about_person_id",
        category="category_id",
        source_organisation="requesting_organisation_id",
    )


def _requests(actor: User) -> QuerySet[RequestForSupport]:
    return RequestForSupport.objects.select_related(
        "family",
        "about_person",
        "requested_by",
        "requesting_organisation",
        "category",
        "consent__given_by",
        "sharing_decision",
        "acknowledged_by",
        "decided_by",
    ).annotate(concern_readable=ExpressionWrapper(_readable(actor), output_field=BooleanField()))


def request_row(request_for_support: RequestForSupport, today: datetime.date) -> RequestRow:
    r = request_for_support
    decided_on = timezone.localdate(r.decided_at) if r.decided_at else None
    acknowledged_on = timezone.localdate(r.acknowledged_at) if r.acknowledged_at else None
    return RequestRow(
        request=r,
        concern_readable=bool(getattr(r, "concern_readable", False)),
        decision_overdue=rules.is_overdue(
            due_on=r.decision_due_on, done_on=decided_on, today=today
        ),
        acknowledgement_overdue=rules.is_overdue(
            due_on=r.decision_due_on, done_on=acknowledged_on, today=today
        ),
        decided_late=rules.done_late(due_on=r.decision_due_on, done_on=decided_on),
        prompts=rules.early_help_prompts(r.circumstances or []),
    )


def request_for_support_get(
    *, actor: User, request_id: int, request: HttpRequest | None = None
) -> RequestForSupport:
    """One request, if its family is visible to the actor; the look is recorded."""
    found = _requests(actor).filter(pk=request_id).first()
    route = policies.family_access_route(actor, found.family) if found is not None else None
    if found is None or route is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="frontdoor.requestforsupport",
            object_id=str(request_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=found, route=str(route), request=request
    )
    return found


def request_for_support_list_for_family(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> list[RequestRow]:
    """The family's requests, newest first (repeat requests visible together). The caller's
    look at the family (its page or API read) covers these rows."""
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    today = today or timezone.localdate()
    found = _requests(actor).filter(family=family)[:FAMILY_REQUESTS_SHOWN]
    return [request_row(r, today) for r in found]


def front_door_require(
    *, actor: User, object_id: object = "", request: HttpRequest | None = None
) -> None:
    """Front door workers only: anyone else is refused like a missing record, and recorded."""
    if not is_front_door_worker(actor):
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="frontdoor.requestforsupport",
            object_id=str(object_id),
            request=request,
        )
        raise NotFoundOrForbidden


def _cursor(r: RequestForSupport) -> str:
    return f"{r.received_at.isoformat()}_{r.pk}"


def _parse_cursor(after: str) -> tuple[datetime.datetime, int] | None:
    stamp, _, pk = after.rpartition("_")
    try:
        moment = datetime.datetime.fromisoformat(stamp)
        number = int(pk)
    except ValueError:
        return None
    if moment.tzinfo is None or number < 1:
        return None
    return moment, number


def request_for_support_queue(
    *,
    actor: User,
    after: str = "",
    limit: int = QUEUE_PAGE,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> QueuePage:
    """The front door's open requests, oldest first, overdue flagged, a page at a time.

    Keyset pagination on (received_at, id): ``after`` is the previous page's ``next_after``
    (an unreadable one starts from the beginning). No count of the whole queue is made; each
    row says how many other requests its family has had.
    """
    front_door_require(actor=actor, object_id="queue", request=request)
    today = today or timezone.localdate()
    limit = max(1, min(limit, 100))
    found = _requests(actor).filter(
        decided_at__isnull=True, family__in=policies.visible_families(actor)
    )
    cursor = _parse_cursor(after) if after else None
    if cursor is not None:
        moment, pk = cursor
        found = found.filter(Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk))
    page = list(found.order_by("received_at", "id")[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    totals = dict(
        RequestForSupport.objects.filter(family_id__in={r.family_id for r in page})
        .values("family_id")
        .annotate(n=Count("id"))
        .values_list("family_id", "n")
    )
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="frontdoor.requestforsupport",
        detail=f"queue after={after or '-'} limit={limit} -> {len(page)} shown",
        request=request,
    )
    return QueuePage(
        rows=[QueueRow(request_row(r, today), totals.get(r.family_id, 1) - 1) for r in page],
        next_after=_cursor(page[-1]) if more and page else "",
    )
