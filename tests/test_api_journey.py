"""The whole journey through the API alone: every step a /api/v1/ operation, each persona's
partner system holding a bearer token with only the scopes that step needs.

Maya (midwifery) finds Chloe in the Ashworth family and requests support for her (R-WT-3,
R-WT-9); Fatima (front door) acknowledges and decides early help within one working day
(R-TIME-1); Lee (early help, the lead professional) starts the whole-family assessment
(R-WT-4); Hana (health visiting) and Harry (housing officer, seeing the family through his
agency's work with Chloe) each contribute (R-EHA-1, R-SF-1); Lee asks for the suggested level
and its reasons and decides it with a rationale (R-LON-1); Maya records a safer-sleep
assessment with a red flag, alerting Hana and Lee, whose systems find the alert in their
alerts and Hana acknowledges it (R-SS-2, R-SS-3); Harry records Chloe's move (R-SS-4) and
Hana has the reassessment task, and both the alert to reassess (R-SS-1).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Partnership, journey_team
from earlyhelp.accounts.models import User
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.rules import working_days_after
from earlyhelp.safersleep.models import ReassessmentTask
from earlyhelp.safersleep.rules import RISK_FIELDS
from earlyhelp.safersleep.services import REASSESSMENT_ALERT, RED_FLAG_ALERT

pytestmark = pytest.mark.django_db

API = "/api/v1"
READ, WRITE = Scope.ASSESSMENTS_READ.value, Scope.ASSESSMENTS_WRITE.value
INDICATORS = ["LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"]
RATIONALE = "Needs in three domains from three agencies: a team around the family, led by Lee."


def _client(user: User, *scopes: str) -> Client:
    """A partner system acting as ``user``, with a token holding only ``scopes``."""
    _, raw = api_token_issue(user=user, label=f"{user.full_name}'s case system", scopes=scopes)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, url: str, body: dict[str, Any], status: int) -> dict[str, Any]:
    response = client.post(f"{API}{url}", data=json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content
    return dict(response.json())


def _get(client: Client, url: str) -> Any:
    response = client.get(f"{API}{url}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_whole_journey_through_the_api_alone(partnership: Partnership) -> None:
    p = partnership
    hana, lee, harry = journey_team(p)
    today = timezone.localdate()
    family_url = f"/families/{p.ashworth.pk}"
    maya = _client(p.maya, Scope.PEOPLE_READ.value, READ, WRITE)
    fatima = _client(p.fatima, READ, WRITE)
    lee_api = _client(lee, Scope.PEOPLE_READ.value, READ, WRITE)
    hana_api = _client(hana, READ, WRITE)
    harry_api = _client(harry, READ, WRITE)

    # 1. Maya finds Chloe and the unborn baby in the family, then requests support.
    family = _get(maya, family_url)
    members = {m["relationship"]: m["person"]["id"] for m in family["members"]}
    assert members == {"mother": p.chloe.pk, "father": p.jordan.pk, "unborn_baby": p.unborn.pk}
    chloe, baby = members["mother"], members["unborn_baby"]
    made = _post(
        maya,
        f"{family_url}/requests-for-support",
        {
            "about_person_id": chloe,
            "concern": "Chloe is 17 and 24 weeks pregnant, sofa-surfing since October",
            "family_knows": "Chloe knows I am asking for help with housing and the baby",
            "agreement": "agrees",
            "urgency": "routine",
            "sharing_basis_note": "Chloe agreed at her antenatal appointment",
        },
        201,
    )
    assert made["about_person_id"] == chloe and made["family_id"] == p.ashworth.pk
    assert made["requested_by_name"] == "Maya Midwife"
    assert made["status"] == "Waiting for the front door"
    assert made["route"] is None and made["decision_overdue"] is False
    # R-TIME-1: one working day after receipt, bank holidays not counted.
    received = timezone.localdate(datetime.datetime.fromisoformat(made["received_at"]))
    due = working_days_after(received, 1, holidays=bank_holidays())
    assert made["decision_due_on"] == due.isoformat()

    # 2. Fatima, at the front door: the queue, acknowledge, decide early help.
    queue = _get(fatima, "/front-door/queue")
    assert [item["request"]["id"] for item in queue["items"]] == [made["id"]]
    request_url = f"/requests-for-support/{made['id']}"
    acknowledged = _post(fatima, f"{request_url}/acknowledge", {"version": 1}, 200)
    assert acknowledged["acknowledged_by_name"] == "Fatima Front"
    refused = _post(
        fatima,
        f"{request_url}/decide",
        {"version": acknowledged["version"], "route": "early_help", "reasons": " "},
        422,
    )
    assert "reasons" in refused["errors"]
    decided = _post(
        fatima,
        f"{request_url}/decide",
        {
            "version": acknowledged["version"],
            "route": "early_help",
            "reasons": "Chloe agrees to early help; housing options to see her this week",
        },
        200,
    )
    assert decided["route"] == "early_help" and decided["status"] == "Decided: Early help"
    assert decided["decided_by_name"] == "Fatima Front"
    assert decided["decided_late"] is False
    decided_on = timezone.localdate(datetime.datetime.fromisoformat(decided["decided_at"]))
    assert decided_on <= datetime.date.fromisoformat(decided["decision_due_on"])
    assert _get(fatima, "/front-door/queue")["items"] == []
    assert _get(maya, request_url)["status"] == "Decided: Early help"

    # 3. Lee, the lead professional, starts the whole-family assessment (R-WT-3, R-WT-4).
    [seen] = _get(lee_api, f"{family_url}/requests-for-support")
    assert seen["id"] == made["id"] and seen["route"] == "early_help"
    started = _post(
        lee_api,
        f"{family_url}/assessments",
        {
            "agreed_by_id": chloe,
            "agreed_on": today.isoformat(),
            "agreement_note": "Midwifery, health visiting and housing contribute",
        },
        201,
    )
    assert started["status"] == "draft" and started["started_by_name"] == "Lee Lead"
    assert {(s["person_id"], s["role"]) for s in started["subjects"]} == {
        (chloe, "mother"),
        (p.jordan.pk, "father"),
        (baby, "unborn_baby"),
    }
    assert "R-EHA-5" in {prompt["rule"] for prompt in started["prompts"]}
    assert started["missing_for_sign_off"]
    assessment_url = f"/assessments/{started['id']}"
    chloe_subject = next(s["id"] for s in started["subjects"] if s["person_id"] == chloe)

    # 4. Hana and Harry each contribute, attributed to them and their agencies.
    hana_part = _post(
        hana_api,
        f"{assessment_url}/contributions",
        {
            "subject_id": chloe_subject,
            "domain": "parenting_capacity",
            "dimension": "basic_care",
            "strengths": "Chloe keeps her antenatal contacts and asks about feeding",
        },
        201,
    )
    assert hana_part["practitioner_name"] == "Hana Visitor"
    assert hana_part["source_organisation_name"] == "Wyvern Health Visiting"
    harry_part = _post(
        harry_api,
        f"{assessment_url}/contributions",
        {
            "subject_id": chloe_subject,
            "domain": "family_environment",
            "dimension": "housing",
            "need": "Sofa-surfing: no tenancy and nowhere safe for a cot",
            "need_outcome": "housing",
        },
        201,
    )
    assert harry_part["practitioner_name"] == "Harry Housing"
    assert harry_part["source_organisation_name"] == "Wyvern Homes"
    assert harry_part["need_outcome"] == "housing"
    # Each sees the other's: neither is need-to-know, so the policy lets both read them.
    for reader in (harry_api, lee_api):
        shown = _get(reader, assessment_url)["contributions"]
        assert {(c["id"], c["readable"], c["practitioner_name"]) for c in shown} == {
            (hana_part["id"], True, "Hana Visitor"),
            (harry_part["id"], True, "Harry Housing"),
        }

    # 5. Lee: the suggested level and exactly why, then the decision with a rationale.
    framework = _get(lee_api, "/levels/framework")
    assert set(INDICATORS) <= {i["code"] for i in framework["indicators"]}
    suggestion = _post(lee_api, "/levels/suggestions", {"indicator_codes": INDICATORS}, 200)
    assert suggestion["level"]["code"] == "targeted"
    assert suggestion["cumulative"] is True
    assert set(suggestion["deciding"]) == set(INDICATORS)
    assert any(
        reason["kind"] == "cumulative" and set(reason["codes"]) == set(INDICATORS)
        for reason in suggestion["reasons"]
    )
    decision_body: dict[str, Any] = {
        "indicator_codes": INDICATORS,
        "decided_level": "targeted",
        "rationale": "",
        "person_id": chloe,
    }
    refused = _post(lee_api, f"{family_url}/level-decisions", decision_body, 422)
    assert "rationale" in refused["errors"]
    decision = _post(
        lee_api, f"{family_url}/level-decisions", {**decision_body, "rationale": RATIONALE}, 201
    )
    assert decision["decided_level"]["code"] == decision["suggested_level"]["code"] == "targeted"
    assert decision["differs_from_suggestion"] is False
    assert decision["rationale"] == RATIONALE
    assert decision["framework_version"] == framework["version"]
    assert decision["person_id"] == chloe and decision["decided_by_name"] == "Lee Lead"
    assert decision["direction"] == "first"
    assert {i["code"] for i in decision["indicators"] if i["readable"]} >= set(INDICATORS)
    [current] = _get(hana_api, f"{family_url}/level-decisions")
    assert current["id"] == decision["id"]

    # 6. Maya: the antenatal safer-sleep assessment; sofa sleeping is a red flag (R-SS-3).
    red_flag = _post(
        maya,
        f"{family_url}/safer-sleep-assessments",
        {
            "person_id": baby,
            "contact": "antenatal",
            "assessed_on": today.isoformat(),
            **dict.fromkeys(RISK_FIELDS, False),
            "sofa_or_chair_sleeping": True,
            "sleeping_arrangements": "On her friend's sofa with Chloe; no cot",
            "conversation": "Explained the sofa risk; Chloe wants a cot",
            "action_plan": "Cot from the baby bank by Friday; Hana visits Monday",
            "equipment": ["cot"],
        },
        201,
    )
    assert red_flag["red_flag"] is True and red_flag["red_flag_reasons"]
    assert red_flag["person_id"] == baby and red_flag["recorded_by_name"] == "Maya Midwife"
    [hana_sees] = _get(hana_api, f"{family_url}/safer-sleep-assessments")
    assert hana_sees["id"] == red_flag["id"] and hana_sees["red_flag"] is True
    # Hana's and Lee's systems find the red-flag alert among their open alerts, linking to
    # the family's safer sleep (R-SS-3); Hana acknowledges it, which needs people:write.
    hana_alerts = _client(hana, Scope.PEOPLE_READ.value, Scope.PEOPLE_WRITE.value)
    for reader in (hana_alerts, lee_api):
        [alert] = _get(reader, "/alerts")["items"]
        assert alert["kind"] == RED_FLAG_ALERT and alert["acknowledged_at"] is None
        assert alert["url"] == f"/people/families/{p.ashworth.pk}/#safer-sleep"
    [hana_red_flag] = _get(hana_alerts, "/alerts")["items"]
    refused = _post(lee_api, f"/alerts/{hana_red_flag['id']}/acknowledge", {}, 403)
    assert refused["type"] == "/api/v1/problems/missing-scope"
    seen = _post(hana_alerts, f"/alerts/{hana_red_flag['id']}/acknowledge", {}, 200)
    assert seen["acknowledged_at"] is not None
    assert _get(hana_alerts, "/alerts")["items"] == []

    # 7. Harry records Chloe's move; a read-only token may not (403 naming the scope).
    move = {"kind": "house_move", "occurred_on": today.isoformat(), "details": "Mill Lane"}
    reader = _client(harry, READ)
    refused = _post(reader, f"{family_url}/disruptions-of-routine", move, 403)
    assert refused["type"] == "/api/v1/problems/missing-scope"
    recorded = _post(harry_api, f"{family_url}/disruptions-of-routine", move, 201)
    assert recorded["kind"] == "house_move" and recorded["recorded_by_name"] == "Harry Housing"
    [task] = _get(hana_api, f"{family_url}/safer-sleep-reassessment-tasks")
    assert task["disruption_id"] == recorded["id"] and task["person_id"] == baby
    assert task["assignee_names"] == ["Hana Visitor", "Lee Lead"]
    assert task["done_at"] is None and task["overdue"] is False

    # Both are alerted to reassess: Hana's only open alert; Lee's newest, above the red flag.
    [reassess] = _get(hana_alerts, "/alerts")["items"]
    assert reassess["kind"] == REASSESSMENT_ALERT
    assert reassess["url"] == f"/people/families/{p.ashworth.pk}/#safer-sleep"
    assert [a["kind"] for a in _get(lee_api, "/alerts")["items"]] == [
        REASSESSMENT_ALERT,
        RED_FLAG_ALERT,
    ]
    # Hana's acknowledged red flag is kept among all her alerts.
    everything = _get(hana_alerts, "/alerts?open=false")["items"]
    assert [(a["kind"], a["acknowledged_at"] is None) for a in everything] == [
        (REASSESSMENT_ALERT, True),
        (RED_FLAG_ALERT, False),
    ]

    # At the end: the reassessment task is still to do.
    assert ReassessmentTask.objects.filter(pk=task["id"], done_at__isnull=True).exists()
