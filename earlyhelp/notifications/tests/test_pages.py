"""The outbox page as personas: the system administrator sees failed and waiting e-mails
(no family detail) and tries a failed one again; everyone else gets 404 (ADR 0009)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Partnership, sign_in
from earlyhelp.core.models import AuditEvent
from earlyhelp.notifications.models import Notification, NotificationStatus
from earlyhelp.notifications.tests.access_matrix import failed_notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "bea"])
def test_only_the_system_administrator_reaches_the_outbox(
    partnership: Partnership, persona: str
) -> None:
    row = failed_notification(partnership)
    client = sign_in(Client(), getattr(partnership, persona))
    assert client.get("/notifications/").status_code == 404
    assert client.post(f"/notifications/{row.pk}/retry/").status_code == 404
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


def test_the_administrator_sees_failed_e_mails_without_family_detail(
    partnership: Partnership,
) -> None:
    row = failed_notification(partnership)
    client = sign_in(Client(), partnership.sam)
    body = client.get("/notifications/").content.decode()
    assert "Failed (1)" in body and "Waiting to be sent (0)" in body
    assert row.reference in body and "maya@midwifery.example" in body
    assert "Safer sleep red flag" in body
    assert "GOV.UK Notify answered 500" in body
    assert "Ashworth" not in body and "Red flag" not in body  # the alert's title stays inside
    waiting = client.get("/notifications/?show=waiting").content.decode()
    assert "No e-mail is waiting to be sent." in waiting


def test_trying_again_queues_the_e_mail_and_records_who(partnership: Partnership) -> None:
    row = failed_notification(partnership)
    client = sign_in(Client(), partnership.sam)
    response = client.post(f"/notifications/{row.pk}/retry/", {"show": "failed"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 0)
    assert AuditEvent.objects.filter(
        action="notification.retry", actor=partnership.sam, object_id=str(row.pk)
    ).exists()
    body = client.get("/notifications/?show=waiting").content.decode()
    assert row.reference in body


def test_trying_again_an_e_mail_that_has_not_failed_shows_the_error_summary(
    partnership: Partnership,
) -> None:
    row = failed_notification(partnership)
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.SENT)
    client = sign_in(Client(), partnership.sam)
    response = client.post(f"/notifications/{row.pk}/retry/", {"show": "failed", "after": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Only an e-mail that has failed can be tried again" in body
    assert client.post("/notifications/999999/retry/").status_code == 404


def test_pages_of_failed_e_mails_go_back_in_time(partnership: Partnership) -> None:
    rows = [failed_notification(partnership) for _ in range(55)]
    client = sign_in(Client(), partnership.sam)
    first = client.get("/notifications/").content.decode()
    assert rows[-1].reference in first and rows[0].reference not in first
    assert f"after={rows[5].pk}" in first  # 50 on a page: the next starts after the 50th
    second = client.get(f"/notifications/?after={rows[5].pk}").content.decode()
    assert rows[0].reference in second and rows[5].reference not in second
