"""People, families and involvements over /api/v1/: the same services and selectors as the pages.

Every operation acts as the calling account (``request.auth``), so the sharing policy decides
what it reaches, exactly as on the pages. Reads go through the selectors (which record each
look); writes go through the services. No personal data is queried here directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re
from collections.abc import Iterator
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import BeforeValidator, Field

from earlyhelp.accounts.models import Organisation
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, Name, Page, RecordId, Text
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.models import AccessAction
from earlyhelp.people import search, selectors, services
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
    Relationship,
    Sex,
)
from earlyhelp.sharing.models import DisclosureKind
from earlyhelp.sharing.services.disclosures import disclosure_record

router = Router()

READ, WRITE, SEARCH = Scope.PEOPLE_READ, Scope.PEOPLE_WRITE, Scope.SEARCH


def _iso_date(value: Any) -> Any:
    """Dates only as YYYY-MM-DD: a number or another form is a mistake, not a timestamp."""
    if value is None or isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Enter a date as YYYY-MM-DD, like 2026-03-01")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
NhsNumber = Annotated[Text, Field(max_length=20, examples=["943 476 5919"])]
ServiceName = Annotated[Text, Field(max_length=200)]


@contextlib.contextmanager
def _api_field_names(**names: str) -> Iterator[None]:
    """Services name a field as the pages do ("person"); the API body says "person_id"."""
    try:
        yield
    except ValidationProblem as problem:
        raise ValidationProblem(
            {names.get(field, field): messages for field, messages in problem.errors.items()}
        ) from problem


# --- What the API shows -------------------------------------------------------------------


class PersonSummary(Schema):
    id: int
    display_name: str
    given_name: str
    family_name: str
    is_unborn: bool
    date_of_birth: datetime.date | None
    expected_date_of_delivery: datetime.date | None
    sex: Sex
    nhs_number: str | None


class AliasOut(Schema):
    given_name: str
    family_name: str


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    local_authority: str
    inside_partnership_area: bool
    accommodation_type: str
    moved_in_on: datetime.date
    moved_out_on: datetime.date | None


class InvolvementOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    team_name: str | None
    practitioner_name: str | None
    service: str
    started_on: datetime.date
    ended_on: datetime.date | None
    family_id: int | None
    person_id: int | None

    @staticmethod
    def resolve_organisation_name(obj: Involvement) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_team_name(obj: Involvement) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_practitioner_name(obj: Involvement) -> str | None:
        return obj.practitioner.full_name if obj.practitioner else None


class FamilyMembership(Schema):
    family_id: int
    family_name: str
    relationship: Relationship
    joined_on: datetime.date | None

    @staticmethod
    def resolve_family_name(obj: FamilyMember) -> str:
        return obj.family.name


class PersonOut(PersonSummary):
    nhs_number_source: str
    ethnicity: str
    first_language: str
    version: int = Field(description="Send this back with a change (PATCH)")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    aliases: list[AliasOut]
    addresses: list[AddressOut]
    families: list[FamilyMembership] = Field(description="Families they belong to now")
    involvements: list[InvolvementOut]

    @staticmethod
    def resolve_aliases(obj: Person) -> list[PersonAlias]:
        return list(obj.aliases.all())

    @staticmethod
    def resolve_addresses(obj: Person) -> list[Address]:
        return list(obj.addresses.all())

    @staticmethod
    def resolve_families(obj: Person) -> list[FamilyMember]:
        return [m for m in obj.family_members.all() if m.left_on is None]

    @staticmethod
    def resolve_involvements(obj: Person) -> list[Involvement]:
        return list(obj.involvements.all())


class PersonPage(Page):
    items: list[PersonSummary]


class SearchResults(Schema):
    results: list[PersonSummary]
    match_not_visible: bool = Field(
        description=(
            "A likely match exists that you may not see. Ask for access instead of recording "
            "the person again."
        )
    )


class FamilySummary(Schema):
    id: int
    name: str


class FamilyPage(Page):
    items: list[FamilySummary]


class MemberOut(Schema):
    id: int
    person: PersonSummary
    relationship: Relationship
    joined_on: datetime.date | None


class FamilyOut(FamilySummary):
    version: int
    created_at: datetime.datetime
    members: list[MemberOut] = Field(description="Members now")
    involvements: list[InvolvementOut]

    @staticmethod
    def resolve_members(obj: Family) -> list[FamilyMember]:
        return [m for m in obj.members.all() if m.left_on is None]

    @staticmethod
    def resolve_involvements(obj: Family) -> list[Involvement]:
        return list(obj.involvements.all())


# --- What the API accepts -----------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=100, description="How many to show")
    offset: int = Field(0, ge=0, le=10**9, description="How many to skip")


class SearchQuery(Schema):
    name: Annotated[Text, Field(max_length=200)] = ""
    date_of_birth: IsoDate | None = Field(None, description="Also matches an expected date")
    nhs_number: NhsNumber = ""
    postcode: Annotated[Text, Field(max_length=10)] = ""
    limit: int = Field(25, ge=1, le=100)


class PersonIn(Input):
    given_name: Name = ""
    family_name: Name
    sex: Sex = Sex.NOT_KNOWN
    date_of_birth: IsoDate | None = None
    is_unborn: bool = False
    expected_date_of_delivery: IsoDate | None = None
    nhs_number: NhsNumber | None = None
    nhs_number_source: Name = ""
    ethnicity: Name = ""
    first_language: Name = ""
    family_id: RecordId | None = Field(None, description="Record them as a member of a family")
    relationship: Relationship | None = Field(None, description="Needed with family_id")


class PersonPatch(Input):
    """Only the fields sent change; ``version`` is the one you read."""

    version: int = Field(ge=1, le=2**31 - 1)
    given_name: Name = ""
    family_name: Name = ""
    sex: Sex = Sex.NOT_KNOWN
    date_of_birth: IsoDate | None = None
    expected_date_of_delivery: IsoDate | None = None
    nhs_number: NhsNumber | None = None
    nhs_number_source: Name = ""
    ethnicity: Name = ""
    first_language: Name = ""


class BirthIn(Input):
    date_of_birth: IsoDate
    given_name: Name
    sex: Sex
    nhs_number: NhsNumber = ""


class FamilyIn(Input):
    name: Annotated[Text, Field(max_length=200)]
    service: ServiceName = Field("", description="Your agency's service working with them")


class MemberIn(Input):
    person_id: RecordId
    relationship: Relationship


class InvolvementIn(Input):
    organisation_id: RecordId
    service: ServiceName = ""
    family_id: RecordId | None = Field(None, description="Either family_id or person_id")
    person_id: RecordId | None = None
    started_on: IsoDate | None = Field(None, description="Today if not given")


class InvolvementEndIn(Input):
    ended_on: IsoDate | None = Field(None, description="Today if not given")


def _details(payload: PersonIn) -> services.PersonDetails:
    return services.PersonDetails(
        given_name=payload.given_name,
        family_name=payload.family_name,
        sex=payload.sex,
        date_of_birth=payload.date_of_birth,
        is_unborn=payload.is_unborn,
        expected_date_of_delivery=payload.expected_date_of_delivery,
        nhs_number=payload.nhs_number or "",
        nhs_number_source=payload.nhs_number_source,
        ethnicity=payload.ethnicity,
        first_language=payload.first_language,
    )


def _person_out(request: HttpRequest, person_id: int) -> PersonOut:
    """What a GET would show now (read again through the selector, so the look is recorded)."""
    person = selectors.person_get(actor=api_actor(request), person_id=person_id, request=request)
    return PersonOut.from_orm(person)


def _family_out(request: HttpRequest, family_id: int) -> FamilyOut:
    family = selectors.family_get(actor=api_actor(request), family_id=family_id, request=request)
    return FamilyOut.from_orm(family)


# --- People --------------------------------------------------------------------------------


@router.get("/people", tags=["People"], **operation(READ, {200: PersonPage}))
def person_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The people you may see, by family name, in pages."""
    actor = api_actor(request)
    people = selectors.person_list(actor=actor)
    limit, offset = page.limit, page.offset
    items = list(people[offset : offset + limit])
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="people.person",
        detail=f"offset={offset} limit={limit} -> {len(items)} shown",
        request=request,
    )
    return {"count": people.count(), "limit": limit, "offset": offset, "items": items}


