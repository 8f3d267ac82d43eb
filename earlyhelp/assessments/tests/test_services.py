"""Each transition of the assessment, through its services: agreement, subjects, contributions,
drafts, the clock, completion and sign-off, stale versions and nothing half-saved."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.assessments import rules, selectors, services
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubject,
    Contribution,
    ContributionDraft,
)
from earlyhelp.assessments.rules import Domain
from earlyhelp.assessments.tests.conftest import AGREED_ON, subject_of
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people.models import Relationship
from earlyhelp.people.services import person_record_birth
from earlyhelp.sharing.models import InformationCategory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def contribute(
    actor: User, assessment: Assessment, subject: AssessmentSubject, domain: str, **fields: object
) -> Contribution:
    dimension = fields.pop(
        "dimension",
        next(d.code for d in rules.DIMENSIONS if d.domain == domain),
    )
    details = services.ContributionDetails(
        subject=subject,
        domain=domain,
        dimension=str(dimension),
        strengths=str(fields.pop("strengths", "Keeps every appointment")),
        **fields,  # type: ignore[arg-type]
    )
    return services.contribution_add(actor=actor, assessment=assessment, details=details)


def make_whole(p: Partnership, assessment: Assessment) -> None:
    """Everything sign-off needs for Chloe (17, pregnant), Jordan and the unborn baby."""
    chloe = subject_of(assessment, p.chloe)
    jordan = subject_of(assessment, p.jordan)
    baby = subject_of(assessment, p.unborn)
    contribute(p.maya, assessment, chloe, Domain.CHILD_DEVELOPMENT)
    contribute(p.maya, assessment, chloe, Domain.PARENTING_CAPACITY)
    contribute(p.maya, assessment, jordan, Domain.PARENTING_CAPACITY)
    contribute(p.maya, assessment, baby, Domain.CHILD_DEVELOPMENT)
    contribute(
        p.maya,
        assessment,
        baby,
        Domain.FAMILY_ENVIRONMENT,
        dimension="housing",
        sleeping_arrangements="A cot in Chloe's room",
        safer_sleep_advice="Back to sleep, own cot, never the sofa",
    )
    for subject in (chloe, jordan):
        subject.refresh_from_db()
        services.subject_update(
            actor=p.maya,
            subject=subject,
            details=services.SubjectDetails(voice="I want to be a good parent"),
            version=subject.version,
        )


# --- Starting (R-WT-3, R-WT-4) ---------------------------------------------------------------


def test_start_takes_every_child_parent_and_the_unborn_baby(
    partnership: Partnership, started: Assessment
) -> None:
    """R-WT-4: subjects from the family's current members; R-WT-3: the agreement recorded."""
    roles = {s.person_id: s.role for s in started.subjects.all()}
    assert roles == {
        partnership.chloe.pk: rules.SubjectRole.MOTHER,
        partnership.jordan.pk: rules.SubjectRole.FATHER,
        partnership.unborn.pk: rules.SubjectRole.UNBORN_BABY,
    }
    assert started.status == AssessmentStatus.DRAFT
    assert started.agreed_by == partnership.chloe
    assert started.agreed_on == AGREED_ON
    assert AuditEvent.objects.filter(action="assessment.start", object_id=str(started.pk)).exists()


@pytest.mark.parametrize(
    ("agreed_by", "agreed_on", "field"),
    [
        (None, AGREED_ON, "agreed_by"),
        ("chloe", None, "agreed_on"),
        ("chloe", TODAY + datetime.timedelta(days=1), "agreed_on"),
        ("stranger", AGREED_ON, "agreed_by"),
        ("unborn", AGREED_ON, "agreed_by"),
    ],
)
def test_start_needs_the_family_agreement(
    partnership: Partnership, agreed_by: str | None, agreed_on: datetime.date | None, field: str
) -> None:
    """R-WT-3: an episode opens only when the family's agreement is recorded."""
    with pytest.raises(ValidationProblem) as problem:
        services.assessment_start(
            actor=partnership.maya,
            family=partnership.ashworth,
            agreed_by=getattr(partnership, agreed_by) if agreed_by else None,
            agreed_on=agreed_on,
            today=TODAY,
        )
    assert field in problem.value.errors
    assert not Assessment.objects.exists()


