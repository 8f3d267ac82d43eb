"""The whole-family early-help assessment, the people it covers, the agencies' contributions
and the drafts that keep what a practitioner types.

Rules: R-WT-3 (the family's agreement opens it), R-WT-4 (every child, the unborn baby, each
parent and any partner), R-EHA-1 (domains and dimensions, strengths and needs, voice),
R-SF-1 (each need tagged with a headline outcome), R-CL-1 (care-experienced parents),
R-TIME-2 (the 45-working-day clock: the due date is stored, "overdue" derived).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.assessments import rules


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"
    SIGNED_OFF = "signed_off", "Signed off"


OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.COMPLETED)


class Assessment(models.Model):
    """One family episode's early-help assessment; one open (not signed off) per family."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # R-WT-3: early help is voluntary. Who in the family agreed, when, and what they agreed.
    agreed_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField()
    agreement_note = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # R-TIME-2: only when a statutory assessment follows. The due date is stored; whether it
    # is overdue is worked out on reading (rules.is_overdue).
    statutory_started_on = models.DateField(null=True, blank=True)
    statutory_due_on = models.DateField(null=True, blank=True)
    overdue_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(status__in=["draft", "completed"]),
                name="assessment_one_open_per_family",
            ),
            models.CheckConstraint(
                condition=models.Q(statutory_started_on__isnull=True, statutory_due_on__isnull=True)
                | models.Q(
                    statutory_started_on__isnull=False,
                    statutory_due_on__gt=models.F("statutory_started_on"),
                ),
                name="assessment_clock_start_and_due_together",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed_off")
                | models.Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="assessment_signed_off_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help assessment for {self.family}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def finished_on(self) -> datetime.date | None:
        """When the assessment was completed (for the clock, R-TIME-2)."""
        at = self.completed_at or self.signed_off_at
        return timezone.localdate(at) if at else None


class AssessmentSubject(models.Model):
    """A person the assessment covers, taken from the family's members when it starts.

    The unborn baby stays the same subject after birth (the Person row is kept by
    people.services.person_record_birth).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # The family relationship when the assessment started (people.models.Relationship).
    relationship = models.CharField(max_length=30)
    role = models.CharField(
        max_length=20, choices=[(r.value, r.value.replace("_", " ")) for r in rules.SubjectRole]
    )
    # R-EHA-1: their voice, in their own words (a parent; a child old enough).
    voice = models.TextField(blank=True)
    # R-CL-1: the flag is shown to everyone who sees the assessment (R-IS-12); the responsible
    # authority and personal adviser are care history, shown by the need-to-know rule.
    care_experienced = models.BooleanField(default=False)
    responsible_local_authority = models.CharField(max_length=100, blank=True)
    personal_adviser = models.CharField(max_length=200, blank=True)
    care_category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    care_source_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"], name="assessment_subject_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.assessment}"


class Contribution(models.Model):
    """One agency's contribution about one subject and one dimension of the framework."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="contributions"
    )
    subject = models.ForeignKey(
        AssessmentSubject, on_delete=models.CASCADE, related_name="contributions"
    )
    # The subject's person, so the need-to-know rule (sharing.policies.category_readable)
    # can filter on it.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(
        max_length=30, choices=[(d.domain.value, d.name) for d in rules.DOMAINS]
    )
    dimension = models.CharField(
        max_length=40, choices=[(d.code, d.name) for d in rules.DIMENSIONS]
    )
    strengths = models.TextField(blank=True)
    need = models.TextField(blank=True)
    need_outcome = models.CharField(
        max_length=30,
        blank=True,
        choices=list(rules.HEADLINE_OUTCOMES.items()),
    )
    # R-EHA-5, in the family and environment domain.
    sleeping_arrangements = models.TextField(blank=True)
    safer_sleep_advice = models.TextField(blank=True)
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
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["subject", "domain", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(need="", need_outcome="")
                | (~models.Q(need="") & ~models.Q(need_outcome="")),
                name="contribution_need_has_one_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} for {self.person}"

    @property
    def records_safer_sleep(self) -> bool:
        return (
            self.domain == rules.Domain.FAMILY_ENVIRONMENT
            and bool(self.sleeping_arrangements.strip())
            and bool(self.safer_sleep_advice.strip())
        )


class ContributionDraft(models.Model):
    """What a practitioner has typed but not yet saved: one per person and form.

    Saved every few seconds while they type (assessments.mjs), so a session timeout loses
    nothing. Only its author ever reads it; saving the contribution deletes it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="drafts")
    # "new" for a contribution not yet saved, "c<id>" for changes to contribution <id>.
    form_key = models.CharField(max_length=30)
    token = models.UUIDField(default=uuid.uuid4)
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment", "form_key"], name="contribution_draft_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.form_key} of {self.user}"
