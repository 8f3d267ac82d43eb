"""Pure rules of the front door: the clock, the routes, what a decision needs, and prompts.

No ORM and no request: "today" and the bank holidays are passed in. Rules (RULES.md):
R-TIME-1 (a decision on the type of response, and an acknowledgement to the referrer,
within one working day; flagged when overdue), R-WT-3 (early help is voluntary: it opens
only with the family's agreement), R-WT-7 (prompt early-help consideration for listed
circumstances), R-WT-8 (escalation to children's social care or the MASH is never blocked:
no assessment or any other precondition).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from enum import StrEnum

from earlyhelp.core.rules import working_days_after

# R-TIME-1: the front door decides, and acknowledges the referrer, within one working day.
DECISION_WORKING_DAYS = 1
CONCERN_MAX = 5000
TEXT_MAX = 5000
BASIS_MAX = 500


class Route(StrEnum):
    """The type of response the front door decides on."""

    ADVICE_UNIVERSAL = "advice_universal"
    EARLY_HELP = "early_help"
    TEAM_AROUND_THE_FAMILY = "team_around_the_family"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    MASH = "mash"


ROUTE_LABELS: dict[Route, str] = {
    Route.ADVICE_UNIVERSAL: "Advice and universal services",
    Route.EARLY_HELP: "Early help",
    Route.TEAM_AROUND_THE_FAMILY: "Team around the family",
    Route.CHILDRENS_SOCIAL_CARE: "Referral to children's social care",
    Route.MASH: "Referral to the MASH",
}

# R-WT-8: escalations. Any user may refer to children's social care or the MASH at any time.
ESCALATION_ROUTES = frozenset({Route.CHILDRENS_SOCIAL_CARE, Route.MASH})
# R-WT-3: voluntary routes open an early-help episode, which needs the family's agreement.
VOLUNTARY_ROUTES = frozenset({Route.EARLY_HELP, Route.TEAM_AROUND_THE_FAMILY})


class Agreement(StrEnum):
    """What the family knows and whether they agree to the request (R-WT-3)."""

    AGREES = "agrees"
    DOES_NOT_AGREE = "does_not_agree"
    NOT_ASKED = "not_asked"


AGREEMENT_LABELS: dict[Agreement, str] = {
    Agreement.AGREES: "Yes, the family knows and agrees",
    Agreement.DOES_NOT_AGREE: "The family knows but does not agree",
    Agreement.NOT_ASKED: "The family has not been asked",
}


class Urgency(StrEnum):
    IMMEDIATE = "immediate"
    URGENT = "urgent"
    ROUTINE = "routine"


URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.IMMEDIATE: "Immediate: a child may be at risk of significant harm now",
    Urgency.URGENT: "Urgent: needs a decision today",
    Urgency.ROUTINE: "Routine: within one working day",
}


class Circumstance(StrEnum):
    """R-WT-7: circumstances that prompt early-help consideration (the list partly seen)."""

    DISABLED_OR_SEN = "disabled_or_sen"
    YOUNG_CARER = "young_carer"
    BEREAVED = "bereaved"
    CRIME_OR_ASB = "crime_or_asb"
    MISSING = "missing"
    HOME_FROM_CARE = "home_from_care"
    PRIVATELY_FOSTERED = "privately_fostered"
    PARENT_IN_CUSTODY = "parent_in_custody"
    PARENTAL_SUBSTANCE_MISUSE = "parental_substance_misuse"
    ADULT_MENTAL_ILLNESS = "adult_mental_illness"
    DOMESTIC_ABUSE = "domestic_abuse"


CIRCUMSTANCE_LABELS: dict[Circumstance, str] = {
    Circumstance.DISABLED_OR_SEN: "A child is disabled or has special educational needs",
    Circumstance.YOUNG_CARER: "A child is a young carer",
    Circumstance.BEREAVED: "A child has been bereaved",
    Circumstance.CRIME_OR_ASB: "A child is involved in crime or anti-social behaviour",
    Circumstance.MISSING: "A child goes missing from home or care",
    Circumstance.HOME_FROM_CARE: "A child has returned home from care",
    Circumstance.PRIVATELY_FOSTERED: "A child is privately fostered",
    Circumstance.PARENT_IN_CUSTODY: "A parent is in custody",
    Circumstance.PARENTAL_SUBSTANCE_MISUSE: "A parent misuses drugs or alcohol",
    Circumstance.ADULT_MENTAL_ILLNESS: "An adult in the household has a mental illness",
    Circumstance.DOMESTIC_ABUSE: "There is domestic abuse in the household",
}


def decision_due_on(
    received_on: datetime.date, *, holidays: Collection[datetime.date]
) -> datetime.date:
    """R-TIME-1: the day by which the front door decides and acknowledges.

    One working day after the day the request was received (England and Wales bank holidays
    do not count): Friday's request is due on Monday, or Tuesday after a bank holiday Monday.
    """
    return working_days_after(received_on, DECISION_WORKING_DAYS, holidays=holidays)


def is_overdue(
    *, due_on: datetime.date, done_on: datetime.date | None, today: datetime.date
) -> bool:
    """R-TIME-1: flagged once the due day has passed without the step being done.

    Works for the decision and for the acknowledgement alike. Never stored: derived on read.
    """
    return done_on is None and today > due_on


def done_late(*, due_on: datetime.date, done_on: datetime.date | None) -> bool:
    """R-TIME-1: done, but after the due day (shown on the request, counted by the board)."""
    return done_on is not None and done_on > due_on


def is_escalation(route: str) -> bool:
    """R-WT-8: a referral to children's social care or the MASH."""
    return route in ESCALATION_ROUTES


