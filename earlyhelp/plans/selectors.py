"""Reads about the team around a family. The family itself was already checked by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from earlyhelp.assessments.models import Contribution
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
from earlyhelp.sharing import policies

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


NEED_SHORT = 60


def _shortened(text: str, limit: int = NEED_SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def assessed_need_q(*, actor: User, family: Family) -> Q:
    """The contributions an outcome may be linked to: a need written, in an assessment of
    this family, that the actor may read in full (need-to-know, R-IS-12; the family itself
    was already authorised by the caller). Used by the choice list and by the service."""
    return (
        Q(assessment__family=family)
        & ~Q(need="")
        & policies.category_readable(
            actor,
            person="person_id",
            category="category_id",
            source_organisation="source_organisation_id",
        )
    )


@dataclass(frozen=True)
class AssessedNeed:
    """One assessed need offered when adding an outcome: "<dimension>: <need, shortened>"."""

    contribution: Contribution

    @property
    def value(self) -> str:
        return str(self.contribution.pk)

    @property
    def label(self) -> str:
        c = self.contribution
        return f"{c.get_dimension_display()}: {_shortened(c.need)}"


def assessed_needs(*, actor: User, family: Family) -> list[AssessedNeed]:
    """The family's assessed needs the actor may read, newest assessment first (issue 5 item
    2, R-SF-1: each carries its Supporting Families headline as ``need_outcome``)."""
    return [
        AssessedNeed(contribution=c)
        for c in Contribution.objects.filter(assessed_need_q(actor=actor, family=family))
        .select_related("person")
        .order_by("-assessment__started_at", "-assessment_id", "domain", "dimension", "pk")
    ]


@dataclass(frozen=True)
class OutcomeRow:
    """An outcome as practitioners see it: where it came from in the assessment, if anywhere.

    ``need_label`` is empty for an outcome not from the assessment; otherwise "From the
    assessment: <dimension>" when the actor may read the need, and only who holds it when
    they may not (R-IS-12).
    """

    outcome: PlanOutcome
    need_label: str


def _outcome_rows(actor: User | None, outcomes: list[PlanOutcome]) -> list[OutcomeRow]:
    need_ids = [o.need_id for o in outcomes if o.need_id is not None]
    readable: set[int] = set()
    if actor is not None and need_ids:
        readable = set(
            Contribution.objects.filter(pk__in=need_ids)
            .filter(policies.category_readable(actor))
            .values_list("pk", flat=True)
        )
    rows = []
    for o in outcomes:
        label = ""
        if o.need is not None:
            if o.need_id in readable:
                label = f"From the assessment: {o.need.get_dimension_display()}"
            else:
                label = (
                    f"From the assessment: held by {o.need.source_organisation.name}, "
                    "ask the lead professional"
                )
        rows.append(OutcomeRow(outcome=o, need_label=label))
    return rows


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
    # Filled for the actor by family_plan_view; empty for the family's own copy.
    outcome_rows: list[OutcomeRow] = field(default_factory=list)

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
    return family_plan_for(family=family, actor=actor)


def family_plan_for(*, family: Family, actor: User | None = None) -> FamilyPlanView:
    """The same, for a family the caller has already authorised (the family page's panel).

    With ``actor``, ``outcome_rows`` says which outcomes came from the assessment, showing the
    need's dimension only where the actor may read that need (R-IS-12)."""
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
        outcomes = list(plan.outcomes.select_related("need__source_organisation"))
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
        outcome_rows=_outcome_rows(actor, outcomes) if actor is not None else [],
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
