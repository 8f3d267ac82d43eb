"""Table-driven tests of the review rules: the interval from the level of need and overdue on
the boundary day (R-EHA-3), a review's and a closure's problems (R-EHA-3, R-EHA-4, R-LON-2),
and the Supporting Families successful outcome with each condition failing alone (R-SF-2)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from earlyhelp.reviews import rules

TODAY = datetime.date(2026, 11, 26)
INTERVALS = {"additional": 8, "targeted": 6}


@pytest.mark.parametrize(
    ("level", "intervals", "weeks"),
    [
        ("additional", INTERVALS, 8),
        ("targeted", INTERVALS, 6),
        ("specialist", INTERVALS, 6),  # not configured: the shortest
        (None, INTERVALS, 6),  # no level decided yet: the shortest
        ("additional", {"additional": 12, "targeted": 4}, 12),
        (None, {}, 6),
    ],
)
def test_review_interval_from_the_level_of_need(level, intervals, weeks) -> None:
    """R-EHA-3: the interval is configurable by level."""
    assert rules.review_interval_weeks(level, intervals) == weeks
    assert rules.next_review_due(TODAY, level, intervals) == TODAY + datetime.timedelta(weeks=weeks)


@pytest.mark.parametrize(
    ("review_on", "status", "overdue"),
    [
        (TODAY - datetime.timedelta(days=1), "agreed", True),
        (TODAY, "agreed", False),  # due today: the boundary day is not overdue yet
        (TODAY + datetime.timedelta(days=1), "agreed", False),
        (TODAY - datetime.timedelta(days=30), "closed", False),
        (TODAY - datetime.timedelta(days=30), "draft", False),
        (None, "agreed", False),
    ],
)
def test_overdue_is_derived(review_on, status, overdue) -> None:
    """R-EHA-3: missed reviews are flagged; derived on reading, never stored."""
    assert rules.review_is_overdue(review_on=review_on, plan_status=status, today=TODAY) is overdue


GOOD_REVIEW = {
    "need_ids": [1, 2],
    "progress": {1: "better", 2: "same"},
    "family_view": "Chloe says things are calmer",
    "decision": "continue",
    "held_on": TODAY,
    "agreed_on": TODAY - datetime.timedelta(weeks=6),
    "next_review_on": None,
    "latest_next_review_on": TODAY + datetime.timedelta(weeks=6),
    "today": TODAY,
}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({}, set()),
        ({"progress": {1: "better"}}, {"progress_2"}),
        ({"progress": {1: "better", 2: "great"}}, {"progress_2"}),
        ({"progress": {}}, {"progress_1", "progress_2"}),
        ({"need_ids": []}, {"__all__"}),
        ({"family_view": "  "}, {"family_view"}),
        ({"decision": ""}, {"decision"}),
        ({"decision": "pause"}, {"decision"}),
        ({"held_on": None}, {"held_on"}),
        ({"held_on": TODAY + datetime.timedelta(days=1)}, {"held_on"}),
        ({"held_on": TODAY - datetime.timedelta(weeks=7)}, {"held_on"}),  # before agreement
        ({"next_review_on": TODAY}, {"next_review_on"}),
        ({"next_review_on": TODAY + datetime.timedelta(weeks=6)}, set()),
        ({"next_review_on": TODAY + datetime.timedelta(weeks=6, days=1)}, {"next_review_on"}),
        ({"decision": "close", "next_review_on": TODAY}, set()),  # closing: no next review
    ],
)
def test_review_problems(changes, fields) -> None:
    """R-EHA-3: progress for every need, the family's view and a decision are required."""
    assert set(rules.review_problems(**(GOOD_REVIEW | changes))) == fields


@pytest.mark.parametrize(
    ("decision", "current", "new", "fields"),
    [
        ("continue", None, None, set()),
        ("close", 3, None, set()),
        ("step_down", 3, 2, set()),
        ("step_up", 2, 3, set()),
        ("step_down", None, 2, {"decision"}),  # no level decided yet
        ("step_down", 3, None, {"decided_level"}),
        ("step_down", 3, 3, {"decided_level"}),
        ("step_down", 2, 3, {"decided_level"}),
        ("step_up", 3, 2, {"decided_level"}),
    ],
)
def test_step_problems(decision, current, new, fields) -> None:
    """R-LON-2: a step is from the current level to a level in that direction."""
    found = rules.step_problems(decision=decision, current_rank=current, new_rank=new)
    assert set(found) == fields