def test_one_open_assessment_per_family(partnership: Partnership, started: Assessment) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.assessment_start(
            actor=partnership.maya,
            family=partnership.ashworth,
            agreed_by=partnership.chloe,
            agreed_on=AGREED_ON,
        )
    assert services.ALREADY_OPEN in problem.value.errors["__all__"]
    # The database says so too, whatever a service forgets.
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            family=partnership.ashworth,
            agreed_by=partnership.chloe,
            agreed_on=AGREED_ON,
            started_by=partnership.maya,
        )


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_cannot_start(partnership: Partnership, persona: str) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.assessment_start(
            actor=getattr(partnership, persona),
            family=partnership.ashworth,
            agreed_by=partnership.chloe,
            agreed_on=AGREED_ON,
        )


# --- Subjects (R-EHA-1 voice, R-CL-1) ----------------------------------------------------------


def test_care_experienced_parent_with_authority_and_adviser(
    partnership: Partnership, started: Assessment
) -> None:
    """R-CL-1: the flag with the responsible local authority and the personal adviser, kept
    under the care history category (R-IS-12)."""
    chloe = subject_of(started, partnership.chloe)
    services.subject_update(
        actor=partnership.maya,
        subject=chloe,
        details=services.SubjectDetails(
            voice="I was in care in Mercia",
            care_experienced=True,
            responsible_local_authority="Mercia",
            personal_adviser="Pat Adviser",
        ),
        version=1,
    )
    chloe.refresh_from_db()
    assert chloe.care_experienced
    assert chloe.care_category == InformationCategory.objects.get(code="care_history")
    assert chloe.care_source_organisation == partnership.midwifery
    assert chloe.version == 2
    with pytest.raises(EditConflict):
        services.subject_update(
            actor=partnership.maya,
            subject=chloe,
            details=services.SubjectDetails(voice="Older"),
            version=1,
        )


def test_care_experience_is_for_parents(partnership: Partnership, started: Assessment) -> None:
    baby = subject_of(started, partnership.unborn)
    with pytest.raises(ValidationProblem) as problem:
        services.subject_update(
            actor=partnership.maya,
            subject=baby,
            details=services.SubjectDetails(care_experienced=True),
            version=1,
        )
    assert "care_experienced" in problem.value.errors


# --- Contributions (R-EHA-1, R-SF-1) -----------------------------------------------------------


def test_contribution_is_attributed_to_practitioner_and_agency(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    chloe = subject_of(started, partnership.chloe)
    contribution = contribute(
        hana,
        started,
        chloe,
        Domain.PARENTING_CAPACITY,
        dimension="emotional_warmth",
        need="Low mood since moving",
        need_outcome=rules.HeadlineOutcome.HEALTH,
    )
    assert contribution.practitioner == hana
    assert contribution.source_organisation.name == "Wyvern Health Visiting"
    assert contribution.person == partnership.chloe
    assert contribution.need_outcome == "health"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"domain": "child_development", "dimension": "housing"}, "dimension"),
        ({"domain": "nonsense"}, "domain"),
        ({"strengths": "", "need": ""}, "strengths"),
        ({"need": "Rent arrears", "need_outcome": ""}, "need_outcome"),
        ({"need": "Rent arrears", "need_outcome": "not_a_headline"}, "need_outcome"),
        (
            {
                "domain": "parenting_capacity",
                "dimension": "basic_care",
                "sleeping_arrangements": "x",
            },
            "sleeping_arrangements",
        ),
    ],
)
def test_contribution_problems(
    partnership: Partnership, started: Assessment, fields: dict[str, str], field: str
) -> None:
    """R-EHA-1 (domains and dimensions), R-SF-1 (a headline for each need); nothing saved."""
    values: dict[str, object] = {
        "subject": subject_of(started, partnership.chloe),
        "domain": "family_environment",
        "dimension": "housing",
        "strengths": "Warm flat",
        **fields,
    }
    with pytest.raises(ValidationProblem) as problem:
        services.contribution_add(
            actor=partnership.maya,
            assessment=started,
            details=services.ContributionDetails(**values),  # type: ignore[arg-type]
        )
    assert field in problem.value.errors
    assert not Contribution.objects.exists()


