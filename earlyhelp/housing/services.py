"""Writes for housing as a safeguarding partner (R-HOU-1 to R-HOU-9, R-CL-3, R-CL-5).

Each write: the sharing policy first (a family the actor may not see is NotFoundOrForbidden,
404) and the housing role, then the rules, then the save, the audit event, the chronology
entry and any alert, all in one transaction; bad input is a ValidationProblem and nothing is
half-saved. A placement that takes effect is a move, so it records a disruption of routine
(safersleep.services.disruption_record), which sets the safer-sleep reassessment (R-SS-1).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, Organisation, Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.housing import rules
from earlyhelp.housing.loading import policy_check, policy_write
from earlyhelp.housing.models import (
    CaseKind,
    ChildImpactAssessment,
    DutyToRefer,
    HandoverService,
    HousingCase,
    Placement,
    PlacementStatus,
    PriorityPolicy,
    ReceivingAuthorityNotice,
    SuitabilityAssessment,
    SupportHandover,
)
from earlyhelp.housing.policy import PriorityPolicyDocument
from earlyhelp.people.models import (
    PARENT_RELATIONSHIPS,
    Family,
    FamilyMember,
    Person,
    Relationship,
)
from earlyhelp.people.rules import postcode_is_valid
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.safersleep import rules as safersleep_rules
from earlyhelp.safersleep.services import disruption_record, health_visitors
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory

if TYPE_CHECKING:
    from earlyhelp.alerts.models import Alert

TEXT_MAX = 5000
OUT_OF_AREA_ALERT = "housing.out_of_area_placement"
BED_AND_BREAKFAST_ALERT = "housing.bed_and_breakfast_limit"

PART7_FUNCTIONS: dict[str, str] = {
    "s188": "Section 188(1): interim accommodation while the application is decided",
    "s190": "Section 190(2): accommodation for an applicant homeless intentionally",
    "s193": "Section 193(2): the main housing duty",
    "s200": "Section 200(1): accommodation pending a referral to another authority",
}


class PolicyRefused(Exception):
    """A policy file that cannot be loaded: every problem, nothing written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- Who does housing work ------------------------------------------------------------------


def housing_organisations(actor: User) -> list[Organisation]:
    """The housing agencies the actor works for as a housing officer or a team manager."""
    return [
        m.team.organisation
        for m in actor.active_memberships()
        if m.team.organisation.agency_type == AgencyType.HOUSING
        and m.role in {Role.HOUSING_OFFICER, Role.TEAM_MANAGER}
    ]


def is_housing_staff(actor: User) -> bool:
    return bool(housing_organisations(actor))


def is_senior_housing_manager(actor: User) -> bool:
    """The senior housing manager who approves an out-of-area placement (R-HOU-2): a team
    manager in a housing agency (accounts has no separate senior-manager role)."""
    return any(
        m.role == Role.TEAM_MANAGER and m.team.organisation.agency_type == AgencyType.HOUSING
        for m in actor.active_memberships()
    )


def _require_family(actor: User, family: Family, *, housing: bool = True) -> Family:
    """The policy check (404 otherwise), the housing role if asked, then the family locked."""
    if not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    if housing and not is_housing_staff(actor):
        raise NotFoundOrForbidden
    return Family.objects.select_for_update().get(pk=family.pk)


def _organisation(actor: User) -> Organisation:
    organisations = housing_organisations(actor)
    if not organisations:
        raise NotFoundOrForbidden
    return organisations[0]


def _text(errors: dict[str, list[str]], **values: str) -> None:
    for name, value in values.items():
        if len(value) > TEXT_MAX:
            errors[name] = [f"Enter {TEXT_MAX} characters or fewer"]


# --- The policy -----------------------------------------------------------------------------


def policy_in_force(today: datetime.date) -> PriorityPolicy | None:
    """The version in force on the date: the latest in force by then."""
    return (
        PriorityPolicy.objects.filter(in_force_from__lte=today)
        .order_by("-in_force_from", "-loaded_at", "-id")
        .first()
    )


def policy_document(policy: PriorityPolicy) -> PriorityPolicyDocument:
    return PriorityPolicyDocument.model_validate(policy.document)


