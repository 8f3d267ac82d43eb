"""Each measure on a small hand-built cohort whose answers are known in advance
(earlyhelp/insights/tests/cohort.py), through the recompute service; then the drill-down
through the sharing policy."""

from __future__ import annotations

import datetime

import pytest

from conftest import Partnership
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.insights import selectors
from earlyhelp.insights.measures import MEASURES
from earlyhelp.insights.models import MeasureFigure
from earlyhelp.insights.services import figures_recompute
from earlyhelp.insights.tests.cohort import (
    NOVEMBER,
    OCTOBER,
    TODAY,
    Cohort,
    access_requests_build,
    cohort_build,
    housing_build,
    reviews_build,
    risks_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(partnership: Partnership) -> Cohort:
    built = cohort_build(partnership)
    figures_recompute(today=TODAY)
    return built


def figure(
    measure_id: str, month: datetime.date, breakdown: str = "all", key: str = ""
) -> tuple[int, int]:
    row = MeasureFigure.objects.get(
        measure_id=measure_id,
        period_kind="month",
        period_start=month,
        breakdown=breakdown,
        key=key,
    )
    return row.numerator, row.denominator


@pytest.mark.parametrize(
    ("measure_id", "november", "october"),
    [
        # Families enter and leave: F7 turns 20 on 1 November (in October only); F10's
        # pregnancy starts in December (in neither); F8 is 25 (never).
        ("coverage-request-decided", (6, 8), (0, 9)),
        ("coverage-assessment", (5, 8), (0, 9)),
        ("coverage-level-of-need", (6, 8), (0, 9)),
        ("coverage-lead-professional", (1, 8), (2, 9)),
        ("coverage-plan", (2, 8), (2, 9)),
        ("safer-sleep-at-contacts", (5, 6), (0, 0)),
        ("safer-sleep-red-flags-with-plan", (2, 2), (0, 0)),
        ("safer-sleep-reassessed-after-move", (2, 3), (0, 0)),
        ("timeliness-front-door-decisions", (5, 6), (0, 0)),
        ("outcomes-step-up", (1, 3), (0, 0)),
        ("outcomes-step-down", (1, 3), (0, 0)),
    ],
)
def test_measure_on_the_hand_built_cohort(
    measure_id: str,
    november: tuple[int, int],
    october: tuple[int, int],
    cohort: Cohort,
) -> None:
    assert figure(measure_id, NOVEMBER) == november
    assert figure(measure_id, OCTOBER) == october


def test_every_measure_is_tested_above() -> None:
    tested = {
        "coverage-request-decided",
        "coverage-assessment",
        "coverage-level-of-need",
        "coverage-lead-professional",
        "coverage-plan",
        "safer-sleep-at-contacts",
        "safer-sleep-red-flags-with-plan",
        "safer-sleep-reassessed-after-move",
        "timeliness-front-door-decisions",
        "outcomes-step-up",
        "outcomes-step-down",
        "coverage-reviews-on-time",
        "outcomes-successful",
        "timeliness-risk-notified-median",
        "timeliness-risk-notified-p90",
        "timeliness-risk-acknowledged-median",
        "timeliness-risk-acknowledged-p90",
        "housing-placed-out-of-area",
        "housing-notices-in-time",
        "housing-bed-and-breakfast-past-six-weeks",
        "housing-under-18-tenants-with-trustee",
        "timeliness-information-requests",
    }
    assert tested == set(MEASURES)


@pytest.mark.parametrize(
    ("measure_id", "breakdown", "key", "expected"),
    [
        ("coverage-assessment", "area", "Wyvern", (3, 3)),
        ("coverage-assessment", "area", "Elmshire", (2, 3)),
        ("coverage-assessment", "area", "Not known", (0, 2)),
        # The midwife works with F1-F6 and the Ashworths (F9 has no agency).
        ("coverage-assessment", "agency", "midwifery", (5, 7)),
        # Contacts count for the agency that completed them; requests for the one that asked.
        ("safer-sleep-at-contacts", "agency", "health_visiting", (5, 6)),
        ("timeliness-front-door-decisions", "agency", "midwifery", (5, 6)),
    ],
)
def test_breakdowns_by_agency_and_area(
    measure_id: str, breakdown: str, key: str, expected: tuple[int, int], cohort: Cohort
) -> None:
    assert figure(measure_id, NOVEMBER, breakdown, key) == expected


def test_quarter_figures_count_a_family_once_in_the_quarter(cohort: Cohort) -> None:
    """R-SF-3: October to December counts each family in the quarter's cohort once: the 9
    of October, and F10, whose pregnancy starts on 4 December."""
    row = MeasureFigure.objects.get(
        measure_id="coverage-assessment",
        period_kind="quarter",
        period_start=datetime.date(2026, 10, 1),
        breakdown="all",
        key="",
    )
    assert (row.numerator, row.denominator) == (5, 10)


def test_recompute_replaces_the_figures_whole(cohort: Cohort) -> None:
    before = MeasureFigure.objects.count()
    result = figures_recompute(today=TODAY)
    assert MeasureFigure.objects.count() == before == result.figures
    assert not MeasureFigure.objects.exclude(computed_at=result.computed_at).exists()


def test_stored_figures_hold_no_family_or_person_ids(cohort: Cohort) -> None:
    family_ids = {str(f.pk) for f in cohort.families.values()}
    keys = set(MeasureFigure.objects.values_list("key", flat=True))
    assert keys == {"", "Wyvern", "Elmshire", "Not known", "midwifery", "health_visiting"}
    assert not keys & family_ids


def test_drill_down_lists_only_the_families_the_practitioner_may_see(cohort: Cohort) -> None:
    p = cohort.p
    found = selectors.measure_families(
        actor=p.maya, measure=MEASURES["coverage-assessment"], month=NOVEMBER, today=TODAY
    )
    counted = {row.family.name: (row.counted, row.total) for row in found}
    # F9 is in the cohort but the midwife does not work with them.
    assert counted == {
        "Ashworth household": (0, 1),
        "F1 household": (1, 1),
        "F2 household": (1, 1),
        "F3 household": (1, 1),
        "F4 household": (1, 1),
        "F5 household": (1, 1),
        "F6 household": (0, 1),
    }
    assert (
        selectors.measure_families(
            actor=p.owen, measure=MEASURES["coverage-assessment"], month=NOVEMBER, today=TODAY
        )
        == []
    )


@pytest.mark.parametrize("persona", ["bea", "sam"])
def test_board_roles_never_get_a_drill_down(persona: str, cohort: Cohort) -> None:
    with pytest.raises(NotFoundOrForbidden):
        selectors.measure_families(
            actor=getattr(cohort.p, persona),
            measure=MEASURES["coverage-assessment"],
            month=NOVEMBER,
            today=TODAY,
        )


@pytest.fixture
def reviewed(partnership: Partnership) -> Cohort:
    built = cohort_build(partnership)
    reviews_build(built)
    figures_recompute(today=TODAY)
    return built


def test_reviews_on_time(reviewed: Cohort) -> None:
    """F1 missed the review due on 10 November; F2 held the one due on 15 November on the
    14th; F2's next (14 December) is not due yet."""
    assert figure("coverage-reviews-on-time", NOVEMBER) == (1, 2)
    assert figure("coverage-reviews-on-time", OCTOBER) == (0, 0)


def test_successful_outcomes(reviewed: Cohort) -> None:
    """R-SF-2: of the two plans closed in April, only F5's met every condition."""
    assert figure("outcomes-successful", datetime.date(2026, 4, 1)) == (1, 2)
    # By headline outcome: both plans had needs under housing, health and early years.
    for headline in ("housing", "health", "early_years"):
        assert figure("outcomes-successful", datetime.date(2026, 4, 1), "headline", headline) == (
            1,
            2,
        )
    # The plans closed in April are not in force in October or November.
    assert figure("coverage-plan", NOVEMBER) == (2, 8)


@pytest.mark.parametrize(
    ("measure_id", "expected"),
    [
        ("timeliness-risk-notified-median", (6, 6, 3.5)),
        ("timeliness-risk-notified-p90", (6, 6, 30.0)),
        ("timeliness-risk-acknowledged-median", (5, 6, 6.0)),
        ("timeliness-risk-acknowledged-p90", (5, 6, 10.0)),
    ],
)
def test_risk_notice_times(
    measure_id: str, expected: tuple[int, int, float], partnership: Partnership
) -> None:
    """Median and 90th percentile (nearest rank) hours; F8, not in the cohort, is left out."""
    built = cohort_build(partnership)
    risks_build(built)
    figures_recompute(today=TODAY)
    row = MeasureFigure.objects.get(
        measure_id=measure_id, period_kind="month", period_start=NOVEMBER, breakdown="all"
    )
    assert (row.numerator, row.denominator, row.value) == expected


@pytest.mark.parametrize(
    ("measure_id", "november", "october"),
    [
        # F2, F3 and F4 of the five priority households placed in November; F6 has no
        # priority.
        ("housing-placed-out-of-area", (3, 5), (0, 0)),
        ("housing-notices-in-time", (1, 3), (0, 0)),
        # F5's stay passed six weeks on 1 November; in October it had not.
        ("housing-bed-and-breakfast-past-six-weeks", (1, 2), (0, 1)),
        ("housing-under-18-tenants-with-trustee", (1, 2), (0, 0)),
    ],
)
def test_housing_measures(
    measure_id: str,
    november: tuple[int, int],
    october: tuple[int, int],
    partnership: Partnership,
) -> None:
    built = cohort_build(partnership)
    housing_build(built)
    figures_recompute(today=TODAY)
    assert figure(measure_id, NOVEMBER) == november
    assert figure(measure_id, OCTOBER) == october


def test_information_requests_answered_on_time(partnership: Partnership) -> None:
    """R-SAR-1: of the three due in November for cohort families, F1's was answered in time;
    F8 is not in the cohort and F4's is not due yet."""
    built = cohort_build(partnership)
    access_requests_build(built)
    figures_recompute(today=TODAY)
    assert figure("timeliness-information-requests", NOVEMBER) == (1, 3)
    assert figure("timeliness-information-requests", OCTOBER) == (0, 0)
