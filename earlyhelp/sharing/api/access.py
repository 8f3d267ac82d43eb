"""API operations: information held about a person, who can see a family and why, and
emergency (break-glass) access with its review.

The same services and selectors as the pages. An API answer leaves the service, so a
confidential referrer is always redacted in it, even for the agency that recorded it (R-IS-5).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, Name, Text
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate, NhsNumber
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    BreakGlassGrant,
    BreakGlassReview,
    DisclosureKind,
    InformationCategory,
)
from earlyhelp.sharing.policies import Route
from earlyhelp.sharing.selectors import access as access_selectors
from earlyhelp.sharing.selectors.information import PersonInformation, person_information
from earlyhelp.sharing.services import break_glass, information
from earlyhelp.sharing.services.disclosures import disclosure_record

router = Router(tags=["Sharing"])

READ, WRITE = Scope.PEOPLE_READ, Scope.PEOPLE_WRITE


# --- Information held ----------------------------------------------------------------------


class InformationOut(Schema):
    id: int
    person_id: int
    category: str | None = Field(description="The category's code; null for general information")
    category_name: str
    summary: str
    detail: str
    source_organisation_name: str
    recorded_by_name: str
    recorded_at: datetime.datetime
    referrer: str = Field(description='"Confidential referrer" where the referrer is confidential')


class PersonInformationOut(Schema):
    items: list[InformationOut] = Field(description="What you may read in full")
    flags: list[str] = Field(
        description=(
            "For categories with information you may not read: the category's flag, once "
            "each, never the information itself"
        )
    )


class InformationIn(Input):
    summary: Annotated[Text, Field(max_length=200)]
    detail: Annotated[Text, Field(max_length=5000)] = ""
    category: Annotated[str, Field(max_length=50)] | None = Field(
        None, description="A category code, like care_history; omit for general information"
    )
    referrer: Annotated[Text, Field(max_length=200)] = ""
    referrer_confidential: bool = False


def _information_out(shown: PersonInformation) -> PersonInformationOut:
    return PersonInformationOut(
        items=[
            InformationOut(
                id=i.id,
                person_id=i.person_id,
                category=i.category_code,
                category_name=i.category_name,
                summary=i.summary,
                detail=i.detail,
                source_organisation_name=i.source_organisation_name,
                recorded_by_name=i.recorded_by_name,
                recorded_at=i.recorded_at,
                referrer=i.referrer,
            )
            for i in shown.items
        ],
        flags=shown.flags,
    )


@router.get(
    "/people/{record_id:person_id}/information",
    tags=["People"],
    **operation(READ, {200: PersonInformationOut}),
)
def information_list(request: HttpRequest, person_id: int) -> PersonInformationOut:
    """What is known about a person: what you may read in full, and flags for the rest.

    Information in a need-to-know category that you may not read appears only as that
    category's flag (for example "Care-experienced: yes, ask the lead professional").
    Confidential referrers are always redacted.
    """
    actor = api_actor(request)
    person = people_selectors.person_get(actor=actor, person_id=person_id, request=request)
    shown = person_information(actor=actor, person=person, exported=True)
    token = getattr(request, "api_token", None)
    if token is not None and shown.items:
        # A partner system's read takes the information out of the service (R-IS-1).
        disclosure_record(
            actor=actor,
            kind=DisclosureKind.API_READ,
            what=f"{len(shown.items)} information items about person {person.pk}",
            recipient=token.label,
            purpose="Read by a partner system over the API",
            basis=f"Sharing policy route: {policies.person_access_route(actor, person)}",
            person_id=person.pk,
            request=request,
        )
    return _information_out(shown)


@router.post(
    "/people/{record_id:person_id}/information",
    tags=["People"],
    **operation(WRITE, {201: InformationOut}, body=True),
)
def information_record(
    request: HttpRequest, person_id: int, payload: InformationIn
) -> Status[InformationOut]:
    """Record something your agency knows about a person you may see."""
    actor = api_actor(request)
    person = people_selectors.person_get(actor=actor, person_id=person_id, request=request)
    category = None
    if payload.category is not None:
        category = InformationCategory.objects.filter(code=payload.category).first()
        if category is None:
            codes = ", ".join(InformationCategory.objects.values_list("code", flat=True))
            raise ValidationProblem({"category": [f"Choose one of: {codes}"]})
    item = information.information_record(
        actor=actor,
        person=person,
        summary=payload.summary,
        detail=payload.detail,
        category=category,
        referrer=payload.referrer,
        referrer_confidential=payload.referrer_confidential,
    )
    shown = person_information(actor=actor, person=person, exported=True)
    return Status(201, next(i for i in _information_out(shown).items if i.id == item.pk))


# --- Who can see a family ------------------------------------------------------------------


class PractitionerOut(Schema):
    id: int
    full_name: str
    job_title: str


class AccessHolderOut(Schema):
    organisation_id: int | None
    organisation_name: str
    practitioners: list[PractitionerOut]
    reasons: list[str]


class RouteAccessOut(Schema):
    route: Route
    description: str
    holders: list[AccessHolderOut]


class FamilyAccessOut(Schema):
    family_id: int
    family_name: str
    your_routes: list[Route]
    routes: list[RouteAccessOut]


@router.get(
    "/families/{record_id:family_id}/access",
    tags=["Families"],
    **operation(READ, {200: FamilyAccessOut}),
)
def family_who_can_see(request: HttpRequest, family_id: int) -> FamilyAccessOut:
    """Who can see the family, and why: every practitioner with access, by route."""
    access = access_selectors.family_who_can_see(
        actor=api_actor(request), family_id=family_id, request=request
    )
    return FamilyAccessOut(
        family_id=access.family.pk,
        family_name=access.family.name,
        your_routes=access.viewer_routes,
        routes=[
            RouteAccessOut(
                route=group.route,
                description=group.description,
                holders=[
                    AccessHolderOut(
                        organisation_id=h.organisation.pk if h.organisation else None,
                        organisation_name=h.name,
                        practitioners=[
                            PractitionerOut(id=u.pk, full_name=u.full_name, job_title=u.job_title)
                            for u in h.practitioners
                        ],
                        reasons=h.reasons,
                    )
                    for h in group.holders
                ],
            )
            for group in access.routes
        ],
    )


# --- Emergency (break-glass) access --------------------------------------------------------


class BreakGlassIn(Input):
    """Who the emergency is about: the NHS number, or the exact name and date of birth."""

    reason: Annotated[Text, Field(max_length=2000)] = Field(
        description=f"Why you need access now: at least {break_glass.REASON_MIN_LENGTH} characters"
    )
    nhs_number: NhsNumber = ""
    given_name: Name = ""
    family_name: Name = ""
    date_of_birth: IsoDate | None = None


class GrantOut(Schema):
    id: int
    family_id: int
    family_name: str
    practitioner_id: int
    practitioner_name: str
    opened_at: datetime.datetime
    expires_at: datetime.datetime


class GrantsOut(Schema):
    grants: list[GrantOut] = Field(description="One for each family the person belongs to")


class ReviewOut(GrantOut):
    reason: str
    review: BreakGlassReview | None
    review_note: str
    reviewed_at: datetime.datetime | None


def _grant(grant: BreakGlassGrant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "family_id": grant.family_id,
        "family_name": grant.family.name,
        "practitioner_id": grant.practitioner_id,
        "practitioner_name": str(grant.practitioner),
        "opened_at": grant.opened_at,
        "expires_at": grant.expires_at,
    }


def _review_out(grant: BreakGlassGrant) -> ReviewOut:
    return ReviewOut(
        **_grant(grant),
        reason=grant.reason,
        review=BreakGlassReview(grant.review) if grant.review else None,
        review_note=grant.review_note,
        reviewed_at=grant.reviewed_at,
    )


class ReviewIn(Input):
    review: BreakGlassReview
    note: Annotated[Text, Field(max_length=2000)]


class ReviewQuery(Schema):
    waiting: bool = Field(True, description="Only uses not yet reviewed")


@router.post(
    "/break-glass", tags=["Emergency access"], **operation(WRITE, {201: GrantsOut}, body=True)
)
def break_glass_open(request: HttpRequest, payload: BreakGlassIn) -> Status[GrantsOut]:
    """Open emergency access to the family of someone whose record you cannot see.

    For a child at risk now. Access lasts a few hours; information governance is told at once
    and reviews every use. Nothing about the person is shown until access is open.
    """
    grants = break_glass.break_glass_open_for_person(
        actor=api_actor(request),
        identifiers=break_glass.PersonIdentifiers(
            nhs_number=payload.nhs_number,
            given_name=payload.given_name,
            family_name=payload.family_name,
            date_of_birth=payload.date_of_birth,
        ),
        reason=payload.reason,
        request=request,
    )
    return Status(201, GrantsOut(grants=[GrantOut(**_grant(g)) for g in grants]))


@router.get("/break-glass", tags=["Emergency access"], **operation(READ, {200: list[ReviewOut]}))
def break_glass_list(request: HttpRequest, query: Query[ReviewQuery]) -> list[ReviewOut]:
    """Uses of emergency access, for information governance leads (empty for anyone else)."""
    actor = api_actor(request)
    if not break_glass.is_information_governance_lead(actor):
        return []
    waiting, reviewed = access_selectors.break_glass_review_queue(actor=actor, request=request)
    return [_review_out(g) for g in (waiting if query.waiting else waiting + reviewed)]


@router.get(
    "/break-glass/{record_id:grant_id}/review",
    tags=["Emergency access"],
    **operation(READ, {200: ReviewOut}),
)
def break_glass_review_get(request: HttpRequest, grant_id: int) -> ReviewOut:
    """One use of emergency access and its review, for information governance leads."""
    return _review_out(
        access_selectors.break_glass_grant_for_review(
            actor=api_actor(request), grant_id=grant_id, request=request
        )
    )


@router.post(
    "/break-glass/{record_id:grant_id}/review",
    tags=["Emergency access"],
    **operation(WRITE, {200: ReviewOut}, body=True),
)
def break_glass_review(request: HttpRequest, grant_id: int, payload: ReviewIn) -> ReviewOut:
    """Mark a use of emergency access justified or not justified, with a note."""
    actor = api_actor(request)
    grant = access_selectors.break_glass_grant_for_review(
        actor=actor, grant_id=grant_id, request=request
    )
    reviewed = break_glass.break_glass_review(
        actor=actor, grant=grant, review=payload.review, note=payload.note
    )
    return _review_out(reviewed)