@transaction.atomic
def priority_policy_load(
    *,
    text: str,
    signed_off_by: str,
    signed_off_on: datetime.date | None,
    signed_off_role: str = "Safeguarding partners",
    actor: User | None = None,
) -> PriorityPolicy:
    """Check the whole file, then load it with its sign-off, or refuse it as a whole
    (R-HOU-1: partnership policy, versioned and signed off)."""
    document, raw, problems = policy_check(apps.get_model, text)
    if not signed_off_by.strip():
        problems.append("Enter who signed off the policy")
    if not signed_off_role.strip():
        problems.append("Enter the role of whoever signed it off")
    if signed_off_on is None:
        problems.append("Enter the date the policy was signed off")
    elif signed_off_on > timezone.localdate():
        problems.append("The sign-off date must be today or in the past")
    if problems or document is None:
        raise PolicyRefused(problems)
    assert signed_off_on is not None
    policy: PriorityPolicy = policy_write(
        apps.get_model,
        document=document,
        raw=raw,
        signed_off_by=signed_off_by,
        signed_off_role=signed_off_role,
        signed_off_on=signed_off_on,
    )
    audit_record(
        actor=actor,
        action="housing_priority_policy.load",
        obj=policy,
        summary=f"{policy.partnership} {policy.version}, signed off by {policy.signed_off_by}",
    )
    return policy


# --- The household and the priority decision ----------------------------------------------


def household(family: Family, applicant: Person) -> list[rules.Member]:
    """The applicant as the parent, and the family's children and unborn babies."""
    members = [rules.Member(applicant.display_name, True, applicant.date_of_birth)]
    for fm in FamilyMember.objects.filter(family=family, left_on__isnull=True).select_related(
        "person"
    ):
        p = fm.person
        if p.pk == applicant.pk or fm.relationship in PARENT_RELATIONSHIPS:
            continue
        if fm.relationship in {Relationship.CHILD, Relationship.UNBORN_BABY, Relationship.SIBLING}:
            members.append(
                rules.Member(
                    p.display_name,
                    False,
                    p.date_of_birth,
                    is_unborn=p.is_unborn,
                    expected_on=p.expected_date_of_delivery,
                )
            )
    return members


def _decide(case: HousingCase, policy: PriorityPolicy, on: datetime.date) -> rules.PriorityDecision:
    return rules.young_parent_priority(
        members=household(case.family, case.person),
        pregnant=case.pregnant,
        vulnerabilities=list(case.vulnerabilities),
        policy=policy_document(policy),
        on=on,
        care_leaver=case.care_leaver,
        relevant_child_or_owed_s20=case.relevant_child_or_owed_s20,
    )


def _apply(
    case: HousingCase, policy: PriorityPolicy, decision: rules.PriorityDecision, on: datetime.date
) -> None:
    case.policy = policy
    case.young_parent_priority = decision.young_parent_priority
    case.in_area_required = decision.in_area_required
    case.priority_needs = list(decision.priority_needs)
    case.priority_explanation = decision.explanation
    case.priority_decided_on = on


def _vulnerability_category(
    document: PriorityPolicyDocument, codes: Sequence[str]
) -> InformationCategory | None:
    """The information category of the first need-to-know vulnerability, in policy order."""
    for v in document.vulnerabilities:
        if v.code in codes and v.category:
            return InformationCategory.objects.filter(code=v.category).first()
    return None


def case_url(case: HousingCase) -> str:
    return reverse("housing:family", kwargs={"family_pk": case.family_id}) + f"#case-{case.pk}"


