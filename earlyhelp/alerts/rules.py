"""When work is overdue and alerts (issue 5 item 5: overdue reviews, actions and front-door
decisions). Pure functions: "today" is passed in, nothing is read from the database.

Overdue means the due date has passed: work due today is not yet overdue. Each alert is
raised once per item and per due date (``overdue_dedupe_key``), so a daily sweep never
repeats it, and moving the due date makes a new one possible (R-EHA-3, R-TIME-1).
"""

from __future__ import annotations

import datetime

PLAN_REVIEW_OVERDUE = "plan_review_overdue"
PLAN_ACTION_OVERDUE = "plan_action_overdue"
FRONT_DOOR_DECISION_OVERDUE = "front_door_decision_overdue"

# Plan and action statuses in which nothing more is expected.
FINISHED_ACTION_STATUSES = frozenset({"done", "stopped"})


def plan_review_overdue(
    *, status: str, review_on: datetime.date | None, today: datetime.date
) -> bool:
    """An agreed plan whose stored review date has passed (R-EHA-3)."""
    return status == "agreed" and review_on is not None and review_on < today


def action_overdue(*, status: str, due_on: datetime.date, today: datetime.date) -> bool:
    """An action past its due date and neither done nor stopped (R-EHA-2)."""
    return status not in FINISHED_ACTION_STATUSES and due_on < today


def decision_overdue(
    *, decided: bool, decision_due_on: datetime.date, today: datetime.date
) -> bool:
    """A request for support the front door has not decided by its due date (R-TIME-1)."""
    return not decided and decision_due_on < today


def overdue_dedupe_key(kind: str, item_id: int, due_on: datetime.date) -> str:
    """Once per item per due date."""
    return f"overdue:{kind}:{item_id}:{due_on.isoformat()}"
