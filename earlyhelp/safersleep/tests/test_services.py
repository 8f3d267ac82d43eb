"""Safer-sleep services, through the services (R-SS-1 to R-SS-5, R-HCP-1, R-HCP-2)."""

from __future__ import annotations

import datetime

import pytest

from conftest import make_person
from earlyhelp.alerts.models import Alert, RiskNotice
from earlyhelp.alerts.services import RISK_HELD_ELSEWHERE
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people.models import FamilyMember, Involvement, Relationship
from earlyhelp.people.services import person_record_birth
from earlyhelp.safersleep import selectors, services
from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.safersleep.rules import (
    RISK_FIELDS,
    AssessmentContact,
    ContactKind,
    DisruptionKind,
    SleepRisks,
)
from earlyhelp.safersleep.tests.conftest import SaferSleepPeople
from earlyhelp.sharing.models import InformationCategory, InformationItem

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
SAFE = SleepRisks(**{name: False for name in RISK_FIELDS})


def risks(**yes: bool) -> SleepRisks:
    return SleepRisks(**{**{name: False for name in RISK_FIELDS}, **yes})


def assess(s: SaferSleepPeople, **overrides: object) -> SaferSleepAssessment:
    values: dict[str, object] = {
        "actor": s.p.maya,
        "family": s.p.ashworth,
        "person": s.p.unborn,
        "risks": SAFE,
        "assessed_on": TODAY,
        "contact": AssessmentContact.ANTENATAL,
        "sleeping_arrangements": "Moses basket in the parents' room",
        "conversation": "Went through the Lullaby Trust leaflet with Chloe and Jordan",
        "today": TODAY,
    }
    values.update(overrides)
    return services.safer_sleep_assessment_record(**values)  # type: ignore[arg-type]


# --- R-SS-3: red flag -------------------------------------------------------------------


def test_red_flag_without_a_plan_is_refused_and_nothing_is_saved_r_ss_3(
    safer: SaferSleepPeople,
) -> None:
    with pytest.raises(ValidationProblem) as problem:
        assess(safer, risks=risks(sofa_or_chair_sleeping=True))
    assert "action_plan" in problem.value.errors
    assert not SaferSleepAssessment.objects.exists()
    assert not Alert.objects.exists()


def test_red_flag_is_stored_and_alerts_lead_professional_and_health_visitor_r_ss_3(
    safer: SaferSleepPeople,
) -> None:
    assessment = assess(
        safer,
        risks=risks(bed_sharing=True, parent_smokes=True),
        action_plan="Cot from the baby bank on Friday; HV to check on Monday",
        equipment=["cot"],
    )
    assert assessment.red_flag
    assert assessment.red_flag_reasons == ["Bed-sharing with a smoker"]
    assert assessment.equipment == ["cot"]
    assert assessment.source_organisation == safer.p.midwifery
    alerts = Alert.objects.filter(kind=services.RED_FLAG_ALERT)
    assert {a.recipient for a in alerts} == {safer.hana, safer.lee}
    assert {a.dedupe_key for a in alerts} == {f"safersleep:red-flag:{assessment.pk}"}
    assert AuditEvent.objects.filter(
        action="safer_sleep_assessment.record", object_id=str(assessment.pk)
    ).exists()


def test_a_red_flag_for_drugs_still_reaches_the_lead_and_health_visitor_r_ss_3(
    safer: SaferSleepPeople,
) -> None:
    """The reason is need-to-know (substance use, R-IS-12); the red flag itself is not."""
    assessment = assess(
        safer,
        risks=risks(bed_sharing=True, drugs_or_drowsy_medication=True),
        action_plan="Cot from the baby bank on Friday",
        equipment=["cot"],
    )
    assert assessment.red_flag and assessment.category is not None
    alerts = Alert.objects.filter(kind=services.RED_FLAG_ALERT)
    assert {a.recipient for a in alerts} == {safer.hana, safer.lee}
    assert all("drug" not in f"{a.title} {a.body}".lower() for a in alerts)


def test_no_red_flag_no_alert_r_ss_3(safer: SaferSleepPeople) -> None:
    assessment = assess(safer, risks=risks(bed_sharing=True))
    assert not assessment.red_flag
    assert not Alert.objects.exists()


def test_a_full_assessment_answers_every_question_r_ss_2(safer: SaferSleepPeople) -> None:
    with pytest.raises(ValidationProblem) as problem:
        assess(safer, risks=SleepRisks(bed_sharing=False))
    assert set(RISK_FIELDS) - {"bed_sharing"} <= set(problem.value.errors)