@router.get("/people/search", tags=["People"], **operation(SEARCH, {200: SearchResults}))
def person_search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    """Find people by name (typos allowed), date of birth, NHS number or postcode.

    Only people you may see are listed. `match_not_visible` says a likely match exists that you
    may not see, without saying who.
    """
    criteria = search.SearchCriteria(
        name=query.name,
        date_of_birth=query.date_of_birth,
        nhs_number=query.nhs_number,
        postcode=query.postcode,
    )
    if criteria.is_empty():
        raise ValidationProblem(
            {"__all__": ["Enter a name, date of birth, NHS number or postcode"]}
        )
    result = search.person_search(
        actor=api_actor(request), criteria=criteria, limit=query.limit, request=request
    )
    return {"results": result.persons, "match_not_visible": result.match_not_visible}


@router.get("/people/{record_id:person_id}", tags=["People"], **operation(READ, {200: PersonOut}))
def person_get(request: HttpRequest, person_id: int) -> Person:
    """One person: details, addresses, families and the agencies involved."""
    person = selectors.person_get(actor=api_actor(request), person_id=person_id, request=request)
    _partner_system_read(request, what=f"Person record {person.pk}", person_id=person.pk)
    return person


@router.post("/people", tags=["People"], **operation(WRITE, {201: PersonOut}, body=True))
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    """Record a person, or an unborn baby (`is_unborn` with `expected_date_of_delivery`).

    With `family_id` and `relationship` they join that family; otherwise your agency becomes
    involved with them so that you can find them again.
    """
    actor = api_actor(request)
    family = None
    if payload.family_id is not None:
        family = selectors.family_get(actor=actor, family_id=payload.family_id, request=request)
    person = services.person_create(
        actor=actor,
        details=_details(payload),
        family=family,
        relationship=payload.relationship or "",
    )
    return Status(201, _person_out(request, person.pk))


