"""Safer-sleep and health visiting rules, table by table (R-SS-1 to R-SS-4, R-HCP-1)."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.safersleep import rules
from earlyhelp.safersleep.rules import (
    ContactKind,
    ContactStatus,
    DisruptionKind,
    SleepRisks,
    Window,
)

D = datetime.date

# --- R-SS-3: the red flag -----------------------------------------------------------------

RED_FLAG_CASES = [
    # (risks, red flag?, why)
    (SleepRisks(), False, "nothing recorded"),
    (SleepRisks(sofa_or_chair_sleeping=True), True, "R-SS-3: any sofa or chair sleeping"),
    (SleepRisks(bed_sharing=True), False, "bed-sharing alone is not a red flag"),
    (SleepRisks(bed_sharing=True, parent_smokes=True), True, "bed-sharing with a smoker"),
    (SleepRisks(bed_sharing=True, household_smokes=True), True, "household smoker counts"),
    (SleepRisks(bed_sharing=True, smoking_in_pregnancy=True), True, "smoked in pregnancy"),
    (SleepRisks(bed_sharing=True, alcohol_two_units_or_more=True), True, "2+ units"),
    (SleepRisks(bed_sharing=True, drugs_or_drowsy_medication=True), True, "drugs"),
    (SleepRisks(bed_sharing=True, premature_or_low_birth_weight=True), True, "premature or LBW"),
    (SleepRisks(bed_sharing=False, parent_smokes=True), False, "smoker, no bed-sharing"),
    (SleepRisks(bed_sharing=True, parent_extremely_tired=True), False, "tired is not in R-SS-3"),
    (
        SleepRisks(bed_sharing=True, loose_bedding=True, prone_or_side_sleeping=True),
        False,
        "R-SS-2 only",
    ),
    (SleepRisks(separate_room_under_six_months=True), False, "R-SS-2 risk, not a red flag"),
    (SleepRisks(bed_sharing=None, parent_smokes=True), False, "not asked is not yes"),
]


@pytest.mark.parametrize(("risks", "expected", "why"), RED_FLAG_CASES)
def test_red_flag_rule_r_ss_3(risks: SleepRisks, expected: bool, why: str) -> None:
    assert rules.is_red_flag(risks) is expected, why
    assert bool(rules.red_flag_reasons(risks)) is expected, why


def test_red_flag_reasons_say_which_risks_r_ss_3() -> None:
    reasons = rules.red_flag_reasons(
        SleepRisks(sofa_or_chair_sleeping=True, bed_sharing=True, alcohol_two_units_or_more=True)
    )
    assert reasons == [
        "The baby sleeps on a sofa or armchair",
        "Bed-sharing with 2 or more units of alcohol",
    ]


# --- R-SS-2, R-SS-3, R-SS-4, R-EHA-5: what a record must hold --------------------------------

ALL_NO = SleepRisks(**{name: False for name in rules.RISK_FIELDS})
SOFA = SleepRisks(**{**{name: False for name in rules.RISK_FIELDS}, "sofa_or_chair_sleeping": True})
TODAY = D(2026, 11, 26)


def _problems(**overrides: object) -> dict[str, list[str]]:
    values: dict[str, object] = {
        "risks": ALL_NO,
        "observation": False,
        "sleeping_arrangements": "Own cot in parents' room",
        "conversation": "Talked through the Lullaby Trust advice",
        "action_plan": "",
        "contact": "new_birth",
        "assessed_on": TODAY,
        "today": TODAY,
    }
    values.update(overrides)
    return rules.assessment_problems(**values)  # type: ignore[arg-type]


ASSESSMENT_CASES = [
    # (overrides, fields with a problem, rule)
    ({}, set(), "R-SS-2: every question answered"),
    ({"risks": SleepRisks()}, set(rules.RISK_FIELDS), "R-SS-2: a full assessment answers all"),
    ({"sleeping_arrangements": " "}, {"sleeping_arrangements"}, "R-EHA-5: where the baby sleeps"),
    ({"conversation": ""}, {"conversation"}, "R-EHA-5: the advice given"),
    ({"risks": SOFA}, {"action_plan"}, "R-SS-3: red flag needs an action plan"),
    ({"risks": SOFA, "action_plan": "Cot delivered Friday"}, set(), "R-SS-3: plan given"),
    ({"contact": "weekly"}, {"contact"}, "R-SS-1: a known contact"),
    ({"assessed_on": None}, {"assessed_on"}, "date needed"),
    ({"assessed_on": D(2026, 11, 27)}, {"assessed_on"}, "not in the future"),
    (
        {
            "observation": True,
            "risks": SleepRisks(),
            "conversation": "",
            "sleeping_arrangements": "",
        },
        {"__all__"},
        "R-SS-4: an observation says what was seen",
    ),
    (
        {"observation": True, "risks": SleepRisks(loose_bedding=True), "conversation": ""},
        set(),
        "R-SS-4: observation without a conversation when no red flag",
    ),
    (
        {"observation": True, "risks": SleepRisks(sofa_or_chair_sleeping=True), "conversation": ""},
        {"conversation", "action_plan"},
        "R-SS-3 applies to an observation too",
    ),
]


@pytest.mark.parametrize(("overrides", "fields", "rule"), ASSESSMENT_CASES)
def test_what_a_safer_sleep_record_must_hold(
    overrides: dict[str, object], fields: set[str], rule: str
) -> None:
    assert set(_problems(**overrides)) == fields, rule


def test_red_flag_message_names_the_plan_and_equipment_r_ss_3() -> None:
    assert _problems(risks=SOFA)["action_plan"] == [rules.ACTION_PLAN_NEEDED]
    assert "cot" in rules.ACTION_PLAN_NEEDED


# --- R-HCP-1: contact windows ---------------------------------------------------------------

BORN = D(2026, 1, 10)
WINDOW_CASES = [
    # (date of birth, due date, kind, window, rule)
    (
        None,
        D(2027, 3, 1),
        ContactKind.ANTENATAL,
        Window(D(2026, 12, 7), D(2027, 3, 1)),
        "from 28 weeks",
    ),
    (
        None,
        D(2027, 3, 1),
        ContactKind.NEW_BIRTH,
        Window(D(2027, 3, 11), D(2027, 3, 15)),
        "provisional",
    ),
    (BORN, None, ContactKind.NEW_BIRTH, Window(D(2026, 1, 20), D(2026, 1, 24)), "10-14 days"),
    (
        BORN,
        None,
        ContactKind.SIX_TO_EIGHT_WEEKS,
        Window(D(2026, 2, 21), D(2026, 3, 7)),
        "6-8 weeks",
    ),
    (
        BORN,
        None,
        ContactKind.NINE_TO_TWELVE_MONTHS,
        Window(D(2026, 10, 10), D(2027, 1, 10)),
        "9-12 m",
    ),
    (BORN, None, ContactKind.TWO_YEARS, Window(D(2028, 1, 10), D(2028, 7, 10)), "2-2.5 years"),
    # Leap years: born on 29 February, months are counted as birthdays are (1 March).
    (
        D(2024, 2, 29),
        None,
        ContactKind.NINE_TO_TWELVE_MONTHS,
        Window(D(2024, 11, 29), D(2025, 3, 1)),
        "leap",
    ),
    (D(2024, 2, 29), None, ContactKind.TWO_YEARS, Window(D(2026, 3, 1), D(2026, 8, 29)), "leap"),
    (
        D(2024, 2, 19),
        None,
        ContactKind.NEW_BIRTH,
        Window(D(2024, 2, 29), D(2024, 3, 4)),
        "29 Feb in a window",
    ),
    (
        D(2023, 12, 31),
        None,
        ContactKind.SIX_TO_EIGHT_WEEKS,
        Window(D(2024, 2, 11), D(2024, 2, 25)),
        "new year",
    ),
    (
        D(2025, 5, 31),
        None,
        ContactKind.NINE_TO_TWELVE_MONTHS,
        Window(D(2026, 3, 1), D(2026, 5, 31)),
        "31 Feb",
    ),
]


@pytest.mark.parametrize(("born", "due", "kind", "window", "why"), WINDOW_CASES)
def test_contact_windows_r_hcp_1(
    born: datetime.date | None, due: datetime.date | None, kind: str, window: Window, why: str
) -> None:
    windows = rules.contact_windows(date_of_birth=born, expected_date_of_delivery=due)
    assert windows[kind] == window, why


def test_a_child_first_known_after_birth_has_no_antenatal_contact_r_hcp_1() -> None:
    windows = rules.contact_windows(date_of_birth=BORN, expected_date_of_delivery=None)
    assert ContactKind.ANTENATAL not in windows
    assert len(windows) == 4


def test_nothing_to_schedule_without_any_date_r_hcp_1() -> None:
    assert rules.contact_windows(date_of_birth=None, expected_date_of_delivery=None) == {}


SCHEDULE_CASES = [
    # (date of birth, due date, today, kinds tracked)
    (None, D(2027, 3, 1), TODAY, set(ContactKind.values)),
    (
        D(2026, 11, 1),
        None,
        TODAY,
        {"six_to_eight_weeks", "nine_to_twelve_months", "two_to_two_and_a_half_years"},
    ),
    (
        D(2026, 11, 12),
        None,
        TODAY,
        {"new_birth", "six_to_eight_weeks", "nine_to_twelve_months", "two_to_two_and_a_half_years"},
    ),
    (D(2024, 1, 1), None, TODAY, set()),
]


@pytest.mark.parametrize(("born", "due", "today", "kinds"), SCHEDULE_CASES)
def test_reviews_tracked_for_a_baby_joining_today_r_hcp_1(
    born: datetime.date | None, due: datetime.date | None, today: datetime.date, kinds: set[str]
) -> None:
    tracked = rules.contacts_to_schedule(
        date_of_birth=born, expected_date_of_delivery=due, today=today
    )
    assert set(tracked) == kinds


# An unborn baby turning into a child: the same reviews, counted from the birth.
UNBORN_WINDOWS = rules.contact_windows(date_of_birth=None, expected_date_of_delivery=D(2027, 3, 1))
BIRTH_CASES = [
    # (born on, kind, window afterwards, why)
    (
        D(2027, 2, 15),
        ContactKind.ANTENATAL,
        Window(D(2026, 12, 7), D(2027, 2, 14)),
        "closes the day before",
    ),
    (
        D(2026, 11, 30),
        ContactKind.ANTENATAL,
        Window(D(2026, 11, 29), D(2026, 11, 29)),
        "born before 28 weeks",
    ),
    (
        D(2027, 2, 15),
        ContactKind.NEW_BIRTH,
        Window(D(2027, 2, 25), D(2027, 3, 1)),
        "from the birth",
    ),
    (
        D(2027, 3, 8),
        ContactKind.SIX_TO_EIGHT_WEEKS,
        Window(D(2027, 4, 19), D(2027, 5, 3)),
        "late baby",
    ),
    (
        D(2028, 2, 29),
        ContactKind.NINE_TO_TWELVE_MONTHS,
        Window(D(2028, 11, 29), D(2029, 3, 1)),
        "leap",
    ),
]


@pytest.mark.parametrize(("born", "kind", "after", "why"), BIRTH_CASES)
def test_unborn_baby_turning_into_a_child_r_hcp_1(
    born: datetime.date, kind: str, after: Window, why: str
) -> None:
    before = UNBORN_WINDOWS.get(kind) or Window(born, born)
    assert rules.contact_rescheduled(kind, before, born) == after, why


STATUS_CASES = [
    # (window, completed on, today, status)
    (Window(D(2026, 11, 20), D(2026, 11, 24)), None, D(2026, 11, 19), ContactStatus.NOT_YET_DUE),
    (Window(D(2026, 11, 20), D(2026, 11, 24)), None, D(2026, 11, 20), ContactStatus.DUE),
    (Window(D(2026, 11, 20), D(2026, 11, 24)), None, D(2026, 11, 24), ContactStatus.DUE),
    (Window(D(2026, 11, 20), D(2026, 11, 24)), None, D(2026, 11, 25), ContactStatus.OVERDUE),
    (
        Window(D(2026, 11, 20), D(2026, 11, 24)),
        D(2026, 11, 26),
        D(2026, 11, 30),
        ContactStatus.COMPLETED,
    ),
    (Window(D(2024, 2, 25), D(2024, 2, 28)), None, D(2024, 2, 29), ContactStatus.OVERDUE),
]


@pytest.mark.parametrize(("window", "completed", "today", "status"), STATUS_CASES)
def test_overdue_is_derived_from_the_stored_window_r_hcp_1(
    window: Window, completed: datetime.date | None, today: datetime.date, status: ContactStatus
) -> None:
    assert rules.contact_status(window, completed, today) is status
    assert rules.contact_is_overdue(window, completed, today) is (status is ContactStatus.OVERDUE)


COMPLETION_CASES = [
    (ContactKind.ANTENATAL, False, rules.SAFER_SLEEP_NEEDED),
    (ContactKind.NEW_BIRTH, False, rules.SAFER_SLEEP_NEEDED),
    (ContactKind.SIX_TO_EIGHT_WEEKS, False, rules.SAFER_SLEEP_NEEDED),
    (ContactKind.SIX_TO_EIGHT_WEEKS, True, None),
    (ContactKind.NINE_TO_TWELVE_MONTHS, False, None),
    (ContactKind.TWO_YEARS, False, None),
]


@pytest.mark.parametrize(("kind", "recorded", "problem"), COMPLETION_CASES)
def test_mandated_contacts_need_a_safer_sleep_assessment_r_ss_1(
    kind: str, recorded: bool, problem: str | None
) -> None:
    assert rules.contact_completion_problem(kind, safer_sleep_recorded=recorded) == problem


# --- R-SS-1: disruptions and who is reassessed ----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "is_one"),
    [(k, True) for k in DisruptionKind.values] + [("birthday_party", False), ("", False)],
)
def test_which_events_are_disruptions_r_ss_1(kind: str, is_one: bool) -> None:
    assert rules.is_disruption(kind) is is_one


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        (DisruptionKind.DOMESTIC_ABUSE_INCIDENT, "domestic_abuse"),
        (DisruptionKind.RELAPSE, "substance_use"),
        (DisruptionKind.HOUSE_MOVE, None),
        (DisruptionKind.NEW_PARTNER, None),
    ],
)
def test_need_to_know_disruptions_r_is_12(kind: str, category: str | None) -> None:
    assert rules.disruption_category(kind) == category


REASSESS_CASES = [
    # (unborn, date of birth, today, reassessed?, why)
    (True, None, TODAY, True, "R-SS-1: an unborn baby is included"),
    (False, D(2026, 11, 1), TODAY, True, "a newborn"),
    (False, D(2025, 11, 27), TODAY, True, "the day before the first birthday"),
    (False, D(2025, 11, 26), TODAY, False, "one year old today"),
    (False, D(2024, 2, 29), D(2025, 2, 28), True, "leap year: not yet one on 28 February"),
    (False, D(2024, 2, 29), D(2025, 3, 1), False, "leap year: one on 1 March"),
    (False, D(2009, 5, 14), TODAY, False, "a young parent is not an infant"),
]


@pytest.mark.parametrize(("unborn", "born", "today", "expected", "why"), REASSESS_CASES)
def test_who_is_reassessed_after_a_disruption_r_ss_1(
    unborn: bool, born: datetime.date | None, today: datetime.date, expected: bool, why: str
) -> None:
    assert (
        rules.needs_reassessment(is_unborn=unborn, date_of_birth=born, today=today) is expected
    ), why


@pytest.mark.parametrize(
    ("visitors", "lead", "expected"),
    [
        ({1, 2}, 3, {1, 2, 3}),
        ({1}, 1, {1}),
        (set(), 3, {3}),
        ({4}, None, {4}),
        (set(), None, set()),
    ],
)
def test_who_must_reassess_r_ss_1_r_ss_3(
    visitors: set[int], lead: int | None, expected: set[int]
) -> None:
    assert rules.who_must_reassess(health_visitor_ids=visitors, lead_professional_id=lead) == (
        frozenset(expected)
    )


@pytest.mark.parametrize(
    ("kind", "occurred", "details", "fields"),
    [
        (DisruptionKind.HOUSE_MOVE, TODAY, "", set()),
        ("eviction", TODAY, "", {"kind"}),
        (DisruptionKind.HOUSE_MOVE, None, "", {"occurred_on"}),
        (DisruptionKind.HOUSE_MOVE, D(2026, 11, 27), "", {"occurred_on"}),
        (DisruptionKind.OTHER, TODAY, "", {"details"}),
        (DisruptionKind.OTHER, TODAY, "Stayed with grandmother", set()),
    ],
)
def test_disruption_problems_r_ss_4(
    kind: str, occurred: datetime.date | None, details: str, fields: set[str]
) -> None:
    problems = rules.disruption_problems(
        kind=kind, occurred_on=occurred, today=TODAY, details=details
    )
    assert set(problems) == fields
