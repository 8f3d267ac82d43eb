"""What the reviews app adds to the fictional demo partnership (earlyhelp.core.demo).

Some agreed demo plans have had one or two reviews (the next review date set by the last),
a few are overdue for review (R-EHA-3), and one family's plan was closed two months ago with
every need achieved: a Supporting Families successful outcome in waiting until six months
after closure (R-EHA-4, R-SF-2).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from earlyhelp.assessments.models import Assessment, AssessmentStatus
from earlyhelp.people.models import FamilyMember
from earlyhelp.plans.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    TeamAroundFamilyMember,
)
from earlyhelp.reviews.models import (
    ClosureOutcome,
    PlanClosure,
    PlanReview,
    ReviewProgress,
)
from earlyhelp.reviews.rules import ClosureReason, Decision, NeedResult, Progress

REVIEWED_SHARE = 0.4
OVERDUE_PLANS = 4
FAMILY_VIEWS = [
    "Things feel calmer since the last meeting",
    "Still worried about the flat, but the baby's checks are done",
    "We know who to ring now",
]
MORE_NEEDS = [
    ("health", "Chloe sees her GP about how she is feeling"),
    ("financial_stability", "Benefits sorted and rent paid every month"),
]


def _lead(plan: Plan) -> TeamAroundFamilyMember | None:
    return TeamAroundFamilyMember.objects.filter(
        family_id=plan.family_id, is_lead_professional=True, left_on__isnull=True
    ).first()


def _review(
    plan: Plan,
    lead: TeamAroundFamilyMember,
    held_on: datetime.date,
    rng: random.Random,
    decision: Decision = Decision.CONTINUE,
) -> PlanReview:
    review = PlanReview.objects.create(
        plan=plan,
        held_on=held_on,
        family_view=rng.choice(FAMILY_VIEWS),
        decision=decision,
        next_review_on=None
        if decision == Decision.CLOSE
        else held_on + datetime.timedelta(weeks=6),
        recorded_by_id=lead.practitioner_id,
        recorded_by_organisation_id=lead.organisation_id,
    )
    ReviewProgress.objects.bulk_create(
        ReviewProgress(
            review=review,
            outcome=outcome,
            progress=Progress.BETTER if decision == Decision.CLOSE else rng.choice(list(Progress)),
        )
        for outcome in plan.outcomes.all()
    )
    return review


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo plans already saved. Deterministic given ``today``.

    Draws from its own generator so that the shared ``rng`` is unchanged by this app.
    """
    own = random.Random(today.toordinal() + 5)
    plans = list(Plan.objects.filter(status=PlanStatus.AGREED).order_by("pk"))
    if not plans:
        return
    with_assessment = set(
        Assessment.objects.filter(family_id__in=[p.family_id for p in plans]).values_list(
            "family_id", flat=True
        )
    )
    closing = next((p for p in plans if p.family_id not in with_assessment), plans[0])
    rest = [p for p in plans if p.pk != closing.pk]
    for plan in rest[:OVERDUE_PLANS]:
        Plan.objects.filter(pk=plan.pk).update(
            review_on=today - datetime.timedelta(days=own.randint(1, 20)),
            agreed_at=timezone.now() - datetime.timedelta(weeks=8),
        )
    for plan in rest[OVERDUE_PLANS:]:
        lead = _lead(plan)
        if lead is None or own.random() >= REVIEWED_SHARE:
            continue
        count = own.choice([1, 2])
        first = today - datetime.timedelta(weeks=6 * count - 1)
        last = first
        for number in range(count):
            last = first + datetime.timedelta(weeks=6 * number)
            _review(plan, lead, last, own)
        Plan.objects.filter(pk=plan.pk).update(
            review_on=last + datetime.timedelta(weeks=6),
            agreed_at=timezone.now() - datetime.timedelta(weeks=6 * count + 1),
        )
    _closed_successfully(closing, today, own)


def _closed_successfully(plan: Plan, today: datetime.date, rng: random.Random) -> None:
    """One family: three needs across headlines, a signed-off whole-family assessment, every
    action done and every need achieved, closed two months ago (successful in four more)."""
    lead = _lead(plan)
    parent = FamilyMember.objects.filter(family_id=plan.family_id, left_on__isnull=True).first()
    if lead is None or parent is None:
        return
    closed_on = today - datetime.timedelta(weeks=9)
    headlines = set(plan.outcomes.values_list("headline", flat=True))
    for headline, description in MORE_NEEDS:
        if headline in headlines:
            continue
        outcome = PlanOutcome.objects.create(plan=plan, headline=headline, description=description)
        PlanAction.objects.create(
            plan=plan,
            outcome=outcome,
            description=f"First step: {description.lower()}",
            owner_member=lead,
            due_on=closed_on - datetime.timedelta(weeks=4),
            status=ActionStatus.DONE,
            created_by_id=lead.practitioner_id,
        )
    PlanAction.objects.filter(plan=plan).update(status=ActionStatus.DONE)
    if not Assessment.objects.filter(family_id=plan.family_id).exists():
        signed = timezone.now() - datetime.timedelta(weeks=30)
        Assessment.objects.create(
            family_id=plan.family_id,
            status=AssessmentStatus.SIGNED_OFF,
            agreed_by_id=parent.person_id,
            agreed_on=closed_on - datetime.timedelta(weeks=34),
            started_by_id=lead.practitioner_id,
            started_at=signed - datetime.timedelta(weeks=4),
            completed_by_id=lead.practitioner_id,
            completed_at=signed,
            signed_off_by_id=lead.practitioner_id,
            signed_off_at=signed,
        )
    Plan.objects.filter(pk=plan.pk).update(
        review_on=closed_on, agreed_at=timezone.now() - datetime.timedelta(weeks=28)
    )
    _review(plan, lead, closed_on - datetime.timedelta(weeks=6), rng)
    review = _review(plan, lead, closed_on, rng, Decision.CLOSE)
    closure = PlanClosure.objects.create(
        plan=plan,
        review=review,
        reason=ClosureReason.OUTCOMES_MET,
        closed_on=closed_on,
        recorded_by_id=lead.practitioner_id,
    )
    ClosureOutcome.objects.bulk_create(
        ClosureOutcome(closure=closure, outcome=outcome, result=NeedResult.ACHIEVED)
        for outcome in plan.outcomes.all()
    )
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
