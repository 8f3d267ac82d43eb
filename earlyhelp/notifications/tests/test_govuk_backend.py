"""The GOV.UK Notify backend with a stand-in for Notify's API (nothing leaves the machine):
it sends with the unique reference, looks an earlier attempt up by that reference before
sending again, and tells permanent from passing failures (ADR 0009)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import HTTPError

from conftest import Partnership
from earlyhelp.alerts.services import alert_raise
from earlyhelp.notifications.backends import GovukNotifyBackend, get_backend
from earlyhelp.notifications.models import Notification, NotificationStatus
from earlyhelp.notifications.outbox import outbox_process

pytestmark = pytest.mark.django_db

API_KEY = f"test-{uuid.uuid4()}-{uuid.uuid4()}"


class Answer:
    def __init__(self, status_code: int, message: str) -> None:
        self.status_code = status_code
        self.message = message

    def json(self) -> dict[str, str]:
        return {"message": self.message}


class FakeNotify:
    """Notify's API as far as the backend uses it."""

    def __init__(self, *, fail_with: int | None = None, known: set[str] | None = None) -> None:
        self.fail_with = fail_with
        self.known = known or set()
        self.sent: list[dict[str, Any]] = []
        self.looked_up: list[str] = []

    def send_email_notification(self, **kwargs: Any) -> dict[str, str]:
        if self.fail_with:
            raise HTTPError(Answer(self.fail_with, "Notify says no"))  # type: ignore[arg-type]
        self.sent.append(kwargs)
        return {"id": f"notify-{len(self.sent)}"}

    def get_all_notifications(self, reference: str) -> dict[str, list[dict[str, str]]]:
        self.looked_up.append(reference)
        found = [{"id": "notify-earlier"}] if reference in self.known else []
        return {"notifications": found}


def backend_with(fake: FakeNotify) -> GovukNotifyBackend:
    backend = GovukNotifyBackend(API_KEY)
    backend.client = fake  # type: ignore[assignment]
    return backend


def queued(p: Partnership) -> Notification:
    alert_raise(recipients=[p.maya], kind="safer_sleep_red_flag", title="Red flag: Ashworth")
    return Notification.objects.get()


def test_sends_with_the_reference_and_only_the_kind(partnership: Partnership) -> None:
    row = queued(partnership)
    fake = FakeNotify()
    assert outbox_process(backend=backend_with(fake)) == 1
    [sent] = fake.sent
    assert sent["reference"] == row.reference
    assert sent["email_address"] == "maya@midwifery.example"
    assert sent["personalisation"]["alert_kind"] == "Safer sleep red flag"
    assert "Ashworth" not in str(sent)
    assert fake.looked_up == []  # a first attempt needs no look-up
    row.refresh_from_db()
    assert (row.status, row.provider_id) == (NotificationStatus.SENT, "notify-1")


@pytest.mark.parametrize(
    ("known_at_notify", "sends", "provider_id"),
    [(True, 0, "notify-earlier"), (False, 1, "notify-1")],
)
def test_an_e_mail_whose_worker_died_is_looked_up_before_sending_again(
    partnership: Partnership, known_at_notify: bool, sends: int, provider_id: str
) -> None:
    row = queued(partnership)
    Notification.objects.update(status=NotificationStatus.SENDING, attempts=1)
    fake = FakeNotify(known={row.reference} if known_at_notify else set())
    outbox_process(backend=backend_with(fake))
    assert fake.looked_up == [row.reference]
    assert len(fake.sent) == sends
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_id) == ("sent", 2, provider_id)


@pytest.mark.parametrize(
    ("status_code", "expected"),
    [
        (400, NotificationStatus.FAILED),  # a bad request is never worth repeating
        (403, NotificationStatus.FAILED),
        (429, NotificationStatus.QUEUED),  # rate limited: later
        (500, NotificationStatus.QUEUED),
        (503, NotificationStatus.QUEUED),
    ],
)
def test_refusals_fail_at_once_and_outages_are_retried(
    partnership: Partnership, status_code: int, expected: str
) -> None:
    row = queued(partnership)
    outbox_process(backend=backend_with(FakeNotify(fail_with=status_code)))
    row.refresh_from_db()
    assert row.status == expected
    assert row.last_error == f"GOV.UK Notify answered {status_code}: Notify says no"


def test_the_setting_chooses_the_backend(settings: Any) -> None:
    settings.NOTIFY_BACKEND = "govuk"
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        get_backend()
    settings.NOTIFY_API_KEY = API_KEY
    assert get_backend().name == "govuk"
    settings.NOTIFY_BACKEND = "carrier pigeon"
    with pytest.raises(ImproperlyConfigured):
        get_backend()
    settings.NOTIFY_BACKEND = "local"
    assert get_backend().name == "local"
