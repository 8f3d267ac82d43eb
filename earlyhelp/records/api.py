"""Subject access and retention over /api/v1/: the same services and selectors as the pages.

Only the information governance lead; for anyone else every operation answers 404, as for
a record that does not exist.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, Name, Text
from earlyhelp.people.api import IsoDate
from earlyhelp.records import selectors, services
from earlyhelp.records.models import ExportFormat, RetentionReview, SubjectAccessRequest
from earlyhelp.records.rules import (
    ChildWishes,
    Competence,
    IdentifiedBy,
    ReceivedVia,
    RequesterRelationship,
)

router = Router(tags=["Records"])

READ, WRITE = Scope.PEOPLE_READ, Scope.PEOPLE_WRITE
LongText = Annotated[Text, Field(max_length=5000)]


class SubjectAccessRequestIn(Input):
    requester_name: Annotated[Text, Field(max_length=200)]
    requester_relationship: RequesterRelationship
    received_via: ReceivedVia
    received_on: IsoDate
    nhs_number: Annotated[Text, Field(max_length=20)] = Field(
        "", description="Identifies the person; or send given_name, family_name and date_of_birth"
    )
    given_name: Name = ""
    family_name: Name = ""
    date_of_birth: IsoDate | None = None
    competence: Competence | None = Field(None, description="Required for a child (R-SAR-4)")
    competence_judgement: LongText = ""
    child_wishes: ChildWishes | None = Field(
        None, description="Required when a parent asks for a competent young person's data"
    )
    child_wishes_note: LongText = ""


class SubjectAccessRequestOut(Schema):
    id: int
    reference: str
    person_id: int | None
    identified_by: IdentifiedBy
    requester_name: str
    requester_relationship: RequesterRelationship
    received_via: ReceivedVia
    received_on: datetime.date
    due_on: datetime.date = Field(description="One calendar month after receipt (R-SAR-1)")
    overdue: bool
    subject_was_child: bool
    competence: str
    child_wishes: str
    response_sent_on: datetime.date | None

    @staticmethod
    def resolve_overdue(obj: SubjectAccessRequest) -> bool:
        return obj.is_overdue(timezone.localdate())


class SubjectAccessResponse(Schema):
    """Everything held about the person, with third parties redacted (R-SAR-2)."""

    about_this_response: dict[str, Any]
    person: dict[str, Any]
    previous_names: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    families: list[dict[str, Any]]
    agencies_involved: list[dict[str, Any]]
    information: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    sharing_decisions: list[dict[str, Any]]
    information_that_left_the_service: list[dict[str, Any]]
    record_of_access: dict[str, list[dict[str, Any]]]
    chronology: list[dict[str, Any]] = Field(description="The story in date order (R-SAR-4)")


class RetentionReviewIn(Input):
    review_date: IsoDate | None = Field(None, description="Today if not given")


class ReviewPerson(Schema):
    person_id: int
    name: str
    date_of_birth: datetime.date | None
    record_class: str
    record_class_label: str
    outcome: str
    outcome_label: str
    destroy_from: str = Field(description="The day retention ended (YYYY-MM-DD)")
    rule_version: int | None


class RetentionReviewOut(Schema):
    id: int
    review_date: datetime.date
    run_at: datetime.datetime
    counts: dict[str, int] = Field(description="How many people had each outcome")
    rules_used: list[dict[str, Any]]
    to_destroy: list[ReviewPerson] = Field(description="Would be destroyed on the date")
    due_but_kept: list[ReviewPerson] = Field(
        description="Due, but kept by a legal hold, an open involvement, an open subject "
        "access request or a consent on a kept family"
    )
    families_to_destroy: list[int]


@router.post(
    "/subject-access-requests",
    **operation(WRITE, {201: SubjectAccessRequestOut}, body=True),
)
def subject_access_request_record(
    request: HttpRequest, payload: SubjectAccessRequestIn
) -> Status[SubjectAccessRequestOut]:
    """Record a subject access request; the response is due one calendar month later.

    The person is identified by NHS number, or by exact name and date of birth; if no one
    (or more than one person) matches, nothing is recorded (422). Information governance
    lead only.
    """
    sar = services.subject_access_request_record(
        actor=api_actor(request),
        requester_name=payload.requester_name,
        requester_relationship=payload.requester_relationship,
        received_via=payload.received_via,
        received_on=payload.received_on,
        nhs_number=payload.nhs_number,
        given_name=payload.given_name,
        family_name=payload.family_name,
        date_of_birth=payload.date_of_birth,
        competence=payload.competence or "",
        competence_judgement=payload.competence_judgement,
        child_wishes=payload.child_wishes or "",
        child_wishes_note=payload.child_wishes_note,
    )
    return Status(201, SubjectAccessRequestOut.from_orm(sar))


@router.get(
    "/subject-access-requests/{record_id:request_id}/response",
    **operation(READ, {200: SubjectAccessResponse}),
)
def subject_access_export(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """The response to a request as JSON: everything held, with exemptions applied.

    Each call is a disclosure: it is written to the disclosure log and the access log.
    Information governance lead only.
    """
    actor = api_actor(request)
    sar = selectors.subject_access_request_get(actor=actor, request_id=request_id, request=request)
    file = services.subject_access_export(
        actor=actor, subject_access_request=sar, format=ExportFormat.JSON, request=request
    )
    return file.data


@router.post(
    "/retention/reviews",
    **operation(READ, {201: RetentionReviewOut}, body=True),
)
def retention_review(
    request: HttpRequest, payload: RetentionReviewIn | None = None
) -> Status[RetentionReviewOut]:
    """A retention dry run: who the rules would destroy on a date. Nothing is destroyed.

    Destruction needs the explicit confirmation on the review's page. Information governance
    lead only.
    """
    actor = api_actor(request)
    review = services.retention_review(
        actor=actor, review_date=payload.review_date if payload is not None else None
    )
    return Status(201, _review_out(request, review))


def _review_out(request: HttpRequest, review: RetentionReview) -> RetentionReviewOut:
    to_destroy, kept = selectors.retention_review_people(
        actor=api_actor(request), review=review, request=request
    )
    return RetentionReviewOut(
        id=review.pk,
        review_date=review.review_date,
        run_at=review.run_at,
        counts=review.counts,
        rules_used=review.rules_used,
        to_destroy=[ReviewPerson(**row.__dict__) for row in to_destroy],
        due_but_kept=[ReviewPerson(**row.__dict__) for row in kept],
        families_to_destroy=review.families_to_destroy,
    )
