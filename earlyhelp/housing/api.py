"""Housing over /api/v1/: the same services and selectors as the pages (R-HOU-1 to R-HOU-9,
R-CL-3, R-CL-5, R-SS-1).

Every operation acts as the calling account: a family it may not see is the same 404 problem
as one that does not exist, and housing work needs a housing officer or housing team manager.
A write answers with the family's whole housing record as the caller may read it.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.housing import selectors, services
from earlyhelp.housing.models import HousingCase, Placement, ReceivingAuthorityNotice
from earlyhelp.housing.selectors import CaseView, FamilyHousingView, PlacementRow
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate
from earlyhelp.people.models import Family

router = Router(tags=["Housing"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=5000)]
ShortText = Annotated[Text, Field(max_length=200)]
Code = Annotated[str, Field(max_length=40)]


class ChildImpactOut(Schema):
    recorded_on: datetime.date
    sleeping_space: str
    overcrowding: str
    distance_from_support: str
    isolation: str
    child_risk: str
    tenancy_risk: str = Field(description="Recorded separately from the risk to the child")
    tenancy_notes: str


class NoticeOut(Schema):
    id: int
    receiving_authority: str
    part7_function: str
    due_on: datetime.date = Field(description="14 days after the placement (R-HOU-3)")
    sent_on: datetime.date | None
    overdue: bool = Field(description="Derived: not sent and past its due date")
    letter_pdf_url: str


class HandoverOut(Schema):
    service: str
    receiving_team: str
    contact: str
    handed_over_on: datetime.date


class PlacementOut(Schema):
    id: int
    address: str
    local_authority: str
    in_area: bool
    placement_type: str
    start_on: datetime.date
    end_on: datetime.date | None
    status: str
    needs_approval: bool
    suitability_recorded: bool
    approved_by_name: str | None
    bed_and_breakfast_limit_on: datetime.date | None
    bed_and_breakfast_days_left: int | None
    under_18_tenant: bool
    trustee: str
    tenancy_review_on: datetime.date | None
    notice: NoticeOut | None
    handovers: list[HandoverOut]
    version: int


class HouseholdMemberOut(Schema):
    name: str
    is_parent: bool
    age: int | None = Field(description="Completed years today; null for an unborn baby")
    age_label: str = Field(description='For example "19", "3 months", "unborn, due ..."')


class CaseOut(Schema):
    id: int
    kind: str
    person_id: int
    person_name: str
    reference: str
    housing_officer_name: str
    organisation_name: str
    opened_on: datetime.date
    household: list[HouseholdMemberOut]
    young_parent_priority: bool
    in_area_required: bool
    priority_explanation: str
    priority_decided_on: datetime.date
    priority_needs: list[str]
    policy_version: str
    vulnerabilities: list[str] | None = Field(
        description="null when need-to-know: see held_by (R-IS-12)"
    )
    held_by: str | None
    children_act_referral_on: datetime.date | None
    care_leaver: bool
    local_offer: str | None
    corporate_parenting: str | None
    child_impact: ChildImpactOut | None
    placements: list[PlacementOut]
    version: int


class ReferralOut(Schema):
    id: int
    person_id: int
    referring_organisation: str
    consent: bool
    chosen_authority: str
    homeless_now: bool
    homeless_on: datetime.date | None
    referred_on: datetime.date


class FamilyHousingOut(Schema):
    family_id: int
    cases: list[CaseOut]
    referrals: list[ReferralOut]


def _placement_out(row: PlacementRow) -> PlacementOut:
    p = row.placement
    notice = getattr(p, "notice", None)
    return PlacementOut(
        id=p.pk,
        address=p.address,
        local_authority=p.local_authority,
        in_area=p.in_area,
        placement_type=p.placement_type,
        start_on=p.start_on,
        end_on=p.end_on,
        status=p.status,
        needs_approval=p.needs_approval,
        suitability_recorded=hasattr(p, "suitability"),
        approved_by_name=str(p.approved_by) if p.approved_by else None,
        bed_and_breakfast_limit_on=p.bed_and_breakfast_limit_on,
        bed_and_breakfast_days_left=row.countdown.days_left if row.countdown else None,
        under_18_tenant=p.under_18_tenant,
        trustee=p.trustee,
        tenancy_review_on=p.tenancy_review_on,
        notice=(
            NoticeOut(
                id=notice.pk,
                receiving_authority=notice.receiving_authority,
                part7_function=notice.part7_function,
                due_on=notice.due_on,
                sent_on=notice.sent_on,
                overdue=row.notice_overdue,
                letter_pdf_url=reverse(
                    "housing:notice_pdf", kwargs={"housing_notice_pk": notice.pk}
                ),
            )
            if notice
            else None
        ),
        handovers=[
            HandoverOut(
                service=h.service,
                receiving_team=h.receiving_team,
                contact=h.contact,
                handed_over_on=h.handed_over_on,
            )
            for h in p.handovers.all()
        ],
        version=p.version,
    )


def _case_out(cv: CaseView) -> CaseOut:
    c = cv.case
    impact = cv.latest_impact
    return CaseOut(
        id=c.pk,
        kind=c.kind,
        person_id=c.person_id,
        person_name=c.person.display_name,
        reference=c.reference,
        housing_officer_name=str(c.housing_officer),
        organisation_name=c.source_organisation.name,
        opened_on=c.opened_on,
        household=[
            HouseholdMemberOut(
                name=a.member.name, is_parent=a.member.is_parent, age=a.age, age_label=a.label
            )
            for a in cv.household
        ],
        young_parent_priority=c.young_parent_priority,
        in_area_required=c.in_area_required,
        priority_explanation=c.priority_explanation,
        priority_decided_on=c.priority_decided_on,
        priority_needs=list(c.priority_needs),
        policy_version=c.policy.version,
        vulnerabilities=list(c.vulnerabilities) if cv.readable else None,
        held_by=None if cv.readable else c.source_organisation.name,
        children_act_referral_on=c.children_act_referral_on,
        care_leaver=c.care_leaver,
        local_offer=c.local_offer if cv.readable else None,
        corporate_parenting=c.corporate_parenting if cv.readable else None,
        child_impact=(
            ChildImpactOut(
                recorded_on=impact.recorded_on,
                sleeping_space=impact.sleeping_space,
                overcrowding=impact.overcrowding,
                distance_from_support=impact.distance_from_support,
                isolation=impact.isolation,
                child_risk=impact.child_risk,
                tenancy_risk=impact.tenancy_risk,
                tenancy_notes=impact.tenancy_notes,
            )
            if impact is not None
            else None
        ),
        placements=[_placement_out(r) for r in cv.placements],
        version=c.version,
    )


def _out(view: FamilyHousingView) -> FamilyHousingOut:
    return FamilyHousingOut(
        family_id=view.family.pk,
        cases=[_case_out(cv) for cv in view.cases],
        referrals=[
            ReferralOut(
                id=r.pk,
                person_id=r.person_id,
                referring_organisation=r.referring_organisation.name,
                consent=r.consent,
                chosen_authority=r.chosen_authority,
                homeless_now=r.homeless_now,
                homeless_on=r.homeless_on,
                referred_on=r.referred_on,
            )
            for r in view.referrals
        ],
    )


def _family_out(request: HttpRequest, family: Family) -> FamilyHousingOut:
    return _out(selectors.cases_view(actor=api_actor(request), family=family))


@contextlib.contextmanager
def _api_field_names(**names: str) -> Iterator[None]:
    """Services name a field as the pages do ("person"); the API body says "person_id"."""
    try:
        yield
    except ValidationProblem as problem:
        raise ValidationProblem(
            {names.get(field, field): messages for field, messages in problem.errors.items()}
        ) from problem


def _staff(request: HttpRequest) -> None:
    if not services.is_housing_staff(api_actor(request)):
        raise NotFoundOrForbidden


class CaseOpenIn(Input):
    person_id: RecordId
    kind: Code = Field(description='"application" or "homelessness"')
    reference: Annotated[Text, Field(max_length=50)] = ""
    homeless: bool = False
    pregnant: bool = False
    vulnerabilities: list[Code] = Field([], max_length=20, description="Policy codes")
    relevant_child_or_owed_s20: bool = False
    children_act_referral_on: IsoDate | None = None
    care_leaver: bool = False
    local_offer: LongText = ""
    corporate_parenting: LongText = ""


class PriorityReviewIn(Input):
    version: int | None = None


class ChildImpactIn(Input):
    sleeping_space: LongText
    child_risk: Code
    tenancy_risk: Code
    overcrowding: LongText = ""
    distance_from_support: LongText = ""
    isolation: LongText = ""
    tenancy_notes: LongText = ""


class PlacementIn(Input):
    line_1: ShortText
    line_2: ShortText = ""
    town: Annotated[Text, Field(max_length=100)]
    postcode: Annotated[Text, Field(max_length=10)] = ""
    local_authority: Annotated[Text, Field(max_length=100)]
    placement_type: Code
    start_on: IsoDate | None = None
    end_on: IsoDate | None = None
    no_alternative_reason: LongText = ""
    trustee: ShortText = ""
    part7_function: Code = "s188"


class SuitabilityIn(Input):
    distance_from_district: LongText
    disruption_to_work_care_education: LongText
    access_to_medical_and_support: LongText
    local_services_and_transport: LongText
    why_nothing_nearer: LongText


class ApprovalIn(Input):
    note: LongText
    version: int | None = None


class PlacementEndIn(Input):
    end_on: IsoDate | None = None
    version: int | None = None


class HandoverIn(Input):
    service: Code
    receiving_team: ShortText
    contact: ShortText = ""
    handed_over_on: IsoDate | None = None
    notes: LongText = ""


class NoticeSentIn(Input):
    sent_on: IsoDate | None = None


class ReferralIn(Input):
    person_id: RecordId
    consent: bool
    chosen_authority: Annotated[Text, Field(max_length=100)]
    homeless_now: bool
    homeless_on: IsoDate | None = None
    referred_on: IsoDate | None = None
    notes: LongText = ""


class WorkTrayItem(Schema):
    family_id: int
    family_name: str
    record_id: int = Field(description="The case, placement or notice id")
    date: datetime.date | None
    detail: str


class WorkTrayOut(Schema):
    cases: list[WorkTrayItem]
    awaiting_approval: list[WorkTrayItem]
    notices_due: list[WorkTrayItem]
    bed_and_breakfast: list[WorkTrayItem]
    under_18_reviews: list[WorkTrayItem]


@router.get("/housing/work-tray", **operation(READ, {200: WorkTrayOut}))
def housing_work_tray(request: HttpRequest) -> WorkTrayOut:
    """The housing officer's work: open cases, placements waiting for suitability or approval,
    notices not yet sent (R-HOU-3), bed-and-breakfast countdowns (R-HOU-4), under-18 tenancies
    to review at 18 (R-HOU-7)."""
    tray = selectors.work_tray(actor=api_actor(request))
    return WorkTrayOut(
        cases=[
            WorkTrayItem(
                family_id=c.family_id,
                family_name=c.family.name,
                record_id=c.pk,
                date=c.opened_on,
                detail="Young-parent priority" if c.young_parent_priority else "",
            )
            for c in tray.cases
        ],
        awaiting_approval=[
            WorkTrayItem(
                family_id=p.case.family_id,
                family_name=p.case.family.name,
                record_id=p.pk,
                date=p.start_on,
                detail=p.local_authority,
            )
            for p in tray.awaiting_approval
        ],
        notices_due=[
            WorkTrayItem(
                family_id=n.placement.case.family_id,
                family_name=n.placement.case.family.name,
                record_id=n.pk,
                date=n.due_on,
                detail=n.receiving_authority,
            )
            for n in tray.notices_due
        ],
        bed_and_breakfast=[
            WorkTrayItem(
                family_id=r.placement.case.family_id,
                family_name=r.placement.case.family.name,
                record_id=r.placement.pk,
                date=r.countdown.limit_on if r.countdown else None,
                detail=f"{r.countdown.days_left} days left" if r.countdown else "",
            )
            for r in tray.bed_and_breakfast
        ],
        under_18_reviews=[
            WorkTrayItem(
                family_id=p.case.family_id,
                family_name=p.case.family.name,
                record_id=p.pk,
                date=p.tenancy_review_on,
                detail=p.trustee,
            )
            for p in tray.under_18_reviews
        ],
    )


class BoardFigureOut(Schema):
    code: str
    title: str
    rule: str
    numerator: int
    denominator: int
    suppressed: bool = Field(description="True: 1 to 4 were counted; no numbers are given")
    percent: int | None


class PolicyFiguresOut(Schema):
    version: str
    title: str
    signed_off_by: str
    figures: list[BoardFigureOut]


@router.get("/housing/board-figures", **operation(READ, {200: list[PolicyFiguresOut]}))
def housing_board_figures(request: HttpRequest) -> list[PolicyFiguresOut]:
    """How the young-parent priority is working, by policy version: counts only, small
    numbers suppressed; for the board analyst and team managers (R-HOU-1 to R-HOU-4)."""
    from earlyhelp.insights.policies import can_view_board_figures

    if not can_view_board_figures(api_actor(request)):
        raise NotFoundOrForbidden
    return [
        PolicyFiguresOut(
            version=p.version,
            title=p.title,
            signed_off_by=p.signed_off_by,
            figures=[BoardFigureOut(**vars(f)) for f in p.figures],
        )
        for p in selectors.board_figures()
    ]


@router.get("/families/{record_id:family_id}/housing", **operation(READ, {200: FamilyHousingOut}))
def housing_family_get(request: HttpRequest, family_id: int) -> FamilyHousingOut:
    """The family's housing record: cases with their priority decision explained, the risk to
    the child, placements, notices, hand-overs and duty-to-refer referrals."""
    return _out(
        selectors.family_housing(actor=api_actor(request), family_id=family_id, request=request)
    )


@router.post(
    "/families/{record_id:family_id}/housing-cases",
    **operation(WRITE, {201: FamilyHousingOut}, body=True),
)
def housing_case_open(
    request: HttpRequest, family_id: int, payload: CaseOpenIn
) -> Status[FamilyHousingOut]:
    """Open a housing case and decide the young-parent priority under the policy in force
    (R-HOU-1, R-HOU-5, R-HOU-6, R-CL-3, R-CL-5)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    with _api_field_names(person="person_id"):
        services.housing_case_open(actor=actor, family=family, **payload.model_dump())
    return Status(201, _family_out(request, family))


