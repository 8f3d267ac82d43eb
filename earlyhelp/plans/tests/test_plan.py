"""The plan (R-WT-6, R-EHA-2, R-SF-1): the family's words, outcomes, SMART actions, agreement
only with a lead professional, and a clear conflict when two people edit the same plan."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels.services import level_decision_record
from earlyhelp.plans import rules, services
from earlyhelp.plans.models import Plan, PlanAction, PlanOutcome, PlanStatus

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("due_on", "problem"),
    [
        (None, "Enter the date the action is due"),
        (TODAY - datetime.timedelta(days=1), "must be today or in the future"),
        (TODAY, None),
        (TODAY + datetime.timedelta(days=14), None),
    ],
)
def test_due_date_rule(due_on, problem) -> None:
    """R-EHA-2: each action has a due date, not in the past when set."""
    found = rules.due_date_problem(due_on, TODAY)
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(
    ("headline", "ok"), [("housing", True), ("early_years", True), ("rent", False), ("", False)]
)
def test_headline_rule(headline, ok) -> None:
    """R-SF-1: each outcome is linked to one of the ten headlines."""
    assert (rules.headline_problem(headline) is None) is ok


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (TODAY - datetime.timedelta(days=1), "not_started", True),
        (TODAY - datetime.timedelta(days=1), "in_progress", True),
        (TODAY - datetime.timedelta(days=1), "done", False),
        (TODAY, "not_started", False),
    ],
)
def test_overdue_is_derived(due_on, status, overdue) -> None:
    assert rules.action_is_overdue(due_on=due_on, status=status, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("lead", "review_on", "fields"),
    [
        (False, TODAY + datetime.timedelta(weeks=6), {"__all__"}),
        (True, None, {"review_on"}),
        (True, TODAY, {"review_on"}),
        (True, TODAY + datetime.timedelta(weeks=6), set()),
    ],
)
def test_agreement_rule(lead, review_on, fields) -> None:
    """R-EHA-2: an agreed lead professional and a review date are mandatory."""
    found = rules.agreement_problems(has_lead_professional=lead, review_on=review_on, today=TODAY)
    assert set(found) == fields


@pytest.fixture
def plan(team) -> Plan:
    return services.plan_start(
        actor=team.p.maya, family=team.p.ashworth, family_words="We want our own flat by summer"
    )


def _future(days: int = 14) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_one_active_plan_at_a_time(team, plan) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Again")
    assert problem.value.errors["__all__"] == [services.ACTIVE_PLAN_EXISTS]
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_plan_needs_the_familys_words(team) -> None:
    """R-WT-6: the plan is built with the family, in their words."""
    with pytest.raises(ValidationProblem) as problem:
        services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words=" ")
    assert "family_words" in problem.value.errors
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_plan_cannot_be_agreed_without_a_lead_professional(team, plan) -> None:
    """R-EHA-2 / R-WT-5: clear message, nothing saved."""
    with pytest.raises(ValidationProblem) as problem:
        services.plan_agree(actor=team.p.maya, plan=plan, version=plan.version, review_on=_future())
    assert problem.value.errors["__all__"] == [
        "Name a lead professional before the plan can be agreed"
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.version == 1


@pytest.mark.django_db
def test_plan_agreed_with_a_lead_professional(team, plan) -> None:
    services.lead_professional_name(
        actor=team.p.maya,
        family=team.p.ashworth,
        member_id=team.maya_member.pk,
        family_view="Chloe chose Maya",
    )
    agreed = services.plan_agree(
        actor=team.p.maya, plan=plan, version=plan.version, review_on=_future(42)
    )
    assert agreed.status == PlanStatus.AGREED and agreed.review_on == _future(42)
    assert agreed.version == 2


@pytest.mark.django_db
def test_two_practitioners_editing_the_same_plan(team, plan) -> None:
    """The second edit from the same version gets a clear conflict, never a silent overwrite."""
    services.plan_update(actor=team.p.maya, plan=plan, version=1, family_words="Maya's edit")
    with pytest.raises(EditConflict):
        services.plan_update(actor=team.hana, plan=plan, version=1, family_words="Hana's edit")
    plan.refresh_from_db()
    assert plan.family_words == "Maya's edit" and plan.version == 2


@pytest.mark.django_db
def test_outcomes_need_a_headline(team, plan) -> None:
    """R-SF-1."""
    with pytest.raises(ValidationProblem) as problem:
        services.outcome_add(
            actor=team.p.maya, plan=plan, version=1, headline="nope", description="A home"
        )
    assert "headline" in problem.value.errors
    outcome = services.outcome_add(
        actor=team.p.maya, plan=plan, version=1, headline="housing", description="A home"
    )
    assert PlanOutcome.objects.get().pk == outcome.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner": ""}, "owner"),
        ({"owner": "999999"}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": datetime.date(2020, 1, 1)}, "due_on"),
        ({"description": "  "}, "description"),
    ],
)
def test_bad_actions_are_refused_and_nothing_saved(team, plan, changes, field) -> None:
    """R-EHA-2: an action without an owner or with a due date in the past is refused."""
    arguments = {"description": "Apply for housing", "owner": "family", "due_on": _future()}
    with pytest.raises(ValidationProblem) as problem:
        services.action_add(actor=team.p.maya, plan=plan, version=1, **(arguments | changes))
    assert field in problem.value.errors
    assert not PlanAction.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 1


@pytest.mark.django_db
def test_members_update_their_own_actions(team, plan) -> None:
    hana_action = services.action_add(
        actor=team.p.maya,
        plan=plan,
        version=1,
        description="Book the 6-8 week check",
        owner=str(team.hana_member.pk),
        due_on=_future(),
    )
    with pytest.raises(ValidationProblem):  # Maya is not the owner nor the lead professional
        services.action_update(actor=team.p.maya, action=hana_action, version=1, status="done")
    updated = services.action_update(
        actor=team.hana, action=hana_action, version=1, status="done", progress_note="Booked"
    )
    assert updated.status == "done" and updated.version == 2
    with pytest.raises(EditConflict):
        services.action_update(actor=team.hana, action=hana_action, version=1, status="stopped")


@pytest.mark.django_db
def test_the_familys_own_action(team, plan) -> None:
    action = services.action_add(
        actor=team.p.maya,
        plan=plan,
        version=1,
        description="Chloe rings the housing office",
        owner="family",
        due_on=_future(),
    )
    assert action.owner_is_family and action.owner_member is None
    updated = services.action_update(
        actor=team.p.maya, action=action, version=1, status="in_progress"
    )
    assert updated.status == "in_progress"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_cannot_touch_the_plan(team, plan, persona) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.plan_update(
            actor=getattr(team.p, persona), plan=plan, version=1, family_words="No"
        )
    with pytest.raises(NotFoundOrForbidden):
        services.plan_start(
            actor=getattr(team.p, persona), family=team.p.ashworth, family_words="x"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "intervals", "weeks"),
    [
        (None, None, 6),  # no level decided: the shortest interval configured
        ("additional", None, 8),
        ("targeted", None, 6),
        ("additional", {"additional": 12, "targeted": 4}, 12),
    ],
)
def test_agreeing_without_a_date_sets_the_review_from_the_level(
    team, plan, settings, level, intervals, weeks
) -> None:
    """R-EHA-3 / R-EHA-2: the review date is mandatory; when not given it comes from the
    family's level of need (setting REVIEW_INTERVAL_WEEKS) and is stored on the plan."""
    if intervals is not None:
        settings.REVIEW_INTERVAL_WEEKS = intervals
    if level is not None:
        level_decision_record(
            actor=team.p.maya,
            family=team.p.ashworth,
            indicator_codes=["LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"],
            decided_level_code=level,
            rationale="Decided with the team",
        )
    services.lead_professional_name(
        actor=team.p.maya,
        family=team.p.ashworth,
        member_id=team.maya_member.pk,
        family_view="Chloe chose Maya",
    )
    agreed = services.plan_agree(actor=team.p.maya, plan=plan, version=plan.version)
    assert agreed.review_on == timezone.localdate() + datetime.timedelta(weeks=weeks)
    agreed.refresh_from_db()
    assert agreed.review_on == timezone.localdate() + datetime.timedelta(weeks=weeks)