def test_only_a_baby_of_the_family_is_assessed(safer: SaferSleepPeople) -> None:
    with pytest.raises(ValidationProblem) as problem:
        assess(safer, person=safer.p.chloe)
    assert "person" in problem.value.errors
    with pytest.raises(ValidationProblem):
        assess(safer, person=safer.p.stranger)


def test_outsider_cannot_record(safer: SaferSleepPeople) -> None:
    with pytest.raises(NotFoundOrForbidden):
        assess(safer, actor=safer.p.owen)
    with pytest.raises(NotFoundOrForbidden):
        services.disruption_record(
            actor=safer.p.owen,
            family=safer.p.ashworth,
            kind=DisruptionKind.HOUSE_MOVE,
            occurred_on=TODAY,
        )


# --- R-SS-4: an observation by any agency -------------------------------------------------


def test_housing_officer_records_an_observation_that_raises_the_red_flag_r_ss_4(
    safer: SaferSleepPeople,
) -> None:
    observation = assess(
        safer,
        actor=safer.harry,
        risks=SleepRisks(sofa_or_chair_sleeping=True),
        observation=True,
        sleeping_arrangements="",
        contact=AssessmentContact.ANTENATAL,
        conversation="Chloe said she falls asleep with the baby on the sofa at her mum's",
        action_plan="Told Chloe the risk; asked the health visitor to call today",
    )
    assert observation.is_observation
    assert observation.contact == AssessmentContact.OTHER  # an observation is no mandated contact
    assert observation.source_organisation == safer.housing
    assert observation.red_flag
    assert Alert.objects.filter(recipient=safer.hana, kind=services.RED_FLAG_ALERT).exists()


# --- R-HCP-1, R-SS-1: the mandated contacts -------------------------------------------------


def test_an_unborn_baby_has_its_five_reviews_tracked_r_hcp_1(safer: SaferSleepPeople) -> None:
    contacts = {c.kind: c for c in HealthVisitingContact.objects.filter(person=safer.p.unborn)}
    assert set(contacts) == set(ContactKind.values)
    assert contacts[ContactKind.ANTENATAL].due_from == datetime.date(2026, 12, 7)
    assert contacts[ContactKind.ANTENATAL].due_by == datetime.date(2027, 3, 1)


def test_completing_a_mandated_contact_without_safer_sleep_is_refused_r_ss_1(
    safer: SaferSleepPeople,
) -> None:
    contact = HealthVisitingContact.objects.get(person=safer.p.unborn, kind=ContactKind.ANTENATAL)
    with pytest.raises(ValidationProblem) as problem:
        services.contact_complete(
            actor=safer.hana, contact=contact, completed_on=TODAY, in_home=True, today=TODAY
        )
    assert "safer-sleep assessment" in problem.value.errors["__all__"][0]
    contact.refresh_from_db()
    assert contact.completed_on is None
    assess(safer, actor=safer.hana)
    done = services.contact_complete(
        actor=safer.hana, contact=contact, completed_on=TODAY, in_home=True, today=TODAY
    )
    assert done.completed_on == TODAY
    assert done.completed_organisation == safer.health_visiting
    assert done.version == 2


def test_a_stale_version_is_an_edit_conflict(safer: SaferSleepPeople) -> None:
    contact = HealthVisitingContact.objects.get(
        person=safer.p.unborn, kind=ContactKind.NINE_TO_TWELVE_MONTHS
    )
    with pytest.raises(EditConflict):
        services.contact_complete(
            actor=safer.hana, contact=contact, completed_on=TODAY, version=7, today=TODAY
        )


def test_assessment_completes_its_contact_in_one_step_r_ss_1(safer: SaferSleepPeople) -> None:
    assessment = assess(safer, actor=safer.hana, complete_contact=True, in_home=True)
    contact = HealthVisitingContact.objects.get(person=safer.p.unborn, kind=ContactKind.ANTENATAL)
    assert assessment.health_visiting_contact == contact
    assert contact.completed_on == TODAY
    assert contact.in_home is True
    with pytest.raises(ValidationProblem) as problem:
        assess(safer, actor=safer.hana, complete_contact=True)
    assert "complete_contact" in problem.value.errors


