"""The outbox over the API: the system administrator only, the same selectors and service
as the page (ADR 0009)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import Partnership
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.notifications.models import NotificationStatus
from earlyhelp.notifications.tests.access_matrix import failed_notification

pytestmark = pytest.mark.django_db


def api(user: object) -> Client:
    _, token = api_token_issue(user=user, label="outbox", scopes=list(Scope.values))  # type: ignore[arg-type]
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "bea"])
def test_only_the_system_administrator_reads_the_outbox(
    partnership: Partnership, persona: str
) -> None:
    row = failed_notification(partnership)
    client = api(getattr(partnership, persona))
    response = client.get("/api/v1/notifications")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    response = client.post(
        f"/api/v1/notifications/{row.pk}/retry", data="{}", content_type="application/json"
    )
    assert response.status_code == 404


def test_the_administrator_lists_and_retries_failed_e_mails(partnership: Partnership) -> None:
    row = failed_notification(partnership)
    client = api(partnership.sam)
    listed = client.get("/api/v1/notifications").json()
    assert [i["reference"] for i in listed["items"]] == [row.reference]
    item = listed["items"][0]
    assert item["alert_kind"] == "Safer sleep red flag" and item["status"] == "failed"
    assert "Ashworth" not in json.dumps(listed)
    response = client.post(
        f"/api/v1/notifications/{row.pk}/retry", data="{}", content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == NotificationStatus.QUEUED
    waiting = client.get("/api/v1/notifications?show=waiting").json()
    assert [i["reference"] for i in waiting["items"]] == [row.reference]
    again = client.post(
        f"/api/v1/notifications/{row.pk}/retry", data="{}", content_type="application/json"
    )
    assert again.status_code == 422
    assert client.get("/api/v1/notifications?show=everything").status_code == 422
