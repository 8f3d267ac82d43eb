"""The team around the family (who joins, who leaves), the lead professional and the plan
over /api/v1/: the same services and selectors as the pages (R-WT-5, R-WT-6, R-EHA-2,
R-SF-1, R-CL-2).

Every operation acts as the calling account: a family it may not see is the same 404 problem
as one that does not exist. A stale ``version`` is a 409 conflict, never an overwrite.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.accounts.models import Organisation, User
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate
from earlyhelp.people.models import Person
from earlyhelp.plans import selectors, services
from earlyhelp.plans.forms import NOT_INVOLVED, team_candidates
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.plans.selectors import FamilyPlanView
from earlyhelp.sharing.services.team import CHOOSE_PARENT, team_member_add, team_member_end

router = Router(tags=["Plans"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=5000)]


class MemberOut(Schema):
    id: int
    practitioner_id: int
    practitioner_name: str
    organisation_id: int
    organisation_name: str
    role_in_team: str
    is_lead_professional: bool
    joined_on: datetime.date


class OutcomeOut(Schema):
    id: int
    headline: str
    description: str
    need_id: int | None = Field(
        description="The assessed need (assessment contribution) this outcome answers, if any"
    )


class ActionOut(Schema):
    id: int
    description: str
    owner: str = Field(description='"family", or the owning team member\'s id')
    owner_name: str
    outcome_id: int | None
    due_on: datetime.date
    status: str
    overdue: bool = Field(description="Derived: open and past its due date")
    progress_note: str
    version: int


class PlanOut(Schema):
    id: int
    status: str
    family_words: str
    review_on: datetime.date | None
    version: int
    outcomes: list[OutcomeOut]
    actions: list[ActionOut]


class TeamOut(Schema):
    family_id: int
    members: list[MemberOut]
    lead_professional_member_id: int | None
    lead_professional_version: int = Field(description="Send back when naming, to avoid races")


def _member_out(m: TeamAroundFamilyMember) -> MemberOut:
    return MemberOut(
        id=m.pk,
        practitioner_id=m.practitioner_id,
        practitioner_name=str(m.practitioner),
        organisation_id=m.organisation_id,
        organisation_name=m.organisation.name,
        role_in_team=m.role_in_team,
        is_lead_professional=m.is_lead_professional,
        joined_on=m.joined_on,
    )


def _team_out(view: FamilyPlanView) -> TeamOut:
    return TeamOut(
        family_id=view.family.pk,
        members=[_member_out(m) for m in view.members],
        lead_professional_member_id=view.lead.pk if view.lead else None,
        lead_professional_version=view.lead_version,
    )


def _plan_out(view: FamilyPlanView) -> PlanOut:
    if view.plan is None:
        raise NotFoundOrForbidden
    return PlanOut(
        id=view.plan.pk,
        status=view.plan.status,
        family_words=view.plan.family_words,
        review_on=view.plan.review_on,
        version=view.plan.version,
        outcomes=[
            OutcomeOut(id=o.pk, headline=o.headline, description=o.description, need_id=o.need_id)
            for o in view.outcomes
        ],
        actions=[
            ActionOut(
                id=r.action.pk,
                description=r.action.description,
                owner="family" if r.action.owner_is_family else str(r.action.owner_member_id),
                owner_name=r.owner_name,
                outcome_id=r.action.outcome_id,
                due_on=r.action.due_on,
                status=r.action.status,
                overdue=r.overdue,
                progress_note=r.action.progress_note,
                version=r.action.version,
            )
            for r in view.actions
        ],
    )


def _view(request: HttpRequest, family_id: int) -> FamilyPlanView:
    return selectors.family_plan_view(
        actor=api_actor(request), family_id=family_id, request=request
    )


class LeadProfessionalIn(Input):
    member_id: RecordId
    family_view: LongText
    reason: LongText = ""
    version: int | None = Field(None, description="lead_professional_version as last read")


class TeamMemberIn(Input):
    practitioner_id: RecordId = Field(
        description="A practitioner of an agency working with the family today, or (with "
        "personal_adviser_for and parent_agreed) a parent's personal adviser"
    )
    organisation_id: RecordId | None = Field(
        None, description="The agency they join for; one they work for (found if not sent)"
    )
    role_in_team: Annotated[Text, Field(max_length=200)] = ""
    joined_on: IsoDate | None = Field(None, description="Today if not sent; never in the future")
    personal_adviser_for: RecordId | None = Field(
        None, description="The parent (person id) whose leaving care personal adviser this is"
    )
    parent_agreed: bool = Field(
        False, description="The parent agrees to their personal adviser joining (R-CL-2)"
    )


class TeamMemberEndIn(Input):
    left_on: IsoDate | None = Field(None, description="Today if not sent")


class PlanStartIn(Input):
    family_words: LongText


class PlanAgreeIn(Input):
    version: int
    review_on: IsoDate | None = None


class OutcomeIn(Input):
    version: int
    headline: Annotated[str, Field(max_length=40)] = Field(
        "", description="A Supporting Families headline; the need's own when empty and need_id sent"
    )
    description: LongText
    need_id: RecordId | None = Field(
        None,
        description="An assessed need of the family (an assessment contribution with a need) "
        "the caller may read; 422 naming need otherwise",
    )


class ActionIn(Input):
    version: int
    description: LongText
    owner: Annotated[str, Field(max_length=20, description='"family" or a team member\'s id')]
    due_on: IsoDate | None = None
    outcome_id: RecordId | None = None


class ActionUpdateIn(Input):
    version: int
    status: Annotated[str, Field(max_length=20)]
    progress_note: LongText = ""


@router.get("/families/{record_id:family_id}/team", **operation(READ, {200: TeamOut}))
def plans_team_get(request: HttpRequest, family_id: int) -> TeamOut:
    """The team around the family and its lead professional (R-WT-5)."""
    return _team_out(_view(request, family_id))


@router.post(
    "/families/{record_id:family_id}/lead-professional",
    **operation(WRITE, {200: TeamOut}, body=True, conflict=True),
)
def plans_lead_professional_name(
    request: HttpRequest, family_id: int, payload: LeadProfessionalIn
) -> TeamOut:
    """Name (or hand over to) a current team member as lead professional, with the family's
    say; a hand-over needs a reason (R-WT-5)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    services.lead_professional_name(
        actor=actor,
        family=family,
        member_id=payload.member_id,
        family_view=payload.family_view,
        reason=payload.reason,
        version=payload.version,
    )
    return _team_out(selectors.family_plan_for(family=family))


