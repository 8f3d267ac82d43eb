"""Alerts to practitioners inside the service. (Notifications by e-mail build on this.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RiskNotice(models.Model):
    """A risk indicator one agency recorded on a family with a team, and how fast the team
    heard of it (issue 5 item 5, R-IS-7, R-SS-3): the board measures ``all_notified_at -
    recorded_at`` and ``all_acknowledged_at - recorded_at``.

    Need-to-know (R-IS-12): ``person``, ``category`` and ``source_organisation`` are the
    fields ``earlyhelp.sharing.policies.category_readable`` reads; only the members who may
    read the category get the alert that names it (the alerts linked here).
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="risk_notices"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=50)
    category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Every e-mail about it sent (the worker), or at once when nobody needed an e-mail.
    all_notified_at = models.DateTimeField(null=True, blank=True)
    # Every alert about it acknowledged (earlyhelp.alerts.services.alert_acknowledge).
    all_acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["family", "-recorded_at"], name="risk_notice_family")]

    def __str__(self) -> str:
        return f"{self.kind} for family {self.family_id}"


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
    # The risk this alert tells its recipient about, for the board's timings.
    risk_notice = models.ForeignKey(
        RiskNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )

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
