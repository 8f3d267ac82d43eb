"""The front door over the API alone: make, get, family list, queue, acknowledge, decide.

Rules: R-WT-3, R-WT-7, R-WT-8, R-TIME-1, R-IS-12.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Partnership
from earlyhelp.alerts.models import Alert
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.rules import NO_REASONS
from earlyhelp.frontdoor.services import ALERT_DECIDED
from earlyhelp.frontdoor.tests.access_matrix import API_BODIES
from earlyhelp.frontdoor.tests.factories import request_made

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _make_url(p: Partnership) -> str:
    return f"/api/v1/families/{p.ashworth.pk}/requests-for-support"


def _body(p: Partnership, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        **API_BODIES["/requests-for-support"],
        "about_person_id": p.unborn.pk,
        "circumstances": ["adult_mental_illness"],
    }
    body.update(changes)
    return body


def test_the_whole_journey_through_the_api_alone(partnership: Partnership) -> None:
    p = partnership
    maya, fatima = bearer_client(p.maya), bearer_client(p.fatima)
    response = post(maya, _make_url(p), _body(p))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["about_person_id"] == p.unborn.pk and made["version"] == 1
    assert made["status"] == "Waiting for the front door"
    assert made["early_help_prompts"] == [
        "Consider early help: an adult in the household has a mental illness"
    ]
    stored = RequestForSupport.objects.get(pk=made["id"])
    assert made["decision_due_on"] == stored.decision_due_on.isoformat()

    queue = fatima.get("/api/v1/front-door/queue").json()
    assert [item["request"]["id"] for item in queue["items"]] == [made["id"]]
    assert queue["next_after"] == ""

    ack = post(fatima, f"/api/v1/requests-for-support/{made['id']}/acknowledge", {"version": 1})
    assert ack.status_code == 200 and ack.json()["acknowledged_by_name"] == "Fatima Front"

    url = f"/api/v1/requests-for-support/{made['id']}/decide"
    refused = problem(post(fatima, url, {"version": 2, "route": "mash", "reasons": " "}), 422)
    assert refused["errors"] == {"reasons": [NO_REASONS]}
    decided = post(fatima, url, {"version": 2, "route": "mash", "reasons": "Police report"})
    assert decided.status_code == 200, decided.content
    assert decided.json()["route"] == "mash" and decided.json()["version"] == 3
    assert Alert.objects.filter(recipient=p.maya, kind=ALERT_DECIDED).exists()
    # Deciding twice is a conflict.
    problem(post(fatima, url, {"version": 3, "route": "early_help", "reasons": "x"}), 409)

    mine = maya.get(f"/api/v1/requests-for-support/{made['id']}").json()
    assert mine["status"] == "Decided: Referral to the MASH"
    listed = maya.get(_make_url(p)).json()
    assert [r["id"] for r in listed] == [made["id"]]
    assert fatima.get("/api/v1/front-door/queue").json()["items"] == []


def test_a_stale_version_is_a_409(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    fatima = bearer_client(p.fatima)
    post(fatima, f"/api/v1/requests-for-support/{made.pk}/acknowledge", {"version": 1})
    problem(
        post(
            fatima,
            f"/api/v1/requests-for-support/{made.pk}/decide",
            {"version": 1, "route": "mash", "reasons": "x"},
        ),
        409,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agreement": "not_asked"}, "not_asked_reason"),
        ({"sharing_basis_note": ""}, "sharing_basis_note"),
        ({"concern": ""}, "concern"),
        ({"about_person_id": 10**9}, "about_person_id"),
        ({"consent_id": 10**9}, "consent_id"),
        ({"category_code": "astrology"}, "category_code"),
        ({"circumstances": ["astrology"]}, "circumstances"),
        ({"urgency": "whenever"}, "urgency"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_bodies_are_422_on_the_field(
    partnership: Partnership, changes: dict[str, Any], field: str
) -> None:
    p = partnership
    body = problem(post(bearer_client(p.maya), _make_url(p), _body(p, **changes)), 422)
    assert any(field in key for key in body["errors"]), body["errors"]
    assert not RequestForSupport.objects.exists()


def test_a_person_of_another_family_is_a_422_not_a_hint(partnership: Partnership) -> None:
    p = partnership
    body = problem(
        post(bearer_client(p.maya), _make_url(p), _body(p, about_person_id=p.stranger.pk)), 422
    )
    assert body["errors"]["about_person_id"] == ["Send the id of a member of this family"]


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea"])
def test_the_front_door_operations_are_404_for_everyone_else(
    partnership: Partnership, persona: str
) -> None:
    p = partnership
    made = request_made(p)
    client = bearer_client(getattr(p, persona))
    problem(client.get("/api/v1/front-door/queue"), 404)
    problem(
        post(client, f"/api/v1/requests-for-support/{made.pk}/acknowledge", {"version": 1}), 404
    )
    problem(
        post(
            client,
            f"/api/v1/requests-for-support/{made.pk}/decide",
            {"version": 1, "route": "mash", "reasons": "x"},
        ),
        404,
    )
    made.refresh_from_db()
    assert made.acknowledged_at is None and made.decided_at is None


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404_for_requests(partnership: Partnership, persona: str) -> None:
    p = partnership
    made = request_made(p)
    client = bearer_client(getattr(p, persona))
    problem(client.get(f"/api/v1/requests-for-support/{made.pk}"), 404)
    problem(client.get(_make_url(p)), 404)
    problem(post(client, _make_url(p), _body(p)), 404)


def test_scopes_are_needed(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    reader = bearer_client(p.maya, scopes=[Scope.ASSESSMENTS_READ])
    assert reader.get(f"/api/v1/requests-for-support/{made.pk}").status_code == 200
    problem(post(reader, _make_url(p), _body(p)), 403)
    people_only = bearer_client(p.maya, scopes=[Scope.PEOPLE_READ])
    problem(people_only.get(f"/api/v1/requests-for-support/{made.pk}"), 403)


def test_the_queue_pages_by_keyset(partnership: Partnership) -> None:
    p = partnership
    for _ in range(3):
        request_made(p)
    fatima = bearer_client(p.fatima)
    first = fatima.get("/api/v1/front-door/queue?limit=2").json()
    assert len(first["items"]) == 2 and first["next_after"]
    assert first["items"][0]["other_requests"] == 2
    second = fatima.get("/api/v1/front-door/queue", {"limit": 2, "after": first["next_after"]})
    ids = [i["request"]["id"] for i in first["items"] + second.json()["items"]]
    assert ids == sorted(RequestForSupport.objects.values_list("id", flat=True))
