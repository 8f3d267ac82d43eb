"""Raising alerts (call inside the transaction of the change that causes them), sharing a
risk with a family's team, and acknowledging alerts (only their recipient may).

Every alert raised queues its e-mail in the same transaction (the outbox,
earlyhelp.notifications.outbox; ADR 0009): the e-mail names only the kind of alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from earlyhelp.alerts.models import Alert, RiskNotice
from earlyhelp.alerts.selectors import alert_inbox_require
from earlyhelp.core.access import access_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.outbox import notifications_queue

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import Organisation, User
    from earlyhelp.people.models import Family, Person
    from earlyhelp.sharing.models import InformationCategory

RISK_RECORDED = "risk_recorded"
RISK_HELD_ELSEWHERE = "risk_held_elsewhere"


def alert_raise(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    risk_notice: RiskNotice | None = None,
) -> list[Alert]:
    """One alert per recipient; with a dedupe key, a recipient never gets the same one twice.

    Each new alert queues its e-mail in the same transaction (the outbox). Returns the
    alerts, saved; with a dedupe key, those raised before are returned as they are.
    """
    people = {r.pk: r for r in recipients}
    alerts = [
        Alert(
            recipient=r,
            kind=kind,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe_key,
            risk_notice=risk_notice,
        )
        for r in people.values()
    ]
    with transaction.atomic():
        if dedupe_key is None:
            saved = Alert.objects.bulk_create(alerts)
        else:
            # Without RETURNING for the rows a conflict skipped, read them back.
            Alert.objects.bulk_create(alerts, ignore_conflicts=True)
            saved = list(Alert.objects.filter(recipient_id__in=list(people), dedupe_key=dedupe_key))
            for alert in saved:
                alert.recipient = people[alert.recipient_id]
        notifications_queue(saved)
    return saved


def _readable_by(user: User, notice: RiskNotice) -> bool:
    """R-IS-12: may ``user`` read the notice's information category?"""
    from earlyhelp.sharing import policies

    if not policies.can_open_family_records(user):
        return False
    if notice.category_id is None:
        return True
    return RiskNotice.objects.filter(pk=notice.pk).filter(policies.category_readable(user)).exists()


@transaction.atomic
def risk_share(
    *,
    actor: User,
    family: Family,
    kind: str,
    source_organisation: Organisation,
    title: str,
    body: str = "",
    url: str = "",
    category: InformationCategory | None = None,
    person: Person | None = None,
    also_tell: Iterable[User] = (),
    dedupe_key: str | None = None,
) -> RiskNotice:
    """A risk indicator one agency recorded on a family: tell its team (issue 5 item 5).

    Told: every current member of the team around the family, its lead professional and
    ``also_tell`` (e.g. the health visitor for a safer-sleep red flag, R-SS-3). Those who
    may read ``category`` (``policies.category_readable``, R-IS-12) get the alert of
    ``kind`` with its detail, linked to the notice; the others get only "information held
    by <agency>: ask the lead professional" (not linked: they do not need to know). The
    notice keeps when all were notified and when all acknowledged, for the board.
    Raises NotFoundOrForbidden when the actor may not see the family.
    """
    from earlyhelp.plans.models import TeamAroundFamilyMember
    from earlyhelp.plans.selectors import lead_professional
    from earlyhelp.sharing import policies

    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    notice = RiskNotice.objects.create(
        family=family,
        person=person,
        kind=kind,
        category=category,
        source_organisation=source_organisation,
        recorded_by=actor,
    )
    team = TeamAroundFamilyMember.objects.filter(
        family=family, left_on__isnull=True, practitioner__is_active=True
    ).select_related("practitioner")
    candidates: dict[int, User] = {m.practitioner.pk: m.practitioner for m in team}
    lead = lead_professional(family=family)
    for user in [*([lead] if lead else []), *also_tell]:
        candidates.setdefault(user.pk, user)
    told = [u for u in candidates.values() if _readable_by(u, notice)]
    told_ids = {u.pk for u in told}
    held = [
        u
        for u in candidates.values()
        if u.pk not in told_ids and policies.can_open_family_records(u)
    ]
    alerts = alert_raise(
        recipients=told,
        kind=kind,
        title=title,
        body=body,
        url=url,
        dedupe_key=dedupe_key,
        risk_notice=notice,
    )
    if held:
        alert_raise(
            recipients=held,
            kind=RISK_HELD_ELSEWHERE,
            title=f"New information held by {source_organisation.name}: {family.name}",
            body="Ask the lead professional whether you need to know it.",
            url=url,
            dedupe_key=f"{dedupe_key}:held" if dedupe_key else None,
        )
    if alerts and not Notification.objects.filter(risk_notice=notice).exists():
        # Nobody needed an e-mail: the in-app alerts told everyone at once.
        notice.all_notified_at = notice.recorded_at
        notice.save(update_fields=["all_notified_at"])
    audit_record(
        actor=actor,
        action="risk_notice.share",
        obj=notice,
        summary=(
            f"{kind} for family {family.pk} by {source_organisation.name}: "
            f"{len(alerts)} told, {len(held)} told it is held elsewhere"
        ),
        changes={"family_id": family.pk, "told": len(alerts), "held_elsewhere": len(held)},
    )
    return notice


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
    notice_id = (
        Alert.objects.filter(pk=alert_id, recipient=actor)
        .values_list("risk_notice_id", flat=True)
        .first()
    )
    if notice_id is not None:
        # The notice first: two members acknowledging its last two alerts at once must not
        # both miss that everyone has now acknowledged.
        RiskNotice.objects.select_for_update().filter(pk=notice_id).values_list("pk").first()
    alert = Alert.objects.select_for_update().filter(pk=alert_id, recipient=actor).first()
    if alert is None or alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_at"])
    if alert.risk_notice_id is not None:
        still_open = Alert.objects.filter(
            risk_notice_id=OuterRef("pk"), acknowledged_at__isnull=True
        )
        RiskNotice.objects.filter(
            pk=alert.risk_notice_id, all_acknowledged_at__isnull=True
        ).exclude(Exists(still_open)).update(all_acknowledged_at=alert.acknowledged_at)
    audit_record(
        actor=actor,
        action="alert.acknowledge",
        obj=alert,
        summary=f"{alert.kind} acknowledged",
        changes={"acknowledged_at": alert.acknowledged_at.isoformat()},
    )
    return alert
