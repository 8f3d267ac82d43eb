"""Board insights rules, table-driven: the young-parent cohort at its boundaries, periods,
small-number suppression and statistics (R-SS-6, R-SF-3, R-SF-5)."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.insights import rules
from earlyhelp.insights.rules import MemberFacts, Period, PeriodKind

D = datetime.date

MOTHER_17 = MemberFacts("mother", D(2009, 5, 14))
UNBORN_MARCH = MemberFacts("unborn_baby", None, D(2027, 3, 1))


@pytest.mark.parametrize(
    ("born", "years", "expected"),
    [
        (D(2006, 11, 27), 20, D(2026, 11, 27)),
        (D(2008, 2, 29), 20, D(2028, 2, 29)),  # a leap year: the day itself
        (D(2008, 2, 29), 2, D(2010, 3, 1)),  # otherwise 1 March, as people.rules.age_on
    ],
)
def test_birthday(born: datetime.date, years: int, expected: datetime.date) -> None:
    assert rules.birthday(born, years) == expected


@pytest.mark.parametrize(
    ("members", "day", "expected", "why"),
    [
        ([MOTHER_17, UNBORN_MARCH], D(2026, 11, 27), True, "17 and pregnant"),
        # The parent's 20th birthday: the day before in, the day itself out.
        (
            [MemberFacts("mother", D(2006, 11, 27)), UNBORN_MARCH],
            D(2026, 11, 26),
            True,
            "19 the day before turning 20",
        ),
        (
            [MemberFacts("mother", D(2006, 11, 27)), UNBORN_MARCH],
            D(2026, 11, 27),
            False,
            "20 today",
        ),
        (
            [MemberFacts("father", D(2007, 1, 1)), UNBORN_MARCH],
            D(2026, 11, 27),
            True,
            "a young father counts",
        ),
        (
            [MemberFacts("partner_of_parent", D(2009, 1, 1)), UNBORN_MARCH],
            D(2026, 11, 27),
            False,
            "a partner who is not the mother or father does not",
        ),
        # The baby's 2nd birthday.
        ([MOTHER_17, MemberFacts("child", D(2024, 11, 27))], D(2026, 11, 26), True, "1 year old"),
        ([MOTHER_17, MemberFacts("child", D(2024, 11, 27))], D(2026, 11, 27), False, "2 today"),
        (
            [MOTHER_17, MemberFacts("sibling", D(2026, 1, 1))],
            D(2026, 11, 27),
            False,
            "a sibling is not the parent's baby",
        ),
        # The pregnancy: 280 days before the expected date of delivery.
        ([MOTHER_17, UNBORN_MARCH], D(2026, 5, 25), True, "first day of the pregnancy"),
        ([MOTHER_17, UNBORN_MARCH], D(2026, 5, 24), False, "the day before"),
        # A baby still recorded unborn long after the date counts until it would turn 2.
        ([MOTHER_17, UNBORN_MARCH], D(2029, 2, 28), True, "would be 1"),
        ([MOTHER_17, UNBORN_MARCH], D(2029, 3, 1), False, "would be 2"),
        # Membership: left_on is the first day no longer a member.
        (
            [MemberFacts("mother", D(2009, 5, 14), left_on=D(2026, 11, 1)), UNBORN_MARCH],
            D(2026, 10, 31),
            True,
            "the last day in the family",
        ),
        (
            [MemberFacts("mother", D(2009, 5, 14), left_on=D(2026, 11, 1)), UNBORN_MARCH],
            D(2026, 11, 1),
            False,
            "the day she left",
        ),
        (
            [MOTHER_17, MemberFacts("child", D(2026, 1, 1), joined_on=D(2026, 6, 1))],
            D(2026, 5, 31),
            False,
            "the baby joined the family later",
        ),
        ([MemberFacts("mother", None), UNBORN_MARCH], D(2026, 11, 27), False, "age not known"),
        ([MOTHER_17], D(2026, 11, 27), False, "no baby"),
    ],
)
def test_in_cohort_on(
    members: list[MemberFacts], day: datetime.date, expected: bool, why: str
) -> None:
    assert rules.in_cohort_on(members, day) is expected, why


@pytest.mark.parametrize(
    ("members", "start", "end", "expected", "why"),
    [
        # Turns 20 on 1 November: in October's cohort, not November's (families leave).
        (
            [MemberFacts("mother", D(2006, 11, 1)), MemberFacts("child", D(2026, 1, 1))],
            D(2026, 10, 1),
            D(2026, 10, 31),
            True,
            "19 all October",
        ),
        (
            [MemberFacts("mother", D(2006, 11, 1)), MemberFacts("child", D(2026, 1, 1))],
            D(2026, 11, 1),
            D(2026, 11, 30),
            False,
            "20 from the first day of November",
        ),
        # Turns 20 on 2 November: in for one day of November is enough.
        (
            [MemberFacts("mother", D(2006, 11, 2)), MemberFacts("child", D(2026, 1, 1))],
            D(2026, 11, 1),
            D(2026, 11, 30),
            True,
            "19 on 1 November",
        ),
        # The pregnancy starts on the last day of the month (families enter).
        (
            [MOTHER_17, MemberFacts("unborn_baby", None, D(2027, 9, 6))],
            D(2026, 11, 1),
            D(2026, 11, 30),
            True,
            "pregnancy from 30 November",
        ),
        (
            [MOTHER_17, MemberFacts("unborn_baby", None, D(2027, 9, 7))],
            D(2026, 11, 1),
            D(2026, 11, 30),
            False,
            "pregnancy from 1 December",
        ),
    ],
)
def test_in_cohort_during_a_period(
    members: list[MemberFacts],
    start: datetime.date,
    end: datetime.date,
    expected: bool,
    why: str,
) -> None:
    spans = rules.cohort_spans(members)
    assert rules.in_cohort_during(spans, start, end) is expected, why


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 0, False),
        (0, 12, False),
        (1, 12, True),
        (4, 12, True),
        (5, 12, False),
        (5, 5, False),
        (3, 3, True),
        (12, 4, True),
        (0, 4, True),
    ],
)
def test_small_numbers_are_suppressed(numerator: int, denominator: int, expected: bool) -> None:
    assert rules.is_suppressed(numerator, denominator) is expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(0, 0, None), (0, 7, 0), (5, 7, 71), (1, 8, 13), (1, 200, 1), (7, 7, 100)],
)
def test_percentage(numerator: int, denominator: int, expected: int | None) -> None:
    assert rules.percentage(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.9, None),
        ([5.0], 0.9, 5.0),
        ([float(n) for n in range(1, 11)], 0.9, 9.0),
        ([float(n) for n in range(1, 11)], 0.5, 5.0),
        ([10.0, 1.0, 3.0], 0.9, 10.0),
    ],
)
def test_percentile_nearest_rank(
    values: list[float], fraction: float, expected: float | None
) -> None:
    assert rules.percentile(values, fraction) == expected


@pytest.mark.parametrize(
    ("values", "expected"), [([], None), ([3.0, 1.0, 2.0], 2.0), ([1.0, 2.0, 3.0, 10.0], 2.5)]
)
def test_median(values: list[float], expected: float | None) -> None:
    assert rules.median(values) == expected


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 11, 27), D(2026, 11, 1), D(2026, 11, 30)),
        (D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
        (D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
    ],
)
def test_month_period(day: datetime.date, start: datetime.date, end: datetime.date) -> None:
    assert rules.month_period(day) == Period(start, end, PeriodKind.MONTH)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 11, 27), D(2026, 10, 1), D(2026, 12, 31)),
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 6, 30), D(2026, 4, 1), D(2026, 6, 30)),
    ],
)
def test_quarter_period_for_the_return(
    day: datetime.date, start: datetime.date, end: datetime.date
) -> None:
    """R-SF-3: calendar quarters."""
    assert rules.quarter_period(day) == Period(start, end, PeriodKind.QUARTER)


def test_months_back_are_oldest_first_and_end_with_this_month() -> None:
    months = rules.months_back(D(2026, 2, 15), 3)
    assert [m.start for m in months] == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]


@pytest.mark.parametrize(
    ("start", "end", "has_problem"),
    [
        (D(2026, 11, 1), D(2026, 10, 1), True),
        (D(2026, 11, 1), D(2026, 11, 1), False),
        (None, D(2026, 10, 1), False),
        (D(2026, 10, 1), None, False),
    ],
)
def test_a_period_may_not_end_before_it_starts(
    start: datetime.date | None, end: datetime.date | None, has_problem: bool
) -> None:
    assert bool(rules.period_problems(start, end)) is has_problem


GOOD_AREAS = {area.value: ("developing", "We are working on it") for area in rules.GuideArea}


@pytest.mark.parametrize(
    ("year", "areas", "problem_fields"),
    [
        (2026, GOOD_AREAS, set()),
        (2021, GOOD_AREAS, {"year"}),
        (2027, GOOD_AREAS, {"year"}),
        (None, GOOD_AREAS, {"year"}),
        (2026, {**GOOD_AREAS, "data": ("", "Text")}, {"data_rating"}),
        (2026, {**GOOD_AREAS, "data": ("brilliant", "Text")}, {"data_rating"}),
        (2026, {**GOOD_AREAS, "workforce": ("mature", "  ")}, {"workforce_narrative"}),
        (2026, {}, {f"{a.value}_{p}" for a in rules.GuideArea for p in ("rating", "narrative")}),
    ],
)
def test_self_assessment_rates_all_five_areas(
    year: int | None, areas: dict[str, tuple[str, str]], problem_fields: set[str]
) -> None:
    """R-SF-5: five areas, a rating and a narrative each, for a year of the guide."""
    problems = rules.self_assessment_problems(year=year, areas=areas, today=D(2026, 11, 27))
    assert set(problems) == problem_fields