@transaction.atomic
def housing_case_open(
    *,
    actor: User,
    family: Family,
    person_id: int | None,
    kind: str,
    reference: str = "",
    homeless: bool = False,
    pregnant: bool = False,
    vulnerabilities: Sequence[str] = (),
    relevant_child_or_owed_s20: bool = False,
    children_act_referral_on: datetime.date | None = None,
    care_leaver: bool = False,
    local_offer: str = "",
    corporate_parenting: str = "",
    today: datetime.date | None = None,
) -> HousingCase:
    """Open a housing case for a young parent in the family and decide the young-parent
    priority under the policy in force, explained (R-HOU-1, R-HOU-5). A homeless 16/17-year-
    old is referred for a Children Act assessment first (R-HOU-6); a care leaver's local offer
    and the corporate parenting principles are recorded (R-CL-3, R-CL-5)."""
    family = _require_family(actor, family)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    member = (
        FamilyMember.objects.filter(family=family, person_id=person_id, left_on__isnull=True)
        .select_related("person")
        .first()
        if person_id
        else None
    )
    if member is None or (member.person.age_on(today) or 0) < rules.MIN_APPLICANT_AGE:
        errors["person"] = ["Select the parent the case is for (aged 16 or over)"]
    if kind not in CaseKind.values:
        errors["kind"] = ["Select the kind of case"]
    policy = policy_in_force(today)
    if policy is None:
        errors["__all__"] = [
            "No young-parent priority policy is in force: ask for one to be loaded"
        ]
    else:
        document = policy_document(policy)
        unknown = [c for c in vulnerabilities if document.vulnerability(c) is None]
        if unknown:
            errors["vulnerabilities"] = ["Select vulnerabilities from the list"]
    errors.update(
        rules.care_leaver_problems(
            care_leaver=care_leaver,
            local_offer=local_offer,
            corporate_parenting=corporate_parenting,
        )
    )
    if "person" not in errors and member is not None:
        age = member.person.age_on(today)
        if rules.children_act_assessment_first(age=age, homeless=homeless) and (
            children_act_referral_on is None
        ):
            errors["children_act_referral_on"] = [
                f"{member.person.display_name} is {age} and homeless: refer them for a "
                "Children Act assessment (section 17 or 20) first and enter the date of the "
                "referral (R-HOU-6)"
            ]
        if HousingCase.objects.filter(
            family=family, person=member.person, closed_on__isnull=True
        ).exists():
            errors["person"] = [f"{member.person.display_name} already has an open housing case"]
    if children_act_referral_on is not None and children_act_referral_on > today:
        errors["children_act_referral_on"] = ["The referral date must be today or in the past"]
    _text(
        errors,
        reference=reference,
        local_offer=local_offer,
        corporate_parenting=corporate_parenting,
    )
    if len(reference) > 50:
        errors["reference"] = ["Enter a reference of 50 characters or fewer"]
    if errors:
        raise ValidationProblem(errors)
    assert member is not None and policy is not None
    document = policy_document(policy)
    ordered = [v.code for v in document.vulnerabilities if v.code in set(vulnerabilities)]
    case = HousingCase(
        family=family,
        person=member.person,
        kind=kind,
        reference=reference.strip(),
        housing_officer=actor,
        source_organisation=_organisation(actor),
        opened_on=today,
        homeless=homeless,
        pregnant=pregnant,
        vulnerabilities=ordered,
        category=_vulnerability_category(document, ordered),
        relevant_child_or_owed_s20=relevant_child_or_owed_s20,
        children_act_referral_on=children_act_referral_on,
        care_leaver=care_leaver,
        local_offer=local_offer.strip(),
        corporate_parenting=corporate_parenting.strip(),
    )
    decision = _decide(case, policy, today)
    _apply(case, policy, decision, today)
    case.save()
    audit_record(
        actor=actor,
        action="housing_case.open",
        obj=case,
        summary=f"Family {family.pk}: {case.get_kind_display()}; {decision.explanation[:300]}",
        changes={
            "young_parent_priority": decision.young_parent_priority,
            "policy_version": policy.version,
        },
    )
    chronology_record(
        actor=actor,
        family=family,
        person=member.person,
        occurred_on=today,
        kind=EntryKind.DECISION,
        summary=(
            f"Housing: {case.get_kind_display().lower()} opened; "
            + (
                "young-parent priority, to be housed in the area"
                if decision.in_area_required
                else "young-parent priority"
                if decision.young_parent_priority
                else "no young-parent priority"
            )
        ),
        source=case,
        source_organisation=case.source_organisation,
    )
    return case


def _case_locked(actor: User, case: HousingCase, version: int | None) -> HousingCase:
    _require_family(actor, case.family)
    locked = (
        HousingCase.objects.select_for_update(of=("self",))
        .select_related("family", "person")
        .get(pk=case.pk)
    )
    if version is not None and version != locked.version:
        raise EditConflict
    return locked


@transaction.atomic
def housing_case_priority_review(
    *,
    actor: User,
    case: HousingCase,
    version: int | None = None,
    today: datetime.date | None = None,
) -> HousingCase:
    """Decide the priority again on today's household under the policy in force: a baby
    born during the case, a parent turning 20, a new policy version (R-HOU-1)."""
    case = _case_locked(actor, case, version)
    today = today or timezone.localdate()
    policy = policy_in_force(today)
    if policy is None:
        raise ValidationProblem({"__all__": ["No young-parent priority policy is in force"]})
    before = case.young_parent_priority
    decision = _decide(case, policy, today)
    _apply(case, policy, decision, today)
    case.version += 1
    case.save()
    audit_record(
        actor=actor,
        action="housing_case.priority_review",
        obj=case,
        summary=decision.explanation[:500],
        changes={"young_parent_priority": [before, decision.young_parent_priority]},
    )
    if before != decision.young_parent_priority:
        chronology_record(
            actor=actor,
            family=case.family,
            person=case.person,
            occurred_on=today,
            kind=EntryKind.DECISION,
            summary="Housing: young-parent priority "
            + ("now applies" if decision.young_parent_priority else "no longer applies"),
            source=case,
            source_organisation=case.source_organisation,
        )
    return case


