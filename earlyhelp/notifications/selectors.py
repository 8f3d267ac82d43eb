"""Reading the outbox: e-mails waiting and e-mails that failed, for the system administrator.

The outbox holds no personal detail about families (an e-mail names only the kind of
alert), but it names practitioners and their addresses, so only the system administrator,
who manages accounts, reads it (``can_manage_outbox``); anyone else gets NotFoundOrForbidden
(404), recorded. Keyset pages, newest first by id; nothing counts more than a capped figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from earlyhelp.accounts.policies import can_manage_accounts
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.notifications.models import WAITING, Notification, NotificationStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
COUNT_CAP = 999
FAILED, WAITING_NAME = "failed", "waiting"
SHOWS = (FAILED, WAITING_NAME)


def can_manage_outbox(actor: User) -> bool:
    """The system administrator, who manages the accounts the e-mails go to."""
    return can_manage_accounts(actor)


def outbox_require(
    *, actor: User, object_id: object = "outbox", request: HttpRequest | None = None
) -> None:
    if not can_manage_outbox(actor):
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="notifications.notification",
            object_id=str(object_id),
            request=request,
        )
        raise NotFoundOrForbidden


def _shown(show: str) -> QuerySet[Notification]:
    if show == FAILED:
        return Notification.objects.filter(status=NotificationStatus.FAILED)
    return Notification.objects.filter(status__in=WAITING)


@dataclass(frozen=True)
class OutboxPage:
    notifications: list[Notification]
    next_after: int | None


def outbox_list(
    *,
    actor: User,
    show: str,
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
    request: HttpRequest | None = None,
) -> OutboxPage:
    """Failed (``show="failed"``) or waiting e-mails, newest first, after ``after_id``."""
    outbox_require(actor=actor, request=request)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = _shown(show).select_related("recipient")
    if after_id is not None:
        rows = rows.filter(pk__lt=after_id)
    found = list(rows.order_by("-pk")[: limit + 1])
    more = len(found) > limit
    page = OutboxPage(notifications=found[:limit], next_after=found[limit - 1].pk if more else None)
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="notifications.notification",
        detail=f"{show} e-mails: {len(page.notifications)} shown",
        request=request,
    )
    return page


def outbox_counts(*, actor: User) -> dict[str, str]:
    """How many are failed and waiting: "0" to "999", or "999+"."""
    outbox_require(actor=actor)
    counts = {}
    for show in SHOWS:
        found = _shown(show).values("pk")[: COUNT_CAP + 1].count()
        counts[show] = f"{COUNT_CAP}+" if found > COUNT_CAP else str(found)
    return counts
