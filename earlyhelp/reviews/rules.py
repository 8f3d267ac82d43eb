"""Rules for see, plan, do, review: pure functions, no ORM, "today" passed in.

R-EHA-3: the review interval comes from the family's level of need (configurable); the next
review's due date is stored, whether it is overdue is worked out on reading; each review
records progress for every need, the family's view and a decision (continue, step up, step
down or close). R-EHA-4: closure records a reason and the outcome for every need. R-LON-2:
a step up or down is a level decision with its handover (the levels app records it).
R-SF-2: the Supporting Families "successful outcome" is computed from the records, never
ticked, and the reasons are returned so the board can see why.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

# R-EHA-3: weeks between reviews by the levels app's level code (setting REVIEW_INTERVAL_WEEKS).
DEFAULT_REVIEW_INTERVAL_WEEKS: dict[str, int] = {"additional": 8, "targeted": 6}
# R-SF-2: a successful outcome must hold this long after closure.
SUSTAINED_MONTHS = 6
MIN_HEADLINE_NEEDS = 3


class Progress(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


PROGRESS_LABELS: dict[Progress, str] = {
    Progress.BETTER: "Better: positive change",
    Progress.SAME: "The same: no change",
    Progress.WORSE: "Worse: deterioration",
}


class Decision(StrEnum):
    CONTINUE = "continue"
    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    CLOSE = "close"


DECISION_LABELS: dict[Decision, str] = {
    Decision.CONTINUE: "Continue with the plan",
    Decision.STEP_UP: "Step up to a higher level of need",
    Decision.STEP_DOWN: "Step down to a lower level of need",
    Decision.CLOSE: "Close the plan",
}

STEPS = frozenset({Decision.STEP_UP, Decision.STEP_DOWN})


class ClosureReason(StrEnum):
    """The catalogue of reasons a plan closes (R-EHA-4)."""

    OUTCOMES_MET = "outcomes_met"
    STEPPED_DOWN_UNIVERSAL = "stepped_down_universal"
    STEPPED_UP_SOCIAL_CARE = "stepped_up_social_care"
    FAMILY_WITHDREW = "family_withdrew"
    MOVED_AWAY = "moved_away"
    NO_LONGER_ENGAGING = "no_longer_engaging"


CLOSURE_REASON_LABELS: dict[ClosureReason, str] = {
    ClosureReason.OUTCOMES_MET: "The family's outcomes were met",
    ClosureReason.STEPPED_DOWN_UNIVERSAL: "Stepped down to universal services",
    ClosureReason.STEPPED_UP_SOCIAL_CARE: "Stepped up to children's social care",
    ClosureReason.FAMILY_WITHDREW: "The family withdrew their agreement",
    ClosureReason.MOVED_AWAY: "The family moved out of the area",
    ClosureReason.NO_LONGER_ENGAGING: "The family is no longer engaging",
}


class NeedResult(StrEnum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


NEED_RESULT_LABELS: dict[NeedResult, str] = {
    NeedResult.ACHIEVED: "Achieved",
    NeedResult.PARTLY: "Partly achieved",
    NeedResult.NOT_ACHIEVED: "Not achieved",
}


# --- The interval and the due date (R-EHA-3) -----------------------------------------------


def review_interval_weeks(level_code: str | None, intervals: Mapping[str, int]) -> int:
    """R-EHA-3: weeks between reviews at this level of need.

    A level the setting does not name, or a family with no level decided yet, gets the
    shortest interval configured: the safer choice.
    """
    if level_code is not None and level_code in intervals:
        return intervals[level_code]
    return min(intervals.values()) if intervals else min(DEFAULT_REVIEW_INTERVAL_WEEKS.values())


def next_review_due(
    start: datetime.date, level_code: str | None, intervals: Mapping[str, int]
) -> datetime.date:
    """R-EHA-3: the next review is due one interval after ``start`` (agreement or review)."""
    return start + datetime.timedelta(weeks=review_interval_weeks(level_code, intervals))


def review_is_overdue(
    *, review_on: datetime.date | None, plan_status: str, today: datetime.date
) -> bool:
    """R-EHA-3: derived, never stored. An agreed plan whose review date has passed; a review
    due today is not overdue yet."""
    return plan_status == "agreed" and review_on is not None and review_on < today


# --- A review's problems (R-EHA-3, R-LON-2) ------------------------------------------------


def progress_field(need_id: int) -> str:
    return f"progress_{need_id}"


def result_field(need_id: int) -> str:
    return f"result_{need_id}"


def review_problems(
    *,
    need_ids: Sequence[int],
    progress: Mapping[int, str],
    family_view: str,
    decision: str,
    held_on: datetime.date | None,
    agreed_on: datetime.date | None,
    next_review_on: datetime.date | None,
    latest_next_review_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    """R-EHA-3: what a review lacks, by field. Progress for every need of the plan, the
    family's view, a decision, when it was held; the next review (when chosen rather than
    worked out from the level) after the review and no later than the level's interval."""
    errors: dict[str, list[str]] = {}
    if not need_ids:
        errors["__all__"] = ["The plan has no needs to review: add the family's outcomes first"]
    if held_on is None:
        errors["held_on"] = ["Enter the date the review was held"]
    elif held_on > today:
        errors["held_on"] = ["The date the review was held must be today or in the past"]
    elif agreed_on is not None and held_on < agreed_on:
        errors["held_on"] = ["The review cannot be held before the plan was agreed"]
    for need_id in need_ids:
        if progress.get(need_id) not in Progress.__members__.values():
            errors[progress_field(need_id)] = [
                "Select whether things are better, the same or worse for this need"
            ]
    if not family_view.strip():
        errors["family_view"] = ["Record what the family said about how things are going"]
    if decision not in Decision.__members__.values():
        errors["decision"] = ["Select the decision: continue, step up, step down or close"]
    elif decision != Decision.CLOSE and next_review_on is not None and held_on is not None:
        if next_review_on <= held_on:
            errors["next_review_on"] = ["The next review must be after this one"]
        elif latest_next_review_on is not None and next_review_on > latest_next_review_on:
            errors["next_review_on"] = [
                "The next review must be no later than "
                f"{latest_next_review_on:%-d %B %Y}, the interval for the family's level of need"
            ]
    return errors


