"""Early-help assessments over /api/v1/: the same services and selectors as the pages.

Every operation acts as the calling account, so the sharing policy decides which families it
reaches: one the caller may not see is the same 404 problem as one that does not exist. A
contribution in a need-to-know category the caller may not read is listed only as held by
its agency (R-IS-12). Changes carry the ``version`` read; an older one is a 409 problem.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.accounts.models import User
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.assessments import rules, selectors, services
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubject,
    Contribution,
)
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate
from earlyhelp.people.models import FamilyMember
from earlyhelp.sharing.models import InformationCategory

router = Router(tags=["Early-help assessments"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=10_000)]
ShortText = Annotated[Text, Field(max_length=200)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you read")]


# --- What the API shows -------------------------------------------------------------------


class PromptOut(Schema):
    rule: str
    title: str
    text: str
    kind: str = Field(description="action: something is missing or due; consider: a question")


class SubjectOut(Schema):
    id: int
    person_id: int
    name: str
    role: str
    voice: str
    care_experienced: bool
    responsible_local_authority: str | None = Field(
        description="null when held by another agency and not shared with yours (R-IS-12)"
    )
    personal_adviser: str | None
    version: int


class ContributionOut(Schema):
    id: int
    subject_id: int
    person_id: int
    source_organisation_name: str
    readable: bool = Field(
        description="false: held by that agency in a need-to-know category; ask the lead "
        "professional. Only who holds it is shown."
    )
    domain: str | None = None
    dimension: str | None = None
    strengths: str | None = None
    need: str | None = None
    need_outcome: str | None = None
    sleeping_arrangements: str | None = None
    safer_sleep_advice: str | None = None
    category_code: str | None = None
    practitioner_name: str | None = None
    updated_at: datetime.datetime | None = None
    version: int | None = None


class ClockOut(Schema):
    started_on: datetime.date | None
    due_on: datetime.date | None
    overdue: bool
    working_days_left: int | None
    overdue_reason: str


class AssessmentOut(Schema):
    id: int
    family_id: int
    status: AssessmentStatus
    agreed_by_id: int
    agreed_on: datetime.date
    agreement_note: str
    started_by_name: str
    started_at: datetime.datetime
    completed_by_name: str | None
    completed_at: datetime.datetime | None
    signed_off_by_name: str | None
    signed_off_at: datetime.datetime | None
    clock: ClockOut
    version: int


class AssessmentDetailOut(AssessmentOut):
    subjects: list[SubjectOut]
    contributions: list[ContributionOut]
    prompts: list[PromptOut]
    missing_for_sign_off: list[str]


def _assessment_fields(assessment: Assessment) -> dict[str, Any]:
    clock = selectors.assessment_clock(assessment)
    return {
        "id": assessment.pk,
        "family_id": assessment.family_id,
        "status": assessment.status,
        "agreed_by_id": assessment.agreed_by_id,
        "agreed_on": assessment.agreed_on,
        "agreement_note": assessment.agreement_note,
        "started_by_name": assessment.started_by.full_name,
        "started_at": assessment.started_at,
        "completed_by_name": assessment.completed_by.full_name if assessment.completed_by else None,
        "completed_at": assessment.completed_at,
        "signed_off_by_name": assessment.signed_off_by.full_name
        if assessment.signed_off_by
        else None,
        "signed_off_at": assessment.signed_off_at,
        "clock": ClockOut(
            started_on=clock.started_on,
            due_on=clock.due_on,
            overdue=clock.overdue,
            working_days_left=clock.working_days_left,
            overdue_reason=assessment.overdue_reason,
        ),
        "version": assessment.version,
    }


def _contribution_out(c: Contribution) -> ContributionOut:
    base: dict[str, Any] = {
        "id": c.pk,
        "subject_id": c.subject_id,
        "person_id": c.person_id,
        "source_organisation_name": c.source_organisation.name,
        "readable": bool(getattr(c, "readable", True)),
    }
    if not base["readable"]:
        return ContributionOut(**base)
    return ContributionOut(
        **base,
        domain=c.domain,
        dimension=c.dimension,
        strengths=c.strengths,
        need=c.need,
        need_outcome=c.need_outcome,
        sleeping_arrangements=c.sleeping_arrangements,
        safer_sleep_advice=c.safer_sleep_advice,
        category_code=c.category.code if c.category else None,
        practitioner_name=c.practitioner.full_name,
        updated_at=c.updated_at,
        version=c.version,
    )


def _subject_out(s: AssessmentSubject) -> SubjectOut:
    readable = bool(getattr(s, "care_detail_readable", False))
    return SubjectOut(
        id=s.pk,
        person_id=s.person_id,
        name=s.person.display_name,
        role=s.role,
        voice=s.voice,
        care_experienced=s.care_experienced,
        responsible_local_authority=s.responsible_local_authority if readable else None,
        personal_adviser=s.personal_adviser if readable else None,
        version=s.version,
    )


def _detail(actor: User, assessment: Assessment) -> AssessmentDetailOut:
    situation = selectors.assessment_situation(assessment=assessment, actor=actor)
    return AssessmentDetailOut(
        **_assessment_fields(assessment),
        subjects=[
            _subject_out(s) for s in selectors.subject_list(actor=actor, assessment=assessment)
        ],
        contributions=[
            _contribution_out(c)
            for c in selectors.contribution_list(actor=actor, assessment=assessment)
        ],
        prompts=[PromptOut(**p.__dict__) for p in rules.assessment_prompts(situation)],
        missing_for_sign_off=rules.missing_for_sign_off(situation)
        if assessment.status != AssessmentStatus.SIGNED_OFF
        else [],
    )


def _read_back(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    actor = api_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id, request=request)
    return _detail(actor, assessment)


# --- What the API accepts -----------------------------------------------------------------


class AssessmentStartIn(Input):
    agreed_by_id: RecordId = Field(description="The member of the family who agreed (R-WT-3)")
    agreed_on: IsoDate
    agreement_note: LongText = ""


class ContributionIn(Input):
    subject_id: RecordId = Field(description="A subject of this assessment")
    domain: rules.Domain
    dimension: Annotated[str, Field(max_length=40)] = Field(
        description="A dimension of the domain (see the framework table in docs/rules)"
    )
    strengths: LongText = ""
    need: LongText = ""
    need_outcome: rules.HeadlineOutcome | None = Field(
        None, description="Needed with a need: its Supporting Families headline (R-SF-1)"
    )
    sleeping_arrangements: LongText = ""
    safer_sleep_advice: LongText = ""
    category_code: Annotated[str, Field(max_length=50)] | None = Field(
        None, description="A need-to-know category, when the contribution is sensitive"
    )


class ContributionChangeIn(ContributionIn):
    version: Version


class SubjectIn(Input):
    version: Version
    voice: LongText = ""
    care_experienced: bool = False
    responsible_local_authority: Annotated[Text, Field(max_length=100)] = ""
    personal_adviser: ShortText = ""


class ClockIn(Input):
    version: Version
    started_on: IsoDate = Field(description="The date of the referral: 45 working days from it")


class TransitionIn(Input):
    version: Version
    overdue_reason: LongText = Field(
        "", description="Needed when past the 45 working days (R-TIME-2)"
    )


def _details(assessment: Assessment, payload: ContributionIn) -> services.ContributionDetails:
    errors: dict[str, list[str]] = {}
    subject = AssessmentSubject.objects.filter(pk=payload.subject_id, assessment=assessment).first()
    if subject is None:
        errors["subject_id"] = ["Send the id of a subject of this assessment"]
    category = None
    if payload.category_code:
        category = InformationCategory.objects.filter(code=payload.category_code).first()
        if category is None:
            errors["category_code"] = [f"Unknown category: {payload.category_code}"]
    details = services.ContributionDetails(
        subject=subject,
        domain=payload.domain.value,
        dimension=payload.dimension,
        strengths=payload.strengths,
        need=payload.need,
        need_outcome=payload.need_outcome.value if payload.need_outcome else "",
        sleeping_arrangements=payload.sleeping_arrangements,
        safer_sleep_advice=payload.safer_sleep_advice,
        category=category,
    )
    if errors:
        problems = services.contribution_problems(assessment, details)
        problems.pop("subject", None)
        raise ValidationProblem({**problems, **errors})
    return details


# --- Operations -----------------------------------------------------------------------------


@router.get(
    "/families/{record_id:family_id}/assessments", **operation(READ, {200: list[AssessmentOut]})
)
def assessment_list(request: HttpRequest, family_id: int) -> list[AssessmentOut]:
    """The family's early-help assessments, newest first."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [
        AssessmentOut(**_assessment_fields(a))
        for a in selectors.assessment_list(actor=actor, family=family)
    ]


