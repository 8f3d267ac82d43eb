"""Pure rules every app shares: working days. No ORM, no request; "today" is passed in."""

from __future__ import annotations

import datetime
from collections.abc import Collection

SATURDAY = 5


def is_working_day(day: datetime.date, *, holidays: Collection[datetime.date]) -> bool:
    """Monday to Friday and not a bank holiday (RULES.md: the meaning of "working day")."""
    return day.weekday() < SATURDAY and day not in holidays


def working_days_after(
    start: datetime.date, days: int, *, holidays: Collection[datetime.date]
) -> datetime.date:
    """The date ``days`` working days after ``start``; ``start`` itself never counts.

    R-TIME-1 (a decision within 1 working day), R-TIME-2 (45 working days), R-IS-3 (tell
    the family within 5 working days). The count starts the day after: a request made on
    Friday is due on Monday, or on Tuesday when Monday is a bank holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays=holidays):
            days -= 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, *, holidays: Collection[datetime.date]
) -> int:
    """How many working days after ``start`` up to and including ``end`` (0 if not after)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays=holidays):
            count += 1
    return count