def test_birth_reschedules_the_reviews_of_the_same_row_r_hcp_1(safer: SaferSleepPeople) -> None:
    """The unborn baby turning into a child: its reviews and tasks stay with it."""
    services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.HOUSE_MOVE,
        occurred_on=TODAY,
        today=TODAY,
    )
    born = datetime.date(2026, 11, 20)
    person_record_birth(
        actor=safer.p.maya,
        person=safer.p.unborn,
        date_of_birth=born,
        given_name="Ava",
        sex="female",
        today=TODAY,
    )
    contacts = {c.kind: c for c in HealthVisitingContact.objects.filter(person=safer.p.unborn)}
    assert contacts[ContactKind.NEW_BIRTH].window.due_from == datetime.date(2026, 11, 30)
    assert contacts[ContactKind.SIX_TO_EIGHT_WEEKS].due_by == datetime.date(2027, 1, 15)
    assert contacts[ContactKind.ANTENATAL].due_by == datetime.date(2026, 11, 19)
    task = ReassessmentTask.objects.get()
    assert task.person_id == safer.p.unborn.pk  # same row, now Ava
    assess(safer, actor=safer.hana, contact=AssessmentContact.REASSESSMENT)
    task.refresh_from_db()
    assert task.done_at is not None


# --- R-SS-1, R-SS-4: disruption of routine --------------------------------------------------


def test_a_move_recorded_by_housing_creates_the_task_for_hv_and_lead_r_ss_1(
    safer: SaferSleepPeople,
) -> None:
    toddler = make_person("Kai", "Ashworth", date_of_birth=datetime.date(2024, 6, 1))
    FamilyMember.objects.create(
        family=safer.p.ashworth, person=toddler, relationship=Relationship.CHILD
    )
    disruption = services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.HOUSE_MOVE,
        occurred_on=datetime.date(2026, 11, 24),
        details="Moved to temporary accommodation at Mill Lane",
        today=TODAY,
    )
    assert disruption.source_organisation == safer.housing
    assert disruption.category is None
    task = ReassessmentTask.objects.get()  # the unborn baby only: Kai is over one
    assert task.person == safer.p.unborn
    assert set(task.assignees.all()) == {safer.hana, safer.lee}
    # Five working days from Thursday 26 November 2026.
    assert task.due_on == datetime.date(2026, 12, 3)
    alerts = Alert.objects.filter(kind=services.REASSESSMENT_ALERT)
    assert {a.recipient for a in alerts} == {safer.hana, safer.lee}
    assert all("Mill Lane" not in a.body for a in alerts)


def test_a_domestic_abuse_incident_is_a_risk_shared_with_the_team_r_is_12(
    safer: SaferSleepPeople,
) -> None:
    """Issue 5 item 5: a risk indicator from one agency tells the team at once; who has no
    basis for domestic abuse (R-IS-12) hears only that information is held elsewhere."""
    disruption = services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.DOMESTIC_ABUSE_INCIDENT,
        occurred_on=TODAY,
        today=TODAY,
    )
    notice = RiskNotice.objects.get()
    assert notice.kind == services.RISK_INDICATOR_ALERT
    assert notice.category == disruption.category
    assert notice.source_organisation == safer.housing
    told = Alert.objects.filter(kind=RISK_HELD_ELSEWHERE)
    assert {a.recipient for a in told} == {safer.lee, safer.hana}
    assert not Alert.objects.filter(kind=services.RISK_INDICATOR_ALERT).exists()
    assert all("abuse" not in f"{a.title} {a.body}".lower() for a in Alert.objects.all())


def test_a_house_move_is_no_risk_indicator(safer: SaferSleepPeople) -> None:
    services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.HOUSE_MOVE,
        occurred_on=TODAY,
        today=TODAY,
    )
    assert not RiskNotice.objects.exists()


def test_an_observation_does_not_close_the_task_but_an_assessment_does_r_ss_1(
    safer: SaferSleepPeople,
) -> None:
    services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.NEW_PARTNER,
        occurred_on=TODAY,
        today=TODAY,
    )
    assess(safer, actor=safer.harry, observation=True, risks=SleepRisks(loose_bedding=True))
    assert ReassessmentTask.objects.get().done_at is None
    assessment = assess(safer, actor=safer.hana, contact=AssessmentContact.REASSESSMENT)
    task = ReassessmentTask.objects.get()
    assert task.done_at is not None
    assert task.done_by_assessment == assessment


def test_bad_disruption_is_refused_whole(safer: SaferSleepPeople) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.disruption_record(
            actor=safer.harry,
            family=safer.p.ashworth,
            kind="eviction",
            occurred_on=datetime.date(2026, 12, 1),
            today=TODAY,
        )
    assert set(problem.value.errors) == {"kind", "occurred_on"}
    assert not DisruptionOfRoutine.objects.exists()
    assert not ReassessmentTask.objects.exists()