@router.post(
    "/families/{record_id:family_id}/assessments",
    **operation(WRITE, {201: AssessmentDetailOut}, body=True),
)
def assessment_start(
    request: HttpRequest, family_id: int, payload: AssessmentStartIn
) -> Status[AssessmentDetailOut]:
    """Start the family's assessment with their agreement (R-WT-3).

    It covers the family's members now: each child, the unborn baby, each parent and any
    partner (R-WT-4). One assessment is open per family at a time.
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    member = (
        FamilyMember.objects.filter(
            family=family, left_on__isnull=True, person_id=payload.agreed_by_id
        )
        .select_related("person")
        .first()
    )
    try:
        assessment = services.assessment_start(
            actor=actor,
            family=family,
            agreed_by=member.person if member else None,
            agreed_on=payload.agreed_on,
            agreement_note=payload.agreement_note,
        )
    except ValidationProblem as problem:
        errors = dict(problem.errors)
        if "agreed_by" in errors:
            errors["agreed_by_id"] = errors.pop("agreed_by")
        raise ValidationProblem(errors) from problem
    return Status(201, _read_back(request, assessment.pk))


@router.get("/assessments/{record_id:assessment_id}", **operation(READ, {200: AssessmentDetailOut}))
def assessment_get(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    """The assessment with its subjects, contributions (by the need-to-know rule), the
    prompts it raises and what sign-off still needs."""
    return _read_back(request, assessment_id)


@router.post(
    "/assessments/{record_id:assessment_id}/contributions",
    **operation(WRITE, {201: ContributionOut}, body=True),
)
def assessment_contribution_add(
    request: HttpRequest, assessment_id: int, payload: ContributionIn
) -> Status[ContributionOut]:
    """Add your agency's contribution about one subject and one dimension (R-EHA-1).

    A need needs its Supporting Families headline (R-SF-1); sleeping arrangements and
    safer-sleep advice go under family and environmental factors (R-EHA-5).
    """
    actor = api_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id, request=request)
    contribution = services.contribution_add(
        actor=actor, assessment=assessment, details=_details(assessment, payload)
    )
    contribution.readable = True  # type: ignore[attr-defined]
    return Status(201, _contribution_out(contribution))


@router.get(
    "/assessment-contributions/{record_id:contribution_id}",
    **operation(READ, {200: ContributionOut}),
)
def assessment_contribution_get(request: HttpRequest, contribution_id: int) -> ContributionOut:
    """One contribution you may read in full (else 404)."""
    contribution = selectors.contribution_get(
        actor=api_actor(request), contribution_id=contribution_id, request=request
    )
    return _contribution_out(contribution)


@router.post(
    "/assessment-contributions/{record_id:contribution_id}",
    **operation(WRITE, {200: ContributionOut}, body=True, conflict=True),
)
def assessment_contribution_change(
    request: HttpRequest, contribution_id: int, payload: ContributionChangeIn
) -> ContributionOut:
    """Change your agency's contribution; send the whole contribution and the `version`."""
    actor = api_actor(request)
    contribution = selectors.contribution_get(
        actor=actor, contribution_id=contribution_id, request=request
    )
    contribution = services.contribution_update(
        actor=actor,
        contribution=contribution,
        details=_details(contribution.assessment, payload),
        version=payload.version,
    )
    return _contribution_out(contribution)


