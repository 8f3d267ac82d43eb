"""Reads for reviews: a plan's reviews and closure, the family panel's summary and the
Supporting Families successful outcome (R-EHA-3, R-EHA-4, R-SF-2).

The plan's family is checked and the look recorded by plans.selectors.plan_get (a missing
and a forbidden plan are both NotFoundOrForbidden); the family panel's family was already
authorised and recorded by the family page.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from earlyhelp.assessments.models import Assessment, AssessmentStatus
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.rules import Direction
from earlyhelp.people import selectors as people_selectors
from earlyhelp.plans import selectors as plan_selectors
from earlyhelp.plans.models import (
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
)
from earlyhelp.plans.rules import OPEN_ACTION_STATUSES
from earlyhelp.reviews import rules
from earlyhelp.reviews.models import ClosureOutcome, PlanClosure, PlanReview, ReviewProgress

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


def _reviews(plan: Plan) -> list[PlanReview]:
    return list(
        PlanReview.objects.filter(plan=plan)
        .select_related(
            "recorded_by",
            "recorded_by_organisation",
            "level_decision__decided_level",
            "level_decision__receiving_practitioner",
        )
        .prefetch_related(
            Prefetch("progress", queryset=ReviewProgress.objects.select_related("outcome"))
        )
    )


def closure_for(plan: Plan) -> PlanClosure | None:
    return (
        PlanClosure.objects.filter(plan=plan)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=ClosureOutcome.objects.select_related("outcome"))
        )
        .first()
    )


@dataclass(frozen=True)
class PlanReviewsView:
    plan: Plan
    outcomes: list[PlanOutcome]
    reviews: list[PlanReview]
    closure: PlanClosure | None
    overdue: bool
    current_level: LevelDecision | None


def plan_reviews_view(
    *, actor: User, plan_id: int, request: HttpRequest | None = None
) -> PlanReviewsView:
    """A plan the actor may see (the look recorded), its needs, reviews and closure."""
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, request=request)
    return PlanReviewsView(
        plan=plan,
        outcomes=list(plan.outcomes.all()),
        reviews=_reviews(plan),
        closure=closure_for(plan),
        overdue=rules.review_is_overdue(
            review_on=plan.review_on, plan_status=plan.status, today=timezone.localdate()
        ),
        current_level=LevelDecision.objects.filter(family_id=plan.family_id)
        .select_related("decided_level", "framework")
        .first(),
    )


# --- The Supporting Families successful outcome (R-SF-2) -----------------------------------


def cycle_facts(plan: Plan) -> rules.CycleFacts:
    """What the records say about the plan's cycle (rules.successful_outcome decides)."""
    family_id = plan.family_id
    closure = closure_for(plan)
    results = {c.outcome_id: c.result for c in closure.outcomes.all()} if closure else {}
    actions = list(PlanAction.objects.filter(plan=plan).values_list("outcome_id", "status"))
    per_need = Counter(outcome_id for outcome_id, _ in actions)
    done = Counter(outcome_id for outcome_id, status in actions if status == "done")
    needs = [
        rules.NeedFacts(
            headline=o.headline,
            actions=per_need[o.pk],
            actions_done=done[o.pk],
            result=results.get(o.pk),
        )
        for o in plan.outcomes.all()
    ]
    closed_on = closure.closed_on if closure else None
    new_support = False
    if closure is not None:
        # Anything that came in after the closure was recorded.
        after = closure.recorded_at
        new_support = (
            RequestForSupport.objects.filter(family_id=family_id, received_at__gt=after).exists()
            or LevelDecision.objects.filter(
                family_id=family_id, direction=Direction.UP, decided_at__gt=after
            ).exists()
        )
    return rules.CycleFacts(
        needs=needs,
        open_actions=sum(1 for _, status in actions if status in OPEN_ACTION_STATUSES),
        whole_family_assessment_signed_off=Assessment.objects.filter(
            family_id=family_id, status=AssessmentStatus.SIGNED_OFF
        ).exists(),
        had_lead_professional=LeadProfessionalHandover.objects.filter(
            family_id=family_id, to_member__isnull=False
        ).exists(),
        closed_on=closed_on,
        new_support_since_closure=new_support,
    )


@dataclass(frozen=True)
class FamilyOutcome:
    plan: Plan
    outcome: rules.SuccessfulOutcome


def family_successful_outcome(
    *, family: Family, today: datetime.date | None = None
) -> FamilyOutcome | None:
    """R-SF-2 for the family's latest plan (closed or not), or None when it has no plan.
    The family was already authorised by the caller."""
    plan = Plan.objects.filter(family=family).order_by("-created_at", "-pk").first()
    if plan is None:
        return None
    return FamilyOutcome(
        plan=plan,
        outcome=rules.successful_outcome(cycle_facts(plan), today or timezone.localdate()),
    )


def family_successful_outcome_get(
    *, actor: User, family_id: int, request: HttpRequest | None = None
) -> FamilyOutcome | None:
    """The same, for a family the actor may see (the look recorded); otherwise 404."""
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return family_successful_outcome(family=family)


# --- The family page's panel ---------------------------------------------------------------


@dataclass(frozen=True)
class FamilyReviewPanel:
    plan: Plan | None
    review_on: datetime.date | None
    overdue: bool
    last_review: PlanReview | None
    outcome: FamilyOutcome | None

    @property
    def link_plan(self) -> Plan | None:
        """The plan whose reviews the panel links to: the active one, else the last closed."""
        return self.plan or (self.outcome.plan if self.outcome else None)


def family_review_panel(*, family: Family) -> FamilyReviewPanel:
    """Next review due, overdue, the last decision and (once closed) the successful outcome.
    The family page has already authorised and recorded the look."""
    today = timezone.localdate()
    active = Plan.objects.filter(family=family).exclude(status=PlanStatus.CLOSED).first()
    last = (
        PlanReview.objects.filter(plan__family=family)
        .select_related("plan")
        .order_by("-held_on", "-recorded_at", "-pk")
        .first()
    )
    latest_closed = (
        Plan.objects.filter(family=family, status=PlanStatus.CLOSED)
        .order_by("-created_at", "-pk")
        .first()
    )
    outcome = (
        FamilyOutcome(
            plan=latest_closed,
            outcome=rules.successful_outcome(cycle_facts(latest_closed), today),
        )
        if active is None and latest_closed is not None
        else None
    )
    return FamilyReviewPanel(
        plan=active,
        review_on=active.review_on if active else None,
        overdue=rules.review_is_overdue(
            review_on=active.review_on if active else None,
            plan_status=active.status if active else "",
            today=today,
        ),
        last_review=last,
        outcome=outcome,
    )
