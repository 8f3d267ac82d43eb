"""Working days (R-TIME-1, R-TIME-2, R-IS-3) over weekends and England and Wales bank holidays."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.core.calendar import bank_holidays, last_known_bank_holiday
from earlyhelp.core.rules import is_working_day, working_days_after, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        (D(2026, 11, 23), 1, D(2026, 11, 24), "Monday: due Tuesday"),
        (D(2026, 11, 27), 1, D(2026, 11, 30), "Friday: due Monday"),
        (D(2026, 11, 28), 1, D(2026, 11, 30), "Saturday: due Monday"),
        (D(2026, 11, 23), 5, D(2026, 11, 30), "R-IS-3: Monday to Monday"),
        (D(2026, 11, 29), 5, D(2026, 12, 4), "R-IS-3: Sunday to Friday"),
        # Christmas 2026: Friday 25th, Boxing Day on Saturday so Monday 28th is the substitute.
        (D(2026, 12, 24), 1, D(2026, 12, 29), "R-TIME-1: Christmas Eve to Tuesday 29th"),
        (D(2026, 12, 22), 5, D(2026, 12, 31), "R-IS-3 across Christmas"),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (D(2027, 3, 25), 1, D(2027, 3, 30), "R-TIME-1: Maundy Thursday to Tuesday"),
        (D(2027, 3, 26), 1, D(2027, 3, 30), "R-TIME-1: made on Good Friday"),
        # Leap year: 29 February 2028 is a Tuesday and a working day.
        (D(2028, 2, 28), 1, D(2028, 2, 29), "leap day counts"),
        (D(2028, 2, 25), 3, D(2028, 3, 1), "Friday across the leap day"),
        # R-TIME-2: 45 working days from Monday 2 November 2026 crosses Christmas (3 days).
        (D(2026, 11, 2), 45, D(2027, 1, 7), "R-TIME-2 across Christmas and New Year"),
        (D(2026, 11, 23), 0, D(2026, 11, 23), "no days: the same day"),
    ],
)
def test_working_days_after(start: D, days: int, due: D, why: str) -> None:
    assert working_days_after(start, days, holidays=bank_holidays()) == due, why


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 25), False),  # Christmas Day
        (D(2026, 12, 28), False),  # substitute Boxing Day
        (D(2027, 3, 29), False),  # Easter Monday
        (D(2026, 8, 31), False),  # summer bank holiday
        (D(2026, 12, 29), True),
        (D(2026, 11, 28), False),  # Saturday
    ],
)
def test_is_working_day(day: D, working: bool) -> None:
    assert is_working_day(day, holidays=bank_holidays()) is working


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 12, 24), D(2026, 12, 29), 1),
        (D(2026, 11, 23), D(2026, 11, 23), 0),
        (D(2026, 11, 30), D(2026, 11, 23), 0),
        (D(2026, 11, 2), D(2027, 1, 7), 45),
    ],
)
def test_working_days_between(start: D, end: D, count: int) -> None:
    assert working_days_between(start, end, holidays=bank_holidays()) == count


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        working_days_after(D(2026, 11, 23), -1, holidays=frozenset())


def test_the_feed_still_covers_next_year() -> None:
    # When this fails, upgrade govuk-bank-holidays: later clocks would count weekdays only.
    assert last_known_bank_holiday() >= D(datetime.date.today().year + 1, 12, 25)
