"""The team, the lead professional and the plan over the API: the same services as the pages
(R-WT-5, R-EHA-2, R-CL-2); 404 for outsiders, 422 for bad input, 409 for a stale version."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import journey_team, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.models import AuditEvent
from earlyhelp.plans import selectors
from earlyhelp.plans.models import PlanAction, TeamAroundFamilyMember

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
    family = team.p.ashworth.pk
    problem(client.get(f"/api/v1/families/{family}/team"), 404)
    problem(client.get(f"/api/v1/families/{family}/team-members"), 404)
    problem(
        post(client, f"/api/v1/families/{family}/team-members", {"practitioner_id": team.hana.pk}),
        404,
    )
    problem(post(client, f"/api/v1/team-members/{team.maya_member.pk}/end", {}), 404)
    assert TeamAroundFamilyMember.objects.filter(left_on__isnull=True).count() == 2


def test_joining_and_leaving_the_team_through_the_api(partnership) -> None:
    """R-WT-5: members from the agencies working with the family; the lead who leaves is no
    longer the lead. R-CL-2: a parent's personal adviser only with the parent's agreement."""
    p = partnership
    _hana, lee, harry = journey_team(p)
    leaving_care = Organisation.objects.create(
        name="Wyvern Leaving Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority="Wyvern",
    )
    pat = make_user(
        "pat@leavingcare.example",
        "Pat Adviser",
        Team.objects.create(organisation=leaving_care, name="Personal advisers"),
        Role.PRACTITIONER,
    )
    maya = bearer_client(p.maya)
    url = f"/api/v1/families/{p.ashworth.pk}/team-members"
    listed = maya.get(url)
    assert listed.status_code == 200
    assert [(m["practitioner_name"], m["is_lead_professional"]) for m in listed.json()] == [
        ("Lee Lead", True)
    ]
    added = post(maya, url, {"practitioner_id": harry.pk, "role_in_team": "Housing options"})
    assert added.status_code == 201, added.content
    harry_out = next(m for m in added.json()["members"] if m["practitioner_id"] == harry.pk)
    assert harry_out["organisation_name"] == "Wyvern Homes"
    assert harry_out["role_in_team"] == "Housing options"
    again = json.dumps(problem(post(maya, url, {"practitioner_id": harry.pk}), 422))
    assert "already a member" in again
    outsider = json.dumps(problem(post(maya, url, {"practitioner_id": p.owen.pk}), 422))
    assert "practitioner_id" in outsider and "working with the family" in outsider
    assert not TeamAroundFamilyMember.objects.filter(practitioner__in=[p.owen, pat]).exists()
    adviser = {"practitioner_id": pat.pk, "personal_adviser_for": p.chloe.pk}
    not_agreed = json.dumps(problem(post(maya, url, adviser), 422))
    assert "parent_agreed" in not_agreed
    # Leah is not in the Ashworth family: nobody's adviser here.
    stranger = adviser | {"personal_adviser_for": p.stranger.pk, "parent_agreed": True}
    assert "personal_adviser_for" in json.dumps(problem(post(maya, url, stranger), 422))
    assert not TeamAroundFamilyMember.objects.filter(practitioner=pat).exists()
    agreed = post(maya, url, adviser | {"parent_agreed": True})
    assert agreed.status_code == 201, agreed.content
    assert AuditEvent.objects.get(
        action="team.member_add", changes__practitioner_id=pat.pk
    ).changes["parent_agreed"]
    lee_member = TeamAroundFamilyMember.objects.get(practitioner=lee)
    early = (lee_member.joined_on - datetime.timedelta(days=1)).isoformat()
    end = f"/api/v1/team-members/{lee_member.pk}/end"
    assert "left_on" in json.dumps(problem(post(maya, end, {"left_on": early}), 422))
    ended = post(maya, end, {})
    assert ended.status_code == 200, ended.content
    assert ended.json()["lead_professional_member_id"] is None
    assert lee.pk not in [m["practitioner_id"] for m in ended.json()["members"]]
    assert "already left" in json.dumps(problem(post(maya, end, {}), 422))
