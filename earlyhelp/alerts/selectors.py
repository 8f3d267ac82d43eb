"""Reading a practitioner's own alerts: the inbox, in keyset pages, and its open count.

An alert belongs to its recipient alone: nobody reads anyone else's, and a missing alert and
someone else's are the same NotFoundOrForbidden (404). Alerts are raised only for people
who work with families (the lead professional, the health visitor, the front door, team
managers, information governance leads); board analysts and system administrators, who
never open a family record, have no inbox at all (``receives_alerts``). An alert's link
leads to the record, where the sharing policy decides again.

Pages are keyset pages, newest first by id (ids only grow, so a page never repeats or skips
an alert raised in between); nothing counts more than the navigation's capped figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from earlyhelp.alerts.models import Alert
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# The navigation shows "99+" rather than count a long backlog on every page.
OPEN_COUNT_CAP = 99


def receives_alerts(actor: User) -> bool:
    """People in casework roles; never board analysts or system administrators.

    The same test as opening family records: every alert raised so far is about a family or
    the work on one, and goes to someone who works with families.
    """
    return policies.can_open_family_records(actor)


def alert_inbox_require(
    *, actor: User, object_id: object = "inbox", request: HttpRequest | None = None
) -> None:
    """Refuse (and record the refusal) for anyone who has no inbox."""
    if not receives_alerts(actor):
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="alerts.alert",
            object_id=str(object_id),
            request=request,
        )
        raise NotFoundOrForbidden


def _own(actor: User, *, open_only: bool) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(recipient=actor)
    return alerts.filter(acknowledged_at__isnull=True) if open_only else alerts


@dataclass(frozen=True)
class AlertPage:
    alerts: list[Alert]
    next_after: int | None  # the id to send as ``after`` for the next page; None at the end


def alert_list(
    *,
    actor: User,
    open_only: bool,
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
    request: HttpRequest | None = None,
) -> AlertPage:
    """The actor's own alerts, newest first, up to ``limit`` after the alert ``after_id``.

    ``open_only``: only those not yet acknowledged. The look is recorded (alerts name
    families).
    """
    alert_inbox_require(actor=actor, request=request)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    alerts = _own(actor, open_only=open_only)
    if after_id is not None:
        alerts = alerts.filter(pk__lt=after_id)
    found = list(alerts.order_by("-pk")[: limit + 1])
    more = len(found) > limit
    page = AlertPage(alerts=found[:limit], next_after=found[limit - 1].pk if more else None)
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="alerts.alert",
        detail=f"{'open' if open_only else 'all'} alerts: {len(page.alerts)} shown",
        request=request,
    )
    return page


def alert_open_count(*, actor: User) -> str:
    """How many of the actor's alerts are open, for the navigation: "0" to "99", or "99+".

    Counts at most one more than the cap, so a long backlog costs no more than a short one.
    """
    if not receives_alerts(actor):
        return "0"
    # No ordering: the model's would make PostgreSQL sort what it only has to count.
    found = _own(actor, open_only=True).order_by().values("pk")[: OPEN_COUNT_CAP + 1].count()
    return f"{OPEN_COUNT_CAP}+" if found > OPEN_COUNT_CAP else str(found)
