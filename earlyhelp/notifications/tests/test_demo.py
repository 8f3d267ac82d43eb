"""The demo's outbox: e-mails queued by the demo's alerts, overdue alerts among them, and a
few failed ones for the administrator's page; the same for the same seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from earlyhelp.alerts.models import Alert
from earlyhelp.notifications.models import Notification, NotificationStatus


@pytest.mark.django_db
def test_demo_queues_e_mails_and_leaves_a_few_failed(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=40, stdout=io.StringIO())
    assert Notification.objects.filter(status=NotificationStatus.QUEUED).exists()
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    assert failed.count() == 3
    assert all(n.last_error for n in failed)
    # Every alert of an active account with an address has its e-mail queued.
    assert (
        not Alert.objects.filter(notification__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .exists()
    )
    assert Alert.objects.filter(kind__endswith="_overdue").exists()
