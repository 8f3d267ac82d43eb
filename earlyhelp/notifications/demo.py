"""What the notifications app adds to the fictional demo partnership (earlyhelp.core.demo).

Today's overdue sweep (overdue plan reviews and actions, undecided requests: the plans and
front door demos leave some), whose alerts queue their e-mails like any other, and a few
e-mails that failed, so the system administrator's outbox page has something to try again.
The other e-mails wait for the worker that ``make run`` starts. Deterministic given rng.
"""

from __future__ import annotations

import datetime
import random

from earlyhelp.alerts.overdue import overdue_sweep
from earlyhelp.notifications.models import Notification, NotificationStatus

FAILED_EMAILS = 3
ERRORS = (
    "GOV.UK Notify answered 400: Can't send to this recipient using a team-only API key",
    "GOV.UK Notify answered 500: Internal server error",
    "ConnectionError: Max retries exceeded with url: /v2/notifications/email",
)


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Sweep for overdue work, then mark a few queued e-mails failed."""
    overdue_sweep(today=today)
    queued = list(
        Notification.objects.filter(status=NotificationStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk, error in zip(rng.sample(queued, min(FAILED_EMAILS, len(queued))), ERRORS, strict=False):
        Notification.objects.filter(pk=pk).update(
            status=NotificationStatus.FAILED,
            attempts=1 if "400" in error else 6,
            last_error=error,
        )