def test_only_the_contributing_agency_changes_it_and_stale_versions_conflict(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    chloe = subject_of(started, partnership.chloe)
    contribution = contribute(partnership.maya, started, chloe, Domain.CHILD_DEVELOPMENT)
    details = services.ContributionDetails(
        subject=chloe, domain="child_development", dimension="health", strengths="Better now"
    )
    with pytest.raises(NotFoundOrForbidden):
        services.contribution_update(
            actor=hana, contribution=contribution, details=details, version=1
        )
    services.contribution_update(
        actor=partnership.maya, contribution=contribution, details=details, version=1
    )
    contribution.refresh_from_db()
    assert (contribution.strengths, contribution.version) == ("Better now", 2)
    with pytest.raises(EditConflict):
        services.contribution_update(
            actor=partnership.maya, contribution=contribution, details=details, version=1
        )


# --- Drafts ------------------------------------------------------------------------------------


def test_draft_is_kept_per_person_and_deleted_when_saved(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    services.draft_save(
        actor=partnership.maya,
        assessment=started,
        form_key="new",
        data={"strengths": "Half a sentence", "not_a_field": "dropped"},
    )
    services.draft_save(
        actor=partnership.maya,
        assessment=started,
        form_key="new",
        data={"strengths": "Half a sentence, and more"},
    )
    draft = selectors.draft_get(actor=partnership.maya, assessment=started, form_key="new")
    assert draft is not None
    assert draft.data == {"strengths": "Half a sentence, and more"}
    assert selectors.draft_get(actor=hana, assessment=started, form_key="new") is None
    contribute(
        partnership.maya, started, subject_of(started, partnership.chloe), "child_development"
    )
    assert not ContributionDraft.objects.filter(user=partnership.maya).exists()


@pytest.mark.parametrize("form_key", ["old", "c0", "../x", "c999999"])
def test_draft_form_keys_are_checked(
    partnership: Partnership, started: Assessment, form_key: str
) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.draft_save(actor=partnership.maya, assessment=started, form_key=form_key, data={})


def test_outsider_cannot_save_a_draft(partnership: Partnership, started: Assessment) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.draft_save(actor=partnership.owen, assessment=started, form_key="new", data={})


# --- The clock (R-TIME-2) ----------------------------------------------------------------------


def test_clock_stores_the_due_date_and_overdue_is_derived(
    partnership: Partnership, started: Assessment
) -> None:
    """R-TIME-2: 45 working days from the referral, bank holidays out."""
    services.assessment_clock_start(
        actor=partnership.maya,
        assessment=started,
        started_on=datetime.date(2026, 11, 2),
        version=1,
        today=TODAY,
    )
    started.refresh_from_db()
    # 45 working days from Monday 2 November 2026: Christmas Day, the substitute Boxing Day
    # (Monday 28 December) and New Year's Day do not count.
    assert started.statutory_due_on == datetime.date(2027, 1, 7)
    assert not selectors.assessment_clock(started, datetime.date(2027, 1, 7)).overdue
    assert selectors.assessment_clock(started, datetime.date(2027, 1, 8)).overdue


def test_completing_late_needs_a_reason(partnership: Partnership, started: Assessment) -> None:
    """R-TIME-2: going past 45 working days needs a recorded reason."""
    services.assessment_clock_start(
        actor=partnership.maya,
        assessment=started,
        started_on=datetime.date(2026, 11, 2),
        version=1,
        today=TODAY,
    )
    late = datetime.date(2027, 1, 11)
    with pytest.raises(ValidationProblem) as problem:
        services.assessment_complete(
            actor=partnership.maya, assessment=started, version=2, today=late
        )
    assert "overdue_reason" in problem.value.errors
    started.refresh_from_db()
    assert started.status == AssessmentStatus.DRAFT
    services.assessment_complete(
        actor=partnership.maya,
        assessment=started,
        version=2,
        overdue_reason="Jordan could not be seen until January",
        today=late,
    )
    started.refresh_from_db()
    assert started.status == AssessmentStatus.COMPLETED
    assert started.overdue_reason == "Jordan could not be seen until January"


def test_clock_date_problems(partnership: Partnership, started: Assessment) -> None:
    for started_on in (None, TODAY + datetime.timedelta(days=1)):
        with pytest.raises(ValidationProblem):
            services.assessment_clock_start(
                actor=partnership.maya,
                assessment=started,
                started_on=started_on,
                version=1,
                today=TODAY,
            )


# --- Completion and sign-off (R-WT-4, R-EHA-1, R-EHA-5) -------------------------------------


def test_complete_then_sign_off(partnership: Partnership, started: Assessment) -> None:
    make_whole(partnership, started)
    services.assessment_complete(actor=partnership.maya, assessment=started, version=1)
    started.refresh_from_db()
    assert (started.status, started.completed_by) == (AssessmentStatus.COMPLETED, partnership.maya)
    services.assessment_sign_off(
        actor=partnership.fatima, assessment=started, version=started.version
    )
    started.refresh_from_db()
    assert started.status == AssessmentStatus.SIGNED_OFF
    assert started.signed_off_by == partnership.fatima
    assert started.signed_off_at is not None
    # Signed off: closed to changes, and a new episode may start.
    with pytest.raises(ValidationProblem):
        contribute(
            partnership.maya, started, subject_of(started, partnership.chloe), "child_development"
        )
    services.assessment_start(
        actor=partnership.maya,
        family=partnership.ashworth,
        agreed_by=partnership.chloe,
        agreed_on=AGREED_ON,
    )


def test_sign_off_lists_every_missing_domain_and_saves_nothing(
    partnership: Partnership, started: Assessment
) -> None:
    """R-WT-4, R-WT-9 and R-EHA-5: a clear message listing what is missing."""
    contribute(
        partnership.maya, started, subject_of(started, partnership.jordan), "parenting_capacity"
    )
    services.assessment_complete(actor=partnership.maya, assessment=started, version=1)
    started.refresh_from_db()
    with pytest.raises(ValidationProblem) as problem:
        services.assessment_sign_off(
            actor=partnership.maya, assessment=started, version=started.version
        )
    message = problem.value.errors["__all__"][0]
    for missing in (
        "Chloe Ashworth: child's developmental needs",
        "Chloe Ashworth: parenting capacity",
        "Unborn baby Ashworth: child's developmental needs",
        "The family: family and environmental factors",
        "The family: sleeping arrangements and the safer-sleep advice given",
    ):
        assert missing in message
    assert "Jordan Pike: parenting capacity" not in message
    started.refresh_from_db()
    assert started.status == AssessmentStatus.COMPLETED
    assert started.signed_off_by is None
    assert not AuditEvent.objects.filter(action="assessment.sign_off").exists()


def test_sign_off_refused_without_safer_sleep(
    partnership: Partnership, started: Assessment
) -> None:
    """R-EHA-5: with a pregnancy, sign-off needs sleeping arrangements and the advice given."""
    make_whole(partnership, started)
    Contribution.objects.filter(domain="family_environment").update(safer_sleep_advice="")
    services.assessment_complete(actor=partnership.maya, assessment=started, version=1)
    started.refresh_from_db()
    with pytest.raises(ValidationProblem) as problem:
        services.assessment_sign_off(
            actor=partnership.maya, assessment=started, version=started.version
        )
    assert problem.value.errors["__all__"] == [
        services.SIGN_OFF_MISSING
        + "The family: sleeping arrangements and the safer-sleep advice given"
    ]


def test_transitions_in_order_and_stale_versions_conflict(
    partnership: Partnership, started: Assessment
) -> None:
    with pytest.raises(ValidationProblem):
        services.assessment_sign_off(actor=partnership.maya, assessment=started, version=1)
    with pytest.raises(EditConflict):
        services.assessment_complete(actor=partnership.maya, assessment=started, version=7)
    started.refresh_from_db()
    assert started.status == AssessmentStatus.DRAFT
    services.assessment_complete(actor=partnership.maya, assessment=started, version=1)
    with pytest.raises(ValidationProblem):
        services.assessment_complete(actor=partnership.maya, assessment=started, version=2)


def test_unborn_baby_born_mid_assessment_stays_the_same_subject(
    partnership: Partnership, started: Assessment
) -> None:
    """The birth keeps the same Person row (R-CW-1): the subject, its contributions and the
    safer-sleep requirement (an infant under 12 months, R-EHA-5) all carry on."""
    baby = subject_of(started, partnership.unborn)
    contribute(partnership.maya, started, baby, "child_development")
    person_record_birth(
        actor=partnership.maya,
        person=partnership.unborn,
        date_of_birth=TODAY,
        given_name="Ava",
        sex="female",
        today=TODAY,
    )
    baby.refresh_from_db()
    assert baby.person.display_name == "Ava Ashworth"
    assert baby.person.family_members.get().relationship == Relationship.CHILD
    situation = selectors.assessment_situation(assessment=started, today=TODAY)
    assert (partnership.unborn.pk, "child_development") in situation.recorded
    assert rules.safer_sleep_needed(situation)
    missing = rules.missing_for_sign_off(situation)
    assert "Ava Ashworth: child's developmental needs" not in missing
    assert "The family: sleeping arrangements and the safer-sleep advice given" in missing


def test_situation_reads_family_nurse_partnership_involvement(
    partnership: Partnership, started: Assessment
) -> None:
    """R-FNP-2 reads whether an FNP organisation is involved: here none is."""
    situation = selectors.assessment_situation(assessment=started, today=TODAY)
    assert not situation.family_nurse_partnership_involved
    assert situation.earlier_births == 0
    # Chloe was 17 at her last period; 26 weeks now: no FNP referral by 24 weeks.
    assert "R-FNP-2" in {p.rule for p in rules.assessment_prompts(situation)}
