"""Raising alerts (call inside the transaction of the change that causes them) and
acknowledging them (only their recipient may)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.selectors import alert_inbox_require
from earlyhelp.core.access import access_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction

if TYPE_CHECKING:
    from django.http import HttpRequest

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


def alert_acknowledge(*, actor: User, alert_id: int, request: HttpRequest | None = None) -> Alert:
    """The recipient marks their alert as seen and dealt with; the time is kept.

    Only the recipient may: someone else's alert, or a missing one, is NotFoundOrForbidden
    (404), and the refusal is recorded (outside the change's transaction, so it stays).
    Acknowledging again changes nothing and records nothing new. The time from raising to
    acknowledging stays measurable (``acknowledged_at - created_at``) for the board.
    """
    alert_inbox_require(actor=actor, object_id=alert_id, request=request)
    alert = _acknowledge(actor, alert_id)
    if alert is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="alerts.alert",
            object_id=str(alert_id),
            request=request,
        )
        raise NotFoundOrForbidden
    return alert


@transaction.atomic
def _acknowledge(actor: User, alert_id: int) -> Alert | None:
    alert = Alert.objects.select_for_update().filter(pk=alert_id, recipient=actor).first()
    if alert is None or alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor,
        action="alert.acknowledge",
        obj=alert,
        summary=f"{alert.kind} acknowledged",
        changes={"acknowledged_at": alert.acknowledged_at.isoformat()},
    )
    return alert
