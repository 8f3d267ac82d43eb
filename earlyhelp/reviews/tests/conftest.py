"""The Ashworth family part-way through see, plan, do, review: Maya (midwifery) and Hana
(health visiting) in the team, Maya the lead professional, the family's level decided as
targeted, and an agreed plan with two needs, each with an action."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.services import level_decision_record
from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import Plan, PlanAction, PlanOutcome
from earlyhelp.plans.tests.conftest import TeamAround, team  # noqa: F401 - the fixture

INDICATORS = ["LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"]


@dataclass
class Cycle:
    t: TeamAround
    plan: Plan
    housing: PlanOutcome
    health: PlanOutcome
    actions: list[PlanAction]
    level: LevelDecision


def level_targeted(t: TeamAround) -> LevelDecision:
    return level_decision_record(
        actor=t.p.maya,
        family=t.p.ashworth,
        indicator_codes=INDICATORS,
        decided_level_code="targeted",
        rationale="Needs in three domains from two agencies",
    )


@pytest.fixture
def cycle(team: TeamAround) -> Cycle:  # noqa: F811 - the fixture imported above
    t = team
    level = level_targeted(t)
    plan_services.lead_professional_name(
        actor=t.p.maya,
        family=t.p.ashworth,
        member_id=t.maya_member.pk,
        family_view="Chloe chose Maya",
    )
    plan = plan_services.plan_start(
        actor=t.p.maya, family=t.p.ashworth, family_words="A flat and a healthy baby"
    )
    housing = plan_services.outcome_add(
        actor=t.p.maya, plan=plan, version=plan.version, headline="housing", description="A home"
    )
    plan.refresh_from_db()
    health = plan_services.outcome_add(
        actor=t.p.maya, plan=plan, version=plan.version, headline="health", description="Health"
    )
    due = timezone.localdate() + datetime.timedelta(days=14)
    actions = []
    for outcome, owner in ((housing, "family"), (health, str(t.hana_member.pk))):
        plan.refresh_from_db()
        actions.append(
            plan_services.action_add(
                actor=t.p.maya,
                plan=plan,
                version=plan.version,
                description=f"Work on {outcome.description}",
                owner=owner,
                due_on=due,
                outcome_id=outcome.pk,
            )
        )
    plan.refresh_from_db()
    plan = plan_services.plan_agree(actor=t.p.maya, plan=plan, version=plan.version)
    return Cycle(t=t, plan=plan, housing=housing, health=health, actions=actions, level=level)
