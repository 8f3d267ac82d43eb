"""Safer sleep over the API alone: the same services as the pages (R-SS-1 to R-SS-4, R-HCP-1)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from earlyhelp.alerts.models import Alert
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.safersleep.models import HealthVisitingContact, ReassessmentTask
from earlyhelp.safersleep.rules import RISK_FIELDS, ContactKind
from earlyhelp.safersleep.tests.conftest import SaferSleepPeople

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def assessment_body(s: SaferSleepPeople, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person_id": s.p.unborn.pk,
        "contact": "antenatal",
        "assessed_on": TODAY,
        **dict.fromkeys(RISK_FIELDS, False),
        "sleeping_arrangements": "Cot in the parents' room",
        "conversation": "Advice given",
    }
    body.update(changes)
    return body


def test_the_whole_journey_through_the_api(safer: SaferSleepPeople) -> None:
    family = safer.p.ashworth.pk
    maya, harry, hana = (bearer_client(u) for u in (safer.p.maya, safer.harry, safer.hana))
    # A red flag without a plan: 422 on the field, nothing saved.
    url = f"/api/v1/families/{family}/safer-sleep-assessments"
    body = problem(post(maya, url, assessment_body(safer, sofa_or_chair_sleeping=True)), 422)
    assert "action_plan" in body["errors"]
    response = post(
        maya,
        url,
        assessment_body(
            safer,
            sofa_or_chair_sleeping=True,
            action_plan="Cot delivered tomorrow",
            equipment=["cot"],
            complete_contact=True,
        ),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["red_flag"] is True and created["withheld"] is False
    assert Alert.objects.filter(recipient=safer.hana, kind="safer_sleep_red_flag").exists()
    got = maya.get(f"/api/v1/safer-sleep-assessments/{created['id']}").json()
    assert got["action_plan"] == "Cot delivered tomorrow"
    # The antenatal review was completed in the same step.
    contacts = hana.get(f"/api/v1/families/{family}/health-visiting-contacts").json()
    antenatal = next(c for c in contacts if c["kind"] == "antenatal")
    assert antenatal["status"] == "Completed"
    # Housing records a move; the health visitor has the task.
    response = post(
        harry,
        f"/api/v1/families/{family}/disruptions-of-routine",
        {"kind": "house_move", "occurred_on": TODAY},
    )
    assert response.status_code == 201, response.content
    tasks = hana.get(f"/api/v1/families/{family}/safer-sleep-reassessment-tasks").json()
    assert [t["assignee_names"] for t in tasks] == [["Hana Visitor", "Lee Lead"]]
    # An observation by housing.
    response = post(
        harry,
        f"/api/v1/families/{family}/safer-sleep-observations",
        {"person_id": safer.p.unborn.pk, "assessed_on": TODAY, "seen": ["loose_bedding"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["risks"]["loose_bedding"] is True
    assert response.json()["risks"]["bed_sharing"] is None


def test_completing_the_new_birth_review_needs_safer_sleep_r_ss_1(
    safer: SaferSleepPeople,
) -> None:
    contact = HealthVisitingContact.objects.get(person=safer.p.unborn, kind=ContactKind.NEW_BIRTH)
    hana = bearer_client(safer.hana)
    url = f"/api/v1/health-visiting-contacts/{contact.pk}/complete"
    body = problem(post(hana, url, {"completed_on": TODAY}), 422)
    assert "safer-sleep" in json.dumps(body["errors"])
    problem(post(hana, url, {"completed_on": TODAY, "version": 42}), 409)
    later = HealthVisitingContact.objects.get(
        person=safer.p.unborn, kind=ContactKind.NINE_TO_TWELVE_MONTHS
    )
    response = post(
        hana, f"/api/v1/health-visiting-contacts/{later.pk}/complete", {"completed_on": TODAY}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


def test_a_relapse_is_withheld_from_agencies_without_a_basis_r_is_12(
    safer: SaferSleepPeople,
) -> None:
    family = safer.p.ashworth.pk
    harry = bearer_client(safer.harry)
    post(
        harry,
        f"/api/v1/families/{family}/disruptions-of-routine",
        {"kind": "relapse", "occurred_on": TODAY, "details": "Using again"},
    )
    [theirs] = (
        bearer_client(safer.hana).get(f"/api/v1/families/{family}/disruptions-of-routine").json()
    )
    assert theirs["withheld"] is True and theirs["kind"] is None and theirs["details"] is None
    [own] = harry.get(f"/api/v1/families/{family}/disruptions-of-routine").json()
    assert own["kind"] == "relapse"
    assert ReassessmentTask.objects.count() == 1


def test_scopes_are_enforced(safer: SaferSleepPeople) -> None:
    reader = bearer_client(safer.p.maya, scopes=[Scope.ASSESSMENTS_READ])
    family = safer.p.ashworth.pk
    assert reader.get(f"/api/v1/families/{family}/safer-sleep-assessments").status_code == 200
    response = post(
        reader,
        f"/api/v1/families/{family}/disruptions-of-routine",
        {"kind": "house_move", "occurred_on": TODAY},
    )
    problem(response, 403)


def test_a_person_outside_the_family_is_a_field_problem(safer: SaferSleepPeople) -> None:
    maya = bearer_client(safer.p.maya)
    url = f"/api/v1/families/{safer.p.ashworth.pk}/safer-sleep-assessments"
    body = problem(post(maya, url, assessment_body(safer, person_id=safer.p.stranger.pk)), 422)
    assert "person_id" in body["errors"]
