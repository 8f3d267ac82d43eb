"""A small hand-built cohort whose every figure is known in advance (issue 7 tests).

Today is 27 November 2026. Families (F = in November's cohort):

- F1 to F6: mother 17 or 18 with a baby born in 2026; the midwife (maya) works with them.
  F1 to F3 live in Wyvern, F4 to F6 in Elmshire.
- F7 "Leaving": mother turns 20 on 1 November 2026: in October's cohort, not November's.
  Lives in Elmshire.
- F8 "Older": mother 25: never in the cohort, though she has everything recorded.
- F9 "Turning two": mother 18, child turns 2 on 30 November: in November's cohort; no address,
  no agency.
- F10 "Entering": mother 17, baby due 10 September 2027 (pregnancy from 4 December 2026): not
  in November's cohort yet.

The partnership's own Ashworth family (Chloe 17, pregnant, due 1 March 2027; the midwife
works with them; no address) is in both months' cohort too.

November: cohort 8 (F1-F6, F9, Ashworth). October: cohort 9 (F1-F7, F9, Ashworth).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from conftest import Partnership, make_person
from earlyhelp.accounts.models import AgencyType, Organisation
from earlyhelp.alerts.models import RiskNotice
from earlyhelp.assessments.models import Assessment, AssessmentStatus
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.housing.models import (
    HousingCase,
    Placement,
    PriorityPolicy,
    ReceivingAuthorityNotice,
)
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.services import level_decision_record
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    Relationship,
    Sex,
)
from earlyhelp.plans.models import (
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    TeamAroundFamilyMember,
)
from earlyhelp.records.models import SubjectAccessRequest
from earlyhelp.reviews.models import ClosureOutcome, PlanClosure, PlanReview
from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)

D = datetime.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2026, 11, 27)
NOVEMBER = D(2026, 11, 1)
OCTOBER = D(2026, 10, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


@dataclass
class Cohort:
    p: Partnership
    families: dict[str, Family] = field(default_factory=dict)
    mothers: dict[str, Person] = field(default_factory=dict)
    babies: dict[str, Person] = field(default_factory=dict)
    health_visiting: Organisation | None = None


def _family(
    c: Cohort,
    name: str,
    mother_born: datetime.date,
    *,
    baby_born: datetime.date | None = None,
    due: datetime.date | None = None,
    area: str | None = None,
    midwife: bool = True,
) -> Family:
    family = Family.objects.create(name=f"{name} household")
    mother = make_person(name, "Insight", date_of_birth=mother_born, sex=Sex.FEMALE)
    FamilyMember.objects.create(family=family, person=mother, relationship=Relationship.MOTHER)
    if baby_born is not None:
        baby = make_person("Baby", name, date_of_birth=baby_born)
        relationship = Relationship.CHILD
    else:
        baby = make_person("", name, is_unborn=True, expected_date_of_delivery=due)
        relationship = Relationship.UNBORN_BABY
    FamilyMember.objects.create(family=family, person=baby, relationship=relationship)
    if area is not None:
        Address.objects.create(
            person=mother,
            line_1="1 High Street",
            town=area,
            postcode="WY1 1AA",
            local_authority=area,
            moved_in_on=D(2025, 1, 1),
        )
    if midwife:
        Involvement.objects.create(
            organisation=c.p.midwifery,
            practitioner=c.p.maya,
            family=family,
            service="Antenatal care",
            started_on=D(2026, 1, 1),
        )
    c.families[name] = family
    c.mothers[name] = mother
    c.babies[name] = baby
    return family


def _request(
    c: Cohort, name: str, received: datetime.date, decided: datetime.date | None
) -> RequestForSupport:
    p = c.p
    return RequestForSupport.objects.create(
        family=c.families[name],
        requested_by=p.maya,
        requesting_organisation=p.midwifery,
        concern="Needs support",
        family_knows="Knows and agrees",
        agreement="agrees",
        urgency="routine",
        sharing_basis_note="Agreed at the appointment",
        received_at=at(received),
        decision_due_on=received + datetime.timedelta(days=1),
        decided_at=at(decided) if decided else None,
        decided_by=p.fatima if decided else None,
        route="early_help" if decided else "",
        decision_reasons="Early help fits" if decided else "",
    )


def _assessment(c: Cohort, name: str, completed: datetime.date) -> None:
    Assessment.objects.create(
        family=c.families[name],
        status=AssessmentStatus.COMPLETED,
        agreed_by=c.mothers[name],
        agreed_on=D(2026, 9, 1),
        started_by=c.p.maya,
        started_at=at(D(2026, 9, 1)),
        completed_by=c.p.maya,
        completed_at=at(completed),
    )


def _safer_sleep(
    c: Cohort,
    name: str,
    assessed: datetime.date,
    *,
    contact: HealthVisitingContact | None = None,
    red_flag: bool = False,
) -> None:
    SaferSleepAssessment.objects.create(
        family=c.families[name],
        person=c.babies[name],
        contact="new_birth",
        health_visiting_contact=contact,
        assessed_on=assessed,
        bed_sharing=red_flag,
        red_flag=red_flag,
        red_flag_reasons=["Bed sharing"] if red_flag else [],
        action_plan="Cot delivered this week" if red_flag else "",
        source_organisation=c.p.midwifery,
        recorded_by=c.p.maya,
    )


def cohort_build(p: Partnership) -> Cohort:
    c = Cohort(p)
    for number, area in enumerate(["Wyvern"] * 3 + ["Elmshire"] * 3, start=1):
        _family(c, f"F{number}", D(2008, number, 10), baby_born=D(2026, 3, number), area=area)
    _family(c, "F7", D(2006, 11, 1), baby_born=D(2026, 1, 1), area="Elmshire")
    _family(c, "F8", D(2001, 6, 1), baby_born=D(2026, 2, 1), area="Wyvern")
    _family(c, "F9", D(2008, 7, 7), baby_born=D(2024, 11, 30), midwife=False)
    _family(c, "F10", D(2009, 8, 8), due=D(2027, 9, 10), area="Wyvern")

    # Requests for support received in November: F1-F5 decided next day (on time), F6 three
    # days late; F8 (not in the cohort) on time.
    for name in ["F1", "F2", "F3", "F4", "F5", "F8"]:
        _request(c, name, D(2026, 11, 2), D(2026, 11, 3))
    _request(c, "F6", D(2026, 11, 2), D(2026, 11, 6))

    # Early help assessments completed in November: F1-F5, and F8.
    for name in ["F1", "F2", "F3", "F4", "F5", "F8"]:
        _assessment(c, name, D(2026, 11, 10))

    # Level decisions: a first one for F1-F6 in November; F1 then steps up, F2 steps down
    # and F3 stays the same, all in November.
    for name in ["F1", "F2", "F3", "F4", "F5", "F6"]:
        level_decision_record(
            actor=p.maya,
            family=c.families[name],
            indicator_codes=["LON-PC-2-01"],
            decided_level_code="additional",
            rationale="Young parent asking for help",
        )
    LevelDecision.objects.filter(
        family__in=[c.families[n] for n in ["F1", "F2", "F3", "F4", "F5", "F6"]]
    ).update(decided_at=at(D(2026, 11, 5)))
    for name, direction in [("F1", "up"), ("F2", "down"), ("F3", "same")]:
        decision = level_decision_record(
            actor=p.maya,
            family=c.families[name],
            indicator_codes=["LON-PC-2-01"],
            decided_level_code="additional",
            rationale="Reviewed",
        )
        LevelDecision.objects.filter(pk=decision.pk).update(
            decided_at=at(D(2026, 11, 20)),
            direction=direction,
            handover="Handed over at the meeting",
            receiving_practitioner=p.maya,
        )

    # Lead professionals: F1 since October; F3's lead left on 15 October; F2's joins in
    # December.
    for name, joined, left in [
        ("F1", D(2026, 10, 1), None),
        ("F3", D(2026, 9, 1), D(2026, 10, 15)),
        ("F2", D(2026, 12, 1), None),
    ]:
        TeamAroundFamilyMember.objects.create(
            family=c.families[name],
            practitioner=p.maya,
            organisation=p.midwifery,
            is_lead_professional=True,
            joined_on=joined,
            left_on=left,
        )

    # Plans agreed in October for F1 and F2.
    for name in ["F1", "F2"]:
        Plan.objects.create(
            family=c.families[name],
            status=PlanStatus.AGREED,
            family_words="We want a settled home",
            agreed_at=at(D(2026, 10, 20)),
            agreed_by=p.maya,
            created_by=p.maya,
        )

    # New baby reviews completed in November for F1-F6 babies: F1-F4 with a linked
    # assessment, F5 assessed the same day without the link, F6 not assessed.
    c.health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    for name in ["F1", "F2", "F3", "F4", "F5", "F6"]:
        contact = HealthVisitingContact.objects.create(
            person=c.babies[name],
            kind="new_birth",
            due_from=D(2026, 11, 1),
            due_by=D(2026, 11, 20),
            completed_on=D(2026, 11, 12),
            completed_organisation=c.health_visiting,
        )
        if name in {"F1", "F2", "F3", "F4"}:
            _safer_sleep(c, name, D(2026, 11, 12), contact=contact)
        elif name == "F5":
            _safer_sleep(c, name, D(2026, 11, 12))

    # Red flags in November: F1 and F2 (each with its action plan).
    for name in ["F1", "F2"]:
        _safer_sleep(c, name, D(2026, 11, 14), red_flag=True)

    # Moves in November: reassessments due 20 November; F1 and F2 done in time, F3 late.
    for name, done in [("F1", D(2026, 11, 18)), ("F2", D(2026, 11, 20)), ("F3", D(2026, 11, 25))]:
        disruption = DisruptionOfRoutine.objects.create(
            family=c.families[name],
            kind="house_move",
            occurred_on=D(2026, 11, 13),
            source_organisation=p.midwifery,
            recorded_by=p.maya,
        )
        ReassessmentTask.objects.create(
            disruption=disruption,
            family=c.families[name],
            person=c.babies[name],
            due_on=D(2026, 11, 20),
            done_at=at(done),
        )
    return c


def reviews_build(c: Cohort) -> None:
    """Reviews and closures on top of cohort_build (R-EHA-3, R-EHA-4, R-SF-2).

    Reviews due in November: F1's plan was due a review on 10 November and had none (late);
    F2's review of 25 October set the next for 15 November, held on 14 November (on time).
    Closures in April 2026, more than six months ago: F5 with every R-SF-2 condition met
    (successful), F4 without a signed-off assessment (not successful).
    """
    p = c.p
    Plan.objects.filter(family=c.families["F1"]).update(review_on=D(2026, 11, 10))
    f2_plan = Plan.objects.get(family=c.families["F2"])
    for held, next_on in [(D(2026, 10, 25), D(2026, 11, 15)), (D(2026, 11, 14), D(2026, 12, 14))]:
        PlanReview.objects.create(
            plan=f2_plan,
            held_on=held,
            family_view="Going well",
            decision="continue",
            next_review_on=next_on,
            recorded_by=p.maya,
        )
    Plan.objects.filter(pk=f2_plan.pk).update(review_on=D(2026, 12, 14))

    Assessment.objects.filter(family=c.families["F5"]).update(
        status=AssessmentStatus.SIGNED_OFF, signed_off_by=p.maya, signed_off_at=at(D(2026, 11, 10))
    )
    for name in ["F4", "F5"]:
        family = c.families[name]
        plan = Plan.objects.create(
            family=family,
            status=PlanStatus.CLOSED,
            family_words="Settled and well",
            agreed_at=at(D(2026, 1, 10)),
            agreed_by=p.maya,
            created_by=p.maya,
        )
        member = TeamAroundFamilyMember.objects.create(
            family=family,
            practitioner=p.maya,
            organisation=p.midwifery,
            joined_on=D(2026, 1, 10),
            left_on=D(2026, 4, 20),
        )
        LeadProfessionalHandover.objects.create(
            family=family, to_member=member, family_view="Happy with Maya", recorded_by=p.maya
        )
        needs = [
            PlanOutcome.objects.create(plan=plan, headline=headline, description=headline)
            for headline in ("housing", "health", "early_years")
        ]
        for need in needs:
            PlanAction.objects.create(
                plan=plan,
                outcome=need,
                description="Do it",
                owner_is_family=True,
                due_on=D(2026, 3, 1),
                status="done",
                created_by=p.maya,
            )
        review = PlanReview.objects.create(
            plan=plan,
            held_on=D(2026, 4, 20),
            family_view="We are settled",
            decision="close",
            recorded_by=p.maya,
        )
        closure = PlanClosure.objects.create(
            plan=plan,
            review=review,
            reason="outcomes_met",
            closed_on=D(2026, 4, 20),
            recorded_by=p.maya,
        )
        for need in needs:
            ClosureOutcome.objects.create(closure=closure, outcome=need, result="achieved")


def risks_build(c: Cohort) -> None:
    """Risk notices recorded at 09:00 on 16 November (R-IS-7): the team notified after 1, 2,
    3, 4, 5 and 30 hours (F1-F6), acknowledged after 2, 4, 6, 8 and 10 hours (F1-F5; F6's
    team has not yet). F8's (not in the cohort) took 100 hours."""
    p = c.p
    recorded = datetime.datetime(2026, 11, 16, 9, tzinfo=LONDON)
    hour = datetime.timedelta(hours=1)
    rows = [
        ("F1", 1, 2),
        ("F2", 2, 4),
        ("F3", 3, 6),
        ("F4", 4, 8),
        ("F5", 5, 10),
        ("F6", 30, None),
        ("F8", 100, 100),
    ]
    for name, notified, acknowledged in rows:
        RiskNotice.objects.create(
            family=c.families[name],
            kind="safer_sleep_red_flag",
            source_organisation=p.midwifery,
            recorded_by=p.maya,
            recorded_at=recorded,
            all_notified_at=recorded + notified * hour,
            all_acknowledged_at=recorded + acknowledged * hour if acknowledged else None,
        )


