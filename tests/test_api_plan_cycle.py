"""See, plan, do, review through the API alone: every step a /api/v1/ operation, each persona's
partner system acting as them (issue 5).

Maya (midwifery) forms the team around the Ashworth family with Hana (health visiting) and
Lee (early help); the family chooses Lee as lead professional (R-WT-5). Lee decides the
level of need (targeted, R-LON-1), starts the plan in the family's words with three needs
under three Supporting Families headlines and an action for each (R-WT-6, R-SF-1, R-EHA-2),
and agrees it: with no date sent, the first review is due six weeks on (targeted, R-EHA-3).
Hana marks her action done. Lee records a review (progress for every need, the family's
view, continue), then a second that steps the family down to early help with a handover to
Hana (R-LON-2), then closes the plan with a reason and an outcome for every need (R-EHA-4).
The successful outcome is computed, not ticked, and says why it is not one yet (R-SF-2).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.people.models import Involvement

pytestmark = pytest.mark.django_db

API = "/api/v1"
SCOPES = (Scope.PEOPLE_READ.value, Scope.ASSESSMENTS_READ.value, Scope.ASSESSMENTS_WRITE.value)
INDICATORS = ["LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"]


def _client(user: User) -> Client:
    _, raw = api_token_issue(user=user, label=f"{user.full_name}'s case system", scopes=SCOPES)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, url: str, body: dict[str, Any], status: int) -> Any:
    response = client.post(f"{API}{url}", data=json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content
    return response.json()


def _get(client: Client, url: str) -> Any:
    response = client.get(f"{API}{url}")
    assert response.status_code == 200, response.content
    return response.json()


def _agencies(p: Partnership) -> tuple[User, User]:
    """Hana (health visiting) and Lee (early help), both working with the family."""
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    hana = make_user(
        "hana@hv.example",
        "Hana Visitor",
        Team.objects.create(organisation=health_visiting, name="Health visitors"),
        Role.PRACTITIONER,
    )
    lee = make_user(
        "lee@earlyhelp.example",
        "Lee Lead",
        Team.objects.create(organisation=p.early_help, name="Family support"),
        Role.PRACTITIONER,
    )
    for organisation, practitioner, service in (
        (health_visiting, hana, "Healthy Child Programme"),
        (p.early_help, lee, "Family support"),
    ):
        Involvement.objects.create(
            organisation=organisation,
            practitioner=practitioner,
            family=p.ashworth,
            service=service,
            started_on=datetime.date(2026, 10, 1),
        )
    return hana, lee


def test_see_plan_do_review_through_the_api_alone(partnership: Partnership) -> None:
    p = partnership
    hana, lee = _agencies(p)
    maya, hana_api, lee_api = _client(p.maya), _client(hana), _client(lee)
    owen = _client(p.owen)
    family = f"/families/{p.ashworth.pk}"
    today = timezone.localdate()

    # 1. The team is formed and the family chooses Lee as lead professional (R-WT-5).
    for user in (p.maya, hana, lee):
        _post(maya, f"{family}/team-members", {"practitioner_id": user.pk}, 201)
    members = {m["practitioner_name"]: m["id"] for m in _get(maya, f"{family}/team-members")}
    assert set(members) == {"Maya Midwife", "Hana Visitor", "Lee Lead"}
    team = _post(
        maya,
        f"{family}/lead-professional",
        {"member_id": members["Lee Lead"], "family_view": "Chloe asked for Lee", "version": 0},
        200,
    )
    assert team["lead_professional_member_id"] == members["Lee Lead"]

    # 2. Lee decides the level of need: targeted (R-LON-1).
    decision = _post(
        lee_api,
        f"{family}/level-decisions",
        {
            "indicator_codes": INDICATORS,
            "decided_level": "targeted",
            "rationale": "Needs in three domains from three agencies",
        },
        201,
    )
    assert decision["decided_level"]["code"] == "targeted"

    # 3. The plan in the family's words, three needs and an action for each (R-WT-6, R-EHA-2).
    plan = _post(lee_api, f"{family}/plan", {"family_words": "A home and a healthy baby"}, 201)
    plan_url = f"/plans/{plan['id']}"
    for headline, description in (
        ("housing", "A safe, settled home"),
        ("early_years", "The baby's health checks on time"),
        ("financial_stability", "Benefits sorted"),
    ):
        plan = _post(
            lee_api,
            f"{plan_url}/outcomes",
            {"version": plan["version"], "headline": headline, "description": description},
            201,
        )
    needs = {o["headline"]: o["id"] for o in plan["outcomes"]}
    due = (today + datetime.timedelta(days=14)).isoformat()
    owners = {
        "housing": "family",
        "early_years": str(members["Hana Visitor"]),
        "financial_stability": str(members["Lee Lead"]),
    }
    for headline, owner in owners.items():
        plan = _post(
            lee_api,
            f"{plan_url}/actions",
            {
                "version": plan["version"],
                "description": f"First step for {headline}",
                "owner": owner,
                "due_on": due,
                "outcome_id": needs[headline],
            },
            201,
        )
    # Agreed with no date sent: the first review from the level, six weeks on (R-EHA-3).
    plan = _post(lee_api, f"{plan_url}/agreement", {"version": plan["version"]}, 200)
    assert plan["status"] == "agreed"
    assert plan["review_on"] == (today + datetime.timedelta(weeks=6)).isoformat()

    # 4. Do: each owner marks their action done (Hana hers; Lee his and the family's).
    actions = {a["outcome_id"]: a for a in plan["actions"]}
    hana_action = actions[needs["early_years"]]
    _post(hana_api, f"/plan-actions/{hana_action['id']}", {"version": 1, "status": "done"}, 200)
    for headline in ("housing", "financial_stability"):
        action = actions[needs[headline]]
        plan = _post(
            lee_api, f"/plan-actions/{action['id']}", {"version": 1, "status": "done"}, 200
        )
    assert all(a["status"] == "done" for a in plan["actions"])

    # 5. Review: progress for every need, the family's view, continue (R-EHA-3).
    reviews_url = f"{plan_url}/reviews"
    listed = _get(lee_api, reviews_url)
    assert listed["reviews"] == [] and listed["review_overdue"] is False

    def review(version: int, **fields: Any) -> dict[str, Any]:
        return {
            "version": version,
            "held_on": today.isoformat(),
            "family_view": "Chloe says things are calmer",
            "decision": "continue",
            "progress": [
                {"outcome_id": needs["housing"], "progress": "better"},
                {"outcome_id": needs["early_years"], "progress": "better"},
                {"outcome_id": needs["financial_stability"], "progress": "same"},
            ],
            **fields,
        }

    # Bad input first: a decision without progress for every need (nothing saved).
    partial = review(listed["plan_version"])
    partial["progress"] = partial["progress"][:2]
    refused = _post(lee_api, reviews_url, partial, 422)
    assert f"progress_{needs['financial_stability']}" in refused["errors"]
    assert (
        owen.post(
            f"{API}{reviews_url}", data=json.dumps(review(1)), content_type="application/json"
        ).status_code
        == 404
    )
    first = _post(lee_api, reviews_url, review(listed["plan_version"]), 201)
    assert first["next_review_on"] == (today + datetime.timedelta(weeks=6)).isoformat()
    assert Alert.objects.filter(kind="reviews.recorded", recipient=hana).exists()

    # A second system still holding the old version gets a conflict, never an overwrite.
    stale = _post(maya, reviews_url, review(listed["plan_version"]), 409)
    assert stale["status"] == 409

    # 6. Step down to early help, handed over to Hana (R-LON-2).
    listed = _get(hana_api, reviews_url)
    stepped = _post(
        lee_api,
        reviews_url,
        review(
            listed["plan_version"],
            decision="step_down",
            decided_level="additional",
            rationale="Housing settled; health visiting can carry on as single agency",
            handover="Hana continues the health visits; benefits are in payment",
            receiving_practitioner_id=hana.pk,
        ),
        201,
    )
    assert stepped["level_decision_id"] is not None
    [current, previous] = _get(hana_api, f"{family}/level-decisions")[:2]
    assert current["id"] == stepped["level_decision_id"]
    assert current["direction"] == "down" and current["decided_level"]["code"] == "additional"
    assert previous["id"] == decision["id"]
    # Early help reviews are every eight weeks.
    assert stepped["next_review_on"] == (today + datetime.timedelta(weeks=8)).isoformat()

    # 7. Close with a reason and an outcome for every need (R-EHA-4).
    listed = _get(lee_api, reviews_url)
    no_outcomes = _post(
        lee_api,
        reviews_url,
        review(listed["plan_version"], decision="close", closure_reason="outcomes_met"),
        422,
    )
    assert {f"result_{n}" for n in needs.values()} <= set(no_outcomes["errors"])
    _post(
        lee_api,
        reviews_url,
        review(
            listed["plan_version"],
            decision="close",
            closure_reason="outcomes_met",
            closure_results=[{"outcome_id": n, "result": "achieved"} for n in needs.values()],
        ),
        201,
    )
    closure = _get(hana_api, f"{plan_url}/closure")
    assert closure["closed_on"] == today.isoformat()
    assert {o["result"] for o in closure["outcomes"]} == {"achieved"}
    listed = _get(maya, reviews_url)
    assert listed["plan_status"] == "closed" and len(listed["reviews"]) == 3
    assert [r["decision"] for r in listed["reviews"]] == ["close", "step_down", "continue"]
    assert ChronologyEntry.objects.filter(family=p.ashworth, kind=EntryKind.REVIEW).count() == 3

    # 8. The successful outcome: computed from the records, with its reasons (R-SF-2). No
    # whole-family assessment was signed off, and six months have not passed since closure.
    outcome = _get(maya, f"{family}/successful-outcome")
    assert outcome["successful"] is False and outcome["plan_id"] == plan["id"]
    unmet = {c["code"] for c in outcome["conditions"] if not c["met"]}
    assert unmet == {"assessment", "sustained"}
    assert "No whole-family assessment has been signed off" in outcome["reasons"]