@transaction.atomic
def child_impact_record(
    *,
    actor: User,
    case: HousingCase,
    sleeping_space: str,
    child_risk: str,
    tenancy_risk: str,
    overcrowding: str = "",
    distance_from_support: str = "",
    isolation: str = "",
    tenancy_notes: str = "",
    today: datetime.date | None = None,
) -> ChildImpactAssessment:
    """R-HOU-8: the risk to the child (sleeping space and cot, overcrowding, distance from the
    support the family uses, isolation), recorded separately from the tenancy risk."""
    case = _case_locked(actor, case, None)
    errors = rules.risk_problems(
        child_risk=child_risk, tenancy_risk=tenancy_risk, sleeping_space=sleeping_space
    )
    _text(
        errors,
        sleeping_space=sleeping_space,
        overcrowding=overcrowding,
        distance_from_support=distance_from_support,
        isolation=isolation,
        tenancy_notes=tenancy_notes,
    )
    if errors:
        raise ValidationProblem(errors)
    impact = ChildImpactAssessment.objects.create(
        case=case,
        sleeping_space=sleeping_space.strip(),
        overcrowding=overcrowding.strip(),
        distance_from_support=distance_from_support.strip(),
        isolation=isolation.strip(),
        child_risk=child_risk,
        tenancy_risk=tenancy_risk,
        tenancy_notes=tenancy_notes.strip(),
        recorded_by=actor,
        recorded_on=today or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="housing_child_impact.record",
        obj=impact,
        summary=f"Case {case.pk}: risk to the child {child_risk}, to the tenancy {tenancy_risk}",
    )
    return impact


# --- Placements -----------------------------------------------------------------------------


@transaction.atomic
def placement_record(
    *,
    actor: User,
    case: HousingCase,
    line_1: str,
    town: str,
    local_authority: str,
    placement_type: str,
    start_on: datetime.date | None,
    line_2: str = "",
    postcode: str = "",
    end_on: datetime.date | None = None,
    no_alternative_reason: str = "",
    trustee: str = "",
    part7_function: str = "s188",
    today: datetime.date | None = None,
) -> Placement:
    """Record where the household is placed (R-HOU-1 to R-HOU-7).

    In the area (or for a household without the in-area requirement) it takes effect at
    once. Out of the area for a household that must be housed in the area it waits: it
    goes ahead only once the suitability assessment is recorded and a senior housing manager
    approves it (``placement_approve``, R-HOU-2).
    """
    case = _case_locked(actor, case, None)
    today = today or timezone.localdate()
    tenant = case.person
    applicant_age = tenant.age_on(start_on or today)
    has_children = any(
        not m.is_parent and not m.is_unborn for m in household(case.family, case.person)
    )
    expecting = case.pregnant or any(m.is_unborn for m in household(case.family, case.person))
    errors = rules.placement_problems(
        line_1=line_1,
        town=town,
        local_authority=local_authority,
        placement_type=placement_type,
        start_on=start_on,
        end_on=end_on,
        applicant_age=applicant_age,
        pregnant=expecting,
        has_children=has_children,
        no_alternative_reason=no_alternative_reason,
        tenant_age=applicant_age,
        trustee=trustee,
    )
    if postcode.strip() and not postcode_is_valid(postcode):
        errors["postcode"] = ["Enter a full UK postcode, like LS1 4AP"]
    for name, value, limit in (
        ("line_1", line_1, 200),
        ("line_2", line_2, 200),
        ("town", town, 100),
        ("local_authority", local_authority, 100),
        ("trustee", trustee, 200),
    ):
        if len(value) > limit:
            errors[name] = [f"Enter {limit} characters or fewer"]
    _text(errors, no_alternative_reason=no_alternative_reason)
    home = policy_document(case.policy).home_authorities
    inside = rules.in_area(local_authority, home)
    if not inside and part7_function not in PART7_FUNCTIONS:
        errors["part7_function"] = ["Select the Part 7 function the placement is made under"]
    if errors:
        raise ValidationProblem(errors)
    assert start_on is not None
    needs = rules.needs_suitability_and_approval(
        in_area_required=case.in_area_required, placement_in_area=inside
    )
    bnb_limit = None
    if placement_type == rules.PlacementType.BED_AND_BREAKFAST and rules.bed_and_breakfast_applies(
        pregnant=expecting, has_children=has_children
    ):
        bnb_limit = rules.bed_and_breakfast_countdown(start_on, today).limit_on
    under_18 = placement_type in rules.TENANCY_TYPES and rules.under_18_tenant(applicant_age)
    placement = Placement.objects.create(
        case=case,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode.strip().upper(),
        local_authority=" ".join(local_authority.split()),
        in_area=inside,
        placement_type=placement_type,
        start_on=start_on,
        end_on=end_on,
        status=PlacementStatus.AWAITING_APPROVAL if needs else PlacementStatus.CONFIRMED,
        needs_approval=needs,
        no_alternative_reason=no_alternative_reason.strip(),
        part7_function="" if inside else part7_function,
        bed_and_breakfast_limit_on=bnb_limit,
        tenant=tenant if placement_type in rules.TENANCY_TYPES else None,
        under_18_tenant=under_18,
        trustee=trustee.strip(),
        tenancy_review_on=(
            rules.tenancy_review_on(tenant.date_of_birth)
            if under_18 and tenant.date_of_birth
            else None
        ),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="housing_placement.record",
        obj=placement,
        summary=(
            f"Case {case.pk}: {placement.get_placement_type_display()} in "
            f"{placement.local_authority} ({'in' if inside else 'out of'} the area) from "
            f"{start_on:%d %B %Y}" + ("; waiting for suitability and approval" if needs else "")
        ),
        changes={"in_area": inside, "needs_approval": needs, "part7_function": part7_function},
    )
    if not needs:
        _take_effect(actor, placement, today)
    return placement


