"""Reads about the team around a family. The family itself was already checked by the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.people import selectors as people_selectors
from earlyhelp.plans import rules
from earlyhelp.plans.models import (
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    TeamAroundFamilyMember,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


def lead_professional(*, family: Family) -> User | None:
    """The family's lead professional now (R-WT-5), or None when nobody has been named."""
    member = (
        TeamAroundFamilyMember.objects.filter(
            family=family, is_lead_professional=True, left_on__isnull=True
        )
        .select_related("practitioner")
        .first()
    )
    return member.practitioner if member else None


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    owner_name: str
    overdue: bool


@dataclass(frozen=True)
class FamilyPlanView:
    """What the team and plan pages show about one family the actor may see."""

    family: Family
    members: list[TeamAroundFamilyMember]
    lead: TeamAroundFamilyMember | None
    lead_version: int
    plan: Plan | None
    outcomes: list[PlanOutcome]
    actions: list[ActionRow]

    @property
    def open_actions(self) -> list[ActionRow]:
        return [a for a in self.actions if a.action.status in rules.OPEN_ACTION_STATUSES]


def _owner_name(action: PlanAction) -> str:
    if action.owner_member is not None:
        return str(action.owner_member.practitioner)
    return "The family"


def family_plan_view(
    *, actor: User, family_id: int, request: HttpRequest | None = None
) -> FamilyPlanView:
    """The team, the lead professional and the active plan. The policy decides (404 otherwise)
    and the look is recorded (people.selectors.family_get)."""
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return family_plan_for(family=family)


def family_plan_for(*, family: Family) -> FamilyPlanView:
    """The same, for a family the caller has already authorised (the family page's panel)."""
    members = list(
        TeamAroundFamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("practitioner", "organisation")
        .order_by("joined_on", "pk")
    )
    plan = Plan.objects.filter(family=family).exclude(status=PlanStatus.CLOSED).first()
    today = timezone.localdate()
    outcomes: list[PlanOutcome] = []
    actions: list[ActionRow] = []
    if plan is not None:
        outcomes = list(plan.outcomes.all())
        actions = [
            ActionRow(
                action=a,
                owner_name=_owner_name(a),
                overdue=rules.action_is_overdue(due_on=a.due_on, status=a.status, today=today),
            )
            for a in plan.actions.select_related("owner_member__practitioner", "outcome")
        ]
    return FamilyPlanView(
        family=family,
        members=members,
        lead=next((m for m in members if m.is_lead_professional), None),
        lead_version=LeadProfessionalHandover.objects.filter(family=family).count(),
        plan=plan,
        outcomes=outcomes,
        actions=actions,
    )


def action_get(*, actor: User, action_id: int, request: HttpRequest | None = None) -> PlanAction:
    """One action of a plan of a family the actor may see; otherwise NotFoundOrForbidden."""
    action = (
        PlanAction.objects.select_related("plan", "owner_member__practitioner", "outcome")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise NotFoundOrForbidden
    people_selectors.family_get(actor=actor, family_id=action.plan.family_id, request=request)
    return action


def plan_get(*, actor: User, plan_id: int, request: HttpRequest | None = None) -> Plan:
    """One plan of a family the actor may see; otherwise NotFoundOrForbidden."""
    plan = Plan.objects.select_related("family").filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundOrForbidden
    people_selectors.family_get(actor=actor, family_id=plan.family_id, request=request)
    return plan
