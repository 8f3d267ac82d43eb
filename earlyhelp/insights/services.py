"""Board insights writes: recomputing the stored figures, recording the self-assessment."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.insights import policies, rules
from earlyhelp.insights.measures import facts_load, figures_compute
from earlyhelp.insights.models import MeasureFigure, SelfAssessment, SelfAssessmentArea
from earlyhelp.insights.rules import Period

# How far back the stored figures reach: this month and the 12 before it (a year's trend and
# the same month last year), this quarter and the 4 before it (a year of returns).
MONTHS_KEPT = 13
QUARTERS_KEPT = 5


def figure_periods(today: datetime.date) -> list[Period]:
    months = getattr(settings, "INSIGHTS_MONTHS_KEPT", MONTHS_KEPT)
    quarters = getattr(settings, "INSIGHTS_QUARTERS_KEPT", QUARTERS_KEPT)
    return rules.months_back(today, months) + rules.quarters_back(today, quarters)


@dataclass(frozen=True)
class RecomputeResult:
    figures: int
    computed_at: datetime.datetime


def figures_recompute(*, today: datetime.date | None = None) -> RecomputeResult:
    """Recompute every measure for every kept period, and replace the stored figures whole.

    Reads the records in bulk once, counts in memory, then swaps the figures in one
    transaction: a board page never sees half of one run and half of another.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    periods = figure_periods(today)
    facts = facts_load(today=today, since=min(p.start for p in periods))
    rows = [
        MeasureFigure(
            measure_id=measure.id,
            period_kind=period.kind,
            period_start=period.start,
            breakdown=figure.breakdown,
            key=figure.key,
            numerator=figure.numerator,
            denominator=figure.denominator,
            value=figure.value,
            computed_at=now,
        )
        for measure, period, figure in figures_compute(facts, periods)
    ]
    with transaction.atomic():
        MeasureFigure.objects.all().delete()
        MeasureFigure.objects.bulk_create(rows, batch_size=2000)
    return RecomputeResult(figures=len(rows), computed_at=now)


def self_assessment_record(
    *, actor: User, year: int | None, areas: dict[str, tuple[str, str]]
) -> SelfAssessment:
    """Record the board's Early Help System Guide self-assessment for a year (R-SF-5).

    ``areas`` maps each of the 5 areas to (rating, narrative). A year may be recorded again:
    the newer one is shown and the older stays in the history.
    """
    if not policies.can_record_self_assessment(actor):
        raise NotFoundOrForbidden
    problems = rules.self_assessment_problems(year=year, areas=areas, today=timezone.localdate())
    if problems:
        raise ValidationProblem(problems)
    assert year is not None
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(year=year, recorded_by=actor)
        SelfAssessmentArea.objects.bulk_create(
            SelfAssessmentArea(
                self_assessment=assessment,
                area=area.value,
                rating=areas[area.value][0],
                narrative=areas[area.value][1].strip(),
            )
            for area in rules.GuideArea
        )
        audit_record(
            actor=actor,
            action="insights.self_assessment.record",
            obj=assessment,
            summary=f"Early Help System Guide self-assessment for {year} recorded",
        )
    return assessment
