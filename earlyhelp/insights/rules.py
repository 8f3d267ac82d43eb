"""Board insights rules: the young-parent cohort, periods, small-number suppression and the
statistics the board sees. Pure and typed: no ORM, "today" passed in.

Rules: R-SS-6 (safer-sleep board metrics), R-SF-2 and R-SF-3 (successful outcomes and the
quarterly return), R-SF-5 (the yearly Early Help System Guide self-assessment), R-WT-2 (an
agreed data set for the yearly report).
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

# The cohort the review is about (issue 7): a parent under 20 with a child under 2 or an
# unborn baby.
YOUNG_PARENT_AGE = 20
BABY_AGE = 2
# A pregnancy is taken to run 40 weeks before the expected (or actual) date of birth.
PREGNANCY_DAYS = 280
# Figures built from 1 to 4 families (or records) are never shown: "fewer than 5".
SUPPRESS_BELOW = 5
SUPPRESSED_TEXT = "fewer than 5"

PARENTS = frozenset({"mother", "father"})
BABIES = frozenset({"child", "unborn_baby"})

Span = tuple[datetime.date, datetime.date]  # both days included
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class MemberFacts:
    """One membership of a family, as the cohort rule needs it."""

    relationship: str
    date_of_birth: datetime.date | None
    expected_date_of_delivery: datetime.date | None = None
    joined_on: datetime.date | None = None
    left_on: datetime.date | None = None  # the first day they are no longer a member


def birthday(date_of_birth: datetime.date, years: int) -> datetime.date:
    """The day someone turns ``years``; born on 29 February, 1 March in other years
    (as people.rules.age_on counts it)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return datetime.date(date_of_birth.year + years, 3, 1)


def _intersect(a: Span, b: Span) -> Span | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


def membership_span(member: MemberFacts) -> Span | None:
    """The days someone is a member: from joining (always, if not known) to the day before
    they left."""
    start = member.joined_on or datetime.date.min
    if member.left_on is None:
        return (start, datetime.date.max)
    return _intersect((start, datetime.date.max), (datetime.date.min, member.left_on - _DAY))


def young_parent_span(member: MemberFacts) -> Span | None:
    """The days a mother or father is a member of the family and under 20."""
    if member.relationship not in PARENTS or member.date_of_birth is None:
        return None
    membership = membership_span(member)
    if membership is None:
        return None
    under_20 = (member.date_of_birth, birthday(member.date_of_birth, YOUNG_PARENT_AGE) - _DAY)
    return _intersect(membership, under_20)


def baby_span(member: MemberFacts) -> Span | None:
    """The days a child is a member and unborn (40 weeks before birth) or under 2.

    A baby still recorded as unborn counts until 2 years after the expected date of delivery,
    the day it would turn 2.
    """
    if member.relationship not in BABIES:
        return None
    birth = member.date_of_birth or member.expected_date_of_delivery
    if birth is None:
        return None
    membership = membership_span(member)
    if membership is None:
        return None
    baby = (birth - datetime.timedelta(days=PREGNANCY_DAYS), birthday(birth, BABY_AGE) - _DAY)
    return _intersect(membership, baby)


def cohort_spans(members: Iterable[MemberFacts]) -> list[Span]:
    """The days the family is in the young-parent cohort: a parent under 20 and, at the same
    time, a child under 2 or an unborn baby, both members then."""
    members = list(members)
    parents = [s for s in map(young_parent_span, members) if s is not None]
    babies = [s for s in map(baby_span, members) if s is not None]
    spans = [_intersect(p, b) for p in parents for b in babies]
    return sorted(s for s in spans if s is not None)


def in_cohort_on(members: Iterable[MemberFacts], day: datetime.date) -> bool:
    return any(start <= day <= end for start, end in cohort_spans(members))


def in_cohort_during(spans: Sequence[Span], start: datetime.date, end: datetime.date) -> bool:
    """A family is in a period's cohort if it is in the cohort on any day of the period."""
    return any(s <= end and e >= start for s, e in spans)


