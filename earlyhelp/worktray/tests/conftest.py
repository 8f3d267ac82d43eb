"""A tray worth looking at: Maya leads the Ashworth family's plan and has actions in it; she
is also in the team around the Brook family, which her agency does not work with (so her
manager cannot see it); Owen left the Ashworth family's team but still owns an open action
there (so the policy must keep it from his tray)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import Partnership, make_user
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.people.models import Family
from earlyhelp.plans.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanStatus,
    TeamAroundFamilyMember,
)


@dataclass
class Tray:
    p: Partnership
    today: datetime.date
    brook: Family
    plan: Plan
    overdue_action: PlanAction
    later_action: PlanAction
    done_action: PlanAction
    owen_action: PlanAction
    mo: User  # manages Maya's team (community midwives)
    pat: User  # manages Owen's team (police response)


def member(
    family: Family,
    user: User,
    *,
    lead: bool = False,
    joined_on: datetime.date = datetime.date(2026, 9, 1),
    left_on: datetime.date | None = None,
) -> TeamAroundFamilyMember:
    membership = user.active_memberships()[0]
    return TeamAroundFamilyMember.objects.create(
        family=family,
        practitioner=user,
        organisation=membership.team.organisation,
        is_lead_professional=lead,
        joined_on=joined_on,
        left_on=left_on,
    )


@pytest.fixture
def tray(partnership: Partnership) -> Tray:
    p = partnership
    today = timezone.localdate()
    maya_member = member(p.ashworth, p.maya, lead=True)
    owen_member = member(p.ashworth, p.owen, left_on=today - datetime.timedelta(days=3))
    plan = Plan.objects.create(
        family=p.ashworth,
        family_words="Our own flat before the baby comes",
        status=PlanStatus.AGREED,
        review_on=today - datetime.timedelta(days=2),
        created_by=p.maya,
    )

    def action(
        owner: TeamAroundFamilyMember, days: int, status: str = ActionStatus.NOT_STARTED
    ) -> PlanAction:
        return PlanAction.objects.create(
            plan=plan,
            description=f"Action due in {days} days",
            owner_member=owner,
            due_on=today + datetime.timedelta(days=days),
            status=status,
            created_by=p.maya,
        )

    brook = Family.objects.create(name="Brook household")
    member(brook, p.maya)
    return Tray(
        p=p,
        today=today,
        brook=brook,
        plan=plan,
        overdue_action=action(maya_member, -5),
        later_action=action(maya_member, 10, ActionStatus.IN_PROGRESS),
        done_action=action(maya_member, -1, ActionStatus.DONE),
        owen_action=action(owen_member, -4),
        mo=make_user(
            "mo@midwifery.example",
            "Mo Manager",
            Team.objects.get(organisation=p.midwifery),
            Role.TEAM_MANAGER,
        ),
        pat=make_user(
            "pat@police.example",
            "Pat Manager",
            Team.objects.get(organisation=p.police),
            Role.TEAM_MANAGER,
        ),
    )
