"""Safer sleep over /api/v1/: the same services and selectors as the pages (R-SS-1 to
R-SS-4, R-HCP-1).

Every operation acts as the calling account, so the sharing policy decides which families it
reaches: one the caller may not see is the same 404 problem as one that does not exist. An
assessment or disruption in a need-to-know category the caller may not read comes back with
``withheld: true`` and its detail fields null (R-IS-12).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Annotated, Literal, get_args

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.safersleep import rules, selectors, services
from earlyhelp.safersleep.models import HealthVisitingContact

router = Router(tags=["Safer sleep"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=5000)]
RiskName = Literal[
    "smoking_in_pregnancy",
    "parent_smokes",
    "household_smokes",
    "alcohol_two_units_or_more",
    "drugs_or_drowsy_medication",
    "bed_sharing",
    "sofa_or_chair_sleeping",
    "separate_room_under_six_months",
    "prone_or_side_sleeping",
    "loose_bedding",
    "premature_or_low_birth_weight",
    "parent_extremely_tired",
]
assert set(get_args(RiskName)) == set(rules.RISK_FIELDS)
FIELDS = {"person": "person_id"}


@contextlib.contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationProblem as problem:
        raise ValidationProblem(
            {FIELDS.get(field, field): found for field, found in problem.errors.items()}
        ) from problem


def _member(family: Family, person_id: int | None) -> Person | None:
    """A current member of the family, or None: the service then says what is wrong."""
    if person_id is None:
        return None
    member = (
        FamilyMember.objects.filter(family=family, person_id=person_id, left_on__isnull=True)
        .select_related("person")
        .first()
    )
    return member.person if member else None


# --- What the API shows -------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    family_id: int
    person_id: int
    person_name: str
    contact: rules.AssessmentContact
    is_observation: bool
    assessed_on: datetime.date
    red_flag: bool
    source_organisation_name: str
    recorded_by_name: str
    recorded_at: datetime.datetime
    withheld: bool = Field(
        description="The detail is need-to-know and not for this caller: ask the lead professional"
    )
    risks: dict[str, bool | None] | None = Field(
        description="R-SS-2 answers; null when not asked or not seen"
    )
    red_flag_reasons: list[str] | None
    sleeping_arrangements: str | None
    conversation: str | None
    action_plan: str | None
    equipment: list[str] | None


def _assessment_out(shown: selectors.AssessmentShown) -> AssessmentOut:
    a = shown.assessment
    hidden = shown.withheld
    return AssessmentOut(
        id=a.pk,
        family_id=a.family_id,
        person_id=a.person_id,
        person_name=a.person.display_name,
        contact=rules.AssessmentContact(a.contact),
        is_observation=a.is_observation,
        assessed_on=a.assessed_on,
        red_flag=a.red_flag,
        source_organisation_name=a.source_organisation.name,
        recorded_by_name=a.recorded_by.full_name,
        recorded_at=a.recorded_at,
        withheld=hidden,
        risks=None if hidden else {name: getattr(a, name) for name in rules.RISK_FIELDS},
        red_flag_reasons=None if hidden else list(a.red_flag_reasons),
        sleeping_arrangements=None if hidden else a.sleeping_arrangements,
        conversation=None if hidden else a.conversation,
        action_plan=None if hidden else a.action_plan,
        equipment=None if hidden else list(a.equipment),
    )


class ContactOut(Schema):
    id: int
    person_id: int
    kind: rules.ContactKind
    due_from: datetime.date
    due_by: datetime.date
    status: str = Field(description="Completed, Overdue, Due now or Not yet due (R-HCP-1)")
    overdue: bool
    safer_sleep_mandatory: bool = Field(description="R-SS-1: needs a safer-sleep assessment")
    completed_on: datetime.date | None
    completed_by_name: str | None
    in_home: bool | None
    delegated_note: str
    version: int


def _contact_out(contact: HealthVisitingContact) -> ContactOut:
    status = rules.contact_status(contact.window, contact.completed_on, timezone.localdate())
    return ContactOut(
        id=contact.pk,
        person_id=contact.person_id,
        kind=rules.ContactKind(contact.kind),
        due_from=contact.due_from,
        due_by=contact.due_by,
        status=str(status),
        overdue=status is rules.ContactStatus.OVERDUE,
        safer_sleep_mandatory=contact.kind in rules.SAFER_SLEEP_CONTACTS,
        completed_on=contact.completed_on,
        completed_by_name=contact.completed_by.full_name if contact.completed_by else None,
        in_home=contact.in_home,
        delegated_note=contact.delegated_note,
        version=contact.version,
    )


class DisruptionOut(Schema):
    id: int
    family_id: int
    occurred_on: datetime.date
    source_organisation_name: str
    recorded_by_name: str
    recorded_at: datetime.datetime
    withheld: bool
    kind: rules.DisruptionKind | None
    details: str | None


def _disruption_out(shown: selectors.DisruptionShown) -> DisruptionOut:
    d = shown.disruption
    return DisruptionOut(
        id=d.pk,
        family_id=d.family_id,
        occurred_on=d.occurred_on,
        source_organisation_name=d.source_organisation.name,
        recorded_by_name=d.recorded_by.full_name,
        recorded_at=d.recorded_at,
        withheld=shown.withheld,
        kind=None if shown.withheld else rules.DisruptionKind(d.kind),
        details=None if shown.withheld else d.details,
    )


class ReassessmentTaskOut(Schema):
    id: int
    disruption_id: int
    person_id: int
    person_name: str
    assignee_names: list[str]
    due_on: datetime.date
    overdue: bool
    done_at: datetime.datetime | None
    done_by_assessment_id: int | None


# --- What the API accepts -----------------------------------------------------------------


class AssessmentIn(Input):
    person_id: RecordId = Field(description="An unborn baby or infant under 1 in the family")
    contact: rules.AssessmentContact
    assessed_on: IsoDate
    smoking_in_pregnancy: bool | None = None
    parent_smokes: bool | None = None
    household_smokes: bool | None = None
    alcohol_two_units_or_more: bool | None = None
    drugs_or_drowsy_medication: bool | None = None
    bed_sharing: bool | None = None
    sofa_or_chair_sleeping: bool | None = None
    separate_room_under_six_months: bool | None = None
    prone_or_side_sleeping: bool | None = None
    loose_bedding: bool | None = None
    premature_or_low_birth_weight: bool | None = None
    parent_extremely_tired: bool | None = None
    sleeping_arrangements: LongText = ""
    conversation: LongText = ""
    action_plan: LongText = Field("", description="Needed for a red flag (R-SS-3)")
    equipment: list[rules.Equipment] = Field([], max_length=10)
    complete_contact: bool = Field(
        False, description="Also complete the antenatal, new baby or 6-8 week review"
    )
    in_home: bool | None = None


class ObservationIn(Input):
    person_id: RecordId
    assessed_on: IsoDate
    seen: list[RiskName] = Field([], max_length=12, description="The risks seen (R-SS-4)")
    sleeping_arrangements: LongText = ""
    conversation: LongText = ""
    action_plan: LongText = ""
    equipment: list[rules.Equipment] = Field([], max_length=10)


class ContactCompleteIn(Input):
    completed_on: IsoDate
    in_home: bool | None = None
    delegated_note: Annotated[Text, Field(max_length=500)] = ""
    version: int | None = Field(None, description="The version read; a stale one is a 409")


class DisruptionIn(Input):
    kind: rules.DisruptionKind
    occurred_on: IsoDate
    details: LongText = ""
    person_id: RecordId | None = Field(None, description="Whom it concerns, if one person")


# --- Assessments and observations ---------------------------------------------------------


@router.get(
    "/families/{record_id:family_id}/safer-sleep-assessments",
    **operation(READ, {200: list[AssessmentOut]}),
)
def safer_sleep_assessment_list(request: HttpRequest, family_id: int) -> list[AssessmentOut]:
    """The family's safer-sleep assessments and observations, newest first."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [
        _assessment_out(s)
        for s in selectors.safer_sleep_assessment_list(actor=actor, family=family)
    ]


