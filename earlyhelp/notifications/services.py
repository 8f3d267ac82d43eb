"""Changing the outbox by hand: the system administrator retries a failed e-mail.

Sending itself is the worker's (earlyhelp.notifications.outbox); queueing is alert_raise's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.notifications.models import Notification, NotificationStatus
from earlyhelp.notifications.outbox import wake_worker
from earlyhelp.notifications.selectors import outbox_require

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User


def notification_retry(
    *, actor: User, notification_id: int, request: HttpRequest | None = None
) -> Notification:
    """Queue a failed e-mail again, with a fresh count of attempts; the last error stays.

    Only the system administrator may (NotFoundOrForbidden otherwise, like a missing one);
    an e-mail that has not failed is a ValidationProblem on ``notification``.
    """
    outbox_require(actor=actor, object_id=notification_id, request=request)
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None:
            raise NotFoundOrForbidden
        if row.status != NotificationStatus.FAILED:
            raise ValidationProblem(
                {"notification": ["Only an e-mail that has failed can be tried again"]}
            )
        row.status = NotificationStatus.QUEUED
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action="notification.retry",
            obj=row,
            summary=f"E-mail {row.reference} queued again after failing",
            changes={"status": "queued"},
        )
        transaction.on_commit(wake_worker, robust=True)
    return row