@router.get(
    "/families/{record_id:family_id}/team-members", **operation(READ, {200: list[MemberOut]})
)
def plans_team_member_list(request: HttpRequest, family_id: int) -> list[MemberOut]:
    """The current members of the team around the family, the lead professional flagged."""
    return [_member_out(m) for m in _view(request, family_id).members]


def _renamed(problem: ValidationProblem) -> ValidationProblem:
    """The services name fields as the pages do; the API body says ``practitioner_id``."""
    names = {"practitioner": "practitioner_id", "organisation": "organisation_id"}
    return ValidationProblem({names.get(k, k): v for k, v in problem.errors.items()})


@router.post(
    "/families/{record_id:family_id}/team-members",
    **operation(WRITE, {201: TeamOut}, body=True),
)
def plans_team_member_add(
    request: HttpRequest, family_id: int, payload: TeamMemberIn
) -> Status[TeamOut]:
    """Add a member: a practitioner of an agency working with the family or one of its
    members today (R-WT-5), or a parent's leaving care personal adviser where the parent
    agrees (R-CL-2: ``personal_adviser_for`` and ``parent_agreed``)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    practitioner = User.objects.filter(pk=payload.practitioner_id).first()
    organisation = (
        Organisation.objects.filter(pk=payload.organisation_id).first()
        if payload.organisation_id is not None
        else None
    )
    errors: dict[str, list[str]] = {}
    if practitioner is None:
        errors["practitioner_id"] = ["Send the id of an active practitioner"]
    if payload.organisation_id is not None and organisation is None:
        errors["organisation_id"] = ["Send the id of an agency the practitioner works for"]
    parent: Person | None = None
    if payload.personal_adviser_for is not None:
        # The service checks that this is a current parent in the family.
        parent = Person.objects.filter(pk=payload.personal_adviser_for).first()
        if parent is None:
            errors["personal_adviser_for"] = [CHOOSE_PARENT]
    elif practitioner is not None and not errors:
        involved = [
            c
            for c in team_candidates(family=family, today=timezone.localdate(), exclude_team=False)
            if c.practitioner.pk == practitioner.pk
            and (organisation is None or c.organisation.pk == organisation.pk)
        ]
        if not involved:
            errors["practitioner_id"] = [NOT_INVOLVED]
        else:
            organisation = involved[0].organisation
    if errors:
        raise ValidationProblem(errors)
    assert practitioner is not None
    try:
        team_member_add(
            actor=actor,
            family=family,
            practitioner=practitioner,
            organisation=organisation,
            role_in_team=payload.role_in_team,
            joined_on=payload.joined_on,
            personal_adviser_for=parent,
            parent_agreed=payload.parent_agreed,
        )
    except ValidationProblem as problem:
        raise _renamed(problem) from problem
    return Status(201, _team_out(selectors.family_plan_for(family=family)))


@router.post(
    "/team-members/{record_id:team_member_id}/end",
    **operation(WRITE, {200: TeamOut}, body=True),
)
def plans_team_member_end(
    request: HttpRequest, team_member_id: int, payload: TeamMemberEndIn
) -> TeamOut:
    """End a membership (on ``left_on``, today if not sent). A lead professional who leaves
    is no longer the lead and the no-lead check runs (R-WT-5)."""
    actor = api_actor(request)
    member = TeamAroundFamilyMember.objects.filter(pk=team_member_id).first()
    if member is None:
        raise NotFoundOrForbidden
    family = people_selectors.family_get(actor=actor, family_id=member.family_id, request=request)
    member.family = family
    team_member_end(actor=actor, member=member, left_on=payload.left_on)
    return _team_out(selectors.family_plan_for(family=family))


@router.get("/families/{record_id:family_id}/plan", **operation(READ, {200: PlanOut}))
def plans_plan_get(request: HttpRequest, family_id: int) -> PlanOut:
    """The family's active plan, with outcomes and actions (overdue derived)."""
    return _plan_out(_view(request, family_id))


