"""Rules of the work trays: pure functions, "today" and "now" passed in, no ORM.

Statuses are derived on read from stored dates (house style): an action or a review is
overdue because of its stored due date and today's date, never because a flag was set.
"""

from __future__ import annotations

import datetime

# The manager's view counts up to this many of anything and then says "over" (issue 5 item 6:
# no unbounded counts at county scale).
COUNT_CAP = 100
# An open alert older than this is shown to the practitioner's manager (issue 5 item 5: "a
# team view for managers"): two days unanswered is worth a word.
ALERT_STALE_AFTER = datetime.timedelta(days=2)


def review_is_overdue(*, review_on: datetime.date | None, today: datetime.date) -> bool:
    """R-EHA-3: a missed review is flagged. The review date is stored on the agreed plan
    (``Plan.review_on``); the review is overdue once that day has passed without one."""
    return review_on is not None and review_on < today


def days_overdue(*, due_on: datetime.date | None, today: datetime.date) -> int:
    """Whole days past the due date (0 when not yet due), for "3 days overdue" (R-EHA-3)."""
    if due_on is None or due_on >= today:
        return 0
    return (today - due_on).days


def alert_is_stale(*, created_at: datetime.datetime, now: datetime.datetime) -> bool:
    """An open alert raised more than two days ago: the manager's team view shows it."""
    return created_at < now - ALERT_STALE_AFTER


def capped_count_text(found: int, *, cap: int = COUNT_CAP) -> str:
    """A count read with ``LIMIT cap + 1``: the number up to the cap, then "over <cap>"."""
    if found > cap:
        return f"over {cap}"
    return str(max(found, 0))
