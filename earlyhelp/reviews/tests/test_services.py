"""Recording reviews through the service (R-EHA-3, R-EHA-4, R-LON-2, R-SF-2): the next due
date from the level, a stale version refused, a decision without progress for every need
refused, step down with its handover, closure with an outcome per need, nothing half-saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from earlyhelp.alerts.models import Alert
from earlyhelp.assessments.models import Assessment
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.services import level_decision_record
from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import Plan, PlanStatus
from earlyhelp.reviews import selectors, services
from earlyhelp.reviews.models import (
    ClosureOutcome,
    PlanClosure,
    PlanReview,
    ReviewImmutable,
    ReviewProgress,
)
from earlyhelp.reviews.tests.conftest import INDICATORS

pytestmark = pytest.mark.django_db


def _review(cycle: Any, **changes: Any) -> PlanReview:
    cycle.plan.refresh_from_db()
    arguments: dict[str, Any] = {
        "actor": cycle.t.p.maya,
        "plan": cycle.plan,
        "version": cycle.plan.version,
        "held_on": timezone.localdate(),
        "family_view": "Chloe says the flat search is going better",
        "decision": "continue",
        "progress": {cycle.housing.pk: "better", cycle.health.pk: "same"},
    }
    return services.review_record(**(arguments | changes))


def _nothing_saved(cycle: Any, version: int) -> None:
    assert not PlanReview.objects.exists() and not ReviewProgress.objects.exists()
    assert not PlanClosure.objects.exists() and not ClosureOutcome.objects.exists()
    cycle.plan.refresh_from_db()
    assert cycle.plan.version == version and cycle.plan.status == PlanStatus.AGREED
    assert not ChronologyEntry.objects.filter(kind=EntryKind.REVIEW).exists()


def test_plan_agreed_without_a_date_gets_one_from_the_level(cycle) -> None:
    """R-EHA-3: targeted is every 6 weeks by default; the due date is stored."""
    assert cycle.plan.review_on == timezone.localdate() + datetime.timedelta(weeks=6)


def test_continue_sets_the_next_review_alerts_the_team_and_writes_the_chronology(cycle) -> None:
    before = cycle.plan.version
    review = _review(cycle)
    cycle.plan.refresh_from_db()
    assert review.next_review_on == timezone.localdate() + datetime.timedelta(weeks=6)
    assert cycle.plan.review_on == review.next_review_on and cycle.plan.version == before + 1
    assert {p.outcome_id: p.progress for p in review.progress.all()} == {
        cycle.housing.pk: "better",
        cycle.health.pk: "same",
    }
    entry = ChronologyEntry.objects.get(kind=EntryKind.REVIEW)
    assert entry.family == cycle.t.p.ashworth and "continue" in entry.summary.lower()
    assert AuditEvent.objects.filter(action="plan_review.record").count() == 1
    # Hana, in the team, is alerted; Maya recorded it and is not.
    assert set(
        Alert.objects.filter(kind=services.REVIEW_ALERT).values_list("recipient__email", flat=True)
    ) == {"hana@hv.example"}


def test_a_chosen_next_review_no_later_than_the_interval(cycle) -> None:
    soon = timezone.localdate() + datetime.timedelta(weeks=3)
    assert _review(cycle, next_review_on=soon).next_review_on == soon
    cycle.plan.refresh_from_db()
    too_late = timezone.localdate() + datetime.timedelta(weeks=7)
    with pytest.raises(ValidationProblem) as problem:
        _review(cycle, next_review_on=too_late)
    assert "next_review_on" in problem.value.errors


def test_stale_version_is_an_edit_conflict(cycle) -> None:
    """Two people reviewing the same plan: the second gets a clear conflict."""
    version = cycle.plan.version
    _review(cycle)
    with pytest.raises(EditConflict):
        _review(cycle, version=version)
    assert PlanReview.objects.count() == 1


def test_decision_without_progress_for_every_need_is_refused(cycle) -> None:
    """Bad input: a review decision without progress per need; nothing half-saved."""
    version = cycle.plan.version
    with pytest.raises(ValidationProblem) as problem:
        _review(cycle, progress={cycle.housing.pk: "better"})
    assert set(problem.value.errors) == {f"progress_{cycle.health.pk}"}
    _nothing_saved(cycle, version)


def test_closure_without_outcomes_is_refused(cycle) -> None:
    """R-EHA-4 / bad input: a closure without an outcome per need, nothing saved."""
    version = cycle.plan.version
    with pytest.raises(ValidationProblem) as problem:
        _review(cycle, decision="close", closure_reason="outcomes_met", closure_results={})
    assert set(problem.value.errors) == {f"result_{cycle.housing.pk}", f"result_{cycle.health.pk}"}
    with pytest.raises(ValidationProblem) as problem:
        _review(
            cycle,
            decision="close",
            closure_results={cycle.housing.pk: "achieved", cycle.health.pk: "partly"},
        )
    assert set(problem.value.errors) == {"closure_reason"}
    _nothing_saved(cycle, version)


def test_close_records_the_closure_and_closes_the_plan(cycle) -> None:
    review = _review(
        cycle,
        decision="close",
        closure_reason="outcomes_met",
        closure_results={cycle.housing.pk: "achieved", cycle.health.pk: "partly"},
    )
    cycle.plan.refresh_from_db()
    assert cycle.plan.status == PlanStatus.CLOSED and review.next_review_on is None
    closure = PlanClosure.objects.get(plan=cycle.plan)
    assert closure.review == review and closure.closed_on == timezone.localdate()
    assert {o.outcome_id: o.result for o in closure.outcomes.all()} == {
        cycle.housing.pk: "achieved",
        cycle.health.pk: "partly",
    }
    assert "closed" in ChronologyEntry.objects.get(kind=EntryKind.REVIEW).summary
    # A closed plan takes no more reviews, and a new plan may start.
    cycle.plan.refresh_from_db()
    with pytest.raises(ValidationProblem):
        _review(cycle)
    assert plan_services.plan_start(
        actor=cycle.t.p.maya, family=cycle.t.p.ashworth, family_words="Again"
    )


def test_closing_with_a_step_down_to_universal_services(cycle) -> None:
    """R-EHA-4: closure records any step down and its handover (R-LON-2)."""
    results = {cycle.housing.pk: "achieved", cycle.health.pk: "achieved"}
    closing = {
        "decision": "close",
        "closure_reason": "stepped_down_universal",
        "closure_results": results,
        "decided_level_code": "universal",
        "rationale": "Needs met: universal health visiting from now on",
    }
    with pytest.raises(ValidationProblem) as problem:
        _review(cycle, **closing)  # a step without its handover
    assert {"handover", "receiving_practitioner"} <= set(problem.value.errors)
    _nothing_saved(cycle, cycle.plan.version)
    review = _review(
        cycle, **closing, handover="Universal visits only", receiving_practitioner=cycle.t.hana
    )
    assert review.level_decision is not None and review.level_decision.direction == "down"
    assert review.level_decision.decided_level.code == "universal"
    assert PlanClosure.objects.get().reason == "stepped_down_universal"


def test_step_down_records_a_level_decision_with_its_handover(cycle) -> None:
    """R-LON-2: the step down is a level decision with handover and receiving practitioner."""
    review = _review(
        cycle,
        decision="step_down",
        decided_level_code="additional",
        rationale="Housing found: one agency can carry on",
        handover="Hana carries on the health visits; housing is settled",
        receiving_practitioner=cycle.t.hana,
    )
    decision = LevelDecision.objects.first()
    assert decision is not None and review.level_decision == decision
    assert decision.direction == "down" and decision.decided_level.code == "additional"
    assert decision.receiving_practitioner == cycle.t.hana and decision.previous == cycle.level
    # The next review follows the new level's interval (8 weeks at early help).
    assert review.next_review_on == timezone.localdate() + datetime.timedelta(weeks=8)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_level_code": "targeted"}, "decided_level"),  # not below
        ({"decided_level_code": "nonsense"}, "decided_level"),
        ({"handover": ""}, "handover"),
        ({"receiving_practitioner": None}, "receiving_practitioner"),
        ({"rationale": ""}, "rationale"),
    ],
)
def test_a_step_down_missing_something_is_refused_and_nothing_saved(cycle, changes, field) -> None:
    version = cycle.plan.version
    arguments = {
        "decision": "step_down",
        "decided_level_code": "additional",
        "rationale": "Housing found",
        "handover": "Hana carries on",
        "receiving_practitioner": cycle.t.hana,
    }
    with pytest.raises(ValidationProblem) as problem:
        _review(cycle, **(arguments | changes))
    assert field in problem.value.errors
    _nothing_saved(cycle, version)
    assert LevelDecision.objects.count() == 1


def test_step_without_a_level_decided_is_refused(team) -> None:
    """R-LON-2: no level decided yet, so nothing to step from (and 6 weeks, the shortest)."""
    plan_services.lead_professional_name(
        actor=team.p.maya, family=team.p.ashworth, member_id=team.maya_member.pk, family_view="Yes"
    )
    plan = plan_services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="x")
    need = plan_services.outcome_add(
        actor=team.p.maya, plan=plan, version=1, headline="housing", description="A home"
    )
    plan = plan_services.plan_agree(actor=team.p.maya, plan=plan, version=2)
    assert plan.review_on == timezone.localdate() + datetime.timedelta(weeks=6)
    with pytest.raises(ValidationProblem) as problem:
        services.review_record(
            actor=team.p.maya,
            plan=plan,
            version=plan.version,
            held_on=timezone.localdate(),
            family_view="Fine",
            decision="step_up",
            progress={need.pk: "worse"},
            decided_level_code="specialist",
        )
    assert set(problem.value.errors) == {"decision"}


def test_a_draft_plan_is_not_reviewed(team) -> None:
    plan = plan_services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="x")
    with pytest.raises(ValidationProblem) as problem:
        services.review_record(
            actor=team.p.maya,
            plan=plan,
            version=plan.version,
            held_on=timezone.localdate(),
            family_view="Fine",
            decision="continue",
            progress={},
        )
    assert "Agree the plan" in problem.value.errors["__all__"][0]


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_cannot_review(cycle, persona) -> None:
    with pytest.raises(NotFoundOrForbidden):
        _review(cycle, actor=getattr(cycle.t.p, persona))
    assert not PlanReview.objects.exists()


def test_a_recorded_review_is_never_changed(cycle) -> None:
    review = _review(cycle)
    review.family_view = "Changed"
    with pytest.raises(ReviewImmutable):
        review.save()
    with pytest.raises(ReviewImmutable):
        review.delete()


def test_successful_outcome_computed_from_the_records(cycle) -> None:
    """R-SF-2: two needs, no assessment signed off, actions open: the reasons say so."""
    _review(
        cycle,
        decision="close",
        closure_reason="outcomes_met",
        closure_results={cycle.housing.pk: "achieved", cycle.health.pk: "achieved"},
    )
    found = selectors.family_successful_outcome(family=cycle.t.p.ashworth)
    assert found is not None and not found.outcome.successful
    unmet = {c.code for c in found.outcome.conditions if not c.met}
    assert unmet == {"needs", "assessment", "support_delivered", "sustained"}
    assert not Assessment.objects.exists()


def test_a_new_request_after_closure_is_not_sustained(cycle) -> None:
    _review(
        cycle,
        decision="close",
        closure_reason="outcomes_met",
        closure_results={cycle.housing.pk: "achieved", cycle.health.pk: "achieved"},
    )
    plan = Plan.objects.get()
    later = timezone.localdate() + datetime.timedelta(days=200)
    facts = selectors.cycle_facts(plan)
    assert not facts.new_support_since_closure
    # Six weeks on, the family is stepped up: something new came in after closure.
    level_decision_record(
        actor=cycle.t.p.maya,
        family=cycle.t.p.ashworth,
        indicator_codes=INDICATORS,
        decided_level_code="specialist",
        rationale="New concerns after closure: referred to children's social care",
        handover="Children's social care takes over",
        receiving_practitioner=cycle.t.hana,
    )
    facts = selectors.cycle_facts(plan)
    assert facts.new_support_since_closure
    found = selectors.family_successful_outcome(family=cycle.t.p.ashworth, today=later)
    assert found is not None
    assert "step up came in after closure" in " ".join(found.outcome.reasons)
