"""Reviews of the plan over /api/v1/: the same services and selectors as the pages
(R-EHA-3, R-EHA-4, R-LON-2, R-SF-2).

Every operation acts as the calling account: a plan or family it may not see is the same 404
problem as one that does not exist. A stale plan ``version`` is a 409 conflict, never an
overwrite; bad input is a 422 problem with per-field errors and nothing saved.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.accounts.models import User
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels.services import receiving_practitioners
from earlyhelp.people.api import IsoDate
from earlyhelp.plans import selectors as plan_selectors
from earlyhelp.reviews import selectors, services
from earlyhelp.reviews.models import PlanClosure, PlanReview

router = Router(tags=["Reviews"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=5000)]
Code = Annotated[str, Field(max_length=40)]


class ProgressOut(Schema):
    outcome_id: int
    outcome: str
    progress: str
    note: str


class ReviewOut(Schema):
    id: int
    plan_id: int
    held_on: datetime.date
    family_view: str
    decision: str
    rationale: str
    next_review_on: datetime.date | None
    level_decision_id: int | None
    recorded_by_name: str
    progress: list[ProgressOut]


class ReviewListOut(Schema):
    plan_id: int
    plan_status: str
    plan_version: int = Field(description="Send back when recording a review")
    review_on: datetime.date | None = Field(description="The stored next review due date")
    review_overdue: bool = Field(description="Derived: an agreed plan past its review date")
    reviews: list[ReviewOut]


class ClosureOutcomeOut(Schema):
    outcome_id: int
    outcome: str
    result: str


class ClosureOut(Schema):
    plan_id: int
    reason: str
    closed_on: datetime.date
    review_id: int
    outcomes: list[ClosureOutcomeOut]


class ConditionOut(Schema):
    code: str
    met: bool
    text: str


class SuccessfulOutcomeOut(Schema):
    family_id: int
    plan_id: int
    plan_status: str
    successful: bool
    waiting: bool = Field(description="Everything met but the six months after closure")
    sustained_on: datetime.date | None
    reasons: list[str]
    conditions: list[ConditionOut]


class ProgressIn(Input):
    outcome_id: RecordId
    progress: Code
    note: LongText = ""


class ClosureResultIn(Input):
    outcome_id: RecordId
    result: Code


class ReviewIn(Input):
    version: int
    held_on: IsoDate | None = None
    family_view: LongText
    decision: Code
    progress: list[ProgressIn] = Field(default_factory=list, max_length=100)
    next_review_on: IsoDate | None = Field(
        None, description="Blank: one interval after the review, from the level of need"
    )
    rationale: LongText = ""
    decided_level: Code = Field("", description="Stepping up or down: the new level's code")
    handover: LongText = ""
    receiving_practitioner_id: RecordId | None = None
    indicator_codes: list[Code] | None = Field(
        None, max_length=200, description="Stepping: blank keeps the current level's indicators"
    )
    closure_reason: Code = ""
    closure_results: list[ClosureResultIn] = Field(default_factory=list, max_length=100)


def _review_out(review: PlanReview) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        plan_id=review.plan_id,
        held_on=review.held_on,
        family_view=review.family_view,
        decision=review.decision,
        rationale=review.rationale,
        next_review_on=review.next_review_on,
        level_decision_id=review.level_decision_id,
        recorded_by_name=review.recorded_by.full_name,
        progress=[
            ProgressOut(
                outcome_id=p.outcome_id,
                outcome=p.outcome.description,
                progress=p.progress,
                note=p.note,
            )
            for p in review.progress.all()
        ],
    )


def _receiving(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    found = next((u for u in receiving_practitioners() if u.pk == user_id), None)
    if found is None:
        raise ValidationProblem(
            {"receiving_practitioner_id": ["Select an active practitioner from the list"]}
        )
    return found


@router.get("/plans/{record_id:plan_id}/reviews", **operation(READ, {200: ReviewListOut}))
def reviews_list(request: HttpRequest, plan_id: int) -> ReviewListOut:
    """The plan's reviews, newest first, with its stored next review date and whether it is
    overdue (derived, R-EHA-3)."""
    view = selectors.plan_reviews_view(actor=api_actor(request), plan_id=plan_id, request=request)
    return ReviewListOut(
        plan_id=view.plan.pk,
        plan_status=view.plan.status,
        plan_version=view.plan.version,
        review_on=view.plan.review_on,
        review_overdue=view.overdue,
        reviews=[_review_out(r) for r in view.reviews],
    )


@router.post(
    "/plans/{record_id:plan_id}/reviews",
    **operation(WRITE, {201: ReviewOut}, body=True, conflict=True),
)
def reviews_record(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Status[ReviewOut]:
    """Record a review of an agreed plan: progress for every need (better, same or worse),
    the family's view and the decision (R-EHA-3). Stepping up or down records a level
    decision with its handover and receiving practitioner (R-LON-2); closing needs a reason
    and an outcome for every need (R-EHA-4)."""
    actor = api_actor(request)
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, request=request)
    review = services.review_record(
        actor=actor,
        plan=plan,
        version=payload.version,
        held_on=payload.held_on,
        family_view=payload.family_view,
        decision=payload.decision,
        progress={p.outcome_id: p.progress for p in payload.progress},
        notes={p.outcome_id: p.note for p in payload.progress if p.note},
        next_review_on=payload.next_review_on,
        rationale=payload.rationale,
        decided_level_code=payload.decided_level,
        handover=payload.handover,
        receiving_practitioner=_receiving(payload.receiving_practitioner_id),
        indicator_codes=payload.indicator_codes,
        closure_reason=payload.closure_reason,
        closure_results={r.outcome_id: r.result for r in payload.closure_results},
    )
    return Status(201, _review_out(PlanReview.objects.get(pk=review.pk)))


@router.get("/plans/{record_id:plan_id}/closure", **operation(READ, {200: ClosureOut}))
def reviews_closure_get(request: HttpRequest, plan_id: int) -> ClosureOut:
    """How and why the plan closed, with the outcome for each need (R-EHA-4); 404 while open."""
    view = selectors.plan_reviews_view(actor=api_actor(request), plan_id=plan_id, request=request)
    closure: PlanClosure | None = view.closure
    if closure is None:
        raise NotFoundOrForbidden
    return ClosureOut(
        plan_id=view.plan.pk,
        reason=closure.reason,
        closed_on=closure.closed_on,
        review_id=closure.review_id,
        outcomes=[
            ClosureOutcomeOut(
                outcome_id=o.outcome_id, outcome=o.outcome.description, result=o.result
            )
            for o in closure.outcomes.all()
        ],
    )


@router.get(
    "/families/{record_id:family_id}/successful-outcome",
    **operation(READ, {200: SuccessfulOutcomeOut}),
)
def reviews_successful_outcome_get(request: HttpRequest, family_id: int) -> SuccessfulOutcomeOut:
    """The Supporting Families successful outcome for the family's latest plan (R-SF-2):
    computed from the records, never ticked, with every condition and why. 404 without a
    plan."""
    found = selectors.family_successful_outcome_get(
        actor=api_actor(request), family_id=family_id, request=request
    )
    if found is None:
        raise NotFoundOrForbidden
    outcome = found.outcome
    return SuccessfulOutcomeOut(
        family_id=family_id,
        plan_id=found.plan.pk,
        plan_status=found.plan.status,
        successful=outcome.successful,
        waiting=outcome.waiting,
        sustained_on=outcome.sustained_on,
        reasons=outcome.reasons,
        conditions=[ConditionOut(code=c.code, met=c.met, text=c.text) for c in outcome.conditions],
    )
