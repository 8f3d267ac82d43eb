"""The transactional outbox: queueing e-mails with the change that causes them, and the
worker's code path that sends them (ADR 0009).

Queueing (``notifications_queue``) runs inside the transaction of the change (alert_raise
calls it), and asks for the worker on commit: nothing is queued by a change that rolls back,
and nothing committed is lost if the worker is down (the rows wait in the table).

Sending (``outbox_process``) works in batches, each in two short transactions:

1. claim: ``select_for_update(skip_locked=True)`` takes up to a batch of due rows that no
   other worker holds, marks them "sending" with a lease (``next_attempt_at`` = now + the
   lease) and counts the attempt; commit. Two workers never claim the same row; a row whose
   worker died is claimed again when its lease runs out.
2. deliver: the backend sends the batch and the rows are marked sent (or queued again with
   backoff, or failed) in one transaction. With the local backend the record of the
   e-mail (``SentEmail``, unique reference) is in that same transaction: killed before the
   commit, the worker leaves neither the e-mails nor the marks, and the batch is sent once
   later. GOV.UK Notify is called just before that transaction (backends.py). A risk
   notice's ``all_notified_at`` is set in that transaction when its last e-mail is sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef
from django.utils import timezone

from earlyhelp.notifications import rules
from earlyhelp.notifications.backends import Backend, Delivery, Result, get_backend
from earlyhelp.notifications.models import WAITING, Notification, NotificationStatus

if TYPE_CHECKING:
    from earlyhelp.alerts.models import Alert


def batch_size() -> int:
    return max(1, int(getattr(settings, "NOTIFY_BATCH_SIZE", 200)))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 6)))


def retry_base() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", 60)))


def claim_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "NOTIFY_CLAIM_LEASE_SECONDS", 300)))


# --- Queueing (inside the change's transaction) -------------------------------------------


def notifications_queue(alerts: Sequence[Alert]) -> int:
    """One e-mail per alert whose recipient is active and has an address; none twice.

    Call inside the transaction that raised the alerts. The e-mail says only the kind of
    alert and where to sign in (rules.alert_personalisation). Returns how many were queued
    (an alert that already had its e-mail is skipped).
    """
    template_id = str(getattr(settings, "NOTIFY_ALERT_TEMPLATE_ID", ""))
    service_url = str(getattr(settings, "NOTIFY_SERVICE_URL", ""))
    rows = [
        Notification(
            recipient_id=alert.recipient_id,
            alert=alert,
            risk_notice_id=alert.risk_notice_id,
            template_id=template_id,
            personalisation=rules.alert_personalisation(kind=alert.kind, service_url=service_url),
        )
        for alert in alerts
        if alert.pk is not None and alert.recipient.is_active and alert.recipient.email
    ]
    if not rows:
        return 0
    already = set(
        Notification.objects.filter(alert_id__in=[r.alert_id for r in rows]).values_list(
            "alert_id", flat=True
        )
    )
    rows = [r for r in rows if r.alert_id not in already]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(wake_worker, robust=True)
    return len(rows)


def wake_worker() -> None:
    """Ask for the send task, unless one is already waiting to run."""
    from earlyhelp.notifications.tasks import notifications_send, task_waiting

    if not task_waiting(due_by=timezone.now()):
        notifications_send.enqueue()


# --- Sending (the worker) -----------------------------------------------------------------


def outbox_process(
    *, backend: Backend | None = None, size: int | None = None, max_batches: int | None = None
) -> int:
    """Send every notification that is due, batch after batch; how many were sent."""
    backend = backend or get_backend()
    size = size or batch_size()
    sent = batches = 0
    while max_batches is None or batches < max_batches:
        claimed = _claim(size)
        if not claimed:
            break
        sent += _deliver(claimed, backend)
        batches += 1
    return sent


def _claim(size: int) -> dict[int, int]:
    """Take up to ``size`` due rows no other worker holds; {id: this attempt's number}."""
    now = timezone.now()
    with transaction.atomic():
        found = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status__in=WAITING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", "attempts")[:size]
        )
        if not found:
            return {}
        Notification.objects.filter(pk__in=[pk for pk, _ in found]).update(
            status=NotificationStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + claim_lease(),
        )
    return {pk: attempts + 1 for pk, attempts in found}