def _take_effect(actor: User, placement: Placement, today: datetime.date) -> None:
    """A confirmed placement: the previous one ends, the move goes on the chronology and is a
    disruption of routine (R-SS-1); out of the area, the s208 notice is due in 14 days and
    the team around the family and the health visitor are told (R-HOU-3)."""
    case = placement.case
    family = case.family
    Placement.objects.filter(pk=placement.pk).update(
        status=PlacementStatus.CONFIRMED, confirmed_on=today
    )
    placement.status = PlacementStatus.CONFIRMED
    placement.confirmed_on = today
    for earlier in Placement.objects.filter(
        case=case, status=PlacementStatus.CONFIRMED, end_on__isnull=True
    ).exclude(pk=placement.pk):
        earlier.end_on = max(earlier.start_on, placement.start_on - datetime.timedelta(days=1))
        earlier.status = PlacementStatus.ENDED
        earlier.save(update_fields=["end_on", "status"])
    where = f"{placement.local_authority} ({placement.get_placement_type_display().lower()})"
    chronology_record(
        actor=actor,
        family=family,
        person=case.person,
        occurred_on=min(placement.start_on, today),
        kind=EntryKind.PLACEMENT if not placement.in_area else EntryKind.MOVE,
        summary=(
            f"Housing: placed out of the area in {where} from {placement.start_on:%d %B %Y}"
            if not placement.in_area
            else f"Housing: moved to {where} from {placement.start_on:%d %B %Y}"
        ),
        source=placement,
        source_organisation=case.source_organisation,
    )
    disruption_record(
        actor=actor,
        family=family,
        kind=(
            safersleep_rules.DisruptionKind.OUT_OF_AREA_PLACEMENT
            if not placement.in_area
            else safersleep_rules.DisruptionKind.HOUSE_MOVE
        ),
        occurred_on=placement.start_on,
        details=f"Housing placement in {placement.local_authority}",
        person=case.person,
        today=max(today, placement.start_on),
    )
    if not placement.in_area:
        notice = ReceivingAuthorityNotice.objects.create(
            placement=placement,
            receiving_authority=placement.local_authority,
            part7_function=PART7_FUNCTIONS.get(placement.part7_function, PART7_FUNCTIONS["s188"]),
            due_on=rules.notice_due_on(placement.start_on),
        )
        audit_record(
            actor=actor,
            action="housing_notice.create",
            obj=notice,
            summary=f"s208 notice to {notice.receiving_authority} due {notice.due_on:%d %B %Y}",
        )
        if case.young_parent_priority:
            _alert_out_of_area(placement, notice, today)