def step_problems(
    *, decision: str, current_rank: int | None, new_rank: int | None
) -> dict[str, list[str]]:
    """R-LON-2: stepping up or down needs a current level and a new level in that direction."""
    if decision not in STEPS:
        return {}
    move = "up" if decision == Decision.STEP_UP else "down"
    if current_rank is None:
        return {
            "decision": [
                f"The family has no level of need decided yet, so it cannot step {move}: "
                "record a level decision first"
            ]
        }
    if new_rank is None:
        return {"decided_level": [f"Select the level the family steps {move} to"]}
    if (decision == Decision.STEP_UP and new_rank <= current_rank) or (
        decision == Decision.STEP_DOWN and new_rank >= current_rank
    ):
        return {
            "decided_level": [
                f"Select a level {'above' if move == 'up' else 'below'} the family's current level"
            ]
        }
    return {}


def closing_step_problems(
    *, current_rank: int | None, new_rank: int | None
) -> dict[str, list[str]]:
    """R-EHA-4, R-LON-2: a plan may close with a step to another level (a different one)."""
    if current_rank is None:
        return {
            "decided_level": [
                "The family has no level of need decided yet: close without choosing a level"
            ]
        }
    if new_rank is None:
        return {"decided_level": ["Select a level from the threshold framework"]}
    if new_rank == current_rank:
        return {
            "decided_level": [
                "That is the family's current level: leave the level blank to close without a step"
            ]
        }
    return {}


def closure_problems(
    *, need_ids: Sequence[int], results: Mapping[int, str], reason: str
) -> dict[str, list[str]]:
    """R-EHA-4: closure records a reason from the catalogue and an outcome for every need."""
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.__members__.values():
        errors["closure_reason"] = ["Select why the plan is closing"]
    for need_id in need_ids:
        if results.get(need_id) not in NeedResult.__members__.values():
            errors[result_field(need_id)] = [
                "Select whether this need was achieved, partly achieved or not achieved"
            ]
    return errors


# --- The Supporting Families successful outcome (R-SF-2) -----------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NeedFacts:
    """One need of the plan, as the records show it."""

    headline: str
    actions: int
    actions_done: int
    result: str | None  # the closure's outcome for the need, if closed


@dataclass(frozen=True)
class CycleFacts:
    """What the records say about a family's cycle of see, plan, do, review (R-SF-2)."""

    needs: Sequence[NeedFacts]
    open_actions: int
    whole_family_assessment_signed_off: bool
    had_lead_professional: bool
    closed_on: datetime.date | None
    new_support_since_closure: bool  # a request for support or a step up after closure


