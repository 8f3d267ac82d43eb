"""Reviews over the API: the same service as the pages (R-EHA-3, R-EHA-4, R-LON-2, R-SF-2);
422 problems for bad input with nothing saved, 409 for a stale version, 404 for outsiders."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.reviews.models import PlanClosure, PlanReview

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _body(cycle: Any, version: int, **changes: Any) -> dict[str, Any]:
    return {
        "version": version,
        "held_on": timezone.localdate().isoformat(),
        "family_view": "Chloe says things are calmer",
        "decision": "continue",
        "progress": [
            {"outcome_id": cycle.housing.pk, "progress": "better", "note": "Flat offered"},
            {"outcome_id": cycle.health.pk, "progress": "same"},
        ],
    } | changes


def test_reviews_over_the_api(cycle) -> None:
    maya = bearer_client(cycle.t.p.maya)
    url = f"/api/v1/plans/{cycle.plan.pk}/reviews"
    listed = maya.get(url).json()
    assert listed["reviews"] == [] and listed["review_overdue"] is False
    version = listed["plan_version"]
    assert listed["review_on"] == cycle.plan.review_on.isoformat()

    missing = post(maya, url, _body(cycle, version, progress=[]))
    body = problem(missing, 422)
    assert f"progress_{cycle.health.pk}" in json.dumps(body)
    assert not PlanReview.objects.exists()

    made = post(maya, url, _body(cycle, version))
    assert made.status_code == 201, made.content
    review = made.json()
    assert review["decision"] == "continue" and review["recorded_by_name"] == "Maya Midwife"
    assert {p["outcome_id"]: p["progress"] for p in review["progress"]} == {
        cycle.housing.pk: "better",
        cycle.health.pk: "same",
    }
    problem(post(maya, url, _body(cycle, version)), 409)  # the same version again: stale
    listed = maya.get(url).json()
    assert [r["id"] for r in listed["reviews"]] == [review["id"]]
    assert listed["review_on"] == review["next_review_on"]

    problem(maya.get(f"/api/v1/plans/{cycle.plan.pk}/closure"), 404)  # still open
    no_outcomes = post(
        maya,
        url,
        _body(cycle, listed["plan_version"], decision="close", closure_reason="outcomes_met"),
    )
    problem(no_outcomes, 422)
    assert not PlanClosure.objects.exists()
    closed = post(
        maya,
        url,
        _body(
            cycle,
            listed["plan_version"],
            decision="close",
            closure_reason="outcomes_met",
            closure_results=[
                {"outcome_id": cycle.housing.pk, "result": "achieved"},
                {"outcome_id": cycle.health.pk, "result": "not_achieved"},
            ],
        ),
    )
    assert closed.status_code == 201, closed.content
    closure = maya.get(f"/api/v1/plans/{cycle.plan.pk}/closure").json()
    assert closure["reason"] == "outcomes_met"
    assert {o["outcome_id"]: o["result"] for o in closure["outcomes"]} == {
        cycle.housing.pk: "achieved",
        cycle.health.pk: "not_achieved",
    }
    outcome = maya.get(f"/api/v1/families/{cycle.t.p.ashworth.pk}/successful-outcome").json()
    assert outcome["successful"] is False and outcome["plan_status"] == "closed"
    unmet = {c["code"] for c in outcome["conditions"] if not c["met"]}
    assert {"needs", "needs_achieved", "sustained"} <= unmet
    assert any("not achieved at closure" in r for r in outcome["reasons"])


def test_step_down_over_the_api_needs_a_known_receiver(cycle) -> None:
    maya = bearer_client(cycle.t.p.maya)
    url = f"/api/v1/plans/{cycle.plan.pk}/reviews"
    step = {
        "decision": "step_down",
        "decided_level": "additional",
        "rationale": "Housing is settled",
        "handover": "Hana carries on",
    }
    unknown = post(
        maya, url, _body(cycle, cycle.plan.version, receiving_practitioner_id=999999, **step)
    )
    assert "receiving_practitioner_id" in problem(unknown, 422)["errors"]
    made = post(
        maya,
        url,
        _body(cycle, cycle.plan.version, receiving_practitioner_id=cycle.t.hana.pk, **step),
    )
    assert made.status_code == 201, made.content
    assert made.json()["level_decision_id"] is not None


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(cycle, persona) -> None:
    client = bearer_client(getattr(cycle.t.p, persona))
    url = f"/api/v1/plans/{cycle.plan.pk}/reviews"
    problem(client.get(url), 404)
    problem(post(client, url, _body(cycle, cycle.plan.version)), 404)
    problem(client.get(f"/api/v1/families/{cycle.t.p.ashworth.pk}/successful-outcome"), 404)
    assert not PlanReview.objects.exists()