@router.post(
    "/families/{record_id:family_id}/housing-referrals",
    **operation(WRITE, {201: FamilyHousingOut}, body=True),
)
def housing_duty_to_refer(
    request: HttpRequest, family_id: int, payload: ReferralIn
) -> Status[FamilyHousingOut]:
    """A duty-to-refer referral with consent to the housing authority the person chose
    (R-HOU-9); any agency working with the family."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    with _api_field_names(person="person_id"):
        services.duty_to_refer_record(actor=actor, family=family, **payload.model_dump())
    return Status(201, _family_out(request, family))


def _case(request: HttpRequest, housing_case_id: int) -> HousingCase:
    _staff(request)
    return selectors.case_get(actor=api_actor(request), case_id=housing_case_id, request=request)


@router.post(
    "/housing-cases/{record_id:housing_case_id}/priority-review",
    **operation(WRITE, {200: FamilyHousingOut}, body=True, conflict=True),
)
def housing_case_priority_review(
    request: HttpRequest, housing_case_id: int, payload: PriorityReviewIn
) -> FamilyHousingOut:
    """Decide the priority again on today's household and policy (R-HOU-1)."""
    case = _case(request, housing_case_id)
    services.housing_case_priority_review(
        actor=api_actor(request), case=case, version=payload.version
    )
    return _family_out(request, case.family)


