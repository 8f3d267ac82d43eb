"""Board insights reads.

Board figures come only from the stored figures (MeasureFigure), never from the records, and
every figure leaves here already suppressed when it rests on 1 to 4 families or records.
Drill-down lists are the one read of records: for practitioners only, starting from the
sharing policy's visible families, and recorded.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpRequest

from earlyhelp.accounts.models import User
from earlyhelp.assessments.rules import HEADLINE_OUTCOMES
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction
from earlyhelp.insights import policies, rules
from earlyhelp.insights.measures import MEASURES, Measure, agency_label, facts_load
from earlyhelp.insights.models import Breakdown, MeasureFigure, SelfAssessment
from earlyhelp.insights.rules import Period, PeriodKind
from earlyhelp.people.models import Family
from earlyhelp.sharing import policies as sharing_policies


def board_check(actor: User) -> None:
    """Board figures: the board analyst and team managers; anyone else is not found."""
    if not policies.can_view_board_figures(actor):
        raise NotFoundOrForbidden


def measure_get(measure_id: str) -> Measure:
    found = MEASURES.get(measure_id)
    if found is None:
        raise NotFoundOrForbidden
    return found


@dataclass(frozen=True)
class ShownFigure:
    """A figure as anyone outside this module may see it: suppressed when small."""

    label: str
    key: str
    period_start: datetime.date
    numerator: int | None
    denominator: int | None
    value: float | None
    suppressed: bool
    is_time: bool

    @property
    def percent(self) -> int | None:
        if self.suppressed or self.numerator is None or self.denominator is None:
            return None
        return rules.percentage(self.numerator, self.denominator)

    @property
    def headline(self) -> str:
        """The figure in words: "45%", "12.5 hours", "fewer than 5" or "none counted"."""
        if self.suppressed:
            return rules.SUPPRESSED_TEXT
        if self.is_time:
            return "none counted" if self.value is None else f"{self.value:.1f} hours"
        percent = self.percent
        return "none counted" if percent is None else f"{percent}%"

    @property
    def numerator_text(self) -> str:
        return rules.SUPPRESSED_TEXT if self.numerator is None else str(self.numerator)

    @property
    def denominator_text(self) -> str:
        return rules.SUPPRESSED_TEXT if self.denominator is None else str(self.denominator)

    @property
    def chart_value(self) -> float | None:
        return self.value if self.is_time else (None if self.percent is None else self.percent)


def shown(measure: Measure, row: MeasureFigure, label: str) -> ShownFigure:
    suppressed = rules.is_suppressed(row.numerator, row.denominator)
    return ShownFigure(
        label=label,
        key=row.key,
        period_start=row.period_start,
        numerator=None if suppressed else row.numerator,
        denominator=None if suppressed else row.denominator,
        value=None if suppressed else row.value,
        suppressed=suppressed,
        is_time=measure.is_time,
    )


def key_label(breakdown: str, key: str) -> str:
    if breakdown == Breakdown.AGENCY:
        return agency_label(key)
    if breakdown == Breakdown.ALL:
        return "Whole partnership"
    if breakdown == Breakdown.HEADLINE:
        return HEADLINE_OUTCOMES.get(key, key)  # type: ignore[call-overload]
    return key


# --- What a filter may choose ------------------------------------------------------------


def figure_months() -> list[datetime.date]:
    """The months with stored figures, oldest first."""
    return sorted(
        MeasureFigure.objects.filter(period_kind=PeriodKind.MONTH, breakdown=Breakdown.ALL)
        .values_list("period_start", flat=True)
        .distinct()
    )


def breakdown_keys(breakdown: str) -> list[tuple[str, str]]:
    """(key, label) of every agency type or area with stored figures, by label."""
    keys = (
        MeasureFigure.objects.filter(breakdown=breakdown).values_list("key", flat=True).distinct()
    )
    return sorted(((k, key_label(breakdown, k)) for k in keys), key=lambda kl: kl[1])


def computed_at() -> datetime.datetime | None:
    return MeasureFigure.objects.aggregate(latest=Max("computed_at"))["latest"]


@dataclass(frozen=True)
class FigureFilter:
    """A checked filter: months from and to (firsts of months), and one slice."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    breakdown: str = Breakdown.ALL
    key: str = ""


def filter_check(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    agency: str = "",
    area: str = "",
) -> FigureFilter:
    """Check a period and slice filter (pages and API alike); problems per field."""
    problems = rules.period_problems(start, end)
    if agency and area:
        problems["area"] = ["Choose an agency or an area, not both"]
    elif agency and agency not in dict(breakdown_keys(Breakdown.AGENCY)):
        problems["agency"] = ["Select an agency from the list"]
    elif area and area not in dict(breakdown_keys(Breakdown.AREA)):
        problems["area"] = ["Select an area from the list"]
    if problems:
        raise ValidationProblem(problems)
    if agency:
        return FigureFilter(start, end, Breakdown.AGENCY, agency)
    if area:
        return FigureFilter(start, end, Breakdown.AREA, area)
    return FigureFilter(start, end)