def out_of_area_recipients(family: Family, today: datetime.date) -> list[User]:
    """The team around the family and the family's health visitor(s) (R-HOU-3)."""
    team = [
        m.practitioner
        for m in TeamAroundFamilyMember.objects.filter(
            family=family, left_on__isnull=True, practitioner__is_active=True
        ).select_related("practitioner")
    ]
    return team + health_visitors(family, today=today)


def _alert_out_of_area(
    placement: Placement, notice: ReceivingAuthorityNotice, today: datetime.date
) -> list[Alert]:
    family = placement.case.family
    return alert_raise(
        recipients=out_of_area_recipients(family, today),
        kind=OUT_OF_AREA_ALERT,
        title=f"Placed out of the area: {family.name}",
        body=(
            f"A young-parent priority household was placed in {placement.local_authority} "
            f"from {placement.start_on:%d %B %Y}, with a senior housing manager's approval. "
            f"The notice to {notice.receiving_authority} is due by {notice.due_on:%d %B %Y}; "
            "the family's support is being handed over to services there."
        ),
        url=reverse("housing:family", kwargs={"family_pk": family.pk}),
        dedupe_key=f"housing:out_of_area:{placement.pk}",
    )


def _placement_locked(actor: User, placement: Placement, version: int | None) -> Placement:
    _require_family(actor, placement.case.family)
    locked = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("case", "case__family", "case__person", "case__policy")
        .get(pk=placement.pk)
    )
    if version is not None and version != locked.version:
        raise EditConflict
    return locked


@transaction.atomic
def suitability_record(
    *,
    actor: User,
    placement: Placement,
    factors: dict[str, str],
    why_nothing_nearer: str,
    today: datetime.date | None = None,
) -> SuitabilityAssessment:
    """R-HOU-2: the 2012 Order's location factors for an out-of-area offer, and why nothing
    nearer was available (a general shortage is not enough). Recorded again until approval."""
    placement = _placement_locked(actor, placement, None)
    errors: dict[str, list[str]] = {}
    if placement.in_area:
        errors["__all__"] = ["This placement is in the area: no suitability assessment is needed"]
    elif placement.status != PlacementStatus.AWAITING_APPROVAL:
        errors["__all__"] = ["This placement has already been decided"]
    errors.update(
        rules.suitability_problems(factors=factors, why_nothing_nearer=why_nothing_nearer)
    )
    _text(errors, why_nothing_nearer=why_nothing_nearer, **factors)
    if errors:
        raise ValidationProblem(errors)
    values = {code: factors[code].strip() for code in rules.LOCATION_FACTORS}
    assessment, _ = SuitabilityAssessment.objects.update_or_create(
        placement=placement,
        defaults={
            **values,
            "why_nothing_nearer": why_nothing_nearer.strip(),
            "assessed_by": actor,
            "assessed_on": today or timezone.localdate(),
        },
    )
    Placement.objects.filter(pk=placement.pk).update(version=placement.version + 1)
    audit_record(
        actor=actor,
        action="housing_suitability.record",
        obj=assessment,
        summary=f"Placement {placement.pk} in {placement.local_authority}",
    )
    return assessment


@transaction.atomic
def placement_approve(
    *,
    actor: User,
    placement: Placement,
    note: str,
    version: int | None = None,
    today: datetime.date | None = None,
) -> Placement:
    """A senior housing manager approves an out-of-area placement of a household that must
    be housed in the area, once its suitability is recorded (R-HOU-2); it then takes effect:
    the notice, the alerts and the safer-sleep reassessment (R-HOU-3, R-SS-1)."""
    placement = _placement_locked(actor, placement, version)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not is_senior_housing_manager(actor):
        errors["__all__"] = ["Only a senior housing manager can approve an out-of-area placement"]
    elif placement.status != PlacementStatus.AWAITING_APPROVAL:
        errors["__all__"] = ["This placement is not waiting for approval"]
    else:
        errors.update(
            rules.confirmation_problems(
                needs_approval=True,
                has_suitability=SuitabilityAssessment.objects.filter(placement=placement).exists(),
                approved=True,
            )
        )
    if not note.strip():
        errors["note"] = ["Say why you approve the placement outside the area"]
    _text(errors, note=note)
    if errors:
        raise ValidationProblem(errors)
    placement.approved_by = actor
    placement.approved_at = timezone.now()
    placement.approval_note = note.strip()
    placement.version += 1
    placement.status = PlacementStatus.CONFIRMED
    placement.save(
        update_fields=["approved_by", "approved_at", "approval_note", "version", "status"]
    )
    audit_record(
        actor=actor,
        action="housing_placement.approve",
        obj=placement,
        summary=f"Out-of-area placement in {placement.local_authority} approved",
    )
    _take_effect(actor, placement, today)
    return placement