@router.patch(
    "/people/{record_id:person_id}",
    tags=["People"],
    **operation(WRITE, {200: PersonOut}, body=True, conflict=True),
)
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> PersonOut:
    """Change some of a person's details. A change based on an older `version` is refused (409).

    Whether someone is unborn changes only by recording the birth.
    """
    actor = api_actor(request)
    person = selectors.person_get(actor=actor, person_id=person_id, request=request)
    current = services.PersonDetails(
        given_name=person.given_name,
        family_name=person.family_name,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        is_unborn=person.is_unborn,
        expected_date_of_delivery=person.expected_date_of_delivery,
        nhs_number=person.nhs_number or "",
        nhs_number_source=person.nhs_number_source,
        ethnicity=person.ethnicity,
        first_language=person.first_language,
    )
    sent = payload.model_dump(include=payload.model_fields_set - {"version"})
    if "nhs_number" in sent:
        sent["nhs_number"] = sent["nhs_number"] or ""
    services.person_update(
        actor=actor,
        person=person,
        details=dataclasses.replace(current, **sent),
        version=payload.version,
    )
    return _person_out(request, person_id)


@router.post(
    "/people/{record_id:person_id}/birth",
    tags=["People"],
    **operation(WRITE, {200: PersonOut}, body=True),
)
def person_record_birth(request: HttpRequest, person_id: int, payload: BirthIn) -> PersonOut:
    """Record the birth: the unborn baby's record becomes the child's, keeping its history."""
    actor = api_actor(request)
    person = selectors.person_get(actor=actor, person_id=person_id, request=request)
    services.person_record_birth(
        actor=actor,
        person=person,
        date_of_birth=payload.date_of_birth,
        given_name=payload.given_name,
        sex=payload.sex,
        nhs_number=payload.nhs_number,
    )
    return _person_out(request, person_id)


# --- Families ------------------------------------------------------------------------------


