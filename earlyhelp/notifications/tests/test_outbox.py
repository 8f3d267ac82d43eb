"""The outbox through its services: alerts queue their e-mails in the same transaction, the
worker's code path sends them once, retries failures with backoff and shows the failures
(ADR 0009, issue 5 item 5)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Partnership
from earlyhelp.alerts.services import alert_raise
from earlyhelp.notifications.backends import Delivery, LocalBackend, Result
from earlyhelp.notifications.models import Notification, NotificationStatus, SentEmail
from earlyhelp.notifications.outbox import outbox_process
from earlyhelp.notifications.tasks import notifications_send, notifications_sweep

pytestmark = pytest.mark.django_db


class Failing:
    """A backend whose provider refuses every e-mail (permanent) or is down (temporary)."""

    name = "failing"
    transactional = False

    def __init__(self, *, permanent: bool = False) -> None:
        self.permanent = permanent
        self.calls = 0

    def deliver(self, deliveries: Sequence[Delivery]) -> dict[str, Result]:
        self.calls += len(deliveries)
        return {
            d.reference: Result(
                ok=False, error="GOV.UK Notify answered 500", permanent=self.permanent
            )
            for d in deliveries
        }


def red_flag(p: Partnership, *recipients: object, dedupe_key: str | None = None) -> None:
    alert_raise(
        recipients=recipients or [p.maya],  # type: ignore[arg-type]
        kind="safer_sleep_red_flag",
        title="Safer sleep red flag: Ashworth household",
        body="Wyvern Hospitals Midwifery recorded unsafe sleep for Chloe Ashworth on 14 May.",
        url=f"/people/families/{p.ashworth.pk}/",
        dedupe_key=dedupe_key,
    )


def test_each_alert_queues_one_e_mail_naming_nobody(partnership: Partnership) -> None:
    p = partnership
    red_flag(p, p.maya, p.fatima)
    rows = list(Notification.objects.order_by("recipient__email"))
    assert [r.recipient for r in rows] == [p.fatima, p.maya]
    assert all(r.status == NotificationStatus.QUEUED and r.attempts == 0 for r in rows)
    assert len({r.reference for r in rows}) == 2
    for row in rows:
        assert row.alert is not None and row.alert.recipient == row.recipient
        text = str(row.personalisation)
        assert row.personalisation["alert_kind"] == "Safer sleep red flag"
        for detail in ("Ashworth", "Chloe", "14 May", "Midwifery", "families/"):
            assert detail not in text


def test_the_same_alert_raised_twice_is_e_mailed_once(partnership: Partnership) -> None:
    p = partnership
    red_flag(p, p.maya, dedupe_key="once")
    red_flag(p, p.maya, p.fatima, dedupe_key="once")
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "fatima@earlyhelp.example",
        "maya@midwifery.example",
    ]


def test_a_change_that_rolls_back_queues_nothing(partnership: Partnership) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        red_flag(partnership)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


def test_inactive_accounts_get_no_e_mail(partnership: Partnership) -> None:
    p = partnership
    p.fatima.is_active = False
    p.fatima.save()
    red_flag(p, p.maya, p.fatima)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [p.maya.pk]


def test_the_worker_sends_each_e_mail_once_to_the_local_backend(partnership: Partnership) -> None:
    p = partnership
    for _ in range(5):
        red_flag(p, p.maya, p.fatima)
    assert outbox_process(size=3) == 10
    assert outbox_process(size=3) == 0  # nothing left: nothing sent again
    rows = list(Notification.objects.all())
    assert all(r.status == NotificationStatus.SENT and r.sent_at and r.attempts == 1 for r in rows)
    sent = {e.reference: e for e in SentEmail.objects.all()}
    assert set(sent) == {r.reference for r in rows}
    assert {e.email_address for e in sent.values()} == {p.maya.email, p.fatima.email}


def test_a_failure_is_retried_with_backoff_then_fails_visibly(
    partnership: Partnership, settings: object
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3  # type: ignore[attr-defined]
    settings.NOTIFY_RETRY_BASE_SECONDS = 60  # type: ignore[attr-defined]
    red_flag(partnership)
    backend = Failing()
    before = timezone.now()
    assert outbox_process(backend=backend) == 0
    row = Notification.objects.get()
    assert row.status == NotificationStatus.QUEUED and row.attempts == 1
    assert row.last_error == "GOV.UK Notify answered 500"
    assert row.next_attempt_at >= before + datetime.timedelta(seconds=60)
    # Not due yet: the worker leaves it alone.
    assert outbox_process(backend=backend) == 0 and backend.calls == 1
    for attempt in (2, 3):
        Notification.objects.update(next_attempt_at=timezone.now())
        outbox_process(backend=backend)
        row.refresh_from_db()
        assert row.attempts == attempt
    assert row.status == NotificationStatus.FAILED
    assert backend.calls == 3
    Notification.objects.update(next_attempt_at=timezone.now())
    outbox_process(backend=backend)
    assert backend.calls == 3  # failed rows are never taken again by themselves
    assert not SentEmail.objects.exists()


def test_a_refused_e_mail_fails_at_once(partnership: Partnership) -> None:
    red_flag(partnership)
    outbox_process(backend=Failing(permanent=True))
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)


def test_a_batch_whose_worker_died_is_sent_once_after_its_lease(
    partnership: Partnership, settings: object
) -> None:
    """A claimed batch (status "sending") waits for its lease, then goes once; an e-mail
    the dead worker had recorded is not recorded again (unique reference)."""
    for _ in range(3):
        red_flag(partnership)
    first, second, third = Notification.objects.order_by("id")
    later = timezone.now() + datetime.timedelta(minutes=5)
    Notification.objects.update(
        status=NotificationStatus.SENDING, attempts=1, next_attempt_at=later
    )
    # The local backend's record of one of them survived (as with a remote provider).
    SentEmail.objects.create(reference=first.reference, email_address="maya@midwifery.example")
    assert outbox_process() == 0  # the lease still runs
    Notification.objects.update(next_attempt_at=timezone.now())
    assert outbox_process() == 3
    assert SentEmail.objects.count() == 3
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 2)}
    assert {second.reference, third.reference} <= set(
        SentEmail.objects.values_list("reference", flat=True)
    )


def test_the_local_backend_only_checks_earlier_attempts(partnership: Partnership) -> None:
    red_flag(partnership)
    row = Notification.objects.get()
    delivery = Delivery(
        reference=row.reference,
        email_address="maya@midwifery.example",
        template_id="t",
        personalisation={},
    )
    with transaction.atomic():
        assert LocalBackend().deliver([delivery])[row.reference].ok
    assert SentEmail.objects.filter(reference=row.reference).count() == 1


def test_a_committed_alert_asks_for_the_worker_once(
    partnership: Partnership, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        red_flag(partnership)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        red_flag(partnership)
    waiting = DBTaskResult.objects.filter(task_path=notifications_send.module_path)
    assert waiting.count() == 1  # the second commit found the first task still waiting


def test_the_sweep_wakes_the_worker_for_waiting_e_mails_only(partnership: Partnership) -> None:
    assert notifications_sweep() is False  # nothing waiting
    red_flag(partnership)
    assert notifications_sweep() is True
    assert notifications_sweep() is False  # a task already waits
    DBTaskResult.objects.all().delete()
    outbox_process()
    assert notifications_sweep() is False


def test_the_sweep_wakes_the_worker_when_a_retry_falls_due(partnership: Partnership) -> None:
    red_flag(partnership)
    due = timezone.now() + datetime.timedelta(minutes=10)
    Notification.objects.update(next_attempt_at=due)
    assert notifications_sweep() is True
    task = DBTaskResult.objects.get()
    assert task.run_after == due


def test_the_task_sends_and_returns_the_count(partnership: Partnership) -> None:
    red_flag(partnership, partnership.maya, partnership.fatima)
    assert notifications_send.call() == 2
    assert SentEmail.objects.count() == 2
