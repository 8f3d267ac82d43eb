"""The whole assessment journey through the API alone, on the same services as the pages:
start, contributions from two agencies (need-to-know detail hidden), voice, the clock,
completion, a refused and then an accepted sign-off, stale versions and scopes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.assessments.models import Assessment

pytestmark = pytest.mark.django_db

LOW_MOOD = "Low mood since the move"


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _start(p: Partnership, client: Client) -> dict[str, Any]:
    response = post(
        client,
        f"/api/v1/families/{p.ashworth.pk}/assessments",
        {"agreed_by_id": p.chloe.pk, "agreed_on": "2026-11-02"},
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def _subject(body: dict[str, Any], person_id: int) -> int:
    return int(next(s["id"] for s in body["subjects"] if s["person_id"] == person_id))


def test_the_journey_through_the_api(partnership: Partnership, hana: User) -> None:
    p = partnership
    maya = bearer_client(p.maya)
    body = _start(p, maya)
    assessment_id = body["id"]
    assert {s["role"] for s in body["subjects"]} == {"mother", "father", "unborn_baby"}
    assert "R-EHA-5" in {prompt["rule"] for prompt in body["prompts"]}
    chloe, jordan, baby = (_subject(body, x.pk) for x in (p.chloe, p.jordan, p.unborn))
    contributions = f"/api/v1/assessments/{assessment_id}/contributions"
    for subject, domain, dimension in (
        (chloe, "child_development", "health"),
        (chloe, "parenting_capacity", "basic_care"),
        (jordan, "parenting_capacity", "stability"),
        (baby, "child_development", "health"),
    ):
        response = post(
            maya,
            contributions,
            {"subject_id": subject, "domain": domain, "dimension": dimension, "strengths": "Good"},
        )
        assert response.status_code == 201, response.content
    response = post(
        bearer_client(hana),
        contributions,
        {
            "subject_id": chloe,
            "domain": "family_environment",
            "dimension": "housing",
            "strengths": "A warm flat",
            "need": LOW_MOOD,
            "need_outcome": "health",
            "sleeping_arrangements": "Moses basket by the bed",
            "safer_sleep_advice": "Back to sleep, never on the sofa",
            "category_code": "mental_health",
        },
    )
    assert response.status_code == 201, response.content
    hana_contribution = response.json()
    assert hana_contribution["source_organisation_name"] == "Wyvern Health Visiting"
    # Maya sees it is held, not what it says (R-IS-12).
    read = maya.get(f"/api/v1/assessments/{assessment_id}").json()
    held = next(c for c in read["contributions"] if c["id"] == hana_contribution["id"])
    assert held["readable"] is False
    assert held["need"] is None
    assert LOW_MOOD not in json.dumps(read)
    problem(maya.get(f"/api/v1/assessment-contributions/{hana_contribution['id']}"), 404)
    for subject in (chloe, jordan):
        response = post(
            maya,
            f"/api/v1/assessment-subjects/{subject}",
            {"version": 1, "voice": "In my own words"},
        )
        assert response.status_code == 200, response.content
    response = post(maya, f"/api/v1/assessments/{assessment_id}/completion", {"version": 1})
    assert response.json()["status"] == "completed"
    # Sign-off with a stale version: 409; with the right one, accepted.
    problem(post(maya, f"/api/v1/assessments/{assessment_id}/sign-off", {"version": 1}), 409)
    response = post(maya, f"/api/v1/assessments/{assessment_id}/sign-off", {"version": 2})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "signed_off"
    assert response.json()["signed_off_by_name"] == "Maya Midwife"


def test_sign_off_refused_lists_what_is_missing(partnership: Partnership) -> None:
    maya = bearer_client(partnership.maya)
    assessment_id = _start(partnership, maya)["id"]
    post(maya, f"/api/v1/assessments/{assessment_id}/completion", {"version": 1})
    body = problem(post(maya, f"/api/v1/assessments/{assessment_id}/sign-off", {"version": 2}), 422)
    message = body["errors"]["__all__"][0]
    assert "Unborn baby Ashworth: child's developmental needs" in message
    assert "sleeping arrangements and the safer-sleep advice given" in message
    assert Assessment.objects.get().status == "completed"


def test_bad_input_is_a_422_on_the_field(partnership: Partnership) -> None:
    maya = bearer_client(partnership.maya)
    problem(
        post(
            maya,
            f"/api/v1/families/{partnership.ashworth.pk}/assessments",
            {"agreed_by_id": partnership.stranger.pk, "agreed_on": "2026-11-02"},
        ),
        422,
    )
    assessment_id = _start(partnership, maya)["id"]
    body = problem(
        post(
            maya,
            f"/api/v1/assessments/{assessment_id}/contributions",
            {
                "subject_id": 999999,
                "domain": "child_development",
                "dimension": "housing",
                "need": "Arrears",
            },
        ),
        422,
    )
    assert set(body["errors"]) >= {"subject_id", "dimension", "need_outcome"}


def test_clock_over_the_api(partnership: Partnership) -> None:
    maya = bearer_client(partnership.maya)
    assessment_id = _start(partnership, maya)["id"]
    response = post(
        maya,
        f"/api/v1/assessments/{assessment_id}/clock",
        {"version": 1, "started_on": "2026-11-02"},
    )
    assert response.json()["clock"]["due_on"] == "2027-01-07"


def test_read_scope_cannot_write(partnership: Partnership) -> None:
    reader = bearer_client(partnership.maya, scopes=[Scope.ASSESSMENTS_READ])
    problem(
        post(
            reader,
            f"/api/v1/families/{partnership.ashworth.pk}/assessments",
            {"agreed_by_id": partnership.chloe.pk, "agreed_on": "2026-11-02"},
        ),
        403,
    )
    assert reader.get(f"/api/v1/families/{partnership.ashworth.pk}/assessments").json() == []


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(partnership: Partnership, persona: str) -> None:
    assessment_id = _start(partnership, bearer_client(partnership.maya))["id"]
    client = bearer_client(getattr(partnership, persona))
    problem(client.get(f"/api/v1/assessments/{assessment_id}"), 404)
    problem(client.get(f"/api/v1/families/{partnership.ashworth.pk}/assessments"), 404)