@router.post(
    "/housing-cases/{record_id:housing_case_id}/child-impact",
    **operation(WRITE, {201: FamilyHousingOut}, body=True),
)
def housing_child_impact_record(
    request: HttpRequest, housing_case_id: int, payload: ChildImpactIn
) -> Status[FamilyHousingOut]:
    """The risk to the child, separately from the tenancy risk (R-HOU-8)."""
    case = _case(request, housing_case_id)
    services.child_impact_record(actor=api_actor(request), case=case, **payload.model_dump())
    return Status(201, _family_out(request, case.family))


@router.post(
    "/housing-cases/{record_id:housing_case_id}/placements",
    **operation(WRITE, {201: FamilyHousingOut}, body=True),
)
def housing_placement_record(
    request: HttpRequest, housing_case_id: int, payload: PlacementIn
) -> Status[FamilyHousingOut]:
    """Record a placement. Out of the area for a household that must be housed in the area,
    it waits for suitability and a senior manager's approval (R-HOU-2); otherwise it takes
    effect (a move: the safer-sleep reassessment, R-SS-1)."""
    case = _case(request, housing_case_id)
    services.placement_record(actor=api_actor(request), case=case, **payload.model_dump())
    return Status(201, _family_out(request, case.family))


def _placement(request: HttpRequest, housing_placement_id: int) -> Placement:
    _staff(request)
    return selectors.placement_get(
        actor=api_actor(request), placement_id=housing_placement_id, request=request
    )


