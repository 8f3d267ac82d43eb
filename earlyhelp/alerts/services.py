"""Raising alerts. Call inside the transaction of the change that causes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from earlyhelp.alerts.models import Alert

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User


def alert_raise(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> list[Alert]:
    """One alert per recipient; with a dedupe key, a recipient never gets the same one twice."""
    alerts = [
        Alert(recipient=r, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)
        for r in {r.pk: r for r in recipients}.values()
    ]
    return Alert.objects.bulk_create(alerts, ignore_conflicts=dedupe_key is not None)
