"""Board insights pages: the board view, a measure's comparisons, exports, the quarterly
return, the yearly self-assessment, and practitioners' drill-down lists.

Thin on purpose: board pages read stored figures through insights.selectors (already
suppressed); the drill-down goes through the sharing policy. Anyone the page is not for gets
the same 404 as a page that does not exist.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from earlyhelp.accounts.models import User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.insights import policies, rules, selectors, services
from earlyhelp.insights.charts import bar_chart
from earlyhelp.insights.forms import FigureFilterForm, SelfAssessmentForm, parse_month
from earlyhelp.insights.measures import GROUPS, MEASURES
from earlyhelp.insights.models import Breakdown
from earlyhelp.insights.tasks import insights_recompute_request

View = Callable[..., HttpResponse]
DEFAULT_MONTHS_SHOWN = 12
FIGURES_KEPT_SECONDS = 3600
FORMATS = {"csv": "CSV", "xlsx": "Excel"}
EXPORT_TABLES = {
    "trend": "by month",
    "agency": "by agency",
    "area": "by area",
    "headline": "by headline outcome",
}


def board_page(view: View) -> View:
    """Signed in, a board role (board analyst or team manager), and one 404 otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_view_board_figures(page_actor(request)):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error

    return login_required(wrapped)


def _filter(request: HttpRequest) -> tuple[FigureFilterForm, selectors.FigureFilter]:
    """The filter form and the filter it gives; with problems, the default filter (and the
    form shows the GOV.UK error summary)."""
    form = FigureFilterForm(request.GET if request.GET else None)
    chosen = selectors.FigureFilter()
    if form.is_bound and form.is_valid():
        try:
            chosen = form.chosen()
        except ValidationProblem as problem:
            form.add_problem(problem)
            chosen = selectors.FigureFilter()
    if chosen.start is None and chosen.end is None:
        months = selectors.figure_months()
        if months:
            start = months[max(0, len(months) - DEFAULT_MONTHS_SHOWN)]
            chosen = selectors.FigureFilter(start, None, chosen.breakdown, chosen.key)
    return form, chosen


def _slice_label(chosen: selectors.FigureFilter) -> str:
    return selectors.key_label(chosen.breakdown, chosen.key)


