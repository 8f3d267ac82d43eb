"""The multi-agency chronology: one timeline per family and per person (issue 5, item 4).

Entries are written by the services of other apps, inside the transaction of the change they
record (never by signals). They are append-only in spirit: there is no service to edit one.
An entry may carry a need-to-know category (R-IS-12): viewers without a basis for it see only
that something was recorded, by which agency.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EntryKind(models.TextChoices):
    BIRTH = "birth", "Birth"
    MOVE = "move", "Move"
    PLACEMENT = "placement", "Placement"
    INCIDENT = "incident", "Incident"
    ATTENDANCE = "attendance", "Attendance"
    MISSED_APPOINTMENT = "missed_appointment", "Missed appointment"
    ASSESSMENT = "assessment", "Assessment"
    DECISION = "decision", "Decision"
    REVIEW = "review", "Review"
    SHARE = "share", "Share"
    OTHER = "other", "Other"


class ChronologyEntry(models.Model):
    """One significant event in a family's (and optionally a person's) life."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="chronology_entries"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chronology_entries",
    )
    occurred_on = models.DateField()
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    summary = models.CharField(max_length=300)
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
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["family", "occurred_on", "id"], name="chronology_family"),
            models.Index(fields=["person", "occurred_on", "id"], name="chronology_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
