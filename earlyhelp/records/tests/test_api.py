"""Subject access and retention over /api/v1/: the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.records.models import RetentionReview, SubjectAccessRequest
from earlyhelp.records.rules import THIRD_PARTY, add_years, subject_access_due_on
from earlyhelp.records.tests.test_retention import known_as_child
from earlyhelp.sharing.models import Disclosure, DisclosureKind

pytestmark = pytest.mark.django_db

OTHERS = ["maya", "owen", "fatima", "sam", "bea"]


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "requester_name": "Chloe Ashworth",
        "requester_relationship": "self",
        "received_via": "email",
        "received_on": timezone.localdate().isoformat(),
        "nhs_number": "9434765919",
        "competence": "competent",
        "competence_judgement": "Spoke to her with her family nurse",
    }
    data.update(overrides)
    return data


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_record_a_request_then_export_it(iris, chloe_record) -> None:
    client = bearer_client(iris, label="Records system")
    response = post(client, "/api/v1/subject-access-requests", body())
    assert response.status_code == 201, response.content
    created = response.json()
    sar = SubjectAccessRequest.objects.get()
    assert created["reference"] == sar.reference
    assert created["due_on"] == subject_access_due_on(timezone.localdate()).isoformat()
    assert created["overdue"] is False
    exported = client.get(f"/api/v1/subject-access-requests/{sar.pk}/response")
    assert exported.status_code == 200, exported.content
    data = exported.json()
    assert data["person"]["name"] == "Chloe Ashworth"
    assert THIRD_PARTY in json.dumps(data)
    assert "Jordan" not in json.dumps(data)
    assert data["record_of_access"]["looks"]
    disclosure = Disclosure.objects.get(kind=DisclosureKind.SUBJECT_ACCESS)
    assert disclosure.client == "Records system"
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert event.client == "Records system"


def test_unidentified_person_is_a_422_and_nothing_is_saved(iris, chloe_record) -> None:
    client = bearer_client(iris)
    response = post(
        client,
        "/api/v1/subject-access-requests",
        body(nhs_number="", given_name="No", family_name="Body", date_of_birth="2001-01-01"),
    )
    details = problem(response, 422)
    assert "has not been recorded" in details["errors"]["family_name"][0]
    assert not SubjectAccessRequest.objects.exists()


def test_bad_values_are_a_422(iris, chloe_record) -> None:
    response = post(
        bearer_client(iris),
        "/api/v1/subject-access-requests",
        body(requester_relationship="neighbour", received_on="26/11/2026"),
    )
    errors = problem(response, 422)["errors"]
    assert {"requester_relationship", "received_on"} <= set(errors)


def test_retention_dry_run(iris, partnership) -> None:
    old = known_as_child(partnership, "Amy", add_years(timezone.localdate(), -40))
    response = post(bearer_client(iris), "/api/v1/retention/reviews")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [row["person_id"] for row in data["to_destroy"]] == [old.pk]
    assert data["to_destroy"][0]["name"] == "Amy Oldfield"
    assert data["to_destroy"][0]["record_class"] == "known_as_child"
    assert "confirmation_token" not in data
    assert RetentionReview.objects.get().carried_out_at is None


def test_retention_dry_run_for_a_past_date_is_a_422(iris) -> None:
    response = post(bearer_client(iris), "/api/v1/retention/reviews", {"review_date": "2001-01-01"})
    assert "review_date" in problem(response, 422)["errors"]


@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_else_gets_404(partnership, iris, chloe_record, persona: str) -> None:
    post(bearer_client(iris), "/api/v1/subject-access-requests", body())
    sar = SubjectAccessRequest.objects.get()
    client = bearer_client(getattr(partnership, persona))
    problem(post(client, "/api/v1/subject-access-requests", body()), 404)
    problem(client.get(f"/api/v1/subject-access-requests/{sar.pk}/response"), 404)
    problem(post(client, "/api/v1/retention/reviews"), 404)
    assert SubjectAccessRequest.objects.count() == 1
    assert not RetentionReview.objects.exists()
    assert not Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).exists()


def test_missing_request_is_the_same_404(iris) -> None:
    problem(bearer_client(iris).get("/api/v1/subject-access-requests/999/response"), 404)


def test_scopes_and_credentials(iris, chloe_record) -> None:
    problem(Client().get("/api/v1/subject-access-requests/1/response"), 401)
    problem(post(Client(), "/api/v1/retention/reviews"), 401)
    read_only = bearer_client(iris, scopes=["people:read"])
    problem(post(read_only, "/api/v1/subject-access-requests", body()), 403)
