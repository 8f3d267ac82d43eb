"""Overdue rules (issue 5 item 5; R-EHA-2, R-EHA-3, R-TIME-1): due today is not overdue."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.alerts import rules

TODAY = datetime.date(2026, 11, 26)
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "review_on", "overdue"),
    [
        ("agreed", YESTERDAY, True),
        ("agreed", TODAY, False),
        ("agreed", TOMORROW, False),
        ("agreed", None, False),
        ("draft", YESTERDAY, False),  # a draft has no review cycle yet
        ("closed", YESTERDAY, False),
    ],
)
def test_plan_review_overdue_r_eha_3(
    status: str, review_on: datetime.date | None, overdue: bool
) -> None:
    assert rules.plan_review_overdue(status=status, review_on=review_on, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("not_started", YESTERDAY, True),
        ("in_progress", YESTERDAY, True),
        ("in_progress", TODAY, False),
        ("done", YESTERDAY, False),
        ("stopped", YESTERDAY, False),
        ("not_started", TOMORROW, False),
    ],
)
def test_action_overdue_r_eha_2(status: str, due_on: datetime.date, overdue: bool) -> None:
    assert rules.action_overdue(status=status, due_on=due_on, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("decided", "due_on", "overdue"),
    [
        (False, YESTERDAY, True),
        (False, TODAY, False),
        (True, YESTERDAY, False),
    ],
)
def test_front_door_decision_overdue_r_time_1(
    decided: bool, due_on: datetime.date, overdue: bool
) -> None:
    assert rules.decision_overdue(decided=decided, decision_due_on=due_on, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("kind", "item", "due_on", "key"),
    [
        ("action", 7, YESTERDAY, "overdue:action:7:2026-11-25"),
        ("plan-review", 7, YESTERDAY, "overdue:plan-review:7:2026-11-25"),
        ("action", 7, TODAY, "overdue:action:7:2026-11-26"),  # a new due date: a new alert
    ],
)
def test_once_per_item_per_due_date(kind: str, item: int, due_on: datetime.date, key: str) -> None:
    assert rules.overdue_dedupe_key(kind, item, due_on) == key