@router.post("/families/{record_id:family_id}/plan", **operation(WRITE, {201: PlanOut}, body=True))
def plans_plan_start(request: HttpRequest, family_id: int, payload: PlanStartIn) -> Status[PlanOut]:
    """Start the family's plan in their words (R-WT-6); one active plan at a time."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    services.plan_start(actor=actor, family=family, family_words=payload.family_words)
    return Status(201, _plan_out(selectors.family_plan_for(family=family)))


@router.post(
    "/plans/{record_id:plan_id}/agreement",
    **operation(WRITE, {200: PlanOut}, body=True, conflict=True),
)
def plans_plan_agree(request: HttpRequest, plan_id: int, payload: PlanAgreeIn) -> PlanOut:
    """Agree the plan: needs a lead professional and a future review date (R-EHA-2)."""
    actor = api_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id, request=request)
    services.plan_agree(
        actor=actor, plan=plan, version=payload.version, review_on=payload.review_on
    )
    return _plan_out(selectors.family_plan_for(family=plan.family))


@router.post(
    "/plans/{record_id:plan_id}/outcomes",
    **operation(WRITE, {201: PlanOut}, body=True, conflict=True),
)
def plans_outcome_add(request: HttpRequest, plan_id: int, payload: OutcomeIn) -> Status[PlanOut]:
    """Add an outcome linked to a Supporting Families headline (R-SF-1) and, with
    ``need_id``, to the assessed need it answers (need-to-know, R-IS-12)."""
    actor = api_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id, request=request)
    services.outcome_add(
        actor=actor,
        plan=plan,
        version=payload.version,
        headline=payload.headline,
        description=payload.description,
        need_id=payload.need_id,
    )
    return Status(201, _plan_out(selectors.family_plan_for(family=plan.family)))


@router.post(
    "/plans/{record_id:plan_id}/actions",
    **operation(WRITE, {201: PlanOut}, body=True, conflict=True),
)
def plans_action_add(request: HttpRequest, plan_id: int, payload: ActionIn) -> Status[PlanOut]:
    """Add a SMART action: an owner (a team member's id or "family") and a due date not in
    the past (R-EHA-2)."""
    actor = api_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id, request=request)
    services.action_add(
        actor=actor,
        plan=plan,
        version=payload.version,
        description=payload.description,
        owner=payload.owner,
        due_on=payload.due_on,
        outcome_id=payload.outcome_id,
    )
    return Status(201, _plan_out(selectors.family_plan_for(family=plan.family)))


@router.post(
    "/plan-actions/{record_id:plan_action_id}",
    **operation(WRITE, {200: PlanOut}, body=True, conflict=True),
)
def plans_action_update(
    request: HttpRequest, plan_action_id: int, payload: ActionUpdateIn
) -> PlanOut:
    """The owner (or the lead professional) records progress on an action."""
    actor = api_actor(request)
    action = selectors.action_get(actor=actor, action_id=plan_action_id, request=request)
    services.action_update(
        actor=actor,
        action=action,
        version=payload.version,
        status=payload.status,
        progress_note=payload.progress_note,
    )
    return _plan_out(selectors.family_plan_for(family=action.plan.family))