def test_nobody_to_reassess_still_creates_the_task(safer: SaferSleepPeople) -> None:
    Involvement.objects.filter(organisation=safer.health_visiting).delete()
    safer.p.ashworth.team_members.all().delete()
    services.disruption_record(
        actor=safer.p.maya,
        family=safer.p.ashworth,
        kind=DisruptionKind.ILLNESS,
        occurred_on=TODAY,
        today=TODAY,
    )
    task = ReassessmentTask.objects.get()
    assert not task.assignees.exists()
    assert not Alert.objects.exists()


# --- R-IS-12: need-to-know disruptions and assessments; R-SS-5 header ----------------------


def test_a_relapse_is_shown_in_full_only_to_those_the_policy_allows_r_is_12(
    safer: SaferSleepPeople,
) -> None:
    services.disruption_record(
        actor=safer.harry,
        family=safer.p.ashworth,
        kind=DisruptionKind.RELAPSE,
        occurred_on=TODAY,
        details="Jordan said he is using again",
        today=TODAY,
    )
    [own] = selectors.disruption_list(actor=safer.harry, family=safer.p.ashworth)
    assert not own.withheld
    [other] = selectors.disruption_list(actor=safer.hana, family=safer.p.ashworth)
    assert other.withheld
    # The health visitor still has the task, without the kind.
    [row] = selectors.family_safer_sleep(actor=safer.hana, family=safer.p.ashworth).open_tasks
    assert row.disruption.withheld
    assert safer.hana in row.assignees
    assert selectors.family_vulnerabilities(actor=safer.harry, family=safer.p.ashworth) == [
        "Substance misuse"
    ]
    # Substance use has no flag: nothing at all for those who may not read it.
    assert selectors.family_vulnerabilities(actor=safer.hana, family=safer.p.ashworth) == []


def test_drugs_make_an_assessment_need_to_know_r_is_12(safer: SaferSleepPeople) -> None:
    assess(safer, risks=risks(drugs_or_drowsy_medication=True))
    [mine] = selectors.safer_sleep_assessment_list(actor=safer.p.maya, family=safer.p.ashworth)
    assert not mine.withheld
    assert mine.assessment.category is not None
    [theirs] = selectors.safer_sleep_assessment_list(actor=safer.harry, family=safer.p.ashworth)
    assert theirs.withheld


def test_vulnerability_aggregate_from_what_the_viewer_may_know_r_ss_5(
    safer: SaferSleepPeople,
) -> None:
    p = safer.p
    police = p.police
    for code, summary in (("domestic_abuse", "Incident at home"), ("mental_health", "Anxiety")):
        InformationItem.objects.create(
            person=p.chloe,
            category=InformationCategory.objects.get(code=code),
            summary=summary,
            detail="Detail that a flag never shows",
            source_organisation=police,
            recorded_by=p.owen,
        )
    assess(safer, actor=safer.hana, risks=risks(household_smokes=True))
    social_care = police.__class__.objects.create(
        name="Wyvern Children's Services",
        agency_type="childrens_social_care",
        local_authority="Wyvern",
    )
    Involvement.objects.create(
        organisation=social_care, family=p.ashworth, service="Child in need", started_on=TODAY
    )
    shown = selectors.family_vulnerabilities(actor=safer.harry, family=p.ashworth, today=TODAY)
    # Domestic abuse shows as its flag; mental health has no flag, so nothing.
    assert shown == ["Smoking", "Domestic abuse", "Known to children's social care"]
    with pytest.raises(NotFoundOrForbidden):
        selectors.family_vulnerabilities(actor=p.owen, family=p.ashworth)


def test_social_care_working_with_one_member_counts_too_r_ss_5(safer: SaferSleepPeople) -> None:
    p = safer.p
    social_care = p.police.__class__.objects.create(
        name="Wyvern Children's Services",
        agency_type="childrens_social_care",
        local_authority="Wyvern",
    )
    before = selectors.family_vulnerabilities(actor=safer.harry, family=p.ashworth, today=TODAY)
    assert "Known to children's social care" not in before
    Involvement.objects.create(
        organisation=social_care, person=p.chloe, service="Child in need", started_on=TODAY
    )
    shown = selectors.family_vulnerabilities(actor=safer.harry, family=p.ashworth, today=TODAY)
    assert "Known to children's social care" in shown
