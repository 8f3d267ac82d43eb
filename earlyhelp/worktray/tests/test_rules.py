"""Work tray rules, table-driven (R-EHA-3: missed reviews flagged; issue 5: capped counts)."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.worktray import rules

TODAY = datetime.date(2026, 11, 26)
NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("review_on", "overdue"),
    [
        (None, False),  # no agreed plan: nothing to review
        (datetime.date(2026, 11, 27), False),
        (TODAY, False),  # due today is not yet missed
        (datetime.date(2026, 11, 25), True),  # R-EHA-3: missed, flagged
        (datetime.date(2025, 1, 1), True),
    ],
)
def test_review_is_overdue_r_eha_3(review_on: datetime.date | None, overdue: bool) -> None:
    assert rules.review_is_overdue(review_on=review_on, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("due_on", "days"),
    [
        (None, 0),
        (datetime.date(2026, 12, 1), 0),
        (TODAY, 0),
        (datetime.date(2026, 11, 25), 1),
        (datetime.date(2026, 10, 27), 30),
    ],
)
def test_days_overdue_r_eha_3(due_on: datetime.date | None, days: int) -> None:
    assert rules.days_overdue(due_on=due_on, today=TODAY) == days


@pytest.mark.parametrize(
    ("age", "stale"),
    [
        (datetime.timedelta(hours=1), False),
        (datetime.timedelta(days=2), False),  # exactly two days: not yet
        (datetime.timedelta(days=2, seconds=1), True),
        (datetime.timedelta(days=30), True),
    ],
)
def test_alert_is_stale_after_two_days(age: datetime.timedelta, stale: bool) -> None:
    assert rules.alert_is_stale(created_at=NOW - age, now=NOW) is stale


@pytest.mark.parametrize(
    ("found", "cap", "shown"),
    [
        (0, 100, "0"),
        (7, 100, "7"),
        (100, 100, "100"),
        (101, 100, "over 100"),  # read with LIMIT cap + 1: more than the cap
        (4, 3, "over 3"),
    ],
)
def test_capped_count_text(found: int, cap: int, shown: str) -> None:
    assert rules.capped_count_text(found, cap=cap) == shown