def _ours(claimed: dict[int, int], *, lock: bool) -> list[Notification]:
    """The claimed rows still being sent by this worker: a row another worker claimed
    again after this one's lease ran out is theirs."""
    rows = Notification.objects.filter(pk__in=list(claimed), status=NotificationStatus.SENDING)
    if lock:
        rows = rows.select_for_update()
    return [
        row
        for row in rows.select_related("recipient").order_by("id")
        if row.attempts == claimed[row.pk]
    ]


def _deliveries(rows: Sequence[Notification]) -> list[Delivery]:
    return [
        Delivery(
            reference=row.reference,
            email_address=row.recipient.email,
            template_id=row.template_id,
            personalisation=row.personalisation,
            maybe_sent_before=row.attempts > 1,
        )
        for row in rows
    ]


def _deliver(claimed: dict[int, int], backend: Backend) -> int:
    """Send a claimed batch and mark it, in one transaction with a transactional backend
    (the local one); a remote one sends first, outside any transaction, so that no row or
    risk notice stays locked during its HTTP calls (ADR 0009)."""
    from earlyhelp.alerts.models import RiskNotice

    early: dict[str, Result] = {}
    if not backend.transactional:
        early = backend.deliver(_deliveries(_ours(claimed, lock=False)))
    with transaction.atomic():
        rows = _ours(claimed, lock=True)
        if not backend.transactional:
            rows = [row for row in rows if row.reference in early]
        if not rows:
            return 0
        # Lock the risk notices first, so that two workers sending a notice's last two
        # e-mails at once cannot both miss that it is now fully notified.
        notice_ids = sorted({r.risk_notice_id for r in rows if r.risk_notice_id is not None})
        if notice_ids:
            list(
                RiskNotice.objects.select_for_update()
                .filter(pk__in=notice_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        results = early if not backend.transactional else backend.deliver(_deliveries(rows))
        now = timezone.now()
        sent_by_provider_id: dict[str, list[int]] = {}
        failed: list[Notification] = []
        for row in rows:
            result = results[row.reference]
            if result.ok:
                sent_by_provider_id.setdefault(result.provider_id, []).append(row.pk)
                continue
            outcome = rules.after_failure(
                attempts=row.attempts, max_attempts=max_attempts(), permanent=result.permanent
            )
            row.status = NotificationStatus(outcome.value)
            row.last_error = result.error
            row.next_attempt_at = now + rules.retry_delay(attempts=row.attempts, base=retry_base())
            failed.append(row)
        # One statement per provider id (the local backend has one) rather than a row each.
        for provider_id, ids in sent_by_provider_id.items():
            Notification.objects.filter(pk__in=ids).update(
                status=NotificationStatus.SENT,
                sent_at=now,
                provider_id=provider_id,
                last_error="",
                next_attempt_at=now,
            )
        if failed:
            Notification.objects.bulk_update(failed, ["status", "last_error", "next_attempt_at"])
        sent = sum(len(ids) for ids in sent_by_provider_id.values())
        if notice_ids:
            risk_notices_mark_notified(notice_ids, now=now)
    return sent


def risk_notices_mark_notified(notice_ids: Sequence[int], *, now: datetime.datetime) -> int:
    """Set ``all_notified_at`` on the notices whose every e-mail is now sent.

    The caller holds the notices' locks (or has just created them)."""
    from earlyhelp.alerts.models import RiskNotice

    unsent = Notification.objects.filter(risk_notice_id=OuterRef("pk")).exclude(
        status=NotificationStatus.SENT
    )
    return (
        RiskNotice.objects.filter(pk__in=notice_ids, all_notified_at__isnull=True)
        .exclude(Exists(unsent))
        .update(all_notified_at=now)
    )


def next_due() -> datetime.datetime | None:
    """When the earliest waiting notification falls due (None: nothing is waiting)."""
    return Notification.objects.filter(status__in=WAITING).aggregate(at=Min("next_attempt_at"))[
        "at"
    ]
