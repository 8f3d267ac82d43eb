"""Reviews of the family's plan and its closure (R-EHA-3, R-EHA-4, R-LON-2).

A review is a record of what was said and decided at a meeting: once recorded it is never
changed or deleted; the next review follows it. Whether a review is overdue is never stored:
the plan's ``review_on`` is the stored due date and the rules work out the rest.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from earlyhelp.reviews.rules import (
    CLOSURE_REASON_LABELS,
    DECISION_LABELS,
    NEED_RESULT_LABELS,
    PROGRESS_LABELS,
)


class ReviewImmutable(Exception):
    """A recorded review or closure is never changed or deleted."""


class _Recorded(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ReviewImmutable(f"A recorded {self._meta.verbose_name} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReviewImmutable(f"A recorded {self._meta.verbose_name} cannot be deleted")


class PlanReview(_Recorded):
    """One review of an agreed plan (R-EHA-3): progress per need, the family's view, and the
    decision; a step up or down points at the level decision it recorded (R-LON-2)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    family_view = models.TextField()
    decision = models.CharField(
        max_length=20, choices=[(d.value, label) for d, label in DECISION_LABELS.items()]
    )
    rationale = models.TextField(blank=True)
    # The plan's next review date set by this review; empty when it closed the plan.
    next_review_on = models.DateField(null=True, blank=True)
    level_decision = models.OneToOneField(
        "levels.LevelDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_review",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-held_on", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(family_view=""), name="plan_review_family_view_required"
            ),
            models.CheckConstraint(
                condition=models.Q(decision="close") | models.Q(next_review_on__isnull=False),
                name="plan_review_next_date_unless_closing",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision__in=["step_up", "step_down"])
                | models.Q(level_decision__isnull=False),
                name="plan_review_step_has_level_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.plan} held on {self.held_on:%d %B %Y}"


class ReviewProgress(_Recorded):
    """Progress on one need (a plan outcome) at a review: better, the same or worse."""

    review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, related_name="progress")
    outcome = models.ForeignKey("plans.PlanOutcome", on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(
        max_length=10, choices=[(p.value, label) for p, label in PROGRESS_LABELS.items()]
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "outcome_id"]
        verbose_name_plural = "review progress"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "outcome"], name="review_progress_once_per_need"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id}: {self.progress}"


class PlanClosure(_Recorded):
    """How and why the plan closed (R-EHA-4), recorded by the review that closed it."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.PROTECT, related_name="closure")
    review = models.OneToOneField(PlanReview, on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(
        max_length=40, choices=[(r.value, label) for r, label in CLOSURE_REASON_LABELS.items()]
    )
    closed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closed_on", "-id"]

    def __str__(self) -> str:
        return f"Closure of {self.plan} on {self.closed_on:%d %B %Y}"


class ClosureOutcome(_Recorded):
    """The outcome for one need at closure (R-EHA-4, feeding R-SF-2)."""

    closure = models.ForeignKey(PlanClosure, on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.ForeignKey("plans.PlanOutcome", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(
        max_length=20, choices=[(r.value, label) for r, label in NEED_RESULT_LABELS.items()]
    )

    class Meta:
        ordering = ["closure", "outcome_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "outcome"], name="closure_outcome_once_per_need"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id}: {self.result}"
