"""Rules for the plan: pure functions, "today" passed in (R-EHA-2, R-SF-1, R-WT-5)."""

from __future__ import annotations

import datetime

from earlyhelp.assessments.rules import HeadlineOutcome

OPEN_ACTION_STATUSES = frozenset({"not_started", "in_progress"})


def due_date_problem(due_on: datetime.date | None, today: datetime.date) -> str | None:
    """R-EHA-2: every action has a due date, and a new one is not in the past."""
    if due_on is None:
        return "Enter the date the action is due"
    if due_on < today:
        return "The date the action is due must be today or in the future"
    return None


def headline_problem(headline: str) -> str | None:
    """R-SF-1: each outcome is linked to one Supporting Families headline."""
    if headline not in HeadlineOutcome.__members__.values():
        return "Select the Supporting Families headline outcome this is about"
    return None


def action_is_overdue(*, due_on: datetime.date, status: str, today: datetime.date) -> bool:
    """Derived, never stored: an open action past its due date is overdue."""
    return status in OPEN_ACTION_STATUSES and due_on < today


def agreement_problems(
    *, has_lead_professional: bool, review_on: datetime.date | None, today: datetime.date
) -> dict[str, list[str]]:
    """R-EHA-2 / R-WT-5: a plan is agreed only with a lead professional and a review date."""
    errors: dict[str, list[str]] = {}
    if not has_lead_professional:
        errors["__all__"] = ["Name a lead professional before the plan can be agreed"]
    if review_on is None:
        errors["review_on"] = ["Enter the date the plan will be reviewed"]
    elif review_on <= today:
        errors["review_on"] = ["The review date must be in the future"]
    return errors
