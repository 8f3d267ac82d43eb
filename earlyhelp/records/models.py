"""Subject access requests, their exemptions and responses; retention rules, legal holds and
retention reviews.

Rules: R-SAR-1 to R-SAR-4, R-RET-1, R-RET-2 (../shared/product/RULES.md).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.records import rules
from earlyhelp.records.rules import (
    ChildWishes,
    Competence,
    ExemptionKind,
    ExportSection,
    IdentifiedBy,
    ReceivedVia,
    RecordClass,
    RequesterRelationship,
    RetentionTrigger,
)


class SubjectAccessRequest(models.Model):
    """A request for everything the partnership holds about a person (UK GDPR Art 15).

    The due date is stored (R-SAR-1: one calendar month from receipt); whether it is overdue
    is worked out when read. The person link is cleared if their record is later destroyed
    under retention, and ``person_id_ref`` keeps the id for the log.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_id_ref = models.BigIntegerField(db_index=True)
    identified_by = models.CharField(max_length=30, choices=IdentifiedBy.choices)
    requester_name = models.CharField(max_length=200)
    requester_relationship = models.CharField(max_length=30, choices=RequesterRelationship.choices)
    # A parent who is on the person's record (matched by name among the person's parents):
    # their own details are not third-party information to them (R-SAR-2).
    requester_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_via = models.CharField(max_length=20, choices=ReceivedVia.choices)
    received_on = models.DateField()
    due_on = models.DateField()
    # R-SAR-4: for a child, the competence check on the request.
    subject_was_child = models.BooleanField(default=False)
    competence = models.CharField(max_length=20, choices=Competence.choices, blank=True)
    competence_judgement = models.TextField(blank=True)
    # R-SAR-3: when a parent asks for a competent young person's information.
    child_wishes = models.CharField(max_length=20, choices=ChildWishes.choices, blank=True)
    child_wishes_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    response_sent_on = models.DateField(null=True, blank=True)
    response_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("received_on")),
                name="subject_access_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(response_sent_on__isnull=True)
                | models.Q(response_sent_on__gte=models.F("received_on")),
                name="subject_access_sent_after_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["response_sent_on", "due_on"], name="subject_access_open"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk:05d}" if self.pk else "SAR (not saved)"

    def is_overdue(self, today: datetime.date) -> bool:
        return rules.subject_access_is_overdue(
            due_on=self.due_on, response_sent_on=self.response_sent_on, today=today
        )

    @property
    def parent_asks(self) -> bool:
        return self.requester_relationship == RequesterRelationship.PARENTAL_RESPONSIBILITY


class SubjectAccessExemption(models.Model):
    """An exemption applied to a request: what is withheld and why (R-SAR-3).

    It withholds one information item or a whole part of the response.
    """

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="exemptions"
    )
    kind = models.CharField(max_length=30, choices=ExemptionKind.choices)
    information_item = models.ForeignKey(
        "sharing.InformationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    section = models.CharField(max_length=30, choices=ExportSection.choices, blank=True)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.request}"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF document"
    JSON = "json", "JSON (machine-readable)"


class SubjectAccessExport(models.Model):
    """One response prepared for a request: when, in what format, and everything withheld.

    ``withheld`` lists each exemption applied, with what was withheld and why (R-SAR-3),
    including the automatic redaction of third parties and confidential referrers. The
    response itself is not kept: it is built again from the record when downloaded.
    """

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)
    withheld = models.JSONField(default=list, blank=True)
    disclosure_id_ref = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-exported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request} ({self.format}) at {self.exported_at:%Y-%m-%d %H:%M}"


class RetentionRule(models.Model):
    """How long one record class is kept, from what, and why (R-RET-1). Versioned.

    A change adds a new version and marks the old one superseded, so every destruction can
    name the exact rule it followed. ``is_example`` marks a seeded local example that the
    partnership must confirm or replace.
    """

    record_class = models.CharField(max_length=40, choices=RecordClass.choices)
    trigger = models.CharField(max_length=40, choices=RetentionTrigger.choices)
    period_years = models.PositiveSmallIntegerField()
    basis = models.TextField()
    is_example = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record_class", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_class", "version"], name="retention_rule_version_unique"
            ),
            models.UniqueConstraint(
                fields=["record_class"],
                condition=models.Q(superseded_at__isnull=True),
                name="retention_rule_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(period_years__gte=1, period_years__lte=150),
                name="retention_rule_period_in_range",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_record_class_display()}: {self.period_years} years from "
            f"{self.get_trigger_display().lower()} (version {self.version})"
        )

    def in_force(self) -> rules.RuleInForce:
        return rules.RuleInForce(
            id=self.pk,
            record_class=self.record_class,
            trigger=self.trigger,
            period_years=self.period_years,
            version=self.version,
            basis=self.basis,
        )


class LegalHold(models.Model):
    """Stops destruction of a person's or a family's records while it stands (R-RET-2).

    For example a public inquiry or a Criminal Cases Review Commission request. A hold on a
    family protects everyone who was ever a member of it.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, family__isnull=True)
                | models.Q(person__isnull=True, family__isnull=False),
                name="legal_hold_person_or_family",
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True)
                | models.Q(lifted_at__gte=models.F("placed_at")),
                name="legal_hold_lifted_after_placed",
            ),
        ]
        indexes = [models.Index(fields=["lifted_at"], name="legal_hold_standing")]

    def __str__(self) -> str:
        subject = self.person or self.family
        return f"Legal hold on {subject}"

    @property
    def is_standing(self) -> bool:
        return self.lifted_at is None


class RetentionReview(models.Model):
    """A dry run: who would be destroyed under the rules on a date (R-RET-1, R-RET-2).

    Destruction is possible only by confirming a review, with its ``confirmation_token``,
    on the day it was run for. The review keeps ids, record classes and rules, never names:
    after destruction nothing of the destroyed records is left here.
    """

    review_date = models.DateField()
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    confirmation_token = models.CharField(max_length=64)
    # [{"id", "record_class", "version", "trigger", "period_years"}] as used by this review.
    rules_used = models.JSONField(default=list)
    # [{"person_id", "record_class", "rule_id", "rule_version", "trigger_date",
    #   "destroy_from"}]
    to_destroy = models.JSONField(default=list)
    # [{"person_id", "outcome", "record_class", "destroy_from"}]: due, but protected.
    due_but_kept = models.JSONField(default=list)
    families_to_destroy = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    persons_destroyed = models.PositiveIntegerField(default=0)
    families_destroyed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Retention review for {self.review_date:%d %B %Y}"