@transaction.atomic
def placement_end(
    *,
    actor: User,
    placement: Placement,
    end_on: datetime.date | None,
    version: int | None = None,
    today: datetime.date | None = None,
) -> Placement:
    """The household leaves the placement (ends a bed-and-breakfast countdown, R-HOU-4)."""
    placement = _placement_locked(actor, placement, version)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if placement.status != PlacementStatus.CONFIRMED or (
        placement.end_on is not None and placement.end_on <= today
    ):
        errors["__all__"] = ["This placement is not current"]
    if end_on is None:
        errors["end_on"] = ["Enter the date the placement ends"]
    elif end_on < placement.start_on:
        errors["end_on"] = ["The end date must be the same as or after the start date"]
    if errors:
        raise ValidationProblem(errors)
    assert end_on is not None
    placement.end_on = end_on
    placement.status = PlacementStatus.ENDED if end_on <= today else placement.status
    placement.version += 1
    placement.save(update_fields=["end_on", "status", "version"])
    audit_record(
        actor=actor,
        action="housing_placement.end",
        obj=placement,
        summary=f"Placement {placement.pk} ends {end_on:%d %B %Y}",
    )
    return placement


@transaction.atomic
def notice_sent_record(
    *,
    actor: User,
    notice: ReceivingAuthorityNotice,
    sent_on: datetime.date | None,
    today: datetime.date | None = None,
) -> ReceivingAuthorityNotice:
    """R-HOU-3: the date the written notice was sent (the deadline stays on record)."""
    _require_family(actor, notice.placement.case.family)
    notice = ReceivingAuthorityNotice.objects.select_for_update().get(pk=notice.pk)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if notice.sent_on is not None:
        errors["__all__"] = ["The notice has already been recorded as sent"]
    if sent_on is None:
        errors["sent_on"] = ["Enter the date the notice was sent"]
    elif sent_on > today:
        errors["sent_on"] = ["The date sent must be today or in the past"]
    if errors:
        raise ValidationProblem(errors)
    assert sent_on is not None
    notice.sent_on = sent_on
    notice.sent_by = actor
    notice.save(update_fields=["sent_on", "sent_by"])
    late = sent_on > notice.due_on
    audit_record(
        actor=actor,
        action="housing_notice.sent",
        obj=notice,
        summary=f"Sent to {notice.receiving_authority} on {sent_on:%d %B %Y}"
        + (" (late)" if late else ""),
    )
    return notice


@transaction.atomic
def support_handover_record(
    *,
    actor: User,
    placement: Placement,
    service: str,
    receiving_team: str,
    handed_over_on: datetime.date | None,
    contact: str = "",
    notes: str = "",
    today: datetime.date | None = None,
) -> SupportHandover:
    """R-HOU-3 (D): hand the family's support to the receiving area's health visiting,
    Family Nurse Partnership or children's services; on the chronology, for the team."""
    placement = _placement_locked(actor, placement, None)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if placement.in_area:
        errors["__all__"] = ["Hand-overs are for placements outside the area"]
    elif placement.status == PlacementStatus.AWAITING_APPROVAL:
        errors["__all__"] = ["The placement has not been approved yet"]
    if service not in HandoverService.values:
        errors["service"] = ["Select the service the support is handed to"]
    if not receiving_team.strip():
        errors["receiving_team"] = ["Enter the receiving team"]
    if handed_over_on is None:
        errors["handed_over_on"] = ["Enter the date of the hand-over"]
    elif handed_over_on > today:
        errors["handed_over_on"] = ["The hand-over date must be today or in the past"]
    for name, value in (("receiving_team", receiving_team), ("contact", contact)):
        if len(value) > 200:
            errors[name] = ["Enter 200 characters or fewer"]
    _text(errors, notes=notes)
    if errors:
        raise ValidationProblem(errors)
    assert handed_over_on is not None
    handover = SupportHandover.objects.create(
        placement=placement,
        service=service,
        receiving_team=receiving_team.strip(),
        contact=contact.strip(),
        handed_over_on=handed_over_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="housing_handover.record",
        obj=handover,
        summary=f"Placement {placement.pk}: {handover}",
    )
    chronology_record(
        actor=actor,
        family=placement.case.family,
        occurred_on=handed_over_on,
        kind=EntryKind.SHARE,
        summary=f"Housing: support handed over to {handover.get_service_display().lower()}, "
        f"{handover.receiving_team}",
        source=handover,
        source_organisation=placement.case.source_organisation,
    )
    return handover


