"""The team around the family. (The plan, the lead professional and reviews build on this.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TeamAroundFamilyMember(models.Model):
    """A practitioner in the team around a family: one of the sharing policy's access routes."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="team_members"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role_in_team = models.CharField(max_length=200, blank=True)
    # R-WT-5: exactly one lead professional at a time; the constraint below holds it.
    is_lead_professional = models.BooleanField(default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "practitioner"],
                condition=models.Q(left_on__isnull=True),
                name="team_member_once_per_family",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_lead_professional=True, left_on__isnull=True),
                name="one_lead_professional_per_family",
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "left_on"], name="team_member_open")]

    def __str__(self) -> str:
        return f"{self.practitioner} in the team around {self.family}"


class LeadProfessionalHandover(models.Model):
    """One naming or hand-over of the lead professional role (R-WT-5): who from, who to, when, why.

    ``from_member`` is empty the first time a lead professional is named; ``to_member`` is
    empty when the role was ended without a successor. The family's say is kept with it.
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="lead_professional_handovers"
    )
    from_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    family_view = models.TextField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Lead professional hand-over for {self.family}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Being written with the family"
    AGREED = "agreed", "Agreed"
    CLOSED = "closed", "Closed"


class Plan(models.Model):
    """The family's plan (R-WT-6, R-EHA-2): one active (draft or agreed) at a time."""

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    family_words = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=~models.Q(status="closed"),
                name="one_active_plan_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.family}"


class PlanOutcome(models.Model):
    """What the family wants to change, tagged with a Supporting Families headline (R-SF-1),
    and linked, where it came from the assessment, to the assessed need it answers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    headline = models.CharField(max_length=40)
    description = models.TextField()
    # Issue 5 item 2: the assessed need this outcome answers (a contribution with a need
    # written, in an assessment of the same family). Its detail stays under need-to-know
    # (R-IS-12): read it through plans.selectors, never straight from here.
    need = models.ForeignKey(
        "assessments.Contribution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class PlanAction(models.Model):
    """A SMART action (R-EHA-2): owned by a team member or by the family, with a due date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(
        PlanOutcome, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
    )
    owner_is_family = models.BooleanField(default=False)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_member__isnull=False, owner_is_family=False)
                | models.Q(owner_member__isnull=True, owner_is_family=True),
                name="plan_action_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]