@router.post(
    "/housing-placements/{record_id:housing_placement_id}/suitability",
    **operation(WRITE, {200: FamilyHousingOut}, body=True),
)
def housing_suitability_record(
    request: HttpRequest, housing_placement_id: int, payload: SuitabilityIn
) -> FamilyHousingOut:
    """The 2012 Order's location factors and why nothing nearer was available (R-HOU-2)."""
    placement = _placement(request, housing_placement_id)
    data = payload.model_dump()
    why = data.pop("why_nothing_nearer")
    services.suitability_record(
        actor=api_actor(request), placement=placement, factors=data, why_nothing_nearer=why
    )
    return _family_out(request, placement.case.family)


@router.post(
    "/housing-placements/{record_id:housing_placement_id}/approval",
    **operation(WRITE, {200: FamilyHousingOut}, body=True, conflict=True),
)
def housing_placement_approve(
    request: HttpRequest, housing_placement_id: int, payload: ApprovalIn
) -> FamilyHousingOut:
    """A senior housing manager approves an out-of-area placement once its suitability is
    recorded; it takes effect: the s208 notice, the alerts, the safer-sleep task."""
    placement = _placement(request, housing_placement_id)
    services.placement_approve(
        actor=api_actor(request), placement=placement, note=payload.note, version=payload.version
    )
    return _family_out(request, placement.case.family)