@router.post(
    "/families/{record_id:family_id}/safer-sleep-assessments",
    **operation(WRITE, {201: AssessmentOut}, body=True),
)
def safer_sleep_assessment_record(
    request: HttpRequest, family_id: int, payload: AssessmentIn
) -> Status[AssessmentOut]:
    """Record a safer-sleep assessment (R-SS-2) at a contact (R-SS-1).

    Every risk must be answered true or false. A red flag (R-SS-3: sofa or chair sleeping,
    or bed-sharing with smoking, 2+ units, drugs or a premature or small baby) needs
    `conversation` and `action_plan`, and alerts the lead professional and health visitor.
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    risks = rules.SleepRisks(**{name: getattr(payload, name) for name in rules.RISK_FIELDS})
    with _api_field_names():
        assessment = services.safer_sleep_assessment_record(
            actor=actor,
            family=family,
            person=_member(family, payload.person_id),
            contact=payload.contact,
            risks=risks,
            assessed_on=payload.assessed_on,
            sleeping_arrangements=payload.sleeping_arrangements,
            conversation=payload.conversation,
            action_plan=payload.action_plan,
            equipment=list(payload.equipment),
            complete_contact=payload.complete_contact,
            in_home=payload.in_home,
        )
    return Status(201, _get(request, assessment.pk))


@router.post(
    "/families/{record_id:family_id}/safer-sleep-observations",
    **operation(WRITE, {201: AssessmentOut}, body=True),
)
def safer_sleep_observation_record(
    request: HttpRequest, family_id: int, payload: ObservationIn
) -> Status[AssessmentOut]:
    """Record what any agency saw of the baby's sleep (R-SS-4). A red flag needs
    `conversation` and `action_plan` and alerts the lead professional and health visitor."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    risks = rules.SleepRisks(**dict.fromkeys(payload.seen, True))
    with _api_field_names():
        assessment = services.safer_sleep_assessment_record(
            actor=actor,
            family=family,
            person=_member(family, payload.person_id),
            risks=risks,
            assessed_on=payload.assessed_on,
            sleeping_arrangements=payload.sleeping_arrangements,
            conversation=payload.conversation,
            action_plan=payload.action_plan,
            equipment=list(payload.equipment),
            observation=True,
        )
    return Status(201, _get(request, assessment.pk))