@router.get("/families", tags=["Families"], **operation(READ, {200: FamilyPage}))
def family_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The families you may see, by name, in pages."""
    actor = api_actor(request)
    families = selectors.family_list(actor=actor)
    limit, offset = page.limit, page.offset
    items = list(families[offset : offset + limit])
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="people.family",
        detail=f"offset={offset} limit={limit} -> {len(items)} shown",
        request=request,
    )
    return {"count": families.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/families/{record_id:family_id}", tags=["Families"], **operation(READ, {200: FamilyOut})
)
def family_get(request: HttpRequest, family_id: int) -> Family:
    """One family: its members now and the agencies involved."""
    family = selectors.family_get(actor=api_actor(request), family_id=family_id, request=request)
    _partner_system_read(request, what=f"Family record {family.pk}", family_id=family.pk)
    return family


def _partner_system_read(
    request: HttpRequest, *, what: str, person_id: int | None = None, family_id: int | None = None
) -> None:
    """A record read with a token has left the service: it goes in the disclosure log (R-IS-1).

    Reads in the signed-in browser are looks, already recorded as access events.
    """
    client = getattr(request, "api_client_name", "")
    if not client:
        return
    disclosure_record(
        actor=api_actor(request),
        kind=DisclosureKind.API_READ,
        what=what,
        recipient=client,
        purpose="Read by a partner system over the API",
        # The route that allowed the read is on the access event written with it.
        basis="The sharing policy's access for the token's account",
        person_id=person_id,
        family_id=family_id,
        request=request,
    )


@router.post("/families", tags=["Families"], **operation(WRITE, {201: FamilyOut}, body=True))
def family_create(request: HttpRequest, payload: FamilyIn) -> Status[FamilyOut]:
    """Record a family. Your agency becomes involved with it."""
    family = services.family_create(
        actor=api_actor(request), name=payload.name, service=payload.service
    )
    return Status(201, _family_out(request, family.pk))


@router.post(
    "/families/{record_id:family_id}/members",
    tags=["Families"],
    **operation(WRITE, {201: MemberOut}, body=True),
)
def family_member_add(request: HttpRequest, family_id: int, payload: MemberIn) -> Status[MemberOut]:
    """Add someone already recorded, whom you may see, to the family."""
    actor = api_actor(request)
    family = selectors.family_get(actor=actor, family_id=family_id, request=request)
    person = selectors.person_get(actor=actor, person_id=payload.person_id, request=request)
    with _api_field_names(person="person_id"):
        member = services.family_member_add(
            actor=actor, family=family, person=person, relationship=payload.relationship
        )
    return Status(201, MemberOut.from_orm(member))


@router.get(
    "/families/{record_id:family_id}/involvements",
    tags=["Families"],
    **operation(READ, {200: list[InvolvementOut]}),
)
def family_involvement_list(request: HttpRequest, family_id: int) -> list[Involvement]:
    """The agencies involved with the family, past and present."""
    family = selectors.family_get(actor=api_actor(request), family_id=family_id, request=request)
    return list(family.involvements.all())


# --- Involvements --------------------------------------------------------------------------


@router.post(
    "/involvements", tags=["Involvements"], **operation(WRITE, {201: InvolvementOut}, body=True)
)
def involvement_start(request: HttpRequest, payload: InvolvementIn) -> Status[InvolvementOut]:
    """Record that an agency works with a family or a person you may already see."""
    actor = api_actor(request)
    # An agency is reference data, not personal data: looked up directly.
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ValidationProblem({"organisation_id": ["Select an agency that exists"]})
    family = person = None
    if payload.family_id is not None:
        family = selectors.family_get(actor=actor, family_id=payload.family_id, request=request)
    if payload.person_id is not None:
        person = selectors.person_get(actor=actor, person_id=payload.person_id, request=request)
    with _api_field_names(organisation="organisation_id"):
        involvement = services.involvement_start(
            actor=actor,
            organisation=organisation,
            service=payload.service,
            family=family,
            person=person,
            started_on=payload.started_on,
        )
    return Status(201, InvolvementOut.from_orm(involvement))


@router.post(
    "/involvements/{record_id:involvement_id}/end",
    tags=["Involvements"],
    **operation(WRITE, {200: InvolvementOut}, body=True),
)
def involvement_end(
    request: HttpRequest, involvement_id: int, payload: InvolvementEndIn | None = None
) -> InvolvementOut:
    """End an agency's involvement (today, or on `ended_on`)."""
    actor = api_actor(request)
    involvement = selectors.involvement_get(
        actor=actor, involvement_id=involvement_id, request=request
    )
    services.involvement_end(
        actor=actor,
        involvement=involvement,
        ended_on=payload.ended_on if payload is not None else None,
    )
    return InvolvementOut.from_orm(involvement)