@dataclass(frozen=True)
class Condition:
    code: str
    met: bool
    text: str


@dataclass(frozen=True)
class SuccessfulOutcome:
    conditions: tuple[Condition, ...]
    sustained_on: datetime.date | None  # when six months after closure is (or was) reached

    @property
    def successful(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def waiting(self) -> bool:
        """Everything met except the six months after closure, which have not passed yet."""
        unmet = [c.code for c in self.conditions if not c.met]
        return unmet == ["sustained"] and self.sustained_on is not None

    @property
    def reasons(self) -> list[str]:
        """Why not (the unmet conditions), or why (every condition) when successful."""
        unmet = [c.text for c in self.conditions if not c.met]
        return unmet or [c.text for c in self.conditions]


def successful_outcome(facts: CycleFacts, today: datetime.date) -> SuccessfulOutcome:
    """R-SF-2: a successful outcome only if every condition holds; each is reported.

    At least 3 needs across Supporting Families headlines (3 different headlines); a
    whole-family assessment signed off; a lead professional; a plan covering every need with
    actions; support delivered (no action left open, at least one done for each need);
    every need achieved at closure; and sustained: 6 months after closure with no new
    request for support and no step up since.
    """
    headlines = {n.headline for n in facts.needs}
    conditions: list[Condition] = [
        Condition(
            "needs",
            len(headlines) >= MIN_HEADLINE_NEEDS,
            f"Needs across {len(headlines)} Supporting Families headline"
            f"{'' if len(headlines) == 1 else 's'} (at least {MIN_HEADLINE_NEEDS} needed)",
        ),
        Condition(
            "assessment",
            facts.whole_family_assessment_signed_off,
            "A whole-family assessment signed off"
            if facts.whole_family_assessment_signed_off
            else "No whole-family assessment has been signed off",
        ),
        Condition(
            "lead_professional",
            facts.had_lead_professional,
            "A lead professional was named"
            if facts.had_lead_professional
            else "No lead professional was named",
        ),
    ]
    uncovered = sum(1 for n in facts.needs if n.actions == 0)
    conditions.append(
        Condition(
            "plan_covers_needs",
            bool(facts.needs) and uncovered == 0,
            "The plan has actions for every need"
            if facts.needs and uncovered == 0
            else f"{uncovered} need{'' if uncovered == 1 else 's'} of the plan "
            f"{'has' if uncovered == 1 else 'have'} no action"
            if facts.needs
            else "The plan has no needs",
        )
    )
    # A need with no action at all fails the condition above, not this one.
    undelivered = sum(1 for n in facts.needs if n.actions and not n.actions_done)
    delivered = (
        any(n.actions_done for n in facts.needs) and undelivered == 0 and facts.open_actions == 0
    )
    conditions.append(
        Condition(
            "support_delivered",
            delivered,
            "Support was delivered: every action finished, one or more done for each need"
            if delivered
            else f"Support not delivered: {facts.open_actions} action"
            f"{'' if facts.open_actions == 1 else 's'} still open, {undelivered} need"
            f"{'' if undelivered == 1 else 's'} with no action done",
        )
    )
    not_achieved = sum(1 for n in facts.needs if n.result != NeedResult.ACHIEVED)
    achieved = facts.closed_on is not None and bool(facts.needs) and not_achieved == 0
    conditions.append(
        Condition(
            "needs_achieved",
            achieved,
            "Every need was achieved at closure"
            if achieved
            else "The plan is not closed yet"
            if facts.closed_on is None
            else f"{not_achieved} need{'' if not_achieved == 1 else 's'} not achieved at closure",
        )
    )
    sustained_on = (
        add_months(facts.closed_on, SUSTAINED_MONTHS) if facts.closed_on is not None else None
    )
    if sustained_on is None:
        sustained = Condition("sustained", False, "Not sustained: the plan is not closed")
    elif facts.new_support_since_closure:
        sustained = Condition(
            "sustained",
            False,
            "Not sustained: a new request for support or a step up came in after closure",
        )
    elif today < sustained_on:
        sustained = Condition(
            "sustained",
            False,
            f"Not sustained yet: 6 months after closure is {sustained_on:%-d %B %Y}",
        )
    else:
        sustained = Condition(
            "sustained",
            True,
            f"Sustained 6 months after closure, with nothing new since ({sustained_on:%-d %B %Y})",
        )
    conditions.append(sustained)
    return SuccessfulOutcome(conditions=tuple(conditions), sustained_on=sustained_on)