def _get(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    return _assessment_out(
        selectors.safer_sleep_assessment_get(
            actor=api_actor(request), assessment_id=assessment_id, request=request
        )
    )


@router.get(
    "/safer-sleep-assessments/{record_id:safer_sleep_assessment_id}",
    **operation(READ, {200: AssessmentOut}),
)
def safer_sleep_assessment_get(
    request: HttpRequest, safer_sleep_assessment_id: int
) -> AssessmentOut:
    """One assessment or observation."""
    return _get(request, safer_sleep_assessment_id)


# --- Health visiting contacts -------------------------------------------------------------


@router.get(
    "/families/{record_id:family_id}/health-visiting-contacts",
    **operation(READ, {200: list[ContactOut]}),
)
def health_visiting_contact_list(request: HttpRequest, family_id: int) -> list[ContactOut]:
    """The mandated reviews of each baby in the family, with due windows and overdue flags."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [
        _contact_out(row.contact)
        for baby in selectors.health_visiting_contact_list(actor=actor, family=family)
        for row in baby.contacts
    ]


@router.post(
    "/health-visiting-contacts/{record_id:hv_contact_id}/complete",
    **operation(WRITE, {200: ContactOut}, body=True, conflict=True),
)
def health_visiting_contact_complete(
    request: HttpRequest, hv_contact_id: int, payload: ContactCompleteIn
) -> ContactOut:
    """Record a review as completed (R-HCP-1, R-HCP-2). The antenatal, new baby and 6-8 week
    reviews are refused (422) until a safer-sleep assessment is recorded at them (R-SS-1)."""
    actor = api_actor(request)
    contact, _family = selectors.health_visiting_contact_get(
        actor=actor, contact_id=hv_contact_id, request=request
    )
    contact = services.contact_complete(
        actor=actor,
        contact=contact,
        completed_on=payload.completed_on,
        in_home=payload.in_home,
        delegated_note=payload.delegated_note,
        version=payload.version,
    )
    return _contact_out(contact)


# --- Disruptions of routine and reassessment tasks ----------------------------------------


@router.get(
    "/families/{record_id:family_id}/disruptions-of-routine",
    **operation(READ, {200: list[DisruptionOut]}),
)
def disruption_of_routine_list(request: HttpRequest, family_id: int) -> list[DisruptionOut]:
    """Disruptions of routine recorded for the family, newest first; a domestic abuse incident
    or a relapse the caller may not read is `withheld` (R-IS-12)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [_disruption_out(d) for d in selectors.disruption_list(actor=actor, family=family)]


@router.post(
    "/families/{record_id:family_id}/disruptions-of-routine",
    **operation(WRITE, {201: DisruptionOut}, body=True),
)
def disruption_of_routine_record(
    request: HttpRequest, family_id: int, payload: DisruptionIn
) -> Status[DisruptionOut]:
    """Record a disruption of routine, from any agency that can see the family (R-SS-4).

    Each infant under 1 and unborn baby gets a reassessment task for the health visitor(s)
    and the lead professional, who are alerted (R-SS-1).
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    person = _member(family, payload.person_id)
    if payload.person_id is not None and person is None:
        raise ValidationProblem({"person_id": ["Send the id of a member of this family"]})
    disruption = services.disruption_record(
        actor=actor,
        family=family,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        details=payload.details,
        person=person,
    )
    shown = next(
        d
        for d in selectors.disruption_list(actor=actor, family=family)
        if d.disruption == disruption
    )
    return Status(201, _disruption_out(shown))


@router.get(
    "/families/{record_id:family_id}/safer-sleep-reassessment-tasks",
    **operation(READ, {200: list[ReassessmentTaskOut]}),
)
def reassessment_task_list(request: HttpRequest, family_id: int) -> list[ReassessmentTaskOut]:
    """Safer-sleep reassessments after disruptions: open first (R-SS-1)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [
        ReassessmentTaskOut(
            id=row.task.pk,
            disruption_id=row.task.disruption_id,
            person_id=row.task.person_id,
            person_name=row.task.person.display_name,
            assignee_names=[u.full_name for u in row.assignees],
            due_on=row.task.due_on,
            overdue=row.overdue,
            done_at=row.task.done_at,
            done_by_assessment_id=row.task.done_by_assessment_id,
        )
        for row in selectors.reassessment_task_list(actor=actor, family=family)
    ]
