"""Writes for see, plan, do, review: recording a review of the plan, and closing it.

``review_record`` checks the sharing policy and the plan's version first (plans.services
plan_lock: a family the actor may not see is NotFoundOrForbidden, a stale version
EditConflict), then every rule, and only then writes: the review with its progress per need,
the level decision of a step up or down with its handover (levels.services, R-LON-2), the
closure with its outcome per need (R-EHA-4), the plan's next review date (R-EHA-3), the
chronology entry, the audit event and the team's alerts, all in one transaction. Any
refusal leaves nothing saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record, recording_organisation
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.levels.models import FrameworkLevel, LevelDecision
from earlyhelp.levels.services import level_decision_record
from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import Plan, PlanStatus, TeamAroundFamilyMember
from earlyhelp.reviews import rules
from earlyhelp.reviews.models import ClosureOutcome, PlanClosure, PlanReview, ReviewProgress

REVIEW_ALERT = "reviews.recorded"
NOTE_MAX = 5000


def _new_level_rank(current: LevelDecision | None, code: str) -> int | None:
    """The rank of the level ``code`` in the current decision's framework, if it has one."""
    if current is None or not code:
        return None
    level = FrameworkLevel.objects.filter(framework_id=current.framework_id, code=code).first()
    return level.rank if level is not None else None


def _recorded_indicators(decision: LevelDecision) -> list[str]:
    """The indicators the practitioner recorded for a decision (not those they implied)."""
    return [
        i.indicator.code
        for i in decision.indicators.select_related("indicator").filter(implied_by="")
    ]


