"""Board insights pages as personas: who reaches them (board analyst and team managers only),
small-number suppression on the page and in exports, the filter's GOV.UK error summary,
the self-assessment form and its history, the recompute, and the practitioners' drill-down
(never for board roles)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from conftest import Partnership, make_user, sign_in
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.core.models import AuditEvent
from earlyhelp.insights.measures import MEASURES
from earlyhelp.insights.models import MeasureFigure, SelfAssessment
from earlyhelp.insights.services import figures_recompute
from earlyhelp.insights.tests.cohort import (
    TODAY,
    Cohort,
    cohort_build,
    reviews_build,
    risks_build,
)
from earlyhelp.insights.views import XLSX
from earlyhelp.people.models import Address

pytestmark = pytest.mark.django_db

BOARD_PAGES = [
    "/insights/",
    "/insights/measures/coverage-assessment/",
    "/insights/measures/coverage-assessment/trend.csv",
    "/insights/measures/coverage-assessment/agency.csv",
    "/insights/measures/coverage-assessment/area.csv",
    "/insights/quarterly-return.csv",
    "/insights/measures/coverage-assessment/trend.xlsx",
    "/insights/measures/coverage-assessment/area.xlsx",
    "/insights/quarterly-return.xlsx",
    "/insights/self-assessment/",
]
IDENTIFYING = ("F1 household", "F6 household", "Insight", "Ashworth", "Chloe")


def team_manager(p: Partnership) -> User:
    team = Team.objects.create(organisation=p.early_help, name="Family support managers")
    return make_user("tia@earlyhelp.example", "Tia Team Manager", team, Role.TEAM_MANAGER)


@pytest.fixture
def cohort(partnership: Partnership) -> Cohort:
    built = cohort_build(partnership)
    figures_recompute(today=TODAY)
    return built


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def csv_rows(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(response))))


def xlsx_rows(response: object) -> list[list[str]]:
    """The workbook's cells as text, as the CSV has them."""
    assert response["Content-Type"] == XLSX  # type: ignore[index]
    sheet = load_workbook(io.BytesIO(response.content)).active  # type: ignore[attr-defined]
    assert sheet is not None
    return [[str(v) for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("url", BOARD_PAGES)
def test_board_analyst_and_team_managers_reach_the_board_pages(url: str, cohort: Cohort) -> None:
    for user in (cohort.p.bea, team_manager(cohort.p)):
        response = sign_in(Client(), user).get(url)
        assert response.status_code == 200, (url, user)


def test_the_navigation_leads_board_roles_to_the_figures(cohort: Cohort) -> None:
    for user, shown in (
        (cohort.p.bea, True),
        (team_manager(cohort.p), True),
        (cohort.p.maya, False),
    ):
        page = text(sign_in(Client(), user).get("/"))
        assert ('href="/insights/"' in page) is shown, user


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam"])
@pytest.mark.parametrize("url", [*BOARD_PAGES, "/insights/recompute/"])
def test_everyone_else_gets_404_on_board_pages(url: str, persona: str, cohort: Cohort) -> None:
    client = sign_in(Client(), getattr(cohort.p, persona))
    assert client.get(url).status_code in {404, 405}, url
    assert client.post(url, {}).status_code in {404, 405}, url


@pytest.mark.parametrize(
    "url",
    [
        "/insights/measures/no-such-measure/",
        "/insights/measures/no-such-measure/trend.csv",
        "/insights/measures/coverage-assessment/families-list.csv",
    ],
)
def test_unknown_measures_and_tables_are_not_found(url: str, cohort: Cohort) -> None:
    assert sign_in(Client(), cohort.p.bea).get(url).status_code == 404


@pytest.mark.parametrize("url", BOARD_PAGES)
def test_board_pages_name_no_family_or_person(url: str, cohort: Cohort) -> None:
    response = sign_in(Client(), cohort.p.bea).get(url)
    body = str(xlsx_rows(response)) if url.endswith(".xlsx") else text(response)
    for word in IDENTIFYING:
        assert word not in body, (url, word)


def test_dashboard_shows_each_measure_with_chart_and_table(cohort: Cohort) -> None:
    body = text(sign_in(Client(), cohort.p.bea).get("/insights/"))
    # Assessments: 5 of 8 in November.
    assert "Families with an early help assessment: 63% in November 2026" in body
    assert body.count("<svg") == body.count('<table class="govuk-table">') == len(MEASURES)
    assert 'role="img"' in body and "<desc" in body
    # Red flags: 2 of 2, suppressed on the chart, in the table and the headline.
    assert "Safer-sleep red flags with an action plan: fewer than 5 in November 2026" in body
    assert ">&lt;5<" in body


def test_measure_page_compares_agencies_and_areas(cohort: Cohort) -> None:
    body = text(sign_in(Client(), cohort.p.bea).get("/insights/measures/coverage-assessment/"))
    assert "By agency, November 2026" in body
    assert "Midwifery" in body and "Elmshire" in body and "Wyvern" in body
    # Wyvern 3 of 3 and Elmshire 2 of 3: both fewer than 5.
    assert body.count("fewer than 5") >= 4


def test_exports_suppress_small_numbers_like_the_pages(cohort: Cohort) -> None:
    client = sign_in(Client(), cohort.p.bea)
    response = client.get("/insights/measures/coverage-assessment/area.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[1] == ["Area (November 2026)", "Counted", "Out of", "Per cent"]
    assert ["Wyvern", "fewer than 5", "fewer than 5", "fewer than 5"] in rows
    trend = csv_rows(client.get("/insights/measures/coverage-assessment/trend.csv"))
    assert ["November 2026", "5", "8", "63"] in trend


@pytest.mark.parametrize(
    "path",
    [
        "measures/coverage-assessment/trend",
        "measures/coverage-assessment/area",
        "measures/coverage-assessment/agency",
        "quarterly-return",
    ],
)
def test_the_excel_export_holds_what_the_csv_holds(path: str, cohort: Cohort) -> None:
    """Issue 7: CSV and Excel of every table, small numbers suppressed alike."""
    client = sign_in(Client(), cohort.p.bea)
    from_csv = csv_rows(client.get(f"/insights/{path}.csv"))
    from_excel = xlsx_rows(client.get(f"/insights/{path}.xlsx"))
    # An empty cell is empty in both (a workbook keeps no empty text).
    assert from_excel == [[c for c in row if c] for row in from_csv if row]
    assert len(from_excel) > 2


def test_excel_cells_are_never_formulas(cohort: Cohort) -> None:
    Address.objects.filter(local_authority="Elmshire").update(local_authority="=HYPERLINK(1)")
    figures_recompute(today=TODAY)
    response = sign_in(Client(), cohort.p.bea).get(
        "/insights/measures/coverage-assessment/area.xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_export_of_an_empty_period_says_so(partnership: Partnership) -> None:
    """Nothing computed yet: an empty result with a message, never a 500."""
    rows = csv_rows(
        sign_in(Client(), partnership.bea).get("/insights/measures/coverage-assessment/trend.csv")
    )
    assert rows[-1] == ["No figures for this period"]


def test_exported_cells_never_start_a_formula(cohort: Cohort) -> None:
    Address.objects.filter(local_authority="Elmshire").update(local_authority="=HYPERLINK(1)")
    figures_recompute(today=TODAY)
    rows = csv_rows(
        sign_in(Client(), cohort.p.bea).get("/insights/measures/coverage-assessment/area.csv")
    )
    assert any(row[0] == "'=HYPERLINK(1)" for row in rows)


def test_quarterly_return(cohort: Cohort) -> None:
    """R-SF-3: families worked with and outcomes per quarter."""
    rows = csv_rows(sign_in(Client(), cohort.p.bea).get("/insights/quarterly-return.csv"))
    assert rows[1] == ["Quarter", "Measure", "Counted", "Out of", "Per cent"]
    assert ["Oct to Dec 2026", "Families with an early help assessment", "5", "10", "50"] in rows


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from_month=2026-11&to_month=2026-10", "The end of the period must be the same as"),
        ("agency=astrology", "Select an agency from the list"),
        ("area=Atlantis", "Select an area from the list"),
        ("from_month=1999-01", "Select a month from the list"),
        ("agency=midwifery&area=Wyvern", "Choose an agency or an area, not both"),
    ],
)
def test_bad_filters_show_the_error_summary(query: str, message: str, cohort: Cohort) -> None:
    for url in ("/insights/", "/insights/measures/coverage-assessment/"):
        response = sign_in(Client(), cohort.p.bea).get(f"{url}?{query}")
        assert response.status_code == 200
        body = text(response)
        assert "There is a problem" in body and message in body, (url, query)


def test_export_with_a_bad_filter_goes_back_to_the_page(cohort: Cohort) -> None:
    response = sign_in(Client(), cohort.p.bea).get(
        "/insights/measures/coverage-assessment/trend.csv?agency=astrology"
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/insights/measures/coverage-assessment/?")


def test_filter_by_agency_and_period(cohort: Cohort) -> None:
    body = text(
        sign_in(Client(), cohort.p.bea).get(
            "/insights/measures/coverage-assessment/?agency=midwifery"
            "&from_month=2026-11&to_month=2026-11"
        )
    )
    assert "By month: Midwifery" in body
    assert "October 2026" not in body.split("By agency")[0].split("By month")[1]


GOOD_FORM = {
    "year": "2026",
    **{f"{area}_rating": "developing" for area in ("family_voice", "workforce", "communities")},
    "leadership_rating": "maturing",
    "data_rating": "emerging",
    **{
        f"{area}_narrative": f"What we know about {area}"
        for area in ("family_voice", "workforce", "communities", "leadership", "data")
    },
}


def test_board_analyst_records_the_self_assessment_and_its_history(
    partnership: Partnership,
) -> None:
    """R-SF-5: a yearly form, recorded again keeps the history."""
    client = sign_in(Client(), partnership.bea)
    assert client.post("/insights/self-assessment/", GOOD_FORM).status_code == 302
    again = {**GOOD_FORM, "data_rating": "developing"}
    assert client.post("/insights/self-assessment/", again).status_code == 302
    assert SelfAssessment.objects.filter(year=2026).count() == 2
    assert AuditEvent.objects.filter(action="insights.self_assessment.record").count() == 2
    body = text(client.get("/insights/self-assessment/"))
    assert body.count("2026, recorded") == 2
    assert "Emerging" in body and "What we know about leadership" in body


def test_self_assessment_problems_show_the_error_summary(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.bea)
    response = client.post("/insights/self-assessment/", {"year": "2026"})
    body = text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert body.count("govuk-error-message") == 10
    response = client.post("/insights/self-assessment/", {**GOOD_FORM, "year": "twenty"})
    assert "Enter the year as 4 numbers" in text(response)
    assert not SelfAssessment.objects.exists()


def test_team_managers_read_the_self_assessment_but_do_not_record_it(
    partnership: Partnership,
) -> None:
    client = sign_in(Client(), team_manager(partnership))
    body = text(client.get("/insights/self-assessment/"))
    assert "Record the self-assessment" not in body
    assert client.post("/insights/self-assessment/", GOOD_FORM).status_code == 404
    assert not SelfAssessment.objects.exists()


@override_settings(TASKS={})
def test_recompute_without_a_task_backend_computes_now(partnership: Partnership) -> None:
    response = sign_in(Client(), partnership.bea).post("/insights/recompute/")
    assert response.status_code == 302
    assert MeasureFigure.objects.exists()


def test_recompute_with_the_task_backend_enqueues_the_task(partnership: Partnership) -> None:
    response = sign_in(Client(), partnership.bea).post("/insights/recompute/")
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(task_path__endswith="insights_recompute").exists()
    assert not MeasureFigure.objects.exists()


def test_team_managers_may_not_start_a_recompute(partnership: Partnership) -> None:
    client = sign_in(Client(), team_manager(partnership))
    assert client.post("/insights/recompute/").status_code == 404


def test_practitioner_drill_down_lists_their_families(cohort: Cohort) -> None:
    url = "/insights/measures/coverage-assessment/families/?month=2026-11"
    body = text(sign_in(Client(), cohort.p.maya).get(url))
    assert "F1 household" in body and "Ashworth household" in body
    assert "F9 household" not in body  # in the cohort, but not hers to see
    owen_body = text(sign_in(Client(), cohort.p.owen).get(url))
    assert "household" not in owen_body
    assert "No families you work with are counted" in owen_body


@pytest.mark.parametrize("persona", ["bea", "sam"])
def test_board_roles_never_get_a_drill_down(persona: str, cohort: Cohort) -> None:
    client = sign_in(Client(), getattr(cohort.p, persona))
    url = "/insights/measures/coverage-assessment/families/?month=2026-11"
    assert client.get(url).status_code == 404


def test_drill_down_with_a_bad_month_shows_the_error_summary(partnership: Partnership) -> None:
    response = sign_in(Client(), partnership.maya).get(
        "/insights/measures/coverage-assessment/families/?month=November"
    )
    assert response.status_code == 200
    assert "There is a problem" in text(response)


def test_time_measures_show_hours(partnership: Partnership) -> None:
    built = cohort_build(partnership)
    risks_build(built)
    figures_recompute(today=TODAY)
    client = sign_in(Client(), partnership.bea)
    body = text(client.get("/insights/"))
    assert "whole team notified (median): 3.5 hours in November 2026" in body
    rows = csv_rows(client.get("/insights/measures/timeliness-risk-notified-p90/trend.csv"))
    assert ["November 2026", "6", "6", "30.0"] in rows


def test_successful_outcomes_by_headline_outcome(partnership: Partnership) -> None:
    """R-SF-2 with its headline outcomes: shown (suppressed) and exported by headline."""
    built = cohort_build(partnership)
    reviews_build(built)
    figures_recompute(today=TODAY)
    client = sign_in(Client(), partnership.bea)
    query = "?from_month=2026-04&to_month=2026-04"
    body = text(client.get(f"/insights/measures/outcomes-successful/{query}"))
    assert "By headline outcome, April 2026" in body
    assert "Secure housing" in body
    rows = csv_rows(client.get(f"/insights/measures/outcomes-successful/headline.csv{query}"))
    assert rows[1][0] == "Headline outcome (April 2026)"
    assert ["Secure housing", "fewer than 5", "fewer than 5", "fewer than 5"] in rows
    # Measures without headlines show no such table.
    assert "By headline outcome" not in text(client.get("/insights/measures/coverage-assessment/"))
