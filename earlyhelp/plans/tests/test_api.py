"""The lead professional and the plan over the API: the same services as the pages
(R-WT-5, R-EHA-2); 404 for outsiders, 422 for bad input, 409 for a stale version."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.plans import selectors
from earlyhelp.plans.models import PlanAction

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_full_slice_through_the_api(team) -> None:
    family = team.p.ashworth.pk
    maya = bearer_client(team.p.maya)
    started = post(maya, f"/api/v1/families/{family}/plan", {"family_words": "A flat"})
    assert started.status_code == 201, started.content
    plan = started.json()
    review = (timezone.localdate() + datetime.timedelta(weeks=6)).isoformat()
    no_lead = post(
        maya, f"/api/v1/plans/{plan['id']}/agreement", {"version": 1, "review_on": review}
    )
    assert "Name a lead professional" in json.dumps(problem(no_lead, 422))
    team_body = maya.get(f"/api/v1/families/{family}/team").json()
    assert team_body["lead_professional_member_id"] is None
    named = post(
        maya,
        f"/api/v1/families/{family}/lead-professional",
        {"member_id": team.hana_member.pk, "family_view": "Chloe chose Hana", "version": 0},
    )
    assert named.status_code == 200, named.content
    assert named.json()["lead_professional_member_id"] == team.hana_member.pk
    stale = post(
        maya,
        f"/api/v1/families/{family}/lead-professional",
        {"member_id": team.maya_member.pk, "family_view": "x", "reason": "y", "version": 0},
    )
    problem(stale, 409)
    assert selectors.lead_professional(family=team.p.ashworth) == team.hana
    agreed = post(
        maya, f"/api/v1/plans/{plan['id']}/agreement", {"version": 1, "review_on": review}
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    past = post(
        maya,
        f"/api/v1/plans/{plan['id']}/actions",
        {"version": 2, "description": "Ring", "owner": "", "due_on": "2020-01-01"},
    )
    body = json.dumps(problem(past, 422))
    assert "owns the action" in body and "today or in the future" in body
    assert not PlanAction.objects.exists()
    added = post(
        maya,
        f"/api/v1/plans/{plan['id']}/actions",
        {
            "version": 2,
            "description": "Book the check",
            "owner": str(team.hana_member.pk),
            "due_on": timezone.localdate().isoformat(),
        },
    )
    assert added.status_code == 201, added.content
    action = added.json()["actions"][0]
    done = post(
        bearer_client(team.hana),
        f"/api/v1/plan-actions/{action['id']}",
        {"version": 1, "status": "done"},
    )
    assert done.status_code == 200 and done.json()["actions"][0]["status"] == "done"


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(team, persona) -> None:
    client = bearer_client(getattr(team.p, persona))
    problem(client.get(f"/api/v1/families/{team.p.ashworth.pk}/team"), 404)
