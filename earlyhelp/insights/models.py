"""Stored board figures and the yearly self-assessment (issue 7, R-SF-3, R-SF-5).

Figures are counts only: no family, person or record id is ever stored here, so nothing
the board reads can lead back to a family. Pages read these rows; they never scan records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from earlyhelp.insights.rules import (
    GUIDE_AREA_LABELS,
    GUIDE_RATING_LABELS,
    PeriodKind,
)


class Breakdown(models.TextChoices):
    ALL = "all", "The whole partnership"
    AGENCY = "agency", "Agency"
    AREA = "area", "Area (local authority)"
    HEADLINE = "headline", "Supporting Families headline outcome"


class MeasureFigure(models.Model):
    """One measure's figure for one period and one slice (all, an agency type, an area).

    Recomputed whole by insights.services.figures_recompute; ``computed_at`` says when.
    ``value`` holds a time statistic (hours) for time measures, empty for shares.
    """

    measure_id = models.CharField(max_length=60)
    period_kind = models.CharField(
        max_length=10,
        choices=[(k.value, k.value.title()) for k in PeriodKind],
        default=PeriodKind.MONTH,
    )
    period_start = models.DateField()
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices)
    key = models.CharField(max_length=100, blank=True)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["measure_id", "period_kind", "period_start", "breakdown", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_id", "period_kind", "period_start", "breakdown", "key"],
                name="insights_figure_once",
            ),
        ]
        indexes = [
            # Every page read: one measure's periods for one slice.
            models.Index(
                fields=["measure_id", "period_kind", "breakdown", "key", "period_start"],
                name="insights_figure_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period_start} {self.breakdown}:{self.key}"


class SelfAssessment(models.Model):
    """One saving of the yearly Early Help System Guide self-assessment (R-SF-5).

    Never changed: saving again for the same year adds a newer one, so the history shows
    how the board's view moved.
    """

    year = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Early Help System Guide self-assessment {self.year}"


class SelfAssessmentArea(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="areas"
    )
    area = models.CharField(
        max_length=20, choices=[(a.value, label) for a, label in GUIDE_AREA_LABELS.items()]
    )
    rating = models.CharField(
        max_length=20, choices=[(r.value, label) for r, label in GUIDE_RATING_LABELS.items()]
    )
    narrative = models.TextField()

    class Meta:
        ordering = ["self_assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "area"], name="insights_self_assessment_area_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.rating}"
