"""Requests for support and the front door's decisions on them.

Rules: R-WT-3 (what the family knows and whether they agree), R-TIME-1 (a stored due date;
"overdue" is derived on read, never stored), R-WT-8 (escalation never blocked), R-IS-12 (a
concern in a need-to-know category is shown only to those who may read it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.frontdoor.rules import (
    AGREEMENT_LABELS,
    ROUTE_LABELS,
    URGENCY_LABELS,
    Agreement,
)

ROUTE_CHOICES = [(route.value, label) for route, label in ROUTE_LABELS.items()]
AGREEMENT_CHOICES = [(value.value, label) for value, label in AGREEMENT_LABELS.items()]
URGENCY_CHOICES = [(value.value, label) for value, label in URGENCY_LABELS.items()]


class RequestForSupport(models.Model):
    """A practitioner asks the front door for support for a family (or an unborn baby)."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="requests_for_support"
    )
    # The person it is mainly about, e.g. the unborn baby; blank: the whole family.
    about_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requesting_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    concern = models.TextField()
    # R-IS-12: a concern about, say, domestic abuse is shown only to those who may read it.
    category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # R-WT-7: circumstances that prompt early-help consideration (rules.Circumstance).
    circumstances = models.JSONField(default=list, blank=True)
    # R-WT-3: early help is voluntary.
    family_knows = models.TextField()
    agreement = models.CharField(max_length=20, choices=AGREEMENT_CHOICES)
    not_asked_reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=20, choices=URGENCY_CHOICES)
    # The sharing basis: a consent or a decision to share of this family, or, when neither
    # exists yet, a short written basis.
    consent = models.ForeignKey(
        "sharing.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sharing_decision = models.ForeignKey(
        "sharing.SharingDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sharing_basis_note = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # R-TIME-1: received date + 1 working day (England and Wales bank holidays).
    decision_due_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=30, choices=ROUTE_CHOICES, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a change based on an older version is refused, never merged.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "requests for support"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False)
                | models.Q(sharing_decision__isnull=False)
                | ~models.Q(sharing_basis_note=""),
                name="request_for_support_has_sharing_basis",
            ),
            models.CheckConstraint(
                condition=~models.Q(agreement=Agreement.NOT_ASKED) | ~models.Q(not_asked_reason=""),
                name="request_for_support_not_asked_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_at__isnull=True, route="", decided_by__isnull=True)
                | (
                    models.Q(decided_at__isnull=False, decided_by__isnull=False)
                    & ~models.Q(route="")
                    & ~models.Q(decision_reasons="")
                ),
                name="request_for_support_decision_complete",
            ),
        ]
        indexes = [
            # The front door's queue: open requests, oldest first.
            models.Index(
                fields=["received_at", "id"],
                condition=models.Q(decided_at__isnull=True),
                name="rfs_open_queue",
            ),
            models.Index(fields=["family", "received_at"], name="rfs_family"),
        ]

    def __str__(self) -> str:
        return f"Request for support for {self.family} ({self.received_at:%d %B %Y})"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None