@router.post(
    "/housing-placements/{record_id:housing_placement_id}/ending",
    **operation(WRITE, {200: FamilyHousingOut}, body=True, conflict=True),
)
def housing_placement_end(
    request: HttpRequest, housing_placement_id: int, payload: PlacementEndIn
) -> FamilyHousingOut:
    """The household leaves the placement (ends a bed-and-breakfast countdown, R-HOU-4)."""
    placement = _placement(request, housing_placement_id)
    services.placement_end(
        actor=api_actor(request),
        placement=placement,
        end_on=payload.end_on,
        version=payload.version,
    )
    return _family_out(request, placement.case.family)


@router.post(
    "/housing-placements/{record_id:housing_placement_id}/handovers",
    **operation(WRITE, {201: FamilyHousingOut}, body=True),
)
def housing_handover_record(
    request: HttpRequest, housing_placement_id: int, payload: HandoverIn
) -> Status[FamilyHousingOut]:
    """Hand the family's support to the receiving area's health visiting, Family Nurse
    Partnership or children's services (R-HOU-3)."""
    placement = _placement(request, housing_placement_id)
    services.support_handover_record(
        actor=api_actor(request), placement=placement, **payload.model_dump()
    )
    return Status(201, _family_out(request, placement.case.family))


def _notice(request: HttpRequest, housing_notice_id: int) -> ReceivingAuthorityNotice:
    _staff(request)
    return selectors.notice_get(
        actor=api_actor(request), notice_id=housing_notice_id, request=request
    )


@router.get("/housing-notices/{record_id:housing_notice_id}", **operation(READ, {200: NoticeOut}))
def housing_notice_get(request: HttpRequest, housing_notice_id: int) -> NoticeOut:
    """The s208 notice to the receiving authority with its deadline (R-HOU-3); the letter is
    at letter_pdf_url (signed-in page)."""
    notice = _notice(request, housing_notice_id)
    return NoticeOut(
        id=notice.pk,
        receiving_authority=notice.receiving_authority,
        part7_function=notice.part7_function,
        due_on=notice.due_on,
        sent_on=notice.sent_on,
        overdue=notice.sent_on is None and notice.due_on < timezone.localdate(),
        letter_pdf_url=reverse("housing:notice_pdf", kwargs={"housing_notice_pk": notice.pk}),
    )


@router.post(
    "/housing-notices/{record_id:housing_notice_id}/sent",
    **operation(WRITE, {200: FamilyHousingOut}, body=True),
)
def housing_notice_sent(
    request: HttpRequest, housing_notice_id: int, payload: NoticeSentIn
) -> FamilyHousingOut:
    """The date the written notice was sent (R-HOU-3)."""
    notice = _notice(request, housing_notice_id)
    services.notice_sent_record(actor=api_actor(request), notice=notice, sent_on=payload.sent_on)
    return _family_out(request, notice.placement.case.family)
