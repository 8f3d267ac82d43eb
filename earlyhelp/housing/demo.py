"""What the housing app adds to the fictional demo partnership (earlyhelp.core.demo).

A senior housing manager (a team manager in housing options, who approves out-of-area
placements) and three housing cases among the young parents housing already works with:
one placed out of the area with the approval, suitability and a notice due in a few days;
one in bed and breakfast with the 6 weeks nearly up; one under-18 tenant with a trustee.
Written straight to the tables, like the other apps' demo records: no alerts, no tasks.
"""

from __future__ import annotations

import datetime
import random

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import AgencyType, Membership, Organisation, Role, Team, User
from earlyhelp.accounts.totp import AUTHENTICATOR_APP_NAME
from earlyhelp.housing import rules
from earlyhelp.housing.loading import example_policy_seed
from earlyhelp.housing.models import (
    CaseKind,
    HousingCase,
    Placement,
    PlacementStatus,
    ReceivingAuthorityNotice,
    SuitabilityAssessment,
)
from earlyhelp.housing.services import PART7_FUNCTIONS, household, policy_document
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship

MANAGER_EMAIL = "housing.manager@housing.wyvern.example"


def _manager(homes: Organisation, own: random.Random) -> User:
    from earlyhelp.core.demo import DEMO_PASSWORD

    team = Team.objects.filter(organisation=homes).order_by("id").first() or Team.objects.create(
        organisation=homes, name="Housing options"
    )
    user = User.objects.create(
        email=MANAGER_EMAIL,
        full_name="Harriet Okafor",
        job_title="Senior housing options manager",
        password=make_password(DEMO_PASSWORD),
    )
    Membership.objects.create(user=user, team=team, role=Role.TEAM_MANAGER)
    TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_APP_NAME, confirmed=True, key=own.randbytes(20).hex()
    )
    return user


def _young_mothers(homes: Organisation, today: datetime.date) -> list[tuple[Family, Person]]:
    """Mothers under 20 whom housing works with (or whose family it works with)."""
    people = set(
        Involvement.objects.filter(organisation=homes, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    families = set(
        Involvement.objects.filter(organisation=homes, family__isnull=False).values_list(
            "family_id", flat=True
        )
    )
    found = []
    for m in (
        FamilyMember.objects.filter(relationship=Relationship.MOTHER, left_on__isnull=True)
        .select_related("family", "person")
        .order_by("family_id")
    ):
        age = m.person.age_on(today)
        if age is not None and age < 20 and (m.person_id in people or m.family_id in families):
            found.append((m.family, m.person))
    return found


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add the housing records. Deterministic; its own generator leaves ``rng`` unchanged."""
    own = random.Random(today.toordinal() + 6)
    homes = Organisation.objects.filter(agency_type=AgencyType.HOUSING).order_by("id").first()
    officer = (
        User.objects.filter(
            memberships__role=Role.HOUSING_OFFICER, memberships__team__organisation=homes
        )
        .order_by("id")
        .first()
    )
    if homes is None or officer is None:
        return
    policy = example_policy_seed(apps.get_model)
    document = policy_document(policy)
    manager = _manager(homes, own)
    mothers = _young_mothers(homes, today)
    adults = [(f, p) for f, p in mothers if (p.age_on(today) or 0) >= 18]
    minors = [(f, p) for f, p in mothers if (p.age_on(today) or 0) in (16, 17)]

    def case_for(family: Family, person: Person, vulnerabilities: list[str]) -> HousingCase:
        case = HousingCase(
            family=family,
            person=person,
            kind=CaseKind.HOMELESSNESS,
            reference=f"HO-{own.randint(10000, 99999)}",
            housing_officer=officer,
            source_organisation=homes,
            opened_on=today - datetime.timedelta(days=60),
            homeless=True,
            vulnerabilities=vulnerabilities,
            children_act_referral_on=(
                today - datetime.timedelta(days=70) if (person.age_on(today) or 0) < 18 else None
            ),
        )
        decision = rules.young_parent_priority(
            members=household(family, person),
            pregnant=False,
            vulnerabilities=vulnerabilities,
            policy=document,
            on=case.opened_on,
        )
        case.policy = policy
        case.young_parent_priority = decision.young_parent_priority
        case.in_area_required = decision.in_area_required
        case.priority_needs = list(decision.priority_needs)
        case.priority_explanation = decision.explanation
        case.priority_decided_on = case.opened_on
        case.save()
        return case

    def place(case: HousingCase, start_on: datetime.date, **fields: object) -> Placement:
        street = own.choice(["Canal Row", "Station Road", "Mill Lane"])
        return Placement.objects.create(
            case=case,
            line_1=f"{own.randint(1, 120)} {street}",
            town=str(fields.pop("town", "Wyvern")),
            local_authority=str(fields.pop("local_authority", "Wyvern City")),
            status=PlacementStatus.CONFIRMED,
            recorded_by=officer,
            start_on=start_on,
            confirmed_on=start_on,
            **fields,  # type: ignore[arg-type]
        )

    if adults:
        family, person = adults[0]
        case = case_for(family, person, ["no_family_support"])
        start = today - datetime.timedelta(days=9)
        placement = place(
            case,
            town="Marlbridge",
            local_authority="Marlshire",
            in_area=False,
            placement_type=rules.PlacementType.TEMPORARY,
            start_on=start,
            needs_approval=case.in_area_required,
            part7_function="s188",
            approved_by=manager,
            approved_at=timezone.now(),
            approval_note="No self-contained unit with space for a cot in the area this week",
        )
        SuitabilityAssessment.objects.create(
            placement=placement,
            distance_from_district="Marlbridge is 18 miles from Wyvern, 50 minutes by bus",
            disruption_to_work_care_education="Not working; college course paused",
            access_to_medical_and_support="Health visiting to hand over; GP registration there",
            local_services_and_transport="Children's centre and shops a short walk away",
            why_nothing_nearer="The two in-area units free were third-floor studios with no lift",
            assessed_by=officer,
            assessed_on=start,
        )
        ReceivingAuthorityNotice.objects.create(
            placement=placement,
            receiving_authority="Marlshire",
            part7_function=PART7_FUNCTIONS["s188"],
            due_on=rules.notice_due_on(start),
        )
    if len(adults) > 1:
        family, person = adults[1]
        case = case_for(family, person, ["domestic_abuse"])
        start = today - datetime.timedelta(days=38)
        place(
            case,
            in_area=True,
            placement_type=rules.PlacementType.BED_AND_BREAKFAST,
            start_on=start,
            no_alternative_reason="Fled at night; every self-contained unit in the area was full",
            bed_and_breakfast_limit_on=rules.bed_and_breakfast_countdown(start, today).limit_on,
        )
    if minors:
        family, person = minors[0]
        case = case_for(family, person, ["care_leaver"])
        case.care_leaver = True
        case.local_offer = "Wyvern care leavers' local offer: setting-up-home allowance"
        case.corporate_parenting = "Kept near her personal adviser and her baby's health visitor"
        case.save(update_fields=["care_leaver", "local_offer", "corporate_parenting"])
        assert person.date_of_birth is not None
        place(
            case,
            in_area=True,
            placement_type=rules.PlacementType.SOCIAL_TENANCY,
            start_on=today - datetime.timedelta(days=20),
            tenant=person,
            under_18_tenant=True,
            trustee="Wyvern City Council (trustee until she is 18)",
            tenancy_review_on=rules.tenancy_review_on(person.date_of_birth),
        )
