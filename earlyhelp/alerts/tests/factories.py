"""Alerts for tests, raised through the service the other apps use."""

from __future__ import annotations

from earlyhelp.accounts.models import User
from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.services import alert_raise

RED_FLAG_TITLE = "Safer sleep red flag: Ashworth household"


def alert_for(
    user: User,
    *,
    title: str = RED_FLAG_TITLE,
    body: str = "Read the action plan and agree who follows it up.",
    url: str = "/people/families/1/#safer-sleep",
    kind: str = "safer_sleep_red_flag",
) -> Alert:
    [alert] = alert_raise(recipients=[user], kind=kind, title=title, body=body, url=url)
    return alert


def alerts_for(user: User, count: int) -> list[Alert]:
    """``count`` open alerts "Alert 1" to "Alert <count>", oldest first."""
    return [alert_for(user, title=f"Alert {n}") for n in range(1, count + 1)]
