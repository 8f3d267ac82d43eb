"""Health visiting contacts, safer-sleep assessments and observations, disruptions of routine
and the reassessment tasks they create (R-HCP-1, R-SS-1 to R-SS-5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.safersleep.rules import (
    RISK_FIELDS,
    AssessmentContact,
    ContactKind,
    DisruptionKind,
    SleepRisks,
    Window,
)


class HealthVisitingContact(models.Model):
    """One of a child's five mandated reviews (R-HCP-1): the window is stored, the status
    (due, overdue, completed) derived on read (rules.contact_status)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="health_visiting_contacts"
    )
    kind = models.CharField(max_length=40, choices=ContactKind.choices)
    due_from = models.DateField()
    due_by = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # R-HCP-2: the first three are best in the home by the named health visitor; delegation
    # is recorded and the health visitor stays accountable.
    in_home = models.BooleanField(null=True, blank=True)
    delegated_note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["person", "due_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="hv_contact_once_per_child"),
            models.CheckConstraint(
                condition=models.Q(due_by__gte=models.F("due_from")),
                name="hv_contact_window_in_order",
            ),
        ]
        indexes = [models.Index(fields=["due_by", "completed_on"], name="hv_contact_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person}"

    @property
    def window(self) -> Window:
        return Window(self.due_from, self.due_by)


class SaferSleepAssessment(models.Model):
    """A safer-sleep assessment (R-SS-2), or a lighter observation by any agency (R-SS-4).

    The red flag (R-SS-3) is computed by rules.is_red_flag when it is recorded and stored with
    it; a red flag always has an action plan (constraint below). Drugs or alcohol put the
    record in the substance use need-to-know category (R-IS-12).
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="safer_sleep_assessments"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="safer_sleep_assessments"
    )
    contact = models.CharField(max_length=30, choices=AssessmentContact.choices)
    health_visiting_contact = models.ForeignKey(
        HealthVisitingContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safer_sleep_assessments",
    )
    is_observation = models.BooleanField(default=False)
    assessed_on = models.DateField()
    # R-SS-2. NULL: not asked, or (in an observation) not seen.
    smoking_in_pregnancy = models.BooleanField(null=True, blank=True)
    parent_smokes = models.BooleanField(null=True, blank=True)
    household_smokes = models.BooleanField(null=True, blank=True)
    alcohol_two_units_or_more = models.BooleanField(null=True, blank=True)
    drugs_or_drowsy_medication = models.BooleanField(null=True, blank=True)
    bed_sharing = models.BooleanField(null=True, blank=True)
    sofa_or_chair_sleeping = models.BooleanField(null=True, blank=True)
    separate_room_under_six_months = models.BooleanField(null=True, blank=True)
    prone_or_side_sleeping = models.BooleanField(null=True, blank=True)
    loose_bedding = models.BooleanField(null=True, blank=True)
    premature_or_low_birth_weight = models.BooleanField(null=True, blank=True)
    parent_extremely_tired = models.BooleanField(null=True, blank=True)
    sleeping_arrangements = models.TextField(blank=True)
    conversation = models.TextField(blank=True)
    action_plan = models.TextField(blank=True)
    equipment = models.JSONField(default=list, blank=True)
    red_flag = models.BooleanField(default=False)
    red_flag_reasons = models.JSONField(default=list, blank=True)
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

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(red_flag=False) | ~models.Q(action_plan=""),
                name="safer_sleep_red_flag_has_plan",
            ),
        ]
        indexes = [models.Index(fields=["family", "assessed_on"], name="safer_sleep_family")]

    def __str__(self) -> str:
        return f"Safer sleep for {self.person} on {self.assessed_on}"

    @property
    def risks(self) -> SleepRisks:
        return SleepRisks(**{name: getattr(self, name) for name in RISK_FIELDS})


class DisruptionOfRoutine(models.Model):
    """A disruption of routine recorded by any agency (R-SS-1, R-SS-4).

    A domestic abuse incident or a relapse is in a need-to-know category: others see that a
    disruption was recorded and by whom, never its kind or detail (R-IS-12).
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="disruptions_of_routine"
    )
    # Whom it concerns, when said: the person a consent or decision to share must cover.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=DisruptionKind.choices)
    occurred_on = models.DateField()
    details = models.TextField(blank=True)
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

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "disruptions of routine"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.family} on {self.occurred_on}"


class ReassessmentTask(models.Model):
    """Reassess safer sleep for one infant (or unborn baby) after a disruption (R-SS-1).

    Assigned to the family's health visitor(s) and the lead professional; done when any of
    them (or anyone who may) records a reassessment for the baby.
    """

    disruption = models.ForeignKey(
        DisruptionOfRoutine, on_delete=models.CASCADE, related_name="reassessment_tasks"
    )
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="safer_sleep_reassessments"
    )
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_assessment = models.ForeignKey(
        SaferSleepAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disruption", "person"], name="reassessment_once_per_baby"
            ),
        ]
        indexes = [models.Index(fields=["person", "done_at"], name="reassessment_open")]

    def __str__(self) -> str:
        return f"Reassess safer sleep for {self.person}"
