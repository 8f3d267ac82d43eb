"""Housing services: the priority decision, the placement approval workflow, the notice
deadline, the safeguards, hand-over and duty to refer; through the services, as personas."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from earlyhelp.alerts.models import Alert
from earlyhelp.chronology.models import ChronologyEntry
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.housing import services
from earlyhelp.housing.models import (
    DutyToRefer,
    HousingCase,
    Placement,
    PlacementStatus,
    ReceivingAuthorityNotice,
    SupportHandover,
)
from earlyhelp.housing.tests.personas import FACTORS, TODAY, WHY, Housing
from earlyhelp.safersleep.models import ReassessmentTask

pytestmark = pytest.mark.django_db
D = datetime.date


def open_case(h: Housing, **kw: Any) -> HousingCase:
    args: dict[str, Any] = {
        "actor": h.harry,
        "family": h.brook,
        "person_id": h.zara.pk,
        "kind": "homelessness",
        "homeless": True,
        "vulnerabilities": ["no_family_support"],
        "today": TODAY,
    }
    args.update(kw)
    return services.housing_case_open(**args)


def place(h: Housing, case: HousingCase, **kw: Any) -> Placement:
    args: dict[str, Any] = {
        "actor": h.harry,
        "case": case,
        "line_1": "4 Canal Row",
        "town": "Barton",
        "postcode": "LS1 4AP",
        "local_authority": "Borsetshire",
        "placement_type": "temporary",
        "start_on": D(2026, 12, 1),
        "part7_function": "s188",
        "today": TODAY,
    }
    args.update(kw)
    return services.placement_record(**args)


def test_opening_a_case_decides_and_explains_the_young_parent_priority(housing: Housing) -> None:
    """R-HOU-1: a 19-year-old with a 3-month-old, vulnerable: priority, in area, explained."""
    case = open_case(housing)
    assert case.young_parent_priority and case.in_area_required
    assert "Zara Brook is 19" in case.priority_explanation
    assert "Ava Brook (3 months)" in case.priority_explanation
    assert case.policy.version == "2026.1"
    assert set(case.priority_needs) == {"dependent_children", "vulnerable"}
    assert AuditEvent.objects.filter(action="housing_case.open", object_id=str(case.pk)).exists()
    assert ChronologyEntry.objects.filter(family=housing.brook, source_id=str(case.pk)).exists()


def test_a_baby_born_during_the_case_and_a_parent_turning_20(housing: Housing) -> None:
    """R-HOU-1: the decision is made again on the household as it is on the day."""
    case = open_case(housing)
    assert case.young_parent_priority
    reviewed = services.housing_case_priority_review(
        actor=housing.harry, case=case, version=case.version, today=D(2027, 6, 1)
    )
    assert not reviewed.young_parent_priority  # Zara is 20 on 1 June 2027
    assert "is 20 on 01 June 2027" in reviewed.priority_explanation


@pytest.mark.parametrize("persona", ["owen", "sam", "bea", "maya"])
def test_only_housing_staff_who_see_the_family_open_a_case(housing: Housing, persona: str) -> None:
    with pytest.raises(NotFoundOrForbidden):
        open_case(housing, actor=getattr(housing.p, persona), family=housing.p.ashworth)
    assert not HousingCase.objects.exists()


def test_a_homeless_17_year_old_is_routed_to_a_children_act_assessment_first(
    housing: Housing,
) -> None:
    """R-HOU-6: Chloe is 17 and homeless: the referral comes first."""
    p = housing.p
    with pytest.raises(ValidationProblem) as problem:
        open_case(housing, family=p.ashworth, person_id=p.chloe.pk)
    assert "Children Act assessment" in problem.value.errors["children_act_referral_on"][0]
    case = open_case(
        housing, family=p.ashworth, person_id=p.chloe.pk, children_act_referral_on=TODAY
    )
    assert "aged_16_17" in case.priority_needs


def test_a_care_leaver_needs_the_local_offer_and_corporate_parenting(housing: Housing) -> None:
    """R-CL-3, R-CL-5."""
    with pytest.raises(ValidationProblem) as problem:
        open_case(housing, care_leaver=True, vulnerabilities=["care_leaver"])
    assert set(problem.value.errors) == {"local_offer", "corporate_parenting"}
    assert not HousingCase.objects.exists()


def test_an_in_area_placement_takes_effect_at_once_and_sets_the_safer_sleep_task(
    housing: Housing,
) -> None:
    """R-HOU-1, R-SS-1: no approval needed in the area; the move is a disruption of routine."""
    case = open_case(housing)
    placement = place(housing, case, local_authority="wyvern", town="Wyvern")
    assert placement.status == PlacementStatus.CONFIRMED and placement.in_area
    assert not ReceivingAuthorityNotice.objects.exists()
    task = ReassessmentTask.objects.get(family=housing.brook)
    assert task.person == housing.ava
    assert task.disruption.kind == "house_move"


def test_the_out_of_area_approval_workflow(housing: Housing) -> None:
    """R-HOU-2, R-HOU-3, R-SS-1: stopped until suitability and a senior manager's approval;
    then the notice with its 14-day deadline, the alerts and the reassessment task."""
    h = housing
    case = open_case(h)
    placement = place(h, case)
    assert placement.status == PlacementStatus.AWAITING_APPROVAL and placement.needs_approval
    assert not ReassessmentTask.objects.exists() and not ReceivingAuthorityNotice.objects.exists()

    # The housing officer cannot approve; nor can the manager before the suitability.
    with pytest.raises(ValidationProblem) as problem:
        services.placement_approve(actor=h.harry, placement=placement, note="Fine", today=TODAY)
    assert "senior housing manager" in problem.value.errors["__all__"][0]
    with pytest.raises(ValidationProblem) as problem:
        services.placement_approve(actor=h.sunita, placement=placement, note="Fine", today=TODAY)
    assert "suitability assessment" in problem.value.errors["__all__"][0]

    # A general shortage is not a reason.
    with pytest.raises(ValidationProblem) as problem:
        services.suitability_record(
            actor=h.harry, placement=placement, factors=FACTORS, why_nothing_nearer="Shortage"
        )
    assert "why_nothing_nearer" in problem.value.errors
    services.suitability_record(
        actor=h.harry, placement=placement, factors=FACTORS, why_nothing_nearer=WHY, today=TODAY
    )
    approved = services.placement_approve(
        actor=h.sunita, placement=placement, note="No safe in-area unit this week", today=TODAY
    )
    assert approved.status == PlacementStatus.CONFIRMED and approved.approved_by == h.sunita
    notice = ReceivingAuthorityNotice.objects.get(placement=placement)
    assert notice.due_on == D(2026, 12, 15)  # 14 days after 1 December
    assert notice.receiving_authority == "Borsetshire"
    alerted = set(
        Alert.objects.filter(kind=services.OUT_OF_AREA_ALERT).values_list(
            "recipient__email", flat=True
        )
    )
    assert alerted == {"lee@earlyhelp.example", "hana@hv.example"}
    task = ReassessmentTask.objects.get(family=h.brook)
    assert task.disruption.kind == "out_of_area_placement"
    assert set(task.assignees.values_list("email", flat=True)) == alerted
    assert ChronologyEntry.objects.filter(family=h.brook, kind="placement").exists()

    # The notice is sent; late is allowed but recorded; not twice.
    services.notice_sent_record(actor=h.harry, notice=notice, sent_on=TODAY, today=TODAY)
    with pytest.raises(ValidationProblem):
        services.notice_sent_record(actor=h.harry, notice=notice, sent_on=TODAY, today=TODAY)


def test_handover_to_the_receiving_area_is_on_the_chronology(housing: Housing) -> None:
    h = housing
    case = open_case(h, vulnerabilities=["other"])
    placement = place(h, case)
    with pytest.raises(ValidationProblem):  # not approved yet
        services.support_handover_record(
            actor=h.harry,
            placement=placement,
            service="health_visiting",
            receiving_team="Barton 0-19",
            handed_over_on=TODAY,
        )
    services.suitability_record(
        actor=h.harry, placement=placement, factors=FACTORS, why_nothing_nearer=WHY
    )
    services.placement_approve(actor=h.sunita, placement=placement, note="Agreed", today=TODAY)
    handover = services.support_handover_record(
        actor=h.harry,
        placement=placement,
        service="health_visiting",
        receiving_team="Barton 0-19 team",
        handed_over_on=TODAY,
        today=TODAY,
    )
    assert SupportHandover.objects.get() == handover
    assert ChronologyEntry.objects.filter(source_id=str(handover.pk), kind="share").exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"line_1": ""}, "line_1"),
        ({"local_authority": " "}, "local_authority"),
        ({"end_on": D(2026, 11, 30)}, "end_on"),
        ({"postcode": "NOPE"}, "postcode"),
        ({"part7_function": "s999"}, "part7_function"),
        (
            {"placement_type": "bed_and_breakfast", "local_authority": "Wyvern"},
            "no_alternative_reason",
        ),
    ],
)
def test_bad_placements_are_refused_and_nothing_is_saved(
    housing: Housing, kw: dict[str, Any], field: str
) -> None:
    case = open_case(housing)
    with pytest.raises(ValidationProblem) as problem:
        place(housing, case, **kw)
    assert field in problem.value.errors
    assert not Placement.objects.exists()
    assert not ReassessmentTask.objects.exists()


def test_never_bed_and_breakfast_for_a_17_year_old(housing: Housing) -> None:
    """R-HOU-4, R-HOU-6."""
    p = housing.p
    case = open_case(
        housing, family=p.ashworth, person_id=p.chloe.pk, children_act_referral_on=TODAY
    )
    with pytest.raises(ValidationProblem) as problem:
        place(
            housing,
            case,
            placement_type="bed_and_breakfast",
            local_authority="Wyvern",
            no_alternative_reason="Nothing else is available in the whole district tonight",
        )
    assert "never used for a 16- or 17-year-old" in problem.value.errors["placement_type"][0]
    assert not Placement.objects.exists()


def test_an_under_18_tenant_needs_a_trustee_and_a_review_at_18(housing: Housing) -> None:
    """R-HOU-7."""
    p = housing.p
    case = open_case(
        housing, family=p.ashworth, person_id=p.chloe.pk, children_act_referral_on=TODAY
    )
    with pytest.raises(ValidationProblem) as problem:
        place(housing, case, placement_type="social_tenancy", local_authority="Wyvern")
    assert "trustee" in problem.value.errors
    placement = place(
        housing,
        case,
        placement_type="social_tenancy",
        local_authority="Wyvern",
        trustee="Jo Ashworth (aunt)",
    )
    assert placement.under_18_tenant and placement.tenancy_review_on == D(2027, 5, 14)


def test_bed_and_breakfast_countdown_escalates_in_the_last_week(housing: Housing) -> None:
    """R-HOU-4."""
    case = open_case(housing)
    placement = place(
        housing,
        case,
        placement_type="bed_and_breakfast",
        local_authority="Wyvern",
        start_on=D(2026, 10, 20),
        no_alternative_reason="Fled at night; every self-contained unit in the district was full",
    )
    assert placement.bed_and_breakfast_limit_on == D(2026, 12, 1)
    assert services.bed_and_breakfast_escalate(today=D(2026, 11, 23)) == []
    alerts = services.bed_and_breakfast_escalate(today=TODAY)
    recipients = {a.recipient for a in alerts}
    assert recipients == {housing.harry, housing.sunita}
    services.bed_and_breakfast_escalate(today=TODAY)  # not twice
    assert Alert.objects.filter(kind=services.BED_AND_BREAKFAST_ALERT).count() == 2


def test_duty_to_refer_records_consent_and_the_chosen_authority(housing: Housing) -> None:
    """R-HOU-9: by any agency that sees the family; consent needed."""
    p = housing.p
    args: dict[str, Any] = {
        "actor": p.maya,
        "family": p.ashworth,
        "person_id": p.chloe.pk,
        "chosen_authority": "Wyvern",
        "homeless_now": False,
        "homeless_on": D(2027, 1, 10),
        "referred_on": TODAY,
        "today": TODAY,
    }
    with pytest.raises(ValidationProblem) as problem:
        services.duty_to_refer_record(consent=False, **args)
    assert "consent" in problem.value.errors
    referral = services.duty_to_refer_record(consent=True, **args)
    assert referral.referring_organisation == p.midwifery and referral.consent
    with pytest.raises(NotFoundOrForbidden):
        services.duty_to_refer_record(consent=True, **{**args, "actor": p.owen})
    assert DutyToRefer.objects.count() == 1