@transaction.atomic
def duty_to_refer_record(
    *,
    actor: User,
    family: Family,
    person_id: int | None,
    consent: bool,
    chosen_authority: str,
    homeless_now: bool,
    referred_on: datetime.date | None,
    homeless_on: datetime.date | None = None,
    notes: str = "",
    today: datetime.date | None = None,
) -> DutyToRefer:
    """R-HOU-9: a duty-to-refer referral (s213B) by any agency working with the family, with
    the person's consent, to the housing authority they chose. Not an application."""
    family = _require_family(actor, family, housing=False)
    today = today or timezone.localdate()
    organisation = next((m.team.organisation for m in actor.active_memberships()), None)
    if organisation is None:
        raise NotFoundOrForbidden
    errors = rules.duty_to_refer_problems(
        consent=consent,
        chosen_authority=chosen_authority,
        homeless_now=homeless_now,
        homeless_on=homeless_on,
        referred_on=referred_on,
        today=today,
    )
    member = (
        FamilyMember.objects.filter(family=family, person_id=person_id, left_on__isnull=True)
        .select_related("person")
        .first()
        if person_id
        else None
    )
    if member is None or (member.person.age_on(today) or 0) < rules.MIN_APPLICANT_AGE:
        errors["person"] = [
            "Select who is homeless or threatened with homelessness (aged 16 or over)"
        ]
    if len(chosen_authority) > 100:
        errors["chosen_authority"] = ["Enter 100 characters or fewer"]
    _text(errors, notes=notes)
    if errors:
        raise ValidationProblem(errors)
    assert member is not None and referred_on is not None
    referral = DutyToRefer.objects.create(
        family=family,
        person=member.person,
        referring_organisation=organisation,
        consent=True,
        chosen_authority=" ".join(chosen_authority.split()),
        homeless_now=homeless_now,
        homeless_on=None if homeless_now else homeless_on,
        referred_on=referred_on,
        notes=notes.strip(),
        referred_by=actor,
    )
    audit_record(
        actor=actor,
        action="housing_duty_to_refer.record",
        obj=referral,
        summary=f"Family {family.pk}: referred to {referral.chosen_authority} with consent",
    )
    chronology_record(
        actor=actor,
        family=family,
        person=member.person,
        occurred_on=referred_on,
        kind=EntryKind.SHARE,
        summary=f"Duty to refer: referred to {referral.chosen_authority} housing with consent",
        source=referral,
        source_organisation=organisation,
    )
    return referral


def bed_and_breakfast_escalate(*, today: datetime.date | None = None) -> list[Alert]:
    """R-HOU-4: alert the housing officer (and the agency's team managers) of every bed and
    breakfast stay of a pregnant household or one with children in its last week or past the
    6 weeks. Idempotent per placement and day band (no repeats)."""
    today = today or timezone.localdate()
    alerts: list[Alert] = []
    for placement in Placement.objects.filter(
        status=PlacementStatus.CONFIRMED,
        bed_and_breakfast_limit_on__isnull=False,
        bed_and_breakfast_limit_on__lte=today
        + datetime.timedelta(days=rules.BED_AND_BREAKFAST_WARNING_DAYS),
    ).select_related("case", "case__family", "case__housing_officer"):
        if placement.end_on is not None and placement.end_on < today:
            continue
        assert placement.bed_and_breakfast_limit_on is not None
        countdown = rules.bed_and_breakfast_countdown(placement.start_on, today)
        managers = User.objects.filter(
            is_active=True,
            memberships__ended_on__isnull=True,
            memberships__role=Role.TEAM_MANAGER,
            memberships__team__organisation=placement.case.source_organisation,
        ).distinct()
        band = "over" if countdown.over_limit else "last-week"
        alerts += alert_raise(
            recipients=[placement.case.housing_officer, *managers],
            kind=BED_AND_BREAKFAST_ALERT,
            title=f"Bed and breakfast: {placement.case.family.name}",
            body=(
                f"The 6-week limit for bed and breakfast ends on "
                f"{placement.bed_and_breakfast_limit_on:%d %B %Y}"
                + (" and has passed." if countdown.over_limit else ".")
                + " Move the household to suitable accommodation (R-HOU-4)."
            ),
            url=reverse("housing:family", kwargs={"family_pk": placement.case.family_id}),
            dedupe_key=f"housing:bnb:{placement.pk}:{band}",
        )
    return alerts
