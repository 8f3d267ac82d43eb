"""The e-mail outbox (ADR 0009).

An alert's e-mail is a ``Notification`` row written in the same transaction as the alert,
so an alert never exists without its e-mail queued, and a rolled-back change queues nothing.
A background worker (earlyhelp.notifications.outbox) sends the rows and marks them sent.

The e-mail says only that there is a new alert of a kind and where to sign in: never a name,
a date of birth, an address or a category. ``personalisation`` holds exactly that.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


WAITING = (NotificationStatus.QUEUED, NotificationStatus.SENDING)


def new_reference() -> str:
    return uuid.uuid4().hex


class Notification(models.Model):
    """One e-mail to one practitioner, waiting, sent or failed."""

    # Unique and sent to GOV.UK Notify as ``reference``: the same e-mail is never recorded
    # twice by the local backend, and a resend after a crash can be looked up at Notify.
    reference = models.CharField(max_length=64, unique=True, default=new_reference)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    alert = models.OneToOneField(
        "alerts.Alert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notification",
    )
    # Copied from the alert: the risk it is about, for the board's "all notified" time.
    risk_notice = models.ForeignKey(
        "alerts.RiskNotice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    template_id = models.CharField(max_length=64)
    personalisation = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    # When a worker may next take it: now for a new one, later after a failure (backoff), or
    # the end of a claim's lease while a worker is sending it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's queue: waiting rows in the order they fall due.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="notification_due",
            ),
            # The administrator's page: failed ones, newest first.
            models.Index(
                fields=["-id"],
                condition=models.Q(status="failed"),
                name="notification_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.reference} ({self.status})"


class SentEmail(models.Model):
    """What the local backend would have sent: one row per e-mail, never two per reference.

    Written in the same transaction that marks the notification sent, so a worker killed
    mid-batch leaves neither (ADR 0009).
    """

    reference = models.CharField(max_length=64, unique=True)
    email_address = models.EmailField()
    template_id = models.CharField(max_length=64)
    personalisation = models.JSONField(default=dict)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"E-mail {self.reference}"
