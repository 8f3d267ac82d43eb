"""Reads about housing cases, always starting from the sharing policy (R-IS-4, R-IS-12).

A family's housing record is seen by everyone who may see the family (the team around the
family sees the placement, the notice and the hand-over); a case's vulnerabilities in a
need-to-know category only by those the sharing policy lets read it, and otherwise as
"held by <agency>, ask the lead professional". Each look is recorded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.utils import timezone

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.housing import rules
from earlyhelp.housing.models import (
    ChildImpactAssessment,
    DutyToRefer,
    HousingCase,
    Placement,
    PlacementStatus,
    ReceivingAuthorityNotice,
)
from earlyhelp.housing.policy import PriorityPolicyDocument
from earlyhelp.housing.services import (
    household,
    housing_organisations,
    is_senior_housing_manager,
)
from earlyhelp.people import selectors as people_selectors
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


@dataclass(frozen=True)
class PlacementRow:
    placement: Placement
    countdown: rules.BedAndBreakfastCountdown | None
    notice_overdue: bool


@dataclass(frozen=True)
class CaseView:
    case: HousingCase
    readable: bool  # the vulnerabilities' detail (R-IS-12)
    vulnerability_labels: list[str]
    priority_need_labels: list[str]
    placements: list[PlacementRow]
    latest_impact: ChildImpactAssessment | None
    household: list[rules.MemberAge]  # ages today (R-HOU-1)


@dataclass(frozen=True)
class FamilyHousingView:
    family: Family
    cases: list[CaseView]
    referrals: list[DutyToRefer]
    today: datetime.date

    @property
    def current_placement(self) -> PlacementRow | None:
        for c in self.cases:
            for row in c.placements:
                if row.placement.status == PlacementStatus.CONFIRMED:
                    return row
        return None


def _placement_row(placement: Placement, today: datetime.date) -> PlacementRow:
    countdown = (
        rules.bed_and_breakfast_countdown(placement.start_on, today)
        if placement.bed_and_breakfast_limit_on and placement.status == PlacementStatus.CONFIRMED
        else None
    )
    notice = getattr(placement, "notice", None)
    overdue = bool(notice and notice.sent_on is None and notice.due_on < today)
    return PlacementRow(placement, countdown, overdue)


def _readable_case_ids(actor: User, cases: QuerySet[HousingCase]) -> set[int]:
    return set(cases.filter(policies.category_readable(actor)).values_list("pk", flat=True))


def cases_view(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> FamilyHousingView:
    """The family's housing record for an actor already allowed to see the family."""
    today = today or timezone.localdate()
    cases = HousingCase.objects.filter(family=family).select_related(
        "person", "housing_officer", "source_organisation", "policy", "category"
    )
    listed = list(cases)
    # Only cases in a need-to-know category need the sharing policy's check (R-IS-12).
    readable = {c.pk for c in listed if c.category_id is None}
    if len(readable) < len(listed):
        readable |= _readable_case_ids(actor, cases)
    views = []
    for case in listed:
        document = PriorityPolicyDocument.model_validate(case.policy.document)
        labels = [
            v.label if (v := document.vulnerability(code)) else code
            for code in case.vulnerabilities
        ]
        placements = (
            Placement.objects.filter(case=case)
            .select_related("suitability", "notice", "approved_by")
            .prefetch_related("handovers")
        )
        views.append(
            CaseView(
                case=case,
                readable=case.pk in readable,
                vulnerability_labels=labels if case.pk in readable else [],
                priority_need_labels=[
                    rules.PRIORITY_NEED_LABELS.get(n, n) for n in case.priority_needs
                ],
                placements=[_placement_row(p, today) for p in placements],
                latest_impact=case.child_impacts.first(),
                household=rules.household_ages(household(family, case.person), today),
            )
        )
    referrals = list(
        DutyToRefer.objects.filter(family=family).select_related("person", "referring_organisation")
    )
    return FamilyHousingView(family=family, cases=views, referrals=referrals, today=today)


@dataclass(frozen=True)
class SharedHint:
    """Something the shared record holds about a family member, as the actor may read it."""

    person_name: str
    category_code: str
    category_name: str
    recorded_by: str