@router.post(
    "/assessment-subjects/{record_id:subject_id}",
    **operation(WRITE, {200: SubjectOut}, body=True, conflict=True),
)
def assessment_subject_change(
    request: HttpRequest, subject_id: int, payload: SubjectIn
) -> SubjectOut:
    """Record a subject's voice (R-EHA-1) and, for a parent or partner, their care
    experience with the responsible local authority and personal adviser (R-CL-1)."""
    actor = api_actor(request)
    subject = selectors.subject_get(actor=actor, subject_id=subject_id, request=request)
    services.subject_update(
        actor=actor,
        subject=subject,
        details=services.SubjectDetails(
            voice=payload.voice,
            care_experienced=payload.care_experienced,
            responsible_local_authority=payload.responsible_local_authority,
            personal_adviser=payload.personal_adviser,
        ),
        version=payload.version,
    )
    found = next(
        s
        for s in selectors.subject_list(actor=actor, assessment=subject.assessment)
        if s.pk == subject.pk
    )
    return _subject_out(found)


@router.post(
    "/assessments/{record_id:assessment_id}/clock",
    **operation(WRITE, {200: AssessmentDetailOut}, body=True, conflict=True),
)
def assessment_clock_start(
    request: HttpRequest, assessment_id: int, payload: ClockIn
) -> AssessmentDetailOut:
    """A statutory assessment follows: start the 45-working-day clock from the referral
    (R-TIME-2). The due date counts out weekends and England and Wales bank holidays."""
    actor = api_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id, request=request)
    services.assessment_clock_start(
        actor=actor,
        assessment=assessment,
        started_on=payload.started_on,
        version=payload.version,
        today=timezone.localdate(),
    )
    return _read_back(request, assessment_id)


@router.post(
    "/assessments/{record_id:assessment_id}/completion",
    **operation(WRITE, {200: AssessmentDetailOut}, body=True, conflict=True),
)
def assessment_complete(
    request: HttpRequest, assessment_id: int, payload: TransitionIn
) -> AssessmentDetailOut:
    """Mark the assessment completed (from draft). Past 45 working days: `overdue_reason`."""
    actor = api_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id, request=request)
    services.assessment_complete(
        actor=actor,
        assessment=assessment,
        version=payload.version,
        overdue_reason=payload.overdue_reason,
    )
    return _read_back(request, assessment_id)


@router.post(
    "/assessments/{record_id:assessment_id}/sign-off",
    **operation(WRITE, {200: AssessmentDetailOut}, body=True, conflict=True),
)
def assessment_sign_off(
    request: HttpRequest, assessment_id: int, payload: TransitionIn
) -> AssessmentDetailOut:
    """Sign off a completed assessment. Refused (422, listing everything missing) when a
    subject lacks a domain they need, a voice is missing, or with a pregnancy or infant the
    sleeping arrangements and safer-sleep advice are not recorded (R-WT-4, R-EHA-1, R-EHA-5).
    """
    actor = api_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_id, request=request)
    services.assessment_sign_off(
        actor=actor,
        assessment=assessment,
        version=payload.version,
        overdue_reason=payload.overdue_reason,
    )
    return _read_back(request, assessment_id)