@transaction.atomic
def review_record(
    *,
    actor: User,
    plan: Plan,
    version: int,
    held_on: datetime.date | None,
    family_view: str,
    decision: str,
    progress: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
    next_review_on: datetime.date | None = None,
    rationale: str = "",
    decided_level_code: str = "",
    handover: str = "",
    receiving_practitioner: User | None = None,
    indicator_codes: Sequence[str] | None = None,
    closure_reason: str = "",
    closure_results: Mapping[int, str] | None = None,
) -> PlanReview:
    """Record a review of an agreed plan (R-EHA-3) and carry out its decision.

    ``progress`` and ``notes`` are by need (plan outcome id); so is ``closure_results``.
    Continue: the next review is ``next_review_on`` or, when not given, one interval after
    the review from the family's level of need. Step up or down (R-LON-2): a level decision
    under the framework in force, with its rationale, handover and receiving practitioner;
    its indicators are ``indicator_codes`` or, when not given, those recorded for the
    current level. Close (R-EHA-4): a reason from the catalogue and an outcome for every
    need; the plan closes on the day the review was held. Closing with a new level (a step
    down to universal services, or up to social care) records that level decision and its
    handover too.
    """
    plan = plan_services.plan_lock(actor=actor, plan=plan, version=version)
    family = plan.family
    today = timezone.localdate()
    notes = notes or {}
    closure_results = closure_results or {}
    errors: dict[str, list[str]] = {}
    if plan.status != PlanStatus.AGREED:
        raise ValidationProblem({"__all__": ["Agree the plan with the family before reviewing it"]})
    needs = list(plan.outcomes.all())
    need_ids = [n.pk for n in needs]
    current = (
        LevelDecision.objects.filter(family=family)
        .select_related("decided_level", "framework")
        .first()
    )
    intervals = plan_services.review_intervals()
    new_rank = _new_level_rank(current, decided_level_code)
    stepping = decision in rules.STEPS
    level_code_after = (
        decided_level_code
        if stepping and new_rank is not None
        else (current.decided_level.code if current is not None else None)
    )
    latest = (
        rules.next_review_due(held_on, level_code_after, intervals) if held_on is not None else None
    )
    errors.update(
        rules.review_problems(
            need_ids=need_ids,
            progress=progress,
            family_view=family_view,
            decision=decision,
            held_on=held_on,
            agreed_on=timezone.localdate(plan.agreed_at) if plan.agreed_at else None,
            next_review_on=next_review_on,
            latest_next_review_on=latest,
            today=today,
        )
    )
    for need_id, note in notes.items():
        if len(note) > NOTE_MAX:
            errors[f"note_{need_id}"] = [f"Enter {NOTE_MAX} characters or fewer"]
    errors.update(
        rules.step_problems(
            decision=decision,
            current_rank=current.decided_level.rank if current is not None else None,
            new_rank=new_rank,
        )
    )
    if stepping and decided_level_code and new_rank is None and "decision" not in errors:
        errors["decided_level"] = ["Select a level from the threshold framework"]
    closing = decision == rules.Decision.CLOSE
    if closing:
        errors.update(
            rules.closure_problems(
                need_ids=need_ids, results=closure_results, reason=closure_reason
            )
        )
        if decided_level_code:  # R-EHA-4: closing with a step down (or up) and its handover
            errors.update(
                rules.closing_step_problems(
                    current_rank=current.decided_level.rank if current is not None else None,
                    new_rank=new_rank,
                )
            )
    if errors:
        raise ValidationProblem(errors)
    assert held_on is not None and latest is not None

    level_decision = None
    if stepping or (closing and decided_level_code):
        assert current is not None
        level_decision = level_decision_record(
            actor=actor,
            family=family,
            indicator_codes=list(indicator_codes)
            if indicator_codes
            else _recorded_indicators(current),
            decided_level_code=decided_level_code,
            rationale=rationale,
            handover=handover,
            receiving_practitioner=receiving_practitioner,
        )
    next_on = None if closing else (next_review_on or latest)
    review = PlanReview.objects.create(
        plan=plan,
        held_on=held_on,
        family_view=family_view.strip(),
        decision=decision,
        rationale=rationale.strip(),
        next_review_on=next_on,
        level_decision=level_decision,
        recorded_by=actor,
        recorded_by_organisation=recording_organisation(actor),
    )
    ReviewProgress.objects.bulk_create(
        [
            ReviewProgress(
                review=review,
                outcome_id=need_id,
                progress=progress[need_id],
                note=notes.get(need_id, "").strip(),
            )
            for need_id in need_ids
        ]
    )
    decision_label = rules.DECISION_LABELS[rules.Decision(decision)]
    if closing:
        closure = PlanClosure.objects.create(
            plan=plan,
            review=review,
            reason=closure_reason,
            closed_on=held_on,
            recorded_by=actor,
        )
        ClosureOutcome.objects.bulk_create(
            [
                ClosureOutcome(closure=closure, outcome_id=need_id, result=closure_results[need_id])
                for need_id in need_ids
            ]
        )
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
        reason_label = rules.CLOSURE_REASON_LABELS[rules.ClosureReason(closure_reason)]
        summary = f"Plan reviewed and closed: {reason_label.lower()}"
    else:
        Plan.objects.filter(pk=plan.pk).update(review_on=next_on)
        summary = f"Plan reviewed: {decision_label.lower()}; next review {next_on:%-d %B %Y}"
    plan_services.plan_version_bump(plan)
    plan.refresh_from_db(fields=["status", "review_on"])
    chronology_record(
        actor=actor,
        family=family,
        occurred_on=held_on,
        kind=EntryKind.REVIEW,
        summary=summary,
        source=review,
    )
    audit_record(
        actor=actor,
        action="plan_review.record",
        obj=review,
        summary=f"{family.name}: {summary}",
        changes={
            "plan_id": plan.pk,
            "decision": decision,
            "progress": {str(k): progress[k] for k in need_ids},
            "next_review_on": next_on.isoformat() if next_on else None,
            "level_decision_id": level_decision.pk if level_decision else None,
            "closure_reason": closure_reason if closing else None,
            "closure_results": {str(k): closure_results[k] for k in need_ids} if closing else None,
        },
    )
    members = User.objects.filter(
        team_memberships__family=family,
        team_memberships__left_on__isnull=True,
        is_active=True,
    ).exclude(pk=actor.pk)
    alert_raise(
        recipients=list(members),
        kind=REVIEW_ALERT,
        title=f"{family.name}: the plan was reviewed",
        body=f"{actor.full_name} recorded a review: {decision_label.lower()}.",
        url=reverse("reviews:plan_reviews", kwargs={"plan_pk": plan.pk}),
        dedupe_key=f"{REVIEW_ALERT}:{review.pk}",
    )
    return review


def team_member_ids(plan: Plan) -> set[int]:
    """The practitioners in the plan's team now (for tests and the demo)."""
    return set(
        TeamAroundFamilyMember.objects.filter(
            family_id=plan.family_id, left_on__isnull=True
        ).values_list("practitioner_id", flat=True)
    )
