"""Board figures over the API: the same stored, suppressed figures as the pages; for the
board analyst and team managers only (404 problem for anyone else); 422 problems for bad
filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.insights.services import figures_recompute
from earlyhelp.insights.tests.cohort import TODAY, Cohort, cohort_build
from earlyhelp.insights.tests.test_views import IDENTIFYING, team_manager

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/insights/measures/coverage-assessment/figures"


@pytest.fixture
def cohort(partnership: Partnership) -> Cohort:
    built = cohort_build(partnership)
    figures_recompute(today=TODAY)
    return built


def api(user: User) -> Client:
    _, token = api_token_issue(user=user, label="insights", scopes=[Scope.ASSESSMENTS_READ])
    return Client(headers={"Authorization": f"Bearer {token}"})


def get(user: User, url: str) -> Any:
    return api(user).get(url)


def test_measures_say_what_they_count(partnership: Partnership) -> None:
    response = get(partnership.bea, "/api/v1/insights/measures")
    assert response.status_code == 200
    measures = {m["id"]: m for m in response.json()}
    assert measures["coverage-assessment"]["definition"].startswith("Numerator: families")
    assert "R-SS-6" in measures["safer-sleep-at-contacts"]["rule_ids"]


def test_figures_by_month_with_suppression(cohort: Cohort) -> None:
    body = get(cohort.p.bea, f"{FIGURES}?from_month=2026-10&to_month=2026-11").json()
    assert [f["period_label"] for f in body["figures"]] == ["October 2026", "November 2026"]
    november = body["figures"][-1]
    assert november == {
        "period_start": "2026-11-01",
        "period_label": "November 2026",
        "label": "November 2026",
        "suppressed": False,
        "numerator": 5,
        "denominator": 8,
        "percent": 63,
        "hours": None,
    }
    small = get(cohort.p.bea, f"{FIGURES}?area=Wyvern&from_month=2026-11").json()
    [wyvern] = small["figures"]
    assert wyvern["suppressed"] is True
    assert wyvern["numerator"] is None and wyvern["denominator"] is None
    assert wyvern["percent"] is None


def test_figures_by_agency_for_the_last_month(cohort: Cohort) -> None:
    body = get(cohort.p.bea, f"{FIGURES}?by=agency&to_month=2026-11").json()
    assert body["breakdown"] == "agency"
    assert [(f["label"], f["numerator"], f["denominator"]) for f in body["figures"]] == [
        ("Midwifery", 5, 7)
    ]


def test_team_managers_reach_the_figures(cohort: Cohort) -> None:
    response = get(team_manager(cohort.p), FIGURES)
    assert response.status_code == 200
    for word in IDENTIFYING:
        assert word not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from_month=2026-11&to_month=2026-10", "to_month"),
        ("from_month=November", "from_month"),
        ("agency=astrology", "agency"),
        ("area=Atlantis", "area"),
    ],
)
def test_bad_filters_are_problems(query: str, field: str, cohort: Cohort) -> None:
    response = get(cohort.p.bea, f"{FIGURES}?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.content.decode()


def test_unknown_measure_is_a_404_problem(cohort: Cohort) -> None:
    response = get(cohort.p.bea, "/api/v1/insights/measures/no-such-measure/figures")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam"])
@pytest.mark.parametrize("url", ["/api/v1/insights/measures", FIGURES])
def test_everyone_else_gets_a_404_problem(url: str, persona: str, cohort: Cohort) -> None:
    response = get(getattr(cohort.p, persona), url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