def route_preconditions(route: str) -> frozenset[str]:
    """What must be true before the front door may choose this route, beyond its reasons.

    R-WT-8: an escalation has none at all (no assessment, no agreement, no acknowledgement,
    no consent). R-WT-3: early help and a team around the family need the family's agreement.
    """
    if route in VOLUNTARY_ROUTES:
        return frozenset({"family_agreement"})
    return frozenset()


Errors = dict[str, list[str]]

NO_ROUTE = "Select the type of response"
NO_REASONS = "Enter the reasons for the decision"
NEEDS_AGREEMENT = (
    "Early help is voluntary: the family has not agreed. Record that they now agree, or "
    "choose another response (a referral to children's social care or the MASH never "
    "needs their agreement)"
)


def decision_problems(*, route: str, reasons: str, family_agrees: bool) -> Errors:
    """What is wrong with a decision, by field (R-WT-3, R-WT-8). Empty: acceptable.

    ``family_agrees``: the family's agreement is recorded, on the request or with the
    decision. Reasons are part of every decision, not a precondition of any route.
    """
    errors: Errors = {}
    if route not in set(Route):
        errors["route"] = [NO_ROUTE]
    elif "family_agreement" in route_preconditions(route) and not family_agrees:
        errors["family_agrees"] = [NEEDS_AGREEMENT]
    if not reasons.strip():
        errors["reasons"] = [NO_REASONS]
    elif len(reasons.strip()) > TEXT_MAX:
        errors["reasons"] = [f"Enter {TEXT_MAX} characters or fewer"]
    return errors


def early_help_prompts(circumstances: Iterable[str]) -> list[str]:
    """R-WT-7: for each listed circumstance, a prompt to consider early help, in list order."""
    chosen = set(circumstances)
    return [
        f"Consider early help: {CIRCUMSTANCE_LABELS[c][0].lower()}{CIRCUMSTANCE_LABELS[c][1:]}"
        for c in Circumstance
        if c in chosen
    ]


def unknown_circumstances(circumstances: Iterable[str]) -> list[str]:
    return sorted(set(circumstances) - set(Circumstance))
