"""Two at once, on PostgreSQL (real row locks; SQLite runs one writer at a time anyway):
two workers never send the same e-mail, and the last two acknowledgements of a shared risk
still mark it all acknowledged (ADR 0009)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from conftest import Partnership, make_user
from earlyhelp.accounts.models import Role, Team
from earlyhelp.alerts.models import Alert, RiskNotice
from earlyhelp.alerts.services import alert_acknowledge, alert_raise, risk_share
from earlyhelp.notifications.models import Notification, NotificationStatus, SentEmail
from earlyhelp.notifications.outbox import outbox_process

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks between threads"
    ),
]


def together(*calls: Callable[[], object]) -> None:
    """Run the calls in threads released at the same moment; re-raise any failure."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_two_workers_never_send_the_same_e_mail(partnership: Partnership) -> None:
    for _ in range(200):
        alert_raise(recipients=[partnership.maya], kind="safer_sleep_red_flag", title="Red flag")
    counts: list[int] = []
    together(
        lambda: counts.append(outbox_process(size=10)),
        lambda: counts.append(outbox_process(size=10)),
    )
    assert sum(counts) == 200
    assert SentEmail.objects.count() == 200
    assert set(Notification.objects.values_list("status", "attempts")) == {
        (NotificationStatus.SENT, 1)
    }


def test_the_last_two_acknowledgements_at_once_mark_the_risk_acknowledged(
    partnership: Partnership,
) -> None:
    p = partnership
    team = Team.objects.create(organisation=p.midwifery, name="Hospital midwives")
    mo = make_user("mo@midwifery.example", "Mo Midwife", team, Role.PRACTITIONER)
    notice = risk_share(
        actor=p.maya,
        family=p.ashworth,
        kind="risk_recorded",
        source_organisation=p.midwifery,
        title="Risk recorded",
        also_tell=[p.maya, mo],
    )
    maya_alert = Alert.objects.get(risk_notice=notice, recipient=p.maya)
    mo_alert = Alert.objects.get(risk_notice=notice, recipient=mo)
    together(
        lambda: alert_acknowledge(actor=p.maya, alert_id=maya_alert.pk),
        lambda: alert_acknowledge(actor=mo, alert_id=mo_alert.pk),
    )
    notice = RiskNotice.objects.get(pk=notice.pk)
    assert notice.all_acknowledged_at is not None
    assert notice.all_acknowledged_at == max(
        a.acknowledged_at for a in Alert.objects.filter(risk_notice=notice) if a.acknowledged_at
    )
