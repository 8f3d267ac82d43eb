"""The overdue sweep through its service: who is alerted, once per item per due date
(issue 5 item 5; R-EHA-2, R-EHA-3, R-TIME-1)."""

from __future__ import annotations

import datetime

import pytest

from conftest import TODAY, Partnership, make_user
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.alerts import rules
from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.overdue import overdue_sweep
from earlyhelp.frontdoor.tests.factories import at, request_made
from earlyhelp.notifications.models import Notification
from earlyhelp.plans.models import Plan, PlanAction, PlanStatus, TeamAroundFamilyMember

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def lee(p: Partnership) -> User:
    user = make_user(
        "lee@earlyhelp.example",
        "Lee Lead",
        Team.objects.create(organisation=p.early_help, name="Family support"),
        Role.PRACTITIONER,
    )
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=user,
        organisation=p.early_help,
        is_lead_professional=True,
        joined_on=datetime.date(2026, 9, 1),
    )
    return user


def plan(p: Partnership, *, status: str = PlanStatus.AGREED, review_on: datetime.date) -> Plan:
    return Plan.objects.create(
        family=p.ashworth,
        family_words="Our own flat",
        status=status,
        review_on=review_on,
        created_by=p.maya,
    )


def alerted(kind: str) -> list[tuple[str, str | None]]:
    return sorted(Alert.objects.filter(kind=kind).values_list("recipient__email", "dedupe_key"))


@pytest.mark.parametrize(
    ("status", "review_on", "alerted_lead"),
    [
        (PlanStatus.AGREED, TODAY - DAY, True),
        (PlanStatus.AGREED, TODAY, False),
        (PlanStatus.DRAFT, TODAY - DAY, False),
    ],
)
def test_an_overdue_review_alerts_the_lead_professional_once_r_eha_3(
    partnership: Partnership, status: str, review_on: datetime.date, alerted_lead: bool
) -> None:
    lead = lee(partnership)
    the_plan = plan(partnership, status=status, review_on=review_on)
    overdue_sweep(today=TODAY)
    overdue_sweep(today=TODAY)  # a second sweep: no second alert
    expected = [(lead.email, f"overdue:plan-review:{the_plan.pk}:{review_on}")]
    assert alerted(rules.PLAN_REVIEW_OVERDUE) == (expected if alerted_lead else [])
    # The e-mail is queued with the alert.
    assert Notification.objects.filter(alert__kind=rules.PLAN_REVIEW_OVERDUE).count() == (
        1 if alerted_lead else 0
    )


@pytest.mark.parametrize(
    ("status", "due_on", "owner", "expected"),
    [
        ("not_started", TODAY - DAY, "maya", "maya@midwifery.example"),
        ("in_progress", TODAY - DAY, "maya", "maya@midwifery.example"),
        ("done", TODAY - DAY, "maya", None),
        ("not_started", TODAY, "maya", None),
        # The family owns it: their lead professional is told.
        ("not_started", TODAY - DAY, "family", "lee@earlyhelp.example"),
        # Its owner has left the team: the lead professional is told.
        ("not_started", TODAY - DAY, "left", "lee@earlyhelp.example"),
    ],
)
def test_an_overdue_action_alerts_its_owner_r_eha_2(
    partnership: Partnership,
    status: str,
    due_on: datetime.date,
    owner: str,
    expected: str | None,
) -> None:
    p = partnership
    lee(p)
    the_plan = plan(p, review_on=TODAY + 30 * DAY)
    member = None
    if owner != "family":
        member = TeamAroundFamilyMember.objects.create(
            family=p.ashworth,
            practitioner=p.maya,
            organisation=p.midwifery,
            joined_on=datetime.date(2026, 9, 1),
            left_on=datetime.date(2026, 11, 1) if owner == "left" else None,
        )
    action = PlanAction.objects.create(
        plan=the_plan,
        description="Book the cot delivery",
        owner_member=member,
        owner_is_family=member is None,
        due_on=due_on,
        status=status,
        created_by=p.maya,
    )
    overdue_sweep(today=TODAY)
    overdue_sweep(today=TODAY)
    assert alerted(rules.PLAN_ACTION_OVERDUE) == (
        [(expected, f"overdue:action:{action.pk}:{due_on}")] if expected else []
    )


def test_the_next_days_sweep_does_not_repeat_an_alert(partnership: Partnership) -> None:
    lee(partnership)
    plan(partnership, review_on=TODAY - DAY)
    overdue_sweep(today=TODAY)
    overdue_sweep(today=TODAY + DAY)
    assert len(alerted(rules.PLAN_REVIEW_OVERDUE)) == 1


def test_an_undecided_request_alerts_every_front_door_worker_once_r_time_1(
    partnership: Partnership,
) -> None:
    p = partnership
    request = request_made(p, now=at(TODAY - 5 * DAY))
    key = f"overdue:front-door:{request.pk}:{request.decision_due_on}"
    overdue_sweep(today=request.decision_due_on)  # due today: not yet
    assert alerted(rules.FRONT_DOOR_DECISION_OVERDUE) == []
    report = overdue_sweep(today=request.decision_due_on + DAY)
    overdue_sweep(today=request.decision_due_on + 2 * DAY)
    assert report.decisions == 1
    assert alerted(rules.FRONT_DOOR_DECISION_OVERDUE) == [(p.fatima.email, key)]
