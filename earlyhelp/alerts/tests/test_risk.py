"""A risk recorded by one agency on a family with a team: who is told, what they are told,
and the times the board measures (issue 5 item 5, R-IS-7, R-IS-12, R-SS-3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import Partnership, make_user
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.alerts.models import Alert, RiskNotice
from earlyhelp.alerts.services import RISK_HELD_ELSEWHERE, alert_acknowledge, risk_share
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.outbox import outbox_process
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing.models import InformationCategory

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2026, 10, 1)


@dataclass
class Team_:
    p: Partnership
    lee: User  # early help, the lead professional
    mo: User  # a second midwife, in the team
    gone: User  # left the team


@pytest.fixture
def team(partnership: Partnership) -> Team_:
    p = partnership
    lee = make_user(
        "lee@earlyhelp.example",
        "Lee Lead",
        Team.objects.create(organisation=p.early_help, name="Family support"),
        Role.PRACTITIONER,
    )
    midwives = Team.objects.create(organisation=p.midwifery, name="Hospital midwives")
    mo = make_user("mo@midwifery.example", "Mo Midwife", midwives, Role.PRACTITIONER)
    gone = make_user("gone@midwifery.example", "Gail Gone", midwives, Role.PRACTITIONER)
    for user, org, lead in ((lee, p.early_help, True), (mo, p.midwifery, False)):
        TeamAroundFamilyMember.objects.create(
            family=p.ashworth,
            practitioner=user,
            organisation=org,
            is_lead_professional=lead,
            joined_on=JOINED,
        )
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=gone,
        organisation=p.midwifery,
        joined_on=JOINED,
        left_on=datetime.date(2026, 11, 1),
    )
    return Team_(p, lee, mo, gone)


def share(t: Team_, category: str | None = None, **extra: object) -> RiskNotice:
    return risk_share(
        actor=t.p.maya,
        family=t.p.ashworth,
        kind="risk_recorded",
        source_organisation=t.p.midwifery,
        category=InformationCategory.objects.get(code=category) if category else None,
        person=t.p.chloe,
        title="Risk recorded: Ashworth household",
        body="Midwifery recorded a concern about Chloe.",
        url=f"/people/families/{t.p.ashworth.pk}/",
        **extra,  # type: ignore[arg-type]
    )


def told(notice: RiskNotice) -> set[str]:
    return set(notice.alerts.values_list("recipient__email", flat=True))


def test_every_current_member_and_the_lead_professional_are_told(team: Team_) -> None:
    notice = share(team, also_tell=[team.p.maya])
    assert told(notice) == {"lee@earlyhelp.example", "mo@midwifery.example", team.p.maya.email}
    assert notice.all_notified_at is None  # their e-mails are still waiting
    assert Notification.objects.filter(risk_notice=notice).count() == 3
    assert not Alert.objects.filter(recipient=team.gone).exists()


@pytest.mark.parametrize(
    ("category", "detail_for", "held_for"),
    [
        # No category: everyone in the team reads it.
        (None, {"lee@earlyhelp.example", "mo@midwifery.example"}, set()),
        # Sexual health recorded by midwifery: the midwife's own agency reads it; early help
        # has no need and no consent, so Lee hears only that it is held (R-IS-12).
        ("sexual_health", {"mo@midwifery.example"}, {"lee@earlyhelp.example"}),
    ],
)
def test_only_those_who_may_read_the_category_get_the_detail_r_is_12(
    team: Team_, category: str | None, detail_for: set[str], held_for: set[str]
) -> None:
    notice = share(team, category)
    assert told(notice) == detail_for
    held = Alert.objects.filter(kind=RISK_HELD_ELSEWHERE)
    assert set(held.values_list("recipient__email", flat=True)) == held_for
    for alert in held:
        assert alert.risk_notice is None
        assert "Chloe" not in alert.title + alert.body
        assert (
            alert.title == "New information held by Wyvern Hospitals Midwifery: Ashworth household"
        )


def test_all_notified_is_set_when_the_last_e_mail_is_sent(team: Team_) -> None:
    notice = share(team)
    outbox_process(max_batches=1, size=1)
    notice.refresh_from_db()
    assert notice.all_notified_at is None  # one of two sent
    before_last = timezone.now()
    outbox_process()
    notice.refresh_from_db()
    assert notice.all_notified_at is not None and notice.all_notified_at >= before_last
    assert notice.all_notified_at >= notice.recorded_at


def test_all_acknowledged_is_set_when_the_last_member_acknowledges(team: Team_) -> None:
    notice = share(team)
    lee_alert = Alert.objects.get(risk_notice=notice, recipient=team.lee)
    mo_alert = Alert.objects.get(risk_notice=notice, recipient=team.mo)
    alert_acknowledge(actor=team.lee, alert_id=lee_alert.pk)
    notice.refresh_from_db()
    assert notice.all_acknowledged_at is None
    alert_acknowledge(actor=team.mo, alert_id=mo_alert.pk)
    notice.refresh_from_db()
    mo_alert.refresh_from_db()
    assert notice.all_acknowledged_at == mo_alert.acknowledged_at
    # Acknowledging again changes nothing.
    alert_acknowledge(actor=team.lee, alert_id=lee_alert.pk)
    notice.refresh_from_db()
    assert notice.all_acknowledged_at == mo_alert.acknowledged_at


def test_without_e_mail_the_alerts_notify_at_once(team: Team_) -> None:
    User.objects.filter(pk=team.lee.pk).update(email="")
    TeamAroundFamilyMember.objects.filter(practitioner=team.mo).update(left_on=JOINED)
    notice = share(team)
    assert told(notice) == {""}
    assert notice.all_notified_at == notice.recorded_at


def test_a_family_with_nobody_to_tell_keeps_the_gap_visible(partnership: Partnership) -> None:
    p = partnership
    notice = risk_share(
        actor=p.maya,
        family=p.ashworth,
        kind="risk_recorded",
        source_organisation=p.midwifery,
        title="Risk recorded",
    )
    assert not notice.alerts.exists()
    assert notice.all_notified_at is None and notice.all_acknowledged_at is None


def test_someone_who_cannot_see_the_family_cannot_share_a_risk(partnership: Partnership) -> None:
    p = partnership
    with pytest.raises(NotFoundOrForbidden):
        risk_share(
            actor=p.owen,
            family=p.ashworth,
            kind="risk_recorded",
            source_organisation=p.police,
            title="Risk recorded",
        )
    assert not RiskNotice.objects.exists()
