"""Alerts to practitioners inside the service. (Notifications by e-mail build on this.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Alert(models.Model):
    """Something a person must know now. ``dedupe_key`` keeps the same alert from arriving twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001 - NULL: no dedupe

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="alert_once",
            ),
        ]
        # The inbox: a practitioner's alerts newest first, kept in step with the keyset pages
        # (earlyhelp.alerts.selectors); the open ones alone for the navigation's count.
        indexes = [
            models.Index(fields=["recipient", "-id"], name="alert_inbox"),
            models.Index(
                fields=["recipient", "-id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="alert_inbox_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title
