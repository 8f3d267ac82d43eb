"""The housing journey through the API alone (issue 6): every step a /api/v1/ operation,
each persona's partner system holding a bearer token.

Harry (housing officer) opens a homelessness case for Zara, 19, with her 3-month-old Ava:
the young-parent priority and the in-area requirement are decided and explained (R-HOU-1).
He records the risk to the child (R-HOU-8) and an out-of-area offer, which waits (R-HOU-2);
Sunita (a housing team manager, the senior housing manager) is refused until the suitability
assessment is recorded; once she approves, the s208 notice is due in 14 days (R-HOU-3), Lee
(lead professional) and Hana (health visitor) are alerted and Hana has the safer-sleep
reassessment task (R-SS-1). Harry hands support over and records the notice as sent. Bad
input is refused with a 422 problem and nothing is half-saved; outsiders get 404.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.alerts.models import Alert
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.housing.models import Placement
from earlyhelp.housing.services import OUT_OF_AREA_ALERT
from earlyhelp.housing.tests.personas import FACTORS, WHY, housing_setup
from earlyhelp.safersleep.models import ReassessmentTask

pytestmark = pytest.mark.django_db

API = "/api/v1"
READ, WRITE = Scope.ASSESSMENTS_READ.value, Scope.ASSESSMENTS_WRITE.value


def _client(user: User, *scopes: str) -> Client:
    _, raw = api_token_issue(user=user, label=f"{user.full_name}'s case system", scopes=scopes)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, url: str, body: dict[str, Any], status: int) -> dict[str, Any]:
    response = client.post(f"{API}{url}", data=json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content
    return dict(response.json())


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(f"{API}{url}")
    assert response.status_code == status, response.content
    return response.json()


def test_the_housing_journey_through_the_api_alone(partnership: Partnership) -> None:
    h = housing_setup(partnership)
    today = timezone.localdate()
    start = today + datetime.timedelta(days=3)
    harry = _client(h.harry, READ, WRITE)
    sunita = _client(h.sunita, READ, WRITE)
    hana = _client(h.hana, READ)
    owen = _client(partnership.owen, READ, WRITE)
    family = f"/families/{h.brook.pk}"

    # 1. The case, the priority decision explained, the policy version.
    record = _post(
        harry,
        f"{family}/housing-cases",
        {
            "person_id": h.zara.pk,
            "kind": "homelessness",
            "homeless": True,
            "vulnerabilities": ["no_family_support"],
        },
        201,
    )
    [case] = record["cases"]
    assert case["young_parent_priority"] and case["in_area_required"]
    assert case["policy_version"] == "2026.1"
    assert "Zara Brook is 19" in case["priority_explanation"]
    _post(owen, f"{family}/housing-cases", {"person_id": h.zara.pk, "kind": "application"}, 404)

    # 2. The risk to the child, apart from the tenancy risk.
    record = _post(
        harry,
        f"/housing-cases/{case['id']}/child-impact",
        {"sleeping_space": "No room for a cot", "child_risk": "high", "tenancy_risk": "low"},
        201,
    )
    impact = record["cases"][0]["child_impact"]
    assert (impact["child_risk"], impact["tenancy_risk"]) == ("high", "low")

    # 3. Bad input: no address, no authority, end before start: 422, nothing saved.
    response = harry.post(
        f"{API}/housing-cases/{case['id']}/placements",
        data=json.dumps(
            {
                "line_1": "",
                "town": "Barton",
                "local_authority": "",
                "placement_type": "temporary",
                "start_on": start.isoformat(),
                "end_on": (start - datetime.timedelta(days=1)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Placement.objects.exists()

    # 4. The out-of-area offer waits; approval is refused until the suitability is recorded.
    record = _post(
        harry,
        f"/housing-cases/{case['id']}/placements",
        {
            "line_1": "4 Canal Row",
            "town": "Barton",
            "local_authority": "Borsetshire",
            "placement_type": "temporary",
            "start_on": start.isoformat(),
            "part7_function": "s188",
        },
        201,
    )
    [placement] = record["cases"][0]["placements"]
    assert placement["status"] == "awaiting_approval" and not placement["in_area"]
    assert placement["notice"] is None
    _post(sunita, f"/housing-placements/{placement['id']}/approval", {"note": "OK"}, 422)
    _post(harry, f"/housing-placements/{placement['id']}/approval", {"note": "OK"}, 422)
    tray = _get(sunita, "/housing/work-tray")
    assert [i["record_id"] for i in tray["awaiting_approval"]] == [placement["id"]]
    _post(
        harry,
        f"/housing-placements/{placement['id']}/suitability",
        {**FACTORS, "why_nothing_nearer": WHY},
        200,
    )

    # 5. Approved: the notice with its 14-day deadline, the alerts, the reassessment task.
    record = _post(
        sunita,
        f"/housing-placements/{placement['id']}/approval",
        {"note": "No safe in-area unit this week"},
        200,
    )
    placement = record["cases"][0]["placements"][0]
    assert placement["status"] == "confirmed" and placement["approved_by_name"] == "Sunita Senior"
    notice = placement["notice"]
    assert notice["due_on"] == (start + datetime.timedelta(days=14)).isoformat()
    assert notice["letter_pdf_url"].endswith("/letter.pdf")
    assert Alert.objects.filter(recipient=h.hana, kind=OUT_OF_AREA_ALERT).exists()
    assert Alert.objects.filter(recipient=h.lee, kind=OUT_OF_AREA_ALERT).exists()
    task = ReassessmentTask.objects.get(family=h.brook, person=h.ava)
    assert task.disruption.kind == "out_of_area_placement"
    assert set(task.assignees.all()) == {h.hana, h.lee}
    assert _get(hana, f"{family}/housing")["cases"][0]["placements"][0]["notice"] is not None

    # 6. Hand-over and the notice sent.
    record = _post(
        harry,
        f"/housing-placements/{placement['id']}/handovers",
        {
            "service": "health_visiting",
            "receiving_team": "Barton 0-19 team",
            "handed_over_on": today.isoformat(),
        },
        201,
    )
    assert record["cases"][0]["placements"][0]["handovers"][0]["receiving_team"] == (
        "Barton 0-19 team"
    )
    _post(harry, f"/housing-notices/{notice['id']}/sent", {"sent_on": today.isoformat()}, 200)
    assert _get(harry, f"/housing-notices/{notice['id']}")["sent_on"] == today.isoformat()
    assert _get(harry, "/housing/work-tray")["notices_due"] == []
    _get(owen, f"/housing-notices/{notice['id']}", 404)