def shared_vulnerabilities(*, actor: User, family: Family) -> list[SharedHint]:
    """Categorised information about the family's members that the sharing policy lets the
    actor read in full (R-IS-4, R-IS-12): what the shared record already says, to inform the
    vulnerabilities a housing officer records. Nothing the actor may not read is named."""
    members = family.members.filter(left_on__isnull=True).values("person_id")
    items = (
        policies.visible_information(actor)
        .filter(person_id__in=members, category__isnull=False)
        .select_related("person", "category", "source_organisation")
        .order_by("person_id", "category__name", "id")
    )
    seen: set[tuple[int, int]] = set()
    hints = []
    for item in items:
        assert item.category is not None
        key = (item.person_id, item.category.pk)
        if key in seen:
            continue
        seen.add(key)
        hints.append(
            SharedHint(
                person_name=item.person.display_name,
                category_code=item.category.code,
                category_name=item.category.name,
                recorded_by=item.source_organisation.name,
            )
        )
    return hints


def family_housing(
    *, actor: User, family_id: int, request: HttpRequest | None = None
) -> FamilyHousingView:
    """The family's housing page: the policy decides (404 otherwise), the look is recorded."""
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return cases_view(actor=actor, family=family)


def _visible(actor: User) -> Q:
    return Q(family__in=policies.visible_families(actor).values("id"))


