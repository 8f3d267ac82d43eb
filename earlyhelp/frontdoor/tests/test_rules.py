"""The front door's pure rules, table-driven: R-TIME-1, R-WT-3, R-WT-7, R-WT-8."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.core.calendar import bank_holidays
from earlyhelp.frontdoor import rules
from earlyhelp.frontdoor.rules import Circumstance, Route

D = datetime.date
HOLIDAYS = bank_holidays()


# R-TIME-1: decided (and acknowledged) within one working day, bank holidays not counted.
@pytest.mark.parametrize(
    ("received_on", "due_on", "why"),
    [
        (D(2026, 11, 26), D(2026, 11, 27), "Thursday: due Friday"),
        (D(2026, 11, 27), D(2026, 11, 30), "Friday: due Monday"),
        (D(2026, 11, 28), D(2026, 11, 30), "Saturday: due Monday"),
        (D(2026, 11, 29), D(2026, 11, 30), "Sunday: due Monday"),
        (D(2026, 12, 23), D(2026, 12, 24), "Wednesday before Christmas: due Christmas Eve"),
        (
            D(2026, 12, 24),
            D(2026, 12, 29),
            "Christmas Eve 2026: Christmas Day, the weekend, "
            "and Boxing Day's substitute Monday do not count",
        ),
        (D(2025, 12, 24), D(2025, 12, 29), "Christmas Eve 2025: Christmas and Boxing Day"),
        (D(2025, 12, 26), D(2025, 12, 29), "received on Boxing Day, a bank holiday"),
        (D(2026, 12, 31), D(2027, 1, 4), "New Year's Eve, a Thursday: New Year's Day is not"),
        (D(2026, 4, 2), D(2026, 4, 7), "the Thursday before Easter 2026"),
        (D(2026, 4, 3), D(2026, 4, 7), "on Good Friday itself"),
        (D(2027, 3, 25), D(2027, 3, 30), "the Thursday before Easter 2027"),
        (D(2026, 5, 22), D(2026, 5, 26), "Friday before the spring bank holiday"),
        (D(2028, 2, 28), D(2028, 2, 29), "a leap day is a working day"),
    ],
)
def test_decision_due_one_working_day_after_receipt(
    received_on: datetime.date, due_on: datetime.date, why: str
) -> None:
    assert rules.decision_due_on(received_on, holidays=HOLIDAYS) == due_on, why


def test_a_friday_request_is_due_on_tuesday_when_monday_is_a_bank_holiday() -> None:
    """R-TIME-1 with a holiday list given directly: the rule reads only what it is passed."""
    friday, monday = D(2026, 8, 28), D(2026, 8, 31)
    assert rules.decision_due_on(friday, holidays={monday}) == D(2026, 9, 1)
    assert rules.decision_due_on(friday, holidays=set()) == monday


# R-TIME-1: overdue is derived from the stored due date and the moment asked about.
@pytest.mark.parametrize(
    ("done_on", "today", "overdue"),
    [
        (None, D(2026, 11, 27), False),  # the due day itself: still in time
        (None, D(2026, 11, 26), False),  # the day it came in
        (None, D(2026, 11, 28), True),  # the day after the due day
        (D(2026, 11, 30), D(2026, 12, 10), False),  # done (late): no longer overdue
        (D(2026, 11, 27), D(2026, 11, 28), False),
    ],
)
def test_overdue_only_when_not_done_after_the_due_day(
    done_on: datetime.date | None, today: datetime.date, overdue: bool
) -> None:
    assert rules.is_overdue(due_on=D(2026, 11, 27), done_on=done_on, today=today) is overdue


@pytest.mark.parametrize(
    ("done_on", "late"),
    [(None, False), (D(2026, 11, 26), False), (D(2026, 11, 27), False), (D(2026, 11, 30), True)],
)
def test_done_late(done_on: datetime.date | None, late: bool) -> None:
    assert rules.done_late(due_on=D(2026, 11, 27), done_on=done_on) is late


# R-WT-8: escalations, and that nothing but the reasons is ever asked of them.
@pytest.mark.parametrize(
    ("route", "escalation"),
    [
        (Route.CHILDRENS_SOCIAL_CARE, True),
        (Route.MASH, True),
        (Route.EARLY_HELP, False),
        (Route.TEAM_AROUND_THE_FAMILY, False),
        (Route.ADVICE_UNIVERSAL, False),
        ("", False),
    ],
)
def test_which_routes_are_escalations(route: str, escalation: bool) -> None:
    assert rules.is_escalation(route) is escalation


@pytest.mark.parametrize(
    ("route", "preconditions"),
    [
        (Route.CHILDRENS_SOCIAL_CARE, frozenset()),  # R-WT-8: none at all
        (Route.MASH, frozenset()),  # R-WT-8
        (Route.ADVICE_UNIVERSAL, frozenset()),
        (Route.EARLY_HELP, frozenset({"family_agreement"})),  # R-WT-3
        (Route.TEAM_AROUND_THE_FAMILY, frozenset({"family_agreement"})),  # R-WT-3
    ],
)
def test_route_preconditions(route: Route, preconditions: frozenset[str]) -> None:
    assert rules.route_preconditions(route) == preconditions


@pytest.mark.parametrize(
    ("route", "reasons", "family_agrees", "expected"),
    [
        # R-WT-8: escalation with the family not agreeing (and no assessment) is accepted.
        (Route.CHILDRENS_SOCIAL_CARE, "Bruising on a non-mobile baby", False, {}),
        (Route.MASH, "Police report of domestic abuse", False, {}),
        (Route.ADVICE_UNIVERSAL, "Health visitor can support", False, {}),
        # R-WT-3: early help is voluntary.
        (Route.EARLY_HELP, "Needs support", True, {}),
        (Route.EARLY_HELP, "Needs support", False, {"family_agrees": [rules.NEEDS_AGREEMENT]}),
        (
            Route.TEAM_AROUND_THE_FAMILY,
            "Several agencies",
            False,
            {"family_agrees": [rules.NEEDS_AGREEMENT]},
        ),
        # Every decision has reasons, escalations too.
        (Route.MASH, "   ", False, {"reasons": [rules.NO_REASONS]}),
        ("", "", False, {"route": [rules.NO_ROUTE], "reasons": [rules.NO_REASONS]}),
        ("closed", "x", True, {"route": [rules.NO_ROUTE]}),
        (Route.MASH, "x" * 5001, False, {"reasons": ["Enter 5000 characters or fewer"]}),
    ],
)
def test_decision_problems(
    route: str, reasons: str, family_agrees: bool, expected: dict[str, list[str]]
) -> None:
    assert (
        rules.decision_problems(route=route, reasons=reasons, family_agrees=family_agrees)
        == expected
    )


# R-WT-7: prompts to consider early help, in the order of the list.
@pytest.mark.parametrize(
    ("circumstances", "prompts"),
    [
        ([], []),
        (
            [Circumstance.DOMESTIC_ABUSE, Circumstance.YOUNG_CARER],
            [
                "Consider early help: a child is a young carer",
                "Consider early help: there is domestic abuse in the household",
            ],
        ),
        (
            [Circumstance.PARENT_IN_CUSTODY, Circumstance.PARENT_IN_CUSTODY],
            ["Consider early help: a parent is in custody"],
        ),
        (["not_a_circumstance"], []),
    ],
)
def test_early_help_prompts(circumstances: list[str], prompts: list[str]) -> None:
    assert rules.early_help_prompts(circumstances) == prompts


def test_every_circumstance_of_the_rule_has_a_prompt() -> None:
    """R-WT-7 lists eleven circumstances; each one prompts."""
    assert len(Circumstance) == 11
    assert len(rules.early_help_prompts(list(Circumstance))) == 11
    assert rules.unknown_circumstances(["young_carer", "astrology"]) == ["astrology"]