def _figures_html(
    actor: User,
    chosen: selectors.FigureFilter,
    query: str,
    computed_at: datetime.datetime | None,
) -> str:
    """Every measure's chart and table for the filter. The figures only change when they are
    recomputed, so the rendering is kept per recompute and filter (an hour at most)."""
    selectors.board_check(actor)
    fingerprint = f"{computed_at.isoformat() if computed_at else ''}|{chosen}|{query}"
    key = "insights:dashboard:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        trends = selectors.measure_trends(actor=actor, chosen=chosen)
        groups = []
        for group, group_title in GROUPS.items():
            rows = [
                (
                    trend,
                    bar_chart(trend.measure.title, trend.trend, is_time=trend.measure.is_time),
                )
                for trend in trends
                if trend.measure.group == group
            ]
            if rows:
                groups.append((group_title, rows))
        html = render_to_string(
            "insights/_dashboard_figures.html", {"groups": groups, "query": query}
        )
        cache.set(key, html, FIGURES_KEPT_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


@require_GET
@board_page
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form, chosen = _filter(request)
    computed_at = selectors.computed_at()
    query = request.GET.urlencode()
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "figures_html": _figures_html(actor, chosen, query, computed_at),
            "slice_label": _slice_label(chosen),
            "computed_at": computed_at,
            "can_recompute": policies.can_record_self_assessment(actor),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@board_page
def measure_detail(request: HttpRequest, measure_id: str) -> HttpResponse:
    actor = page_actor(request)
    measure = selectors.measure_get(measure_id)
    form, chosen = _filter(request)
    trend = selectors.measure_trend(actor=actor, measure=measure, chosen=chosen)
    month = trend.latest.period_start if trend.latest else None
    comparisons = []
    for breakdown in (Breakdown.AGENCY, Breakdown.AREA, Breakdown.HEADLINE):
        title = EXPORT_TABLES[breakdown]
        figures = selectors.measure_comparison(
            actor=actor, measure=measure, breakdown=breakdown, month=month
        )
        if breakdown == Breakdown.HEADLINE and not figures:
            continue  # only outcomes have headlines
        chart = bar_chart(f"{measure.title} {title}", figures, is_time=measure.is_time)
        comparisons.append((breakdown, title, figures, chart))
    return render(
        request,
        "insights/measure.html",
        {
            "form": form,
            "measure": measure,
            "trend": trend,
            "trend_chart": bar_chart(measure.title, trend.trend, is_time=measure.is_time),
            "comparisons": comparisons,
            "month_label": rules.month_period(month).label if month else "",
            "slice_label": _slice_label(chosen),
            "computed_at": selectors.computed_at(),
            "query": request.GET.urlencode(),
        },
    )


def _safe_cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: never from our export."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _csv_response(filename: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(filename: str, title: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    """The same rows as the CSV, as an Excel workbook (openpyxl, ADR 0011). Whole numbers are
    numbers; every other cell is text, never a formula, whatever it starts with."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        cells = []
        for value in row:
            text = str(value)
            cell = WriteOnlyCell(sheet, value=int(text) if text.isdigit() else text)
            if not text.isdigit():
                cell.data_type = "s"  # a name starting with "=" stays a name
            cells.append(cell)
        sheet.append(cells)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response


def _export(fmt: str, filename: str, title: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    return _xlsx_response(filename, title, rows) if fmt == "xlsx" else _csv_response(filename, rows)


def _figure_rows(
    measure_title: str, first: str, figures: Sequence[selectors.ShownFigure], is_time: bool
) -> list[list[object]]:
    header: list[object] = [first, "Counted", "Out of", "Hours" if is_time else "Per cent"]
    rows: list[list[object]] = [[measure_title], header]
    for f in figures:
        figure: object = ""
        if f.suppressed:
            figure = rules.SUPPRESSED_TEXT
        elif is_time and f.value is not None:
            figure = f"{f.value:.1f}"
        elif not is_time and f.percent is not None:
            figure = f.percent
        rows.append([f.label, f.numerator_text, f.denominator_text, figure])
    if not figures:
        rows.append(["No figures for this period"])
    return rows


@require_GET
@board_page
def measure_export(request: HttpRequest, measure_id: str, table: str, fmt: str) -> HttpResponse:
    """One table of a measure's page as CSV or Excel: the same figures, suppressed the same
    way."""
    actor = page_actor(request)
    measure = selectors.measure_get(measure_id)
    if table not in EXPORT_TABLES:
        raise Http404
    form, chosen = _filter(request)
    if form.errors:
        # The page shows what is wrong with the filter.
        return redirect(
            f"{reverse('insights:measure', args=[measure.id])}?{request.GET.urlencode()}"
        )
    if table == "trend":
        figures = selectors.measure_trend(actor=actor, measure=measure, chosen=chosen).trend
        first = f"Month ({_slice_label(chosen)})"
    else:
        trend = selectors.measure_trend(actor=actor, measure=measure, chosen=chosen)
        month = trend.latest.period_start if trend.latest else None
        figures = selectors.measure_comparison(
            actor=actor, measure=measure, breakdown=table, month=month
        )
        first = {"agency": "Agency", "area": "Area"}.get(table, "Headline outcome")
        if month:
            first += f" ({rules.month_period(month).label})"
    access_record(
        actor=actor,
        action=AccessAction.EXPORT,
        object_type="insights.measure",
        object_id=measure.id,
        detail=f"Board figures {EXPORT_TABLES[table]} as {FORMATS[fmt]}",
        request=request,
    )
    return _export(
        fmt,
        f"{measure.id}-{table}",
        EXPORT_TABLES[table],
        _figure_rows(measure.title, first, figures, measure.is_time),
    )


@require_GET
@board_page
def quarterly_return(request: HttpRequest, fmt: str) -> HttpResponse:
    """R-SF-3: families worked with and outcomes, per calendar quarter, as CSV or Excel."""
    actor = page_actor(request)
    rows: list[list[object]] = [
        ["Quarterly return: families worked with and outcomes (Supporting Families, R-SF-3)"],
        ["Quarter", "Measure", "Counted", "Out of", "Per cent"],
    ]
    found = selectors.quarterly_return(actor=actor)
    for row in found:
        f = row.figure
        percent = (
            rules.SUPPRESSED_TEXT if f.suppressed else ("" if f.percent is None else f.percent)
        )
        rows.append([row.quarter, row.measure.title, f.numerator_text, f.denominator_text, percent])
    if not found:
        rows.append(["No figures have been computed yet"])
    access_record(
        actor=actor,
        action=AccessAction.EXPORT,
        object_type="insights.quarterly_return",
        detail=f"Quarterly return as {FORMATS[fmt]}",
        request=request,
    )
    return _export(fmt, "quarterly-return", "Quarterly return", rows)


@require_POST
@board_page
def recompute(request: HttpRequest) -> HttpResponse:
    """The board analyst asks for the figures to be recomputed now (a background task)."""
    if not policies.can_record_self_assessment(page_actor(request)):
        raise Http404
    if insights_recompute_request():
        messages.success(request, "The figures are being recomputed. Check again in a few minutes.")
    else:
        messages.success(request, "The figures have been recomputed.")
    return redirect("insights:dashboard")


@require_http_methods(["GET", "POST"])
@board_page
def self_assessment(request: HttpRequest) -> HttpResponse:
    """R-SF-5: the yearly Early Help System Guide self-assessment and its history."""
    actor = page_actor(request)
    can_record = policies.can_record_self_assessment(actor)
    data = posted(request)
    if data is not None and not can_record:
        raise Http404
    form = SelfAssessmentForm(data, initial={"year": timezone.localdate().year})
    if data is not None and form.is_valid():
        try:
            services.self_assessment_record(
                actor=actor, year=form.cleaned_data["year"], areas=form.areas()
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Self-assessment recorded")
            return redirect("insights:self_assessment")
    return render(
        request,
        "insights/self_assessment.html",
        {
            "form": form,
            "can_record": can_record,
            "history": selectors.self_assessment_history(actor=actor),
        },
    )


# --- Drill-down: practitioners only -----------------------------------------------------


@require_GET
@login_required
def measure_families(request: HttpRequest, measure_id: str) -> HttpResponse:
    """The families a practitioner may see that a measure counts in a month. Board roles
    and administrators: 404, like any family record."""
    actor = page_actor(request)
    if not policies.can_drill_down(actor):
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="people.family",
            detail=f"Drill-down of {measure_id}",
            request=request,
        )
        raise Http404
    measure = MEASURES.get(measure_id)
    if measure is None:
        raise Http404
    today = timezone.localdate()
    month_text = request.GET.get("month", "")
    month = parse_month(month_text) if month_text else rules.month_start(today)
    error = ""
    families: list[selectors.CountedFamily] = []
    if month is None:
        error = "Enter the month as a year and month, like 2026-11"
    else:
        families = selectors.measure_families(
            actor=actor, measure=measure, month=month, today=today, request=request
        )
    return render(
        request,
        "insights/families.html",
        {
            "measure": measure,
            "month_text": month_text or (f"{month:%Y-%m}" if month else ""),
            "month_label": rules.month_period(month).label if month else "",
            "families": families,
            "error": error,
        },
    )
