"""Notifications: rows of the access matrix and what they need.

The e-mail outbox is the system administrator's alone (its own kinds below; who reaches it
is proved in test_pages.py and test_api.py). ``records`` queues one e-mail to Maya and
marks it failed, so that the retry URLs name a real one.
"""

from __future__ import annotations

from conftest import Partnership
from earlyhelp.alerts.services import alert_raise
from earlyhelp.notifications.models import Notification, NotificationStatus

# Page kinds never start with "api "; API kinds always do (tests/access_kinds.py).
OUTBOX = "notifications outbox"  # the system administrator only; 404 for everyone else
API_OUTBOX = "api notifications outbox"

ROWS: dict[str, str] = {
    "notifications/": OUTBOX,
    "notifications/<int:notification_id>/retry/": OUTBOX,
    "api/v1/notifications": API_OUTBOX,
    "api/v1/notifications/<record_id:notification_id>/retry": API_OUTBOX,
}

API_BODIES: dict[str, dict[str, object]] = {"/retry": {}}


def failed_notification(p: Partnership) -> Notification:
    [alert] = alert_raise(recipients=[p.maya], kind="safer_sleep_red_flag", title="Red flag")
    row = Notification.objects.get(alert=alert)
    row.status = NotificationStatus.FAILED
    row.attempts = 6
    row.last_error = "GOV.UK Notify answered 500: Internal server error"
    row.save()
    return row


def records(p: Partnership) -> dict[str, object]:
    return {"notification_id": failed_notification(p).pk}