def _refused(actor: User, object_type: str, object_id: int, request: HttpRequest | None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def case_get(*, actor: User, case_id: int, request: HttpRequest | None = None) -> HousingCase:
    """One housing case in a family the actor may see (404 otherwise); the look is recorded."""
    case = (
        HousingCase.objects.filter(pk=case_id)
        .filter(_visible(actor))
        .select_related("family", "person", "policy", "source_organisation")
        .first()
        if policies.can_open_family_records(actor)
        else None
    )
    if case is None:
        _refused(actor, "housing.housingcase", case_id, request)
        raise NotFoundOrForbidden
    access_record(actor=actor, action=AccessAction.VIEW, obj=case, request=request)
    return case


def placement_get(
    *, actor: User, placement_id: int, request: HttpRequest | None = None
) -> Placement:
    placement = (
        Placement.objects.filter(pk=placement_id)
        .filter(case__in=HousingCase.objects.filter(_visible(actor)).values("id"))
        .select_related("case", "case__family", "case__person", "case__policy")
        .first()
        if policies.can_open_family_records(actor)
        else None
    )
    if placement is None:
        _refused(actor, "housing.placement", placement_id, request)
        raise NotFoundOrForbidden
    access_record(actor=actor, action=AccessAction.VIEW, obj=placement, request=request)
    return placement


def notice_get(
    *, actor: User, notice_id: int, request: HttpRequest | None = None
) -> ReceivingAuthorityNotice:
    notice = (
        ReceivingAuthorityNotice.objects.filter(pk=notice_id)
        .filter(placement__case__in=HousingCase.objects.filter(_visible(actor)).values("id"))
        .select_related(
            "placement", "placement__case", "placement__case__family", "placement__case__person"
        )
        .first()
        if policies.can_open_family_records(actor)
        else None
    )
    if notice is None:
        _refused(actor, "housing.receivingauthoritynotice", notice_id, request)
        raise NotFoundOrForbidden
    access_record(actor=actor, action=AccessAction.VIEW, obj=notice, request=request)
    return notice


@dataclass(frozen=True)
class WorkTray:
    cases: list[HousingCase]
    awaiting_approval: list[Placement]
    notices_due: list[ReceivingAuthorityNotice]
    bed_and_breakfast: list[PlacementRow]
    under_18_reviews: list[Placement]
    can_approve: bool
    today: datetime.date


def work_tray(*, actor: User, today: datetime.date | None = None) -> WorkTray:
    """The housing officer's work: their open cases; placements waiting for suitability or
    approval; notices not yet sent (R-HOU-3); bed-and-breakfast countdowns (R-HOU-4);
    under-18 tenancies to review at 18 (R-HOU-7). Only in their agency's cases, and only in
    families the sharing policy lets them see."""
    today = today or timezone.localdate()
    organisations = [o.pk for o in housing_organisations(actor)]
    if not organisations or not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden
    ours = HousingCase.objects.filter(_visible(actor), source_organisation_id__in=organisations)
    placements = Placement.objects.filter(case__in=ours.values("id")).select_related(
        "case", "case__family", "case__person"
    )
    return WorkTray(
        cases=list(
            ours.filter(housing_officer=actor, closed_on__isnull=True).select_related(
                "family", "person"
            )
        ),
        awaiting_approval=list(placements.filter(status=PlacementStatus.AWAITING_APPROVAL)),
        notices_due=list(
            ReceivingAuthorityNotice.objects.filter(
                placement__in=placements.values("id"), sent_on__isnull=True
            ).select_related("placement", "placement__case", "placement__case__family")
        ),
        bed_and_breakfast=[
            _placement_row(p, today)
            for p in placements.filter(
                status=PlacementStatus.CONFIRMED, bed_and_breakfast_limit_on__isnull=False
            ).filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        ],
        under_18_reviews=list(
            placements.filter(under_18_tenant=True, status=PlacementStatus.CONFIRMED).order_by(
                "tenancy_review_on"
            )
        ),
        can_approve=is_senior_housing_manager(actor),
        today=today,
    )


@dataclass(frozen=True)
class BoardFigure:
    """A count for the board: numbers only, suppressed when 1 to 4 (no family picked out)."""

    code: str
    title: str
    rule: str
    numerator: int
    denominator: int
    suppressed: bool
    percent: int | None


@dataclass(frozen=True)
class PolicyFigures:
    version: str
    title: str
    signed_off_by: str
    figures: list[BoardFigure]


def _figure(code: str, title: str, rule: str, numerator: int, denominator: int) -> BoardFigure:
    from earlyhelp.insights.rules import is_suppressed, percentage

    hidden = is_suppressed(numerator, denominator)
    return BoardFigure(
        code=code,
        title=title,
        rule=rule,
        numerator=0 if hidden else numerator,
        denominator=0 if hidden else denominator,
        suppressed=hidden,
        percent=None if hidden else percentage(numerator, denominator),
    )


def board_figures(*, today: datetime.date | None = None) -> list[PolicyFigures]:
    """How the young-parent priority is working, by policy version, for the board (R-HOU-1
    to R-HOU-4): decisions with priority, priority households housed in the area, out-of-area
    placements with suitability and approval, notices sent within 14 days, bed and breakfast
    beyond 6 weeks. Counts only, never a family; the caller checks the board role."""
    from earlyhelp.housing.models import PriorityPolicy, SuitabilityAssessment

    today = today or timezone.localdate()
    result = []
    for policy in PriorityPolicy.objects.order_by("-in_force_from", "-id"):
        cases = HousingCase.objects.filter(policy=policy)
        priority = cases.filter(young_parent_priority=True)
        placed = Placement.objects.filter(
            case__in=priority.values("id"),
            status__in=[PlacementStatus.CONFIRMED, PlacementStatus.ENDED],
        )
        outside = placed.filter(in_area=False)
        notices = ReceivingAuthorityNotice.objects.filter(
            placement__case__in=cases.values("id")
        ).filter(Q(sent_on__isnull=False) | Q(due_on__lt=today))
        on_time = notices.filter(sent_on__isnull=False, sent_on__lte=F("due_on"))
        bnb = Placement.objects.filter(
            case__in=cases.values("id"), bed_and_breakfast_limit_on__isnull=False
        ).exclude(status=PlacementStatus.AWAITING_APPROVAL)
        over = bnb.filter(
            Q(end_on__gt=F("bed_and_breakfast_limit_on"))
            | Q(end_on__isnull=True, bed_and_breakfast_limit_on__lt=today)
        )
        approved = outside.filter(
            approved_by__isnull=False,
            pk__in=SuitabilityAssessment.objects.values("placement_id"),
        )
        result.append(
            PolicyFigures(
                version=policy.version,
                title=policy.title,
                signed_off_by=policy.signed_off_by,
                figures=[
                    _figure(
                        "priority_decisions",
                        "Housing cases with the young-parent priority",
                        "R-HOU-1",
                        priority.count(),
                        cases.count(),
                    ),
                    _figure(
                        "priority_housed_in_area",
                        "Placements of priority households in the area",
                        "R-HOU-1",
                        placed.filter(in_area=True).count(),
                        placed.count(),
                    ),
                    _figure(
                        "out_of_area_with_suitability_and_approval",
                        "Out-of-area placements of priority households with suitability "
                        "and a senior manager's approval",
                        "R-HOU-2",
                        approved.count(),
                        outside.count(),
                    ),
                    _figure(
                        "notices_on_time",
                        "Notices to receiving authorities sent within 14 days",
                        "R-HOU-3",
                        on_time.count(),
                        notices.count(),
                    ),
                    _figure(
                        "bed_and_breakfast_over_six_weeks",
                        "Bed-and-breakfast stays of pregnant households or with children "
                        "beyond 6 weeks",
                        "R-HOU-4",
                        over.count(),
                        bnb.count(),
                    ),
                ],
            )
        )
    return result