# --- Board reads ----------------------------------------------------------------------------


def _month_rows(measure_ids: list[str], chosen: FigureFilter) -> list[MeasureFigure]:
    rows = MeasureFigure.objects.filter(
        measure_id__in=measure_ids,
        period_kind=PeriodKind.MONTH,
        breakdown=chosen.breakdown,
        key=chosen.key,
    )
    if chosen.start is not None:
        rows = rows.filter(period_start__gte=chosen.start)
    if chosen.end is not None:
        rows = rows.filter(period_start__lte=chosen.end)
    return list(rows.order_by("measure_id", "period_start"))


def _month_label(day: datetime.date) -> str:
    return rules.month_period(day).label


@dataclass(frozen=True)
class MeasureTrend:
    measure: Measure
    trend: list[ShownFigure]

    @property
    def latest(self) -> ShownFigure | None:
        return self.trend[-1] if self.trend else None


def measure_trends(*, actor: User, chosen: FigureFilter) -> list[MeasureTrend]:
    """Every measure's monthly figures in the chosen period and slice: one query."""
    board_check(actor)
    by_measure: dict[str, list[MeasureFigure]] = defaultdict(list)
    for row in _month_rows(list(MEASURES), chosen):
        by_measure[row.measure_id].append(row)
    return [
        MeasureTrend(
            measure,
            [shown(measure, r, _month_label(r.period_start)) for r in by_measure[measure.id]],
        )
        for measure in MEASURES.values()
    ]


def measure_trend(*, actor: User, measure: Measure, chosen: FigureFilter) -> MeasureTrend:
    board_check(actor)
    rows = _month_rows([measure.id], chosen)
    return MeasureTrend(measure, [shown(measure, r, _month_label(r.period_start)) for r in rows])


def measure_comparison(
    *, actor: User, measure: Measure, breakdown: str, month: datetime.date | None
) -> list[ShownFigure]:
    """One month's figures by agency type or by area (the latest month when none given)."""
    board_check(actor)
    rows = MeasureFigure.objects.filter(
        measure_id=measure.id, period_kind=PeriodKind.MONTH, breakdown=breakdown
    )
    if month is None:
        month = rows.aggregate(latest=Max("period_start"))["latest"]
    figures = [
        shown(measure, r, key_label(breakdown, r.key)) for r in rows.filter(period_start=month)
    ]
    return sorted(figures, key=lambda f: f.label)


@dataclass(frozen=True)
class ReturnRow:
    quarter: str
    measure: Measure
    figure: ShownFigure


def quarterly_return(*, actor: User) -> list[ReturnRow]:
    """R-SF-3: families worked with and their outcomes, per quarter (the measures marked
    quarterly)."""
    board_check(actor)
    wanted = [m.id for m in MEASURES.values() if m.quarterly]
    rows = MeasureFigure.objects.filter(
        measure_id__in=wanted, period_kind=PeriodKind.QUARTER, breakdown=Breakdown.ALL
    ).order_by("period_start", "measure_id")
    found = []
    for row in rows:
        measure = MEASURES[row.measure_id]
        label = rules.quarter_period(row.period_start).label
        found.append(ReturnRow(label, measure, shown(measure, row, label)))
    return found


def self_assessment_history(*, actor: User) -> list[SelfAssessment]:
    board_check(actor)
    return list(SelfAssessment.objects.select_related("recorded_by").prefetch_related("areas")[:50])


# --- Drill-down: practitioners only, through the sharing policy --------------------------


@dataclass(frozen=True)
class CountedFamily:
    family: Family
    counted: int
    total: int


def measure_families(
    *,
    actor: User,
    measure: Measure,
    month: datetime.date,
    today: datetime.date,
    request: HttpRequest | None = None,
) -> list[CountedFamily]:
    """The families the actor may see that a measure counts in a month, with how many of
    their items are in the numerator. Board roles never get here (NotFoundOrForbidden)."""
    if not policies.can_drill_down(actor):
        raise NotFoundOrForbidden
    visible = sharing_policies.visible_families(actor)
    period: Period = rules.month_period(month)
    facts = facts_load(today=today, families=visible, since=period.start)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item in measure.compute(facts, period):
        counts[item.family_id][0] += int(item.counted)
        counts[item.family_id][1] += 1
    families = Family.objects.filter(pk__in=list(counts)).order_by("name", "pk")
    found = [CountedFamily(f, counts[f.pk][0], counts[f.pk][1]) for f in families]
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="people.family",
        object_id=",".join(str(c.family.pk) for c in found[:50]),
        detail=f"Families counted in {measure.id} for {period.label}",
        request=request,
    )
    return found
