"""Levels of need over the API: the same services as the pages (R-WT-2, R-LON-1, R-LON-2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import Partnership
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.levels.models import LevelDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def decisions_url(p: Partnership) -> str:
    return f"/api/v1/families/{p.ashworth.pk}/level-decisions"


def body(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "indicator_codes": ["LON-PC-2-01"],
        "decided_level": "additional",
        "rationale": "Chloe asked for help preparing for the baby",
    }
    value.update(changes)
    return value


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea"])
def test_framework_in_force_for_any_credentials(partnership: Partnership, persona: str) -> None:
    """R-WT-2: reference data: versioned, with its sign-off."""
    response = bearer_client(getattr(partnership, persona)).get("/api/v1/levels/framework")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "2026.1"
    assert [lv["code"] for lv in data["levels"]] == [
        "universal",
        "additional",
        "targeted",
        "specialist",
    ]
    assert data["signed_off_by"] and data["signed_off_on"]
    care = next(i for i in data["indicators"] if i["code"] == "LON-PC-3-04")
    assert care["sets_level"] is False and care["category"] == "care_history"


def test_framework_needs_the_read_scope(partnership: Partnership) -> None:
    client = bearer_client(partnership.maya, scopes=[Scope.PEOPLE_READ])
    problem(client.get("/api/v1/levels/framework"), 403)


@pytest.mark.parametrize("persona", ["maya", "bea"])
def test_suggestion_for_codes(partnership: Partnership, persona: str) -> None:
    """R-LON-1: the suggestion and exactly why, recording nothing."""
    client = bearer_client(getattr(partnership, persona))
    response = post(
        client,
        "/api/v1/levels/suggestions",
        {"indicator_codes": ["LON-FE-3-01", "LON-PC-3-03", "LON-FE-3-02"]},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["level"]["code"] == "specialist"
    assert data["cumulative"] is True
    assert data["deciding"] == ["LON-FE-3-01", "LON-FE-3-02", "LON-PC-3-03"]
    assert data["reasons"][0]["kind"] == "highest"
    assert not LevelDecision.objects.exists()


def test_suggestion_with_unknown_codes_is_422(partnership: Partnership) -> None:
    response = post(
        bearer_client(partnership.maya), "/api/v1/levels/suggestions", {"indicator_codes": ["X"]}
    )
    body_ = problem(response, 422)
    assert "indicator_codes" in json.dumps(body_)
    assert "Unknown indicators: X" in json.dumps(body_)


def test_record_and_list(partnership: Partnership) -> None:
    """R-LON-1 through the API alone."""
    client = bearer_client(partnership.maya)
    response = post(client, decisions_url(partnership), body(person_id=partnership.chloe.pk))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["decided_level"]["code"] == "additional"
    assert data["suggested_level"]["code"] == "additional"
    assert data["framework_version"] == "2026.1"
    assert data["direction"] == "first"
    assert data["person_id"] == partnership.chloe.pk
    assert data["indicators"] == [
        {
            "readable": True,
            "code": "LON-PC-2-01",
            "text": "Young, inexperienced parent needing advice on parenting",
            "level": "additional",
            "implied_by": None,
            "held_by": "Wyvern Hospitals Midwifery",
        }
    ]
    listed = client.get(decisions_url(partnership)).json()
    assert [d["id"] for d in listed] == [data["id"]]
    one = client.get(f"/api/v1/level-decisions/{data['id']}").json()
    assert one["rationale"] == "Chloe asked for help preparing for the baby"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"rationale": ""}, "rationale", "Enter the rationale"),
        (
            {"decided_level": "targeted", "rationale": " "},
            "rationale",
            "differs from the suggestion",
        ),
        ({"indicator_codes": []}, "indicator_codes", "Select at least one indicator"),
        ({"decided_level": "huge"}, "decided_level", "Select a level from this framework"),
        ({"person_id": 999999}, "person_id", "member of this family"),
    ],
)
def test_bad_decisions_are_422(
    partnership: Partnership, changes: dict[str, Any], field: str, words: str
) -> None:
    response = post(bearer_client(partnership.maya), decisions_url(partnership), body(**changes))
    data = problem(response, 422)
    assert words in json.dumps(data)
    assert field in json.dumps(data)
    assert not LevelDecision.objects.exists()


def test_step_up_over_the_api(partnership: Partnership) -> None:
    """R-LON-2: handover and receiving practitioner, or a 422."""
    client = bearer_client(partnership.maya)
    first = post(client, decisions_url(partnership), body()).json()
    step = body(indicator_codes=["LON-FE-4-01"], decided_level="specialist", rationale="Abuse")
    data = problem(post(client, decisions_url(partnership), step), 422)
    assert "handover" in json.dumps(data) and "receiving_practitioner_id" in json.dumps(data)
    response = post(
        client,
        decisions_url(partnership),
        {**step, "handover": "Safety plan", "receiving_practitioner_id": partnership.fatima.pk},
    )
    assert response.status_code == 201
    assert response.json()["direction"] == "up"
    assert response.json()["previous_decision_id"] == first["id"]


def test_stale_current_decision_is_409(partnership: Partnership) -> None:
    client = bearer_client(partnership.maya)
    first = post(client, decisions_url(partnership), body()).json()
    post(client, decisions_url(partnership), body(rationale="Reviewed")).json()
    problem(post(client, decisions_url(partnership), body(current_decision_id=first["id"])), 409)
    assert LevelDecision.objects.count() == 2


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(partnership: Partnership, persona: str) -> None:
    decision = post(bearer_client(partnership.maya), decisions_url(partnership), body()).json()
    client = bearer_client(getattr(partnership, persona))
    problem(client.get(decisions_url(partnership)), 404)
    problem(post(client, decisions_url(partnership), body()), 404)
    problem(client.get(f"/api/v1/level-decisions/{decision['id']}"), 404)
    assert LevelDecision.objects.count() == 1


def test_write_needs_the_write_scope(partnership: Partnership) -> None:
    client = bearer_client(partnership.maya, scopes=[Scope.ASSESSMENTS_READ])
    problem(post(client, decisions_url(partnership), body()), 403)
