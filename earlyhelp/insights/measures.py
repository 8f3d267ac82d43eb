"""Every board measure, defined once: the registry, the facts they read and how each counts.

A measure is a function decorated with ``@measure(...)``. Its docstring is its definition,
shown on the board page as it is written here: exactly what the numerator and the denominator
count and over which period. It yields one ``Item`` per thing counted (a family, a request, a
contact...) for one period; ``aggregate`` turns items into figures for the whole partnership,
each agency type and each area. The same items give a practitioner's drill-down list, limited
to the families the sharing policy lets them see (selectors.measure_families).

Facts are read in a handful of bulk queries (``facts_load``), never one per family.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType
from earlyhelp.alerts.models import RiskNotice
from earlyhelp.assessments.models import Assessment, AssessmentStatus
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.housing.models import Placement, PlacementStatus
from earlyhelp.housing.rules import BED_AND_BREAKFAST_MAX_DAYS, PlacementType
from earlyhelp.insights import rules
from earlyhelp.insights.models import Breakdown
from earlyhelp.insights.rules import MemberFacts, Period, PeriodKind, Span
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.rules import Direction
from earlyhelp.people.models import Address, Family, FamilyMember, Involvement
from earlyhelp.plans.models import Plan, TeamAroundFamilyMember
from earlyhelp.records.models import SubjectAccessRequest
from earlyhelp.reviews import rules as review_rules
from earlyhelp.reviews.models import PlanClosure, PlanReview
from earlyhelp.reviews.selectors import cycle_facts
from earlyhelp.safersleep.models import (
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.safersleep.rules import SAFER_SLEEP_CONTACTS, DisruptionKind

NOT_KNOWN_AREA = "Not known"
MOVE_KINDS = frozenset({DisruptionKind.HOUSE_MOVE, DisruptionKind.OUT_OF_AREA_PLACEMENT})

Unit = Literal["share", "hours"]
Statistic = Literal["share", "median", "p90"]


class Item(NamedTuple):
    """One thing a measure counts in its denominator; ``counted`` puts it in the numerator.

    ``agencies`` and ``area`` place it in the breakdowns (empty agencies: only in the whole
    partnership's figure). ``value`` is a time in hours for time measures. A named tuple:
    there are millions of them in a county's recompute.
    """

    family_id: int
    counted: bool
    agencies: frozenset[str]
    area: str
    value: float | None = None
    # Supporting Families headline outcomes (R-SF-1) the item's needs were under, if any.
    headlines: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    group: str
    unit: Unit
    statistic: Statistic
    rule_ids: tuple[str, ...]
    compute: Callable[[Facts, Period], Iterable[Item]]
    # In the quarterly return (R-SF-3): also computed for calendar quarters.
    quarterly: bool = False
    # A share of the cohort: whether one family counts in one period (see cohort_measure).
    counts_family: Callable[[Facts, int, Period], bool] | None = None

    @property
    def definition(self) -> str:
        return " ".join((self.compute.__doc__ or "").split())

    @property
    def is_time(self) -> bool:
        return self.unit == "hours"


MEASURES: dict[str, Measure] = {}

GROUPS = {
    "coverage": "Coverage of the young-parent cohort",
    "safer_sleep": "Safer sleep (R-SS-6)",
    "timeliness": "Timeliness",
    "housing": "Housing",
    "outcomes": "Outcomes",
}


def measure(
    *,
    id: str,
    title: str,
    group: str,
    rule_ids: tuple[str, ...] = (),
    unit: Unit = "share",
    statistic: Statistic = "share",
    quarterly: bool = False,
) -> Callable[
    [Callable[[Facts, Period], Iterable[Item]]], Callable[[Facts, Period], Iterable[Item]]
]:
    """Register a measure; stack it to register a second statistic of the same items."""

    def register(
        compute: Callable[[Facts, Period], Iterable[Item]],
    ) -> Callable[[Facts, Period], Iterable[Item]]:
        assert id not in MEASURES, f"measure {id} defined twice"
        assert group in GROUPS, group
        MEASURES[id] = Measure(
            id, title, group, unit, statistic, rule_ids, compute, quarterly=quarterly
        )
        return compute

    return register


FamilyTest = Callable[["Facts", int, Period], bool]


def cohort_measure(
    *,
    id: str,
    title: str,
    group: str,
    rule_ids: tuple[str, ...] = (),
    quarterly: bool = False,
) -> Callable[[FamilyTest], FamilyTest]:
    """Register a share of the cohort: the denominator is every family in the young-parent
    cohort on any day of the period, the decorated function says whether one counts.

    The recompute asks every such measure about a family in one pass over the cohort
    (figures_compute), which is what keeps a county's recompute within a minute.
    """

    def register(counts: FamilyTest) -> FamilyTest:
        def compute(facts: Facts, period: Period) -> Iterator[Item]:
            for family_id in facts.cohort(period):
                yield facts.item(family_id, period, counts(facts, family_id, period))

        compute.__doc__ = counts.__doc__
        assert id not in MEASURES, f"measure {id} defined twice"
        assert group in GROUPS, group
        MEASURES[id] = Measure(
            id,
            title,
            group,
            "share",
            "share",
            rule_ids,
            compute,
            quarterly=quarterly,
            counts_family=counts,
        )
        return counts

    return register


def agency_label(key: str) -> str:
    try:
        return str(AgencyType(key).label)
    except ValueError:
        return key


# --- Facts ------------------------------------------------------------------------------


def _hours(start: datetime.datetime, end: datetime.datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start).total_seconds() / 3600)


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _overlaps(
    start: datetime.date | None, end: datetime.date | None, period: Period, *, end_excl: bool
) -> bool:
    """Does [start, end] (end empty: still going) touch the period?"""
    if start is not None and start > period.end:
        return False
    if end is None:
        return True
    return end > period.start if end_excl else end >= period.start


@dataclass(frozen=True)
class PlacementFacts:
    family_id: int
    priority: bool  # the young-parent priority (R-HOU-1, partnership policy)
    in_area: bool
    bed_and_breakfast: bool
    start_on: datetime.date
    end_on: datetime.date | None
    waiting: bool  # waiting for suitability and approval: the household is not there yet
    under_18_tenant: bool
    has_trustee: bool
    notice_due_on: datetime.date | None
    notice_sent_on: datetime.date | None

    def lived_in_during(self, period: Period) -> bool:
        return not self.waiting and _overlaps(self.start_on, self.end_on, period, end_excl=False)


@dataclass
class Facts:
    """What the measures read, loaded once per recompute (or per drill-down)."""

    today: datetime.date
    spans: dict[int, list[Span]] = field(default_factory=dict)
    # family -> (agency type, started, ended) from involvements and the team around the family
    agency_spans: dict[int, list[tuple[str, datetime.date | None, datetime.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # family -> (local authority, moved in, moved out) of its members' addresses
    addresses: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    person_families: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    requests: list[tuple[int, datetime.date, datetime.date | None, datetime.date, str]] = field(
        default_factory=list
    )
    assessments_done: dict[int, datetime.date] = field(default_factory=dict)
    level_decisions: list[tuple[int, datetime.date, str, str]] = field(default_factory=list)
    first_level: dict[int, datetime.date] = field(default_factory=dict)
    leads: dict[int, list[tuple[datetime.date, datetime.date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    plans_agreed: dict[int, list[tuple[int, datetime.date]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    plan_closed_on: dict[int, datetime.date] = field(default_factory=dict)
    first_request_decided: dict[int, datetime.date] = field(default_factory=dict)
    # (person, kind, completed on, agency type, contact id)
    contacts: list[tuple[int, str, datetime.date, str, int]] = field(default_factory=list)
    assessed_contacts: set[int] = field(default_factory=set)
    assessed_days: set[tuple[int, datetime.date]] = field(default_factory=set)
    # (family, assessed on, has a plan, agency type)
    red_flags: list[tuple[int, datetime.date, bool, str]] = field(default_factory=list)
    # (family, due on, done on)
    move_reassessments: list[tuple[int, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    # (family, review due on, held on or before it)
    reviews_due: list[tuple[int, datetime.date, bool]] = field(default_factory=list)
    # (family, closed on, successful, still waiting for the six months)
    closed_outcomes: list[tuple[int, datetime.date, bool, bool, frozenset[str]]] = field(
        default_factory=list
    )
    # (family, recorded on, hours to all notified, hours to all acknowledged, agency type)
    risk_notices: list[tuple[int, datetime.date, float | None, float | None, str]] = field(
        default_factory=list
    )
    placements: list[PlacementFacts] = field(default_factory=list)
    # (a family of the person, due on, response sent on)
    access_requests: list[tuple[int, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    extra: dict[str, object] = field(default_factory=dict)
    _cohort: dict[Period, list[int]] = field(default_factory=dict)
    _context: dict[tuple[int, int], tuple[frozenset[str], str]] = field(default_factory=dict)
    _boundaries: dict[int, list[datetime.date]] = field(default_factory=dict)

    def cohort(self, period: Period) -> list[int]:
        """Families in the young-parent cohort on any day of the period."""
        found = self._cohort.get(period)
        if found is None:
            found = [
                family_id
                for family_id, spans in self.spans.items()
                if rules.in_cohort_during(spans, period.start, period.end)
            ]
            self._cohort[period] = found
        return found

    def in_cohort(self, family_id: int, period: Period) -> bool:
        spans = self.spans.get(family_id)
        return bool(spans) and rules.in_cohort_during(spans or [], period.start, period.end)

    def boundaries(self, family_id: int) -> list[datetime.date]:
        """The days the family's context may change: an agency starts or stops, a member
        moves. Between two of them it is the same, so it is worked out once per stretch."""
        found = self._boundaries.get(family_id)
        if found is None:
            days: set[datetime.date] = set()
            for _, start, end in self.agency_spans.get(family_id, ()):
                if start is not None:
                    days.add(start)
                if end is not None and end < datetime.date.max:
                    days.add(end + datetime.timedelta(days=1))
            for _, moved_in, moved_out in self.addresses.get(family_id, ()):
                days.add(moved_in)
                if moved_out is not None:
                    days.add(moved_out)
            found = sorted(days)
            self._boundaries[family_id] = found
        return found

    def context(self, family_id: int, period: Period) -> tuple[frozenset[str], str]:
        """Where the family stands on the last day of the period: the agency types working
        with it then, and its area (the local authority of its members' latest address then;
        "Not known" without one). Worked out once per stretch between changes."""
        days = self.boundaries(family_id)
        key = (family_id, bisect_right(days, period.end))
        found = self._context.get(key)
        if found is None:
            on = period.end
            agencies = frozenset(
                agency
                for agency, start, end in self.agency_spans.get(family_id, ())
                if (start is None or start <= on) and (end is None or end >= on)
            )
            living = [
                (moved_in, authority)
                for authority, moved_in, moved_out in self.addresses.get(family_id, ())
                if moved_in <= on and (moved_out is None or moved_out > on)
            ]
            area = max(living)[1] if living else NOT_KNOWN_AREA
            found = (agencies, area or NOT_KNOWN_AREA)
            self._context[key] = found
        return found

    def item(
        self,
        family_id: int,
        period: Period,
        counted: bool,
        *,
        agency: str | None = None,
        value: float | None = None,
        headlines: frozenset[str] = frozenset(),
    ) -> Item:
        agencies, area = self.context(family_id, period)
        if agency is not None:
            agencies = frozenset({agency})
        return Item(family_id, counted, agencies, area, value, headlines)


def facts_load(
    *,
    today: datetime.date,
    families: QuerySet[Family] | None = None,
    since: datetime.date | None = None,
) -> Facts:
    """Read every fact the measures need, in bulk; ``families`` limits it (drill-downs).

    ``since``: the first day of the earliest period asked about. Agencies, teams and
    addresses that ended before it cannot place a family in any of the periods, so they are
    not read (most of a county's address history).
    """
    facts = Facts(today=today)
    still = (
        (lambda field: Q())
        if since is None
        else (lambda field: Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": since}))
    )

    def only(queryset: QuerySet, field_name: str = "family_id") -> QuerySet:  # type: ignore[type-arg]
        if families is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": families.values("id")})

    members: dict[int, list[MemberFacts]] = defaultdict(list)
    member_rows = only(FamilyMember.objects.all()).values_list(
        "family_id",
        "person_id",
        "relationship",
        "joined_on",
        "left_on",
        "person__date_of_birth",
        "person__expected_date_of_delivery",
    )
    for family_id, person_id, relationship, joined, left, born, expected in member_rows.iterator(
        chunk_size=50_000
    ):
        members[family_id].append(MemberFacts(relationship, born, expected, joined, left))
        facts.person_families[person_id].add(family_id)
    for family_id, family_members in members.items():
        spans = rules.cohort_spans(family_members)
        if spans:
            facts.spans[family_id] = spans
    cohort = facts.spans.keys()

    def families_of_person(person_id: int | None) -> Iterator[int]:
        for family_id in facts.person_families.get(person_id or 0, ()):
            if family_id in cohort:
                yield family_id

    for family_id, person_id, agency, started, ended in only(
        Involvement.objects.filter(still("ended_on")), "family_id"
    ).values_list("family_id", "person_id", "organisation__agency_type", "started_on", "ended_on"):
        targets = [family_id] if family_id is not None else list(families_of_person(person_id))
        for target in targets:
            if target in cohort:
                facts.agency_spans[target].append((agency, started, ended))
    if families is not None:
        # Involvements with a member person are not caught by the family filter above.
        for person_id, agency, started, ended in Involvement.objects.filter(
            still("ended_on"), person__family_members__family__in=families.values("id")
        ).values_list("person_id", "organisation__agency_type", "started_on", "ended_on"):
            for target in families_of_person(person_id):
                facts.agency_spans[target].append((agency, started, ended))
    for family_id, agency, joined, left, is_lead in only(
        TeamAroundFamilyMember.objects.filter(still("left_on"))
    ).values_list(
        "family_id", "organisation__agency_type", "joined_on", "left_on", "is_lead_professional"
    ):
        if family_id in cohort:
            facts.agency_spans[family_id].append((agency, joined, left))
            if is_lead:
                facts.leads[family_id].append((joined, left))
    address_rows = Address.objects.filter(still("moved_out_on"))
    if families is not None:
        address_rows = address_rows.filter(person__family_members__family__in=families.values("id"))
    for person_id, authority, moved_in, moved_out in address_rows.values_list(
        "person_id", "local_authority", "moved_in_on", "moved_out_on"
    ).iterator(chunk_size=50_000):
        for target in families_of_person(person_id):
            facts.addresses[target].append((authority, moved_in, moved_out))

    for family_id, received, decided, due, agency in only(
        RequestForSupport.objects.all()
    ).values_list(
        "family_id",
        "received_at",
        "decided_at",
        "decision_due_on",
        "requesting_organisation__agency_type",
    ):
        if family_id in cohort:
            received_on, decided_on = _day(received), _day(decided)
            assert received_on is not None
            facts.requests.append((family_id, received_on, decided_on, due, agency))
            if decided_on is not None:
                earliest = facts.first_request_decided.get(family_id)
                if earliest is None or decided_on < earliest:
                    facts.first_request_decided[family_id] = decided_on
    for family_id, completed, signed_off in only(
        Assessment.objects.filter(
            status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF]
        )
    ).values_list("family_id", "completed_at", "signed_off_at"):
        done = _day(completed or signed_off)
        if family_id in cohort and done is not None:
            earliest = facts.assessments_done.get(family_id)
            if earliest is None or done < earliest:
                facts.assessments_done[family_id] = done
    for family_id, decided, direction, agency in only(LevelDecision.objects.all()).values_list(
        "family_id", "decided_at", "direction", "decided_by_organisation__agency_type"
    ):
        if family_id in cohort:
            decided_on = _day(decided)
            assert decided_on is not None
            facts.level_decisions.append((family_id, decided_on, direction, agency or ""))
            earliest = facts.first_level.get(family_id)
            if earliest is None or decided_on < earliest:
                facts.first_level[family_id] = decided_on
    for plan_id, family_id, agreed in only(
        Plan.objects.filter(agreed_at__isnull=False)
    ).values_list("id", "family_id", "agreed_at"):
        if family_id in cohort:
            agreed_on = _day(agreed)
            assert agreed_on is not None
            facts.plans_agreed[family_id].append((plan_id, agreed_on))

    contact_rows = HealthVisitingContact.objects.filter(
        kind__in=list(SAFER_SLEEP_CONTACTS), completed_on__isnull=False
    )
    if families is not None:
        contact_rows = contact_rows.filter(person__family_members__family__in=families.values("id"))
    for contact_id, person_id, kind, completed_on, agency in contact_rows.values_list(
        "id", "person_id", "kind", "completed_on", "completed_organisation__agency_type"
    ):
        if completed_on is not None and any(True for _ in families_of_person(person_id)):
            facts.contacts.append((person_id, kind, completed_on, agency or "", contact_id))
    for family_id, person_id, contact_id, assessed_on, red_flag, action_plan, agency in only(
        SaferSleepAssessment.objects.filter(is_observation=False)
    ).values_list(
        "family_id",
        "person_id",
        "health_visiting_contact_id",
        "assessed_on",
        "red_flag",
        "action_plan",
        "source_organisation__agency_type",
    ):
        if contact_id is not None:
            facts.assessed_contacts.add(contact_id)
        facts.assessed_days.add((person_id, assessed_on))
        if red_flag and family_id in cohort:
            facts.red_flags.append((family_id, assessed_on, bool(action_plan.strip()), agency))
    for family_id, due_on, done_at in only(
        ReassessmentTask.objects.filter(disruption__kind__in=list(MOVE_KINDS))
    ).values_list("family_id", "due_on", "done_at"):
        if family_id in cohort:
            facts.move_reassessments.append((family_id, due_on, _day(done_at)))
    _reviews_load(facts, only)
    for family_id, recorded, notified, acknowledged, agency in only(
        RiskNotice.objects.all()
    ).values_list(
        "family_id",
        "recorded_at",
        "all_notified_at",
        "all_acknowledged_at",
        "source_organisation__agency_type",
    ):
        if family_id in cohort:
            recorded_on = _day(recorded)
            assert recorded_on is not None
            facts.risk_notices.append(
                (
                    family_id,
                    recorded_on,
                    _hours(recorded, notified),
                    _hours(recorded, acknowledged),
                    agency,
                )
            )
    for row in only(Placement.objects.all(), "case__family_id").values_list(
        "case__family_id",
        "case__young_parent_priority",
        "in_area",
        "placement_type",
        "start_on",
        "end_on",
        "status",
        "under_18_tenant",
        "trustee",
        "notice__due_on",
        "notice__sent_on",
    ):
        if row[0] in cohort:
            facts.placements.append(
                PlacementFacts(
                    family_id=row[0],
                    priority=row[1],
                    in_area=row[2],
                    bed_and_breakfast=row[3] == PlacementType.BED_AND_BREAKFAST,
                    start_on=row[4],
                    end_on=row[5],
                    waiting=row[6] == PlacementStatus.AWAITING_APPROVAL,
                    under_18_tenant=row[7],
                    has_trustee=bool(row[8].strip()),
                    notice_due_on=row[9],
                    notice_sent_on=row[10],
                )
            )
    access_rows = SubjectAccessRequest.objects.filter(person__isnull=False)
    if families is not None:
        access_rows = access_rows.filter(person__family_members__family__in=families.values("id"))
    for person_id, due_on, sent_on in access_rows.values_list(
        "person_id", "due_on", "response_sent_on"
    ):
        family_ids = list(families_of_person(person_id))
        if family_ids:
            facts.access_requests.append((family_ids[0], due_on, sent_on))
    for loader in EXTRA_LOADERS:
        loader(facts, families)
    return facts


# Later measures (reviews, risk notices...) add what they read here.
EXTRA_LOADERS: list[Callable[[Facts, QuerySet[Family] | None], None]] = []


def _reviews_load(facts: Facts, only: Callable[..., QuerySet]) -> None:  # type: ignore[type-arg]
    """Reviews and closures of cohort families' plans (R-EHA-3, R-EHA-4, R-SF-2)."""
    cohort = facts.spans.keys()
    plan_family = {
        plan_id: family_id
        for family_id, plans in facts.plans_agreed.items()
        for plan_id, _ in plans
    }
    reviews: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for plan_id, held_on, next_on in only(PlanReview.objects.all(), "plan__family_id").values_list(
        "plan_id", "held_on", "next_review_on"
    ):
        if plan_id in plan_family:
            reviews[plan_id].append((held_on, next_on))
    for plan_id, closed_on in only(PlanClosure.objects.all(), "plan__family_id").values_list(
        "plan_id", "closed_on"
    ):
        facts.plan_closed_on[plan_id] = closed_on
    # Each review date due: the plan's stored next review, and each review's next review.
    due: list[tuple[int, datetime.date, datetime.date | None]] = []
    for plan_id, review_on in only(
        Plan.objects.filter(agreed_at__isnull=False, review_on__isnull=False)
    ).values_list("id", "review_on"):
        if plan_id in plan_family:
            due.append((plan_id, review_on, None))
    for plan_id, held in reviews.items():
        for held_on, next_on in held:
            if next_on is not None:
                due.append((plan_id, next_on, held_on))
    seen: set[tuple[int, datetime.date]] = set()
    for plan_id, due_on, set_at in sorted(due, key=lambda d: (d[0], d[1], d[2] is None)):
        if (plan_id, due_on) in seen:
            continue
        seen.add((plan_id, due_on))
        closed_on = facts.plan_closed_on.get(plan_id)
        if closed_on is not None and closed_on < due_on:
            continue  # closed before it fell due: no review was owed
        held_in_time = any(
            held_on <= due_on and (set_at is None or held_on > set_at)
            for held_on, _ in reviews.get(plan_id, ())
        )
        facts.reviews_due.append((plan_family[plan_id], due_on, held_in_time))
    # R-SF-2, worked out once per closed plan with the reviews app's own rule.
    closed_plans = Plan.objects.filter(pk__in=[p for p in facts.plan_closed_on if p in plan_family])
    for plan in closed_plans.prefetch_related("outcomes"):
        if plan.family_id not in cohort:
            continue
        outcome = review_rules.successful_outcome(cycle_facts(plan), facts.today)
        headlines = frozenset(need.headline for need in plan.outcomes.all())
        facts.closed_outcomes.append(
            (
                plan.family_id,
                facts.plan_closed_on[plan.pk],
                outcome.successful,
                outcome.waiting,
                headlines,
            )
        )


# --- Coverage ---------------------------------------------------------------------------


def _by(day: datetime.date | None, period: Period) -> bool:
    return day is not None and day <= period.end


@cohort_measure(
    id="coverage-request-decided",
    title="Families with a request for support decided",
    group="coverage",
    rule_ids=("R-TIME-1",),
)
def coverage_request_decided(facts: Facts, family_id: int, period: Period) -> bool:
    """Numerator: families in the denominator with a request for support decided by the front
    door on or before the last day of the month. Denominator: families in the young-parent
    cohort (a mother or father under 20 with a child under 2 or an unborn baby) on any day of
    the month."""
    return _by(facts.first_request_decided.get(family_id), period)


@cohort_measure(
    id="coverage-assessment",
    title="Families with an early help assessment",
    group="coverage",
    rule_ids=("R-WT-4",),
    quarterly=True,
)
def coverage_assessment(facts: Facts, family_id: int, period: Period) -> bool:
    """Numerator: families in the denominator with a whole-family early help assessment
    completed or signed off on or before the last day of the month. Denominator: families in
    the young-parent cohort on any day of the month."""
    return _by(facts.assessments_done.get(family_id), period)


@cohort_measure(
    id="coverage-level-of-need",
    title="Families with a level of need decided",
    group="coverage",
    rule_ids=("R-LON-1", "R-WT-2"),
)
def coverage_level_of_need(facts: Facts, family_id: int, period: Period) -> bool:
    """Numerator: families in the denominator with a levels-of-need decision recorded on or
    before the last day of the month. Denominator: families in the young-parent cohort on any
    day of the month."""
    return _by(facts.first_level.get(family_id), period)


@cohort_measure(
    id="coverage-lead-professional",
    title="Families with a lead professional",
    group="coverage",
    rule_ids=("R-WT-5",),
    quarterly=True,
)
def coverage_lead_professional(facts: Facts, family_id: int, period: Period) -> bool:
    """Numerator: families in the denominator with a lead professional in the team around the
    family on any day of the month (joined on or before the last day, not left before the
    first). Denominator: families in the young-parent cohort on any day of the month."""
    return any(
        _overlaps(joined, left, period, end_excl=True)
        for joined, left in facts.leads.get(family_id, ())
    )


@cohort_measure(
    id="coverage-plan",
    title="Families with a team-around-the-family plan",
    group="coverage",
    rule_ids=("R-WT-6",),
    quarterly=True,
)
def coverage_plan(facts: Facts, family_id: int, period: Period) -> bool:
    """Numerator: families in the denominator with a team-around-the-family plan agreed on or
    before the last day of the month and not closed before its first day. Denominator:
    families in the young-parent cohort on any day of the month."""
    for plan_id, agreed_on in facts.plans_agreed.get(family_id, ()):
        closed_on = facts.plan_closed_on.get(plan_id)
        if agreed_on <= period.end and (closed_on is None or closed_on >= period.start):
            return True
    return False


@measure(
    id="coverage-reviews-on-time",
    title="Plan reviews held on time",
    group="coverage",
    rule_ids=("R-EHA-3", "R-WT-6"),
)
def coverage_reviews_on_time(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: reviews in the denominator held on or before the date they were due (and
    after the review that set that date). Denominator: plan review dates falling in the
    month, up to today, of agreed plans of families in the young-parent cohort that month:
    each review's next review date and the plan's stored next review date (a plan closed
    before the date owes no review)."""
    for family_id, due_on, held_in_time in facts.reviews_due:
        if (
            period.start <= due_on <= period.end
            and due_on <= facts.today
            and facts.in_cohort(family_id, period)
        ):
            yield facts.item(family_id, period, held_in_time)


# --- Safer sleep (R-SS-6) -----------------------------------------------------------------


@measure(
    id="safer-sleep-at-contacts",
    title="Babies assessed for safer sleep at each mandated contact",
    group="safer_sleep",
    rule_ids=("R-SS-6", "R-SS-1", "R-HCP-1"),
)
def safer_sleep_at_contacts(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: contacts in the denominator with a safer-sleep assessment (not a lighter
    observation) linked to the contact or recorded for the same baby on the day of the
    contact. Denominator: mandated health visiting contacts that need a safer-sleep
    assessment (antenatal, new baby review, 6 to 8 week review: R-SS-1) completed in the
    month for babies of families in the young-parent cohort that month; by the agency that
    completed the contact."""
    for person_id, _kind, completed_on, agency, contact_id in facts.contacts:
        if not period.start <= completed_on <= period.end:
            continue
        family_id = next(
            (f for f in facts.person_families[person_id] if facts.in_cohort(f, period)), None
        )
        if family_id is None:
            continue
        assessed = (
            contact_id in facts.assessed_contacts
            or (person_id, completed_on) in facts.assessed_days
        )
        yield facts.item(family_id, period, assessed, agency=agency or None)


@measure(
    id="safer-sleep-red-flags-with-plan",
    title="Safer-sleep red flags with an action plan",
    group="safer_sleep",
    rule_ids=("R-SS-6", "R-SS-3"),
)
def safer_sleep_red_flags_with_plan(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: red flags in the denominator with an action plan recorded with them.
    Denominator: safer-sleep assessments recorded as a red flag (R-SS-3) with an assessment
    date in the month, for families in the young-parent cohort that month; by the agency
    that assessed."""
    for family_id, assessed_on, has_plan, agency in facts.red_flags:
        if period.start <= assessed_on <= period.end and facts.in_cohort(family_id, period):
            yield facts.item(family_id, period, has_plan, agency=agency)


@measure(
    id="safer-sleep-reassessed-after-move",
    title="Safer sleep reassessed in time after a move",
    group="safer_sleep",
    rule_ids=("R-SS-6", "R-SS-1"),
)
def safer_sleep_reassessed_after_move(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: reassessments in the denominator done on or before their due date.
    Denominator: safer-sleep reassessments after a house move or a placement out of the area
    (one per baby per move) falling due in the month, for families in the young-parent cohort
    that month."""
    for family_id, due_on, done_on in facts.move_reassessments:
        if period.start <= due_on <= period.end and facts.in_cohort(family_id, period):
            yield facts.item(family_id, period, done_on is not None and done_on <= due_on)


# --- Timeliness ---------------------------------------------------------------------------


@measure(
    id="timeliness-front-door-decisions",
    title="Front-door decisions within one working day",
    group="timeliness",
    rule_ids=("R-TIME-1",),
)
def timeliness_front_door(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: requests in the denominator decided on or before their due date (one
    working day after they were received, England and Wales bank holidays excluded).
    Denominator: requests for support received in the month for families in the young-parent
    cohort that month; by the agency that asked."""
    for family_id, received_on, decided_on, due_on, agency in facts.requests:
        if period.start <= received_on <= period.end and facts.in_cohort(family_id, period):
            on_time = decided_on is not None and decided_on <= due_on
            yield facts.item(family_id, period, on_time, agency=agency)


def _risk_times(facts: Facts, period: Period, index: int) -> Iterator[Item]:
    for notice in facts.risk_notices:
        family_id, recorded_on, agency = notice[0], notice[1], notice[4]
        if period.start <= recorded_on <= period.end and facts.in_cohort(family_id, period):
            hours = notice[index]
            assert hours is None or isinstance(hours, float)
            yield facts.item(family_id, period, hours is not None, agency=agency, value=hours)


@measure(
    id="timeliness-risk-notified-p90",
    title="Hours from a risk being recorded to the whole team notified (90th percentile)",
    group="timeliness",
    rule_ids=("R-IS-7", "R-SS-3"),
    unit="hours",
    statistic="p90",
)
@measure(
    id="timeliness-risk-notified-median",
    title="Hours from a risk being recorded to the whole team notified (median)",
    group="timeliness",
    rule_ids=("R-IS-7", "R-SS-3"),
    unit="hours",
    statistic="median",
)
def timeliness_risk_notified(facts: Facts, period: Period) -> Iterator[Item]:
    """The median or 90th percentile (nearest rank) of the hours from a risk indicator being
    recorded on a family to every member of the team around the family being notified, over
    the notices in the denominator that have been notified. Counted: notices everyone has
    been notified of. Denominator: risk notices recorded in the month for families in the
    young-parent cohort that month; by the agency that recorded the risk."""
    return _risk_times(facts, period, 2)


@measure(
    id="timeliness-risk-acknowledged-p90",
    title="Hours from a risk being recorded to the whole team acknowledging it (90th percentile)",
    group="timeliness",
    rule_ids=("R-IS-7", "R-SS-3"),
    unit="hours",
    statistic="p90",
)
@measure(
    id="timeliness-risk-acknowledged-median",
    title="Hours from a risk being recorded to the whole team acknowledging it (median)",
    group="timeliness",
    rule_ids=("R-IS-7", "R-SS-3"),
    unit="hours",
    statistic="median",
)
def timeliness_risk_acknowledged(facts: Facts, period: Period) -> Iterator[Item]:
    """The median or 90th percentile (nearest rank) of the hours from a risk indicator being
    recorded on a family to every alert about it being acknowledged, over the notices in the
    denominator acknowledged by everyone. Counted: notices acknowledged by everyone.
    Denominator: risk notices recorded in the month for families in the young-parent cohort
    that month; by the agency that recorded the risk."""
    return _risk_times(facts, period, 3)


@measure(
    id="timeliness-information-requests",
    title="Requests for a person's information answered on time",
    group="timeliness",
    rule_ids=("R-SAR-1",),
)
def timeliness_information_requests(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: requests in the denominator answered on or before their due date.
    Denominator: subject access requests (one calendar month from receipt, R-SAR-1) falling
    due in the month, up to today, about a member of a family in the young-parent cohort
    that month."""
    for family_id, due_on, sent_on in facts.access_requests:
        if (
            period.start <= due_on <= period.end
            and due_on <= facts.today
            and facts.in_cohort(family_id, period)
        ):
            yield facts.item(family_id, period, sent_on is not None and sent_on <= due_on)


# --- Housing --------------------------------------------------------------------------------


@measure(
    id="housing-placed-out-of-area",
    title="Young-parent priority households placed out of the area",
    group="housing",
    rule_ids=("R-HOU-1",),
)
def housing_placed_out_of_area(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: placements in the denominator outside the partnership's area (lower is
    better). Denominator: placements starting in the month of households with the
    young-parent housing priority, in families in the young-parent cohort that month."""
    for placement in facts.placements:
        if (
            placement.priority
            and period.start <= placement.start_on <= period.end
            and facts.in_cohort(placement.family_id, period)
        ):
            yield facts.item(placement.family_id, period, not placement.in_area)


@measure(
    id="housing-notices-in-time",
    title="Out-of-area placement notices sent within 14 days",
    group="housing",
    rule_ids=("R-HOU-3",),
)
def housing_notices_in_time(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: notices in the denominator sent on or before their due date. Denominator:
    s208 notices to the receiving authority (due 14 days after an out-of-area placement)
    falling due in the month, up to today, for families in the young-parent cohort that
    month."""
    for placement in facts.placements:
        due_on = placement.notice_due_on
        if (
            due_on is not None
            and period.start <= due_on <= period.end
            and due_on <= facts.today
            and facts.in_cohort(placement.family_id, period)
        ):
            sent_on = placement.notice_sent_on
            yield facts.item(placement.family_id, period, sent_on is not None and sent_on <= due_on)


def past_six_weeks_during(placement: PlacementFacts, period: Period) -> bool:
    """A bed-and-breakfast stay past its sixth week on some day of the period (R-HOU-4)."""
    first_day_over = placement.start_on + datetime.timedelta(days=BED_AND_BREAKFAST_MAX_DAYS)
    last_day = min(placement.end_on or period.end, period.end)
    return first_day_over <= last_day and first_day_over <= period.end and last_day >= period.start


@measure(
    id="housing-bed-and-breakfast-past-six-weeks",
    title="Bed-and-breakfast stays past six weeks",
    group="housing",
    rule_ids=("R-HOU-4",),
)
def housing_bed_and_breakfast(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: stays in the denominator that passed six weeks (42 days from the start) on
    some day of the month (lower is better). Denominator: bed-and-breakfast placements lived
    in on any day of the month by families in the young-parent cohort that month."""
    for placement in facts.placements:
        if (
            placement.bed_and_breakfast
            and placement.lived_in_during(period)
            and facts.in_cohort(placement.family_id, period)
        ):
            over = past_six_weeks_during(placement, period)
            yield facts.item(placement.family_id, period, over)


@measure(
    id="housing-under-18-tenants-with-trustee",
    title="Under-18 tenants with an adult trustee",
    group="housing",
    rule_ids=("R-HOU-7",),
)
def housing_under_18_tenants(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: tenancies in the denominator with an adult trustee or co-tenant recorded.
    Denominator: placements with a tenant under 18 lived in on any day of the month, by
    families in the young-parent cohort that month."""
    for placement in facts.placements:
        if (
            placement.under_18_tenant
            and placement.lived_in_during(period)
            and facts.in_cohort(placement.family_id, period)
        ):
            yield facts.item(placement.family_id, period, placement.has_trustee)


# --- Outcomes -----------------------------------------------------------------------------


def _steps(facts: Facts, period: Period, direction: str) -> Iterator[Item]:
    for family_id, decided_on, recorded, agency in facts.level_decisions:
        if recorded == Direction.FIRST:
            continue
        if period.start <= decided_on <= period.end and facts.in_cohort(family_id, period):
            yield facts.item(family_id, period, recorded == direction, agency=agency or None)


@measure(
    id="outcomes-step-up",
    quarterly=True,
    title="Level decisions that stepped up",
    group="outcomes",
    rule_ids=("R-LON-2",),
)
def outcomes_step_up(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: decisions in the denominator that stepped the family up a level.
    Denominator: levels-of-need decisions recorded in the month that followed an earlier
    decision (up, down or staying the same), for families in the young-parent cohort that
    month; by the deciding agency."""
    return _steps(facts, period, Direction.UP)


@measure(
    id="outcomes-step-down",
    quarterly=True,
    title="Level decisions that stepped down",
    group="outcomes",
    rule_ids=("R-LON-2",),
)
def outcomes_step_down(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: decisions in the denominator that stepped the family down a level.
    Denominator: levels-of-need decisions recorded in the month that followed an earlier
    decision (up, down or staying the same), for families in the young-parent cohort that
    month; by the deciding agency."""
    return _steps(facts, period, Direction.DOWN)


@measure(
    id="outcomes-successful",
    quarterly=True,
    title="Supporting Families successful outcomes",
    group="outcomes",
    rule_ids=("R-SF-2", "R-EHA-4"),
)
def outcomes_successful(facts: Facts, period: Period) -> Iterator[Item]:
    """Numerator: plans in the denominator with a Supporting Families successful outcome
    (R-SF-2: needs across at least 3 headlines, a whole-family assessment signed off, a lead
    professional, a plan and support delivered for every need, every need achieved, and
    sustained six months after closure with no new request for support or step up).
    Denominator: plans closed in the month, of families in the young-parent cohort that
    month, leaving out those whose six months have not passed yet and that could still
    succeed. By headline: the plans with a need under that Supporting Families headline."""
    for family_id, closed_on, successful, waiting, headlines in facts.closed_outcomes:
        if (
            period.start <= closed_on <= period.end
            and not waiting
            and facts.in_cohort(family_id, period)
        ):
            yield facts.item(family_id, period, successful, headlines=headlines)


# --- From items to figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    breakdown: str
    key: str
    numerator: int
    denominator: int
    value: float | None


Place = tuple[frozenset[str], str, frozenset[str]]  # (agency types, area, headlines)
NO_HEADLINES: frozenset[str] = frozenset()


def aggregate(measure: Measure, items: Iterable[Item]) -> list[Figure]:
    """The figures for the whole partnership, each agency type and each area.

    Shares: numerator = items counted, denominator = all items. Times: numerator = items
    with a time (e.g. everyone notified), denominator = all items, value = the median or
    90th percentile of the times in hours. Items are first counted by their place (agencies
    and area), of which there are few, then spread over the breakdowns.
    """
    by_place: dict[Place, list[int]] = {}
    times_by_place: dict[Place, list[float]] = defaultdict(list)
    is_time = measure.is_time
    for item in items:
        place = (item.agencies, item.area, item.headlines)
        counts = by_place.get(place)
        if counts is None:
            counts = by_place[place] = [0, 0]
        counts[1] += 1
        if is_time:
            if item.value is not None:
                counts[0] += 1
                times_by_place[place].append(item.value)
        elif item.counted:
            counts[0] += 1
    return _spread(measure, by_place, times_by_place)


def _spread(
    measure: Measure,
    by_place: dict[Place, list[int]],
    times_by_place: dict[Place, list[float]] | None = None,
) -> list[Figure]:
    groups: dict[tuple[str, str], list[int]] = {(Breakdown.ALL, ""): [0, 0]}
    group_times: dict[tuple[str, str], list[float]] = defaultdict(list)
    for place, (numerator, denominator) in by_place.items():
        agencies, area, headlines = place
        slots: list[tuple[str, str]] = [(Breakdown.ALL, ""), (Breakdown.AREA, area)]
        slots.extend((Breakdown.AGENCY, agency) for agency in agencies)
        slots.extend((Breakdown.HEADLINE, headline) for headline in headlines)
        for slot in slots:
            counts = groups.setdefault(slot, [0, 0])
            counts[0] += numerator
            counts[1] += denominator
            if times_by_place is not None:
                group_times[slot].extend(times_by_place.get(place, ()))
    figures = []
    for (breakdown, key), (numerator, denominator) in sorted(groups.items()):
        value = None
        if measure.is_time:
            times = group_times[(breakdown, key)]
            value = (
                rules.median(times)
                if measure.statistic == "median"
                else rules.percentile(times, 0.9)
            )
        figures.append(Figure(breakdown, key, numerator, denominator, value))
    return figures


def figures_compute(
    facts: Facts, periods: Sequence[Period]
) -> Iterator[tuple[Measure, Period, Figure]]:
    """Every measure's figures for the periods (quarters only for the quarterly return's).

    Shares of the cohort are counted together in one pass over each period's cohort: the
    family's place is worked out once, and each measure only says whether it counts.
    """
    for period in periods:
        wanted = [m for m in MEASURES.values() if period.kind == PeriodKind.MONTH or m.quarterly]
        together = [m for m in wanted if m.counts_family is not None]
        tests = [m.counts_family for m in together if m.counts_family is not None]
        by_place: dict[tuple[frozenset[str], str], list[int]] = {}
        size = len(tests)
        for family_id in facts.cohort(period):
            place = facts.context(family_id, period)
            counts = by_place.get(place)
            if counts is None:
                counts = by_place[place] = [0] * (size + 1)
            counts[size] += 1
            for index, test in enumerate(tests):
                if test(facts, family_id, period):
                    counts[index] += 1
        for index, measure in enumerate(together):
            share = {(*place, NO_HEADLINES): [c[index], c[size]] for place, c in by_place.items()}
            for figure in _spread(measure, share):
                yield measure, period, figure
        for measure in wanted:
            if measure.counts_family is None:
                for figure in aggregate(measure, measure.compute(facts, period)):
                    yield measure, period, figure