# --- Periods ----------------------------------------------------------------------------


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: PeriodKind = PeriodKind.MONTH

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start:%b} to {self.end:%b %Y}"
        return f"{self.start:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.start:%b %y}" if self.kind == PeriodKind.MONTH else self.label


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - _DAY


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_period(day: datetime.date) -> Period:
    return Period(month_start(day), month_end(day), PeriodKind.MONTH)


def quarter_period(day: datetime.date) -> Period:
    """Calendar quarters (January to March...), as the quarterly return (R-SF-3) uses them."""
    first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(first, month_end(add_months(first, 2)), PeriodKind.QUARTER)


def months_back(today: datetime.date, count: int) -> list[Period]:
    """The ``count`` months up to and including today's, oldest first."""
    return [month_period(add_months(today, -n)) for n in range(count - 1, -1, -1)]


def quarters_back(today: datetime.date, count: int) -> list[Period]:
    first = quarter_period(today).start
    return [quarter_period(add_months(first, -3 * n)) for n in range(count - 1, -1, -1)]


def period_problems(start: datetime.date | None, end: datetime.date | None) -> dict[str, list[str]]:
    """A period filter must not end before it starts."""
    if start is not None and end is not None and end < start:
        return {"to_month": ["The end of the period must be the same as or after its start"]}
    return {}


# --- Small numbers and statistics -----------------------------------------------------


def is_suppressed(numerator: int, denominator: int) -> bool:
    """A figure from 1 to 4 families or records, above or below the line, could identify
    someone: it is shown as "fewer than 5" everywhere (pages, API, exports). Zero is shown."""
    return any(0 < n < SUPPRESS_BELOW for n in (numerator, denominator))


def percentage(numerator: int, denominator: int) -> int | None:
    """Whole per cent, rounded half up; none when nothing was counted."""
    if denominator <= 0:
        return None
    return math.floor(100 * numerator / denominator + 0.5)


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values
    at or below it (the 90th percentile of 10 values is the 9th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return float(ordered[rank - 1])


# --- The Early Help System Guide self-assessment (R-SF-5) ----------------------------


class GuideArea(StrEnum):
    FAMILY_VOICE = "family_voice"
    WORKFORCE = "workforce"
    COMMUNITIES = "communities"
    LEADERSHIP = "leadership"
    DATA = "data"


GUIDE_AREA_LABELS: dict[GuideArea, str] = {
    GuideArea.FAMILY_VOICE: "Family voice and experience",
    GuideArea.WORKFORCE: "Workforce: whole-family working and a shared framework",
    GuideArea.COMMUNITIES: "Communities: links with the voluntary and community sector",
    GuideArea.LEADERSHIP: "Leadership: an accountable senior group and evaluation",
    GuideArea.DATA: "Data: shared data and accessible case management",
}


class GuideRating(StrEnum):
    EMERGING = "emerging"
    DEVELOPING = "developing"
    MATURING = "maturing"
    MATURE = "mature"


GUIDE_RATING_LABELS: dict[GuideRating, str] = {
    GuideRating.EMERGING: "Emerging",
    GuideRating.DEVELOPING: "Developing",
    GuideRating.MATURING: "Maturing",
    GuideRating.MATURE: "Mature",
}

FIRST_GUIDE_YEAR = 2022  # the guide covers 2022 to 2025 and its successor


def self_assessment_problems(
    *, year: int | None, areas: dict[str, tuple[str, str]], today: datetime.date
) -> dict[str, list[str]]:
    """R-SF-5: a yearly self-assessment rates each of the 5 areas with a narrative."""
    problems: dict[str, list[str]] = {}
    if year is None or not FIRST_GUIDE_YEAR <= year <= today.year:
        problems["year"] = [f"Enter a year from {FIRST_GUIDE_YEAR} to {today.year}"]
    for area in GuideArea:
        rating, narrative = areas.get(area.value, ("", ""))
        if rating not in {r.value for r in GuideRating}:
            problems[f"{area.value}_rating"] = [
                f"Select a rating for {GUIDE_AREA_LABELS[area].split(':')[0].lower()}"
            ]
        if not narrative.strip():
            problems[f"{area.value}_narrative"] = [
                f"Enter what the rating for {GUIDE_AREA_LABELS[area].split(':')[0].lower()} "
                "rests on"
            ]
    return problems
