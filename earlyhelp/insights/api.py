"""Board insights operations of the API (/api/v1/): the measures and their stored figures.

The same selectors as the board pages: figures only, already suppressed when they rest on 1
to 4 families or records (``suppressed: true`` and no numbers). For the board analyst and
team managers; anyone else gets the same 404 problem as an operation that does not exist.
Bad filters (a period that ends before it starts, an unknown agency or area) are a 422
problem naming the field.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.insights import rules, selectors
from earlyhelp.insights.forms import parse_month
from earlyhelp.insights.measures import MEASURES, Measure
from earlyhelp.insights.models import Breakdown

router = Router(tags=["Board insights"])

READ = Scope.ASSESSMENTS_READ

Month = Annotated[str, Field(max_length=7, description="A month, like 2026-11")]
Key = Annotated[str, Field(max_length=100)]


class MeasureOut(Schema):
    id: str
    title: str
    group: str
    unit: str = Field(description="share (per cent) or hours")
    statistic: str = Field(description="share, median or p90 (90th percentile)")
    definition: str = Field(description="Exactly what the numerator and denominator count")
    rule_ids: list[str]


class FigureOut(Schema):
    period_start: datetime.date
    period_label: str
    label: str
    suppressed: bool = Field(description="True: fewer than 5; no numbers are given")
    numerator: int | None
    denominator: int | None
    percent: int | None
    hours: float | None


class FiguresOut(Schema):
    measure: MeasureOut
    breakdown: str
    key: str
    computed_at: datetime.datetime | None
    figures: list[FigureOut]


class FiguresQuery(Schema):
    from_month: Month = Field("", description="The first month (empty: the earliest)")
    to_month: Month = Field("", description="The last month (empty: the latest)")
    agency: Key = Field("", description="Only this agency type (e.g. midwifery)")
    area: Key = Field("", description="Only this area (local authority)")
    by: Breakdown | None = Field(
        None, description="agency or area: every agency or area for the last month instead"
    )


def _measure_out(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "title": measure.title,
        "group": measure.group,
        "unit": measure.unit,
        "statistic": measure.statistic,
        "definition": measure.definition,
        "rule_ids": list(measure.rule_ids),
    }


def _figure_out(figure: selectors.ShownFigure) -> dict[str, Any]:
    return {
        "period_start": figure.period_start,
        "period_label": rules.month_period(figure.period_start).label,
        "label": figure.label,
        "suppressed": figure.suppressed,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "percent": None if figure.is_time else figure.percent,
        "hours": figure.value if figure.is_time else None,
    }


def _month(value: str, field: str) -> datetime.date | None:
    if not value:
        return None
    found = parse_month(value)
    if found is None:
        raise ValidationProblem({field: ["Enter a month as a year and month, like 2026-11"]})
    return found


@router.get("/insights/measures", **operation(READ, {200: list[MeasureOut]}))
def insights_measure_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every board measure and exactly what it counts."""
    selectors.board_check(api_actor(request))
    return [_measure_out(m) for m in MEASURES.values()]


@router.get("/insights/measures/{slug:measure_id}/figures", **operation(READ, {200: FiguresOut}))
def insights_figure_list(
    request: HttpRequest, measure_id: str, query: Query[FiguresQuery]
) -> dict[str, Any]:
    """A measure's stored monthly figures for the whole partnership, one agency type or one
    area; or, with ``by``, every agency or area for the last month of the period."""
    actor = api_actor(request)
    selectors.board_check(actor)
    measure = selectors.measure_get(measure_id)
    chosen = selectors.filter_check(
        start=_month(query.from_month, "from_month"),
        end=_month(query.to_month, "to_month"),
        agency=query.agency,
        area=query.area,
    )
    trend = selectors.measure_trend(actor=actor, measure=measure, chosen=chosen)
    breakdown, key = chosen.breakdown, chosen.key
    figures = trend.trend
    if query.by in {Breakdown.AGENCY, Breakdown.AREA}:
        assert query.by is not None
        month = trend.latest.period_start if trend.latest else None
        figures = selectors.measure_comparison(
            actor=actor, measure=measure, breakdown=query.by, month=month
        )
        breakdown, key = query.by, ""
    return {
        "measure": _measure_out(measure),
        "breakdown": breakdown,
        "key": key,
        "computed_at": selectors.computed_at(),
        "figures": [_figure_out(f) for f in figures],
    }