def housing_build(c: Cohort) -> None:
    """Housing cases and placements (R-HOU-1, R-HOU-3, R-HOU-4, R-HOU-7).

    Placements starting 3 November, F1-F5 with the young-parent priority, F6 without: F1 and
    F5 in the area; F2, F3, F4 (waiting for approval) and F6 out of it. Notices due 17
    November: F2's sent on the 10th, F3's on the 20th, F4's not sent. Bed and breakfast: F5
    since 20 September (past six weeks from 1 November), F6 since 1 November. Under-18
    tenants: F1 with a trustee, F2 without.
    """
    p = c.p
    policy = PriorityPolicy.objects.create(
        partnership="Wyvern",
        version="1",
        title="Young parents' priority",
        in_force_from=D(2026, 1, 1),
        document={},
        document_sha256="0" * 64,
        signed_off_by="Head of Housing",
        signed_off_role="Head of Housing",
        signed_off_on=D(2026, 1, 1),
    )
    placements = [
        # name, in area, type, start, status, under 18, trustee, notice (due, sent)
        ("F1", True, "social_tenancy", D(2026, 11, 3), "confirmed", True, "Aunt May", None),
        ("F2", False, "temporary", D(2026, 11, 3), "confirmed", True, "", (D(2026, 11, 10),)),
        ("F3", False, "temporary", D(2026, 11, 3), "confirmed", False, "", (D(2026, 11, 20),)),
        ("F4", False, "temporary", D(2026, 11, 3), "awaiting_approval", False, "", (None,)),
        ("F5", True, "supported", D(2026, 11, 3), "confirmed", False, "", None),
        ("F5", True, "bed_and_breakfast", D(2026, 9, 20), "confirmed", False, "", None),
        ("F6", False, "bed_and_breakfast", D(2026, 11, 1), "confirmed", False, "", None),
    ]
    cases = {}
    for name in ["F1", "F2", "F3", "F4", "F5", "F6"]:
        cases[name] = HousingCase.objects.create(
            family=c.families[name],
            person=c.mothers[name],
            kind="homelessness",
            housing_officer=p.maya,
            source_organisation=p.council,
            opened_on=D(2026, 9, 1),
            homeless=True,
            policy=policy,
            young_parent_priority=name != "F6",
            priority_explanation="Parent under 20 with a baby",
            priority_decided_on=D(2026, 9, 1),
        )
    for name, in_area, kind, start, status, under_18, trustee, notice in placements:
        placement = Placement.objects.create(
            case=cases[name],
            line_1="2 Low Road",
            town="Elsewhere",
            local_authority="Wyvern" if in_area else "Faraway",
            in_area=in_area,
            placement_type=kind,
            start_on=start,
            status=status,
            under_18_tenant=under_18,
            trustee=trustee,
            recorded_by=p.maya,
        )
        if notice is not None:
            ReceivingAuthorityNotice.objects.create(
                placement=placement,
                receiving_authority="Faraway",
                part7_function="s193",
                due_on=D(2026, 11, 17),
                sent_on=notice[0],
            )


def access_requests_build(c: Cohort) -> None:
    """Subject access requests due 20 November (R-SAR-1): F1's mother answered on the 19th,
    F2's on the 21st (late), F3's not answered; F8's (not in the cohort) answered in time;
    F4's is due 20 December (not yet due)."""
    rows = [
        ("F1", D(2026, 11, 20), D(2026, 11, 19)),
        ("F2", D(2026, 11, 20), D(2026, 11, 21)),
        ("F3", D(2026, 11, 20), None),
        ("F8", D(2026, 11, 20), D(2026, 11, 2)),
        ("F4", D(2026, 12, 20), None),
    ]
    for name, due_on, sent_on in rows:
        mother = c.mothers[name]
        SubjectAccessRequest.objects.create(
            person=mother,
            person_id_ref=mother.pk,
            identified_by="name_and_date_of_birth",
            requester_name=mother.display_name,
            requester_relationship="self",
            received_via="letter",
            received_on=due_on - datetime.timedelta(days=30),
            due_on=due_on,
            recorded_by=c.p.maya,
            response_sent_on=sent_on,
            response_sent_by=c.p.maya if sent_on else None,
        )