@pytest.mark.parametrize(
    ("current", "new", "fields"),
    [
        (3, 1, set()),  # closing with a step down to universal services
        (3, 4, set()),  # closing as children's social care takes over
        (3, 3, {"decided_level"}),
        (3, None, {"decided_level"}),
        (None, 1, {"decided_level"}),
    ],
)
def test_closing_step_problems(current, new, fields) -> None:
    """R-EHA-4 / R-LON-2: closure may record a step to another level."""
    assert set(rules.closing_step_problems(current_rank=current, new_rank=new)) == fields


@pytest.mark.parametrize(
    ("reason", "results", "fields"),
    [
        ("outcomes_met", {1: "achieved", 2: "partly"}, set()),
        ("", {1: "achieved", 2: "partly"}, {"closure_reason"}),
        ("fed_up", {1: "achieved", 2: "partly"}, {"closure_reason"}),
        ("outcomes_met", {1: "achieved"}, {"result_2"}),
        ("outcomes_met", {}, {"result_1", "result_2"}),
        ("outcomes_met", {1: "done", 2: "achieved"}, {"result_1"}),
    ],
)
def test_closure_problems(reason, results, fields) -> None:
    """R-EHA-4: a reason from the catalogue and an outcome for every need."""
    found = rules.closure_problems(need_ids=[1, 2], results=results, reason=reason)
    assert set(found) == fields


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 5, 10), 6, datetime.date(2026, 11, 10)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 12, 1), 6, datetime.date(2027, 6, 1)),
    ],
)
def test_add_months(day, months, expected) -> None:
    assert rules.add_months(day, months) == expected


CLOSED_ON = datetime.date(2026, 5, 1)


def _need(headline: str) -> rules.NeedFacts:
    return rules.NeedFacts(headline=headline, actions=2, actions_done=1, result="achieved")


SUCCESS = rules.CycleFacts(
    needs=[_need("housing"), _need("health"), _need("early_years")],
    open_actions=0,
    whole_family_assessment_signed_off=True,
    had_lead_professional=True,
    closed_on=CLOSED_ON,
    new_support_since_closure=False,
)


def _with_need(index: int, **changes: object) -> list[rules.NeedFacts]:
    needs = list(SUCCESS.needs)
    needs[index] = dataclasses.replace(needs[index], **changes)  # type: ignore[arg-type]
    return needs


def test_successful_outcome_when_everything_holds() -> None:
    """R-SF-2: computed from the records; the reasons say why."""
    found = rules.successful_outcome(SUCCESS, TODAY)
    assert found.successful and not found.waiting
    assert len(found.reasons) == 7
    assert found.sustained_on == datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("changes", "failing", "today"),
    [
        ({"needs": [_need("housing"), _need("health"), _need("health")]}, "needs", TODAY),
        ({"needs": [_need("housing"), _need("health")]}, "needs", TODAY),
        ({"whole_family_assessment_signed_off": False}, "assessment", TODAY),
        ({"had_lead_professional": False}, "lead_professional", TODAY),
        (
            {"needs": _with_need(0, actions=0, actions_done=0)},
            "plan_covers_needs",
            TODAY,
        ),
        ({"open_actions": 1}, "support_delivered", TODAY),
        ({"needs": _with_need(1, actions_done=0)}, "support_delivered", TODAY),
        ({"needs": _with_need(2, result="partly")}, "needs_achieved", TODAY),
        ({"needs": _with_need(2, result=None)}, "needs_achieved", TODAY),
        ({"new_support_since_closure": True}, "sustained", TODAY),
        ({}, "sustained", datetime.date(2026, 10, 31)),  # the day before six months
    ],
)
def test_successful_outcome_each_condition_failing_alone(changes, failing, today) -> None:
    """R-SF-2: one condition unmet is not a successful outcome, and the reason names it."""
    found = rules.successful_outcome(dataclasses.replace(SUCCESS, **changes), today)
    assert not found.successful
    assert [c.code for c in found.conditions if not c.met] == [failing]
    assert len(found.reasons) == 1


def test_not_closed_is_not_successful() -> None:
    found = rules.successful_outcome(dataclasses.replace(SUCCESS, closed_on=None), TODAY)
    unmet = {c.code for c in found.conditions if not c.met}
    assert unmet == {"needs_achieved", "sustained"} and not found.successful


def test_waiting_for_six_months() -> None:
    """A closed family is successful only 6 months after closure: until then, waiting."""
    found = rules.successful_outcome(SUCCESS, datetime.date(2026, 6, 1))
    assert found.waiting and not found.successful
    assert "1 November 2026" in found.reasons[0]
    assert rules.successful_outcome(SUCCESS, datetime.date(2026, 11, 1)).successful
