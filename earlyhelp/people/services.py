"""Writes about people and families. Pages and the API both call these; nothing else writes.

Each service checks the actor may see what they change (sharing.policies), validates with
people.rules, saves in one transaction and writes the audit event in that same transaction
(so a failed change leaves neither the change nor its audit behind).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import (
    chronology_record_about,
    chronology_record_for_person,
)
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.people import rules
from earlyhelp.people.models import (
    AccommodationType,
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
    Relationship,
    SearchName,
    Sex,
)
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User


@dataclass(frozen=True)
class PersonDetails:
    """What a practitioner records about a person. Empty strings mean "not recorded"."""

    given_name: str
    family_name: str
    sex: str = Sex.NOT_KNOWN
    date_of_birth: datetime.date | None = None
    is_unborn: bool = False
    expected_date_of_delivery: datetime.date | None = None
    nhs_number: str = ""
    nhs_number_source: str = ""
    ethnicity: str = ""
    first_language: str = ""


def search_names_add(values: Iterable[str]) -> None:
    """Keep the table of distinct names complete, so new people can be found at once."""
    keys = {v for v in values if v}
    if keys:
        SearchName.objects.bulk_create([SearchName(value=k) for k in keys], ignore_conflicts=True)


def _validate_person(details: PersonDetails, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not details.family_name.strip():
        add("family_name", "Enter a family name")
    elif not rules.name_key(details.family_name):
        add("family_name", "Family name must include at least one letter")
    if details.sex not in Sex.values:
        add("sex", "Select a sex from the list")
    if details.is_unborn:
        if details.date_of_birth:
            add(
                "date_of_birth",
                "An unborn baby has an expected date of delivery, not a date of birth",
            )
        if details.expected_date_of_delivery is None:
            add("expected_date_of_delivery", "Enter the expected date of delivery")
        else:
            problem = rules.expected_delivery_problem(details.expected_date_of_delivery, today)
            if problem:
                add("expected_date_of_delivery", problem)
    else:
        if details.date_of_birth is None:
            add("date_of_birth", "Enter a date of birth")
        else:
            problem = rules.date_of_birth_problem(details.date_of_birth, today)
            if problem:
                add("date_of_birth", problem)
        if not details.given_name.strip():
            add("given_name", "Enter a given name")
    if details.nhs_number:
        number = rules.normalise_nhs_number(details.nhs_number)
        if not rules.nhs_number_is_valid(number):
            add(
                "nhs_number",
                "Enter a valid NHS number: 10 digits, like 943 476 5919",
            )
    return errors


def _nhs_number_taken(number: str, *, exclude_id: int | None = None) -> bool:
    others = Person.objects.filter(nhs_number=number)
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    return others.exists()


DUPLICATE_NHS_NUMBER = (
    "This NHS number is already recorded for someone else. Search for them instead of "
    "recording them again"
)


def _person_fields(details: PersonDetails) -> dict[str, Any]:
    nhs = rules.normalise_nhs_number(details.nhs_number) or None
    return {
        "given_name": details.given_name.strip(),
        "family_name": details.family_name.strip(),
        "given_name_key": rules.name_key(details.given_name),
        "family_name_key": rules.name_key(details.family_name),
        "sex": details.sex,
        "date_of_birth": None if details.is_unborn else details.date_of_birth,
        "is_unborn": details.is_unborn,
        "expected_date_of_delivery": (
            details.expected_date_of_delivery if details.is_unborn else None
        ),
        "nhs_number": nhs,
        "nhs_number_source": details.nhs_number_source if nhs else "",
        "ethnicity": details.ethnicity.strip(),
        "first_language": details.first_language.strip(),
    }


def _actor_organisation(actor: User) -> Organisation | None:
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            return membership.team.organisation
    return None


def _casework_organisation_ids(actor: User) -> set[int]:
    return {m.team.organisation_id for m in actor.active_memberships() if m.role in CASEWORK_ROLES}


def _require_casework(actor: User) -> None:
    if not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden


def _save_person(fields: dict[str, Any], *, person: Person | None = None) -> Person:
    """Insert or update; a duplicate NHS number that slipped past the check becomes a message."""
    try:
        with transaction.atomic():
            if person is None:
                person = Person.objects.create(**fields)
            else:
                for name, value in fields.items():
                    setattr(person, name, value)
                person.save()
    except IntegrityError as error:
        raise ValidationProblem({"nhs_number": [DUPLICATE_NHS_NUMBER]}) from error
    search_names_add([person.given_name_key, person.family_name_key])
    return person


@transaction.atomic
def person_create(
    *,
    actor: User,
    details: PersonDetails,
    family: Family | None = None,
    relationship: str = "",
    today: datetime.date | None = None,
) -> Person:
    """Record a new person, optionally as a member of a family the actor may see.

    A person recorded outside any family gets an involvement of the actor's agency, so the
    person who recorded them can find them again.
    """
    _require_casework(actor)
    today = today or timezone.localdate()
    errors = _validate_person(details, today=today)
    if family is not None and relationship not in Relationship.values:
        errors.setdefault("relationship", []).append("Select how they are related to the family")
    number = rules.normalise_nhs_number(details.nhs_number)
    if number and "nhs_number" not in errors and _nhs_number_taken(number):
        errors["nhs_number"] = [DUPLICATE_NHS_NUMBER]
    if errors:
        raise ValidationProblem(errors)
    if family is not None and policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    person = _save_person(_person_fields(details))
    audit_record(actor=actor, action="person.create", obj=person, summary=person.display_name)
    if family is not None:
        _member_add(actor=actor, family=family, person=person, relationship=relationship)
    else:
        organisation = _actor_organisation(actor)
        if organisation is not None:
            _involvement_add(
                actor=actor, organisation=organisation, person=person, service="", today=today
            )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    details: PersonDetails,
    version: int,
    today: datetime.date | None = None,
) -> Person:
    """Change a person's details. A change based on an older version is refused (EditConflict).

    Whether someone is unborn changes only through person_record_birth.
    """
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    today = today or timezone.localdate()
    details = PersonDetails(**{**details.__dict__, "is_unborn": person.is_unborn})
    if person.is_unborn and details.expected_date_of_delivery == person.expected_date_of_delivery:
        # An overdue baby's date is already past: only a changed date is checked.
        errors = _validate_person(
            PersonDetails(**{**details.__dict__, "expected_date_of_delivery": today}), today=today
        )
    else:
        errors = _validate_person(details, today=today)
    number = rules.normalise_nhs_number(details.nhs_number)
    if number and "nhs_number" not in errors and _nhs_number_taken(number, exclude_id=person.pk):
        errors["nhs_number"] = [DUPLICATE_NHS_NUMBER]
    if errors:
        raise ValidationProblem(errors)
    fields = _person_fields(details)
    before = {name: str(getattr(person, name)) for name in fields}
    updated = Person.objects.filter(pk=person.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict
    person.refresh_from_db()
    _save_person(fields, person=person)
    changes = {k: [before[k], str(v)] for k, v in fields.items() if before[k] != str(v)}
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        summary=person.display_name,
        changes=changes,
    )
    return person


@transaction.atomic
def person_record_birth(
    *,
    actor: User,
    person: Person,
    date_of_birth: datetime.date,
    given_name: str,
    sex: str,
    nhs_number: str = "",
    today: datetime.date | None = None,
) -> Person:
    """The unborn baby's record becomes the child's, keeping its history (R-CW-1).

    The same row is kept, so involvements, family membership and everything recorded before
    birth stay with the child; the family relationship changes from unborn baby to child.
    """
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    today = today or timezone.localdate()
    if not person.is_unborn:
        raise ValidationProblem({"__all__": ["This birth has already been recorded"]})
    details = PersonDetails(
        given_name=given_name,
        family_name=person.family_name,
        sex=sex,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        nhs_number_source="Birth notification" if nhs_number else "",
        ethnicity=person.ethnicity,
        first_language=person.first_language,
    )
    errors = _validate_person(details, today=today)
    number = rules.normalise_nhs_number(nhs_number)
    if number and "nhs_number" not in errors and _nhs_number_taken(number, exclude_id=person.pk):
        errors["nhs_number"] = [DUPLICATE_NHS_NUMBER]
    if errors:
        raise ValidationProblem(errors)
    expected = person.expected_date_of_delivery
    fields = _person_fields(details)
    fields["version"] = person.version + 1
    _save_person(fields, person=person)
    FamilyMember.objects.filter(
        person=person, relationship=Relationship.UNBORN_BABY, left_on__isnull=True
    ).update(relationship=Relationship.CHILD)
    audit_record(
        actor=actor,
        action="person.record_birth",
        obj=person,
        summary=person.display_name,
        changes={
            "date_of_birth": [None, date_of_birth.isoformat()],
            "expected_date_of_delivery": [expected.isoformat() if expected else None, None],
        },
    )
    chronology_record_for_person(
        actor=actor,
        person=person,
        occurred_on=date_of_birth,
        kind=EntryKind.BIRTH,
        summary=f"{person.display_name} was born",
        source=person,
    )
    return person


@transaction.atomic
def person_alias_add(
    *, actor: User, person: Person, given_name: str, family_name: str
) -> PersonAlias:
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    if not rules.name_key(family_name):
        raise ValidationProblem({"family_name": ["Enter the other family name"]})
    alias = PersonAlias.objects.create(
        person=person,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        given_name_key=rules.name_key(given_name),
        family_name_key=rules.name_key(family_name),
    )
    search_names_add([alias.given_name_key, alias.family_name_key])
    audit_record(actor=actor, action="person.alias_add", obj=person, summary=str(alias))
    return alias


@transaction.atomic
def address_add(
    *,
    actor: User,
    person: Person,
    line_1: str,
    town: str,
    postcode: str,
    local_authority: str,
    moved_in_on: datetime.date,
    line_2: str = "",
    inside_partnership_area: bool = True,
    accommodation_type: str = AccommodationType.OTHER,
    today: datetime.date | None = None,
) -> Address:
    """Add the person's new current address; the previous one ends the day before the move."""
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not line_1.strip():
        errors["line_1"] = ["Enter the first line of the address"]
    if not town.strip():
        errors["town"] = ["Enter the town or city"]
    if not rules.postcode_is_valid(postcode):
        errors["postcode"] = ["Enter a full UK postcode, like LS1 4AP"]
    if not local_authority.strip():
        errors["local_authority"] = ["Enter the local authority"]
    if accommodation_type not in AccommodationType.values:
        errors["accommodation_type"] = ["Select the type of accommodation"]
    if moved_in_on > today:
        errors["moved_in_on"] = ["The date they moved in must be today or in the past"]
    current = person.addresses.filter(moved_out_on__isnull=True).first()
    if current is not None and moved_in_on <= current.moved_in_on:
        errors.setdefault("moved_in_on", []).append(
            "The date they moved in must be after they moved into their current address"
        )
    if errors:
        raise ValidationProblem(errors)
    if current is not None:
        current.moved_out_on = moved_in_on - datetime.timedelta(days=1)
        current.save(update_fields=["moved_out_on"])
    address = Address.objects.create(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=rules.normalise_postcode(postcode),
        local_authority=local_authority.strip(),
        inside_partnership_area=inside_partnership_area,
        accommodation_type=accommodation_type,
        moved_in_on=moved_in_on,
    )
    audit_record(
        actor=actor, action="person.address_add", obj=person, summary=f"moved in {moved_in_on}"
    )
    chronology_record_for_person(
        actor=actor,
        person=person,
        occurred_on=moved_in_on,
        kind=EntryKind.MOVE,
        summary="Moved to a new address"
        + ("" if inside_partnership_area else " outside the partnership area"),
        source=address,
    )
    return address


def _member_add(*, actor: User, family: Family, person: Person, relationship: str) -> FamilyMember:
    if FamilyMember.objects.filter(family=family, person=person, left_on__isnull=True).exists():
        raise ValidationProblem({"person": ["This person is already a member of the family"]})
    member = FamilyMember.objects.create(
        family=family,
        person=person,
        relationship=relationship,
        joined_on=timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="family.member_add",
        obj=family,
        summary=f"{person.display_name} as {member.get_relationship_display()}",
    )
    return member


@transaction.atomic
def family_member_add(
    *, actor: User, family: Family, person: Person, relationship: str
) -> FamilyMember:
    """Add someone already recorded (and visible to the actor) to a family."""
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    if relationship not in Relationship.values:
        raise ValidationProblem({"relationship": ["Select how they are related to the family"]})
    return _member_add(actor=actor, family=family, person=person, relationship=relationship)


@transaction.atomic
def family_create(
    *, actor: User, name: str, service: str = "", today: datetime.date | None = None
) -> Family:
    """Record a family. The actor's agency becomes involved, so they can see what they made."""
    _require_casework(actor)
    if not name.strip():
        raise ValidationProblem(
            {"name": ["Enter a name for the family, like 'Ashworth household'"]}
        )
    family = Family.objects.create(name=name.strip())
    audit_record(actor=actor, action="family.create", obj=family, summary=family.name)
    organisation = _actor_organisation(actor)
    if organisation is not None:
        _involvement_add(
            actor=actor,
            organisation=organisation,
            family=family,
            service=service,
            today=today or timezone.localdate(),
        )
    return family


def _involvement_add(
    *,
    actor: User,
    organisation: Organisation,
    service: str,
    today: datetime.date,
    family: Family | None = None,
    person: Person | None = None,
) -> Involvement:
    team = next(
        (
            m.team
            for m in actor.active_memberships()
            if m.team.organisation_id == organisation.pk and m.role in CASEWORK_ROLES
        ),
        None,
    )
    involvement = Involvement.objects.create(
        organisation=organisation,
        team=team,
        practitioner=actor if team is not None else None,
        family=family,
        person=person,
        service=service.strip() or organisation.get_agency_type_display(),
        started_on=today,
    )
    subject = family or person
    assert subject is not None
    chronology_record_about(
        actor=actor,
        subject=subject,
        occurred_on=today,
        kind=EntryKind.OTHER,
        summary=f"{organisation.name} started working with them: {involvement.service}",
        source=involvement,
        source_organisation=organisation,
    )
    audit_record(
        actor=actor,
        action="involvement.start",
        obj=subject,
        summary=f"{organisation.name}: {involvement.service}",
    )
    return involvement


@transaction.atomic
def involvement_start(
    *,
    actor: User,
    organisation: Organisation,
    service: str,
    family: Family | None = None,
    person: Person | None = None,
    started_on: datetime.date | None = None,
) -> Involvement:
    """Record that an agency is working with a family or person (the legitimate relationship).

    The actor must already see the family or person: involvement cannot be used to reach
    records one has no reason to see.
    """
    if (family is None) == (person is None):
        raise ValidationProblem({"__all__": ["Choose either a family or a person"]})
    if family is not None and policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    if person is not None and policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    # An involvement gives its agency access: nobody may grant it to another agency.
    if organisation.pk not in _casework_organisation_ids(actor):
        raise ValidationProblem(
            {"organisation": ["You can only record your own agency's involvement"]}
        )
    today = timezone.localdate()
    started_on = started_on or today
    if started_on > today:
        raise ValidationProblem({"started_on": ["The start date must be today or in the past"]})
    return _involvement_add(
        actor=actor,
        organisation=organisation,
        family=family,
        person=person,
        service=service,
        today=started_on,
    )


@transaction.atomic
def involvement_end(
    *, actor: User, involvement: Involvement, ended_on: datetime.date | None = None
) -> Involvement:
    subject = involvement.family or involvement.person
    assert subject is not None
    route = (
        policies.family_access_route(actor, involvement.family)
        if involvement.family is not None
        else policies.person_access_route(actor, involvement.person)  # type: ignore[arg-type]
    )
    if route is None:
        raise NotFoundOrForbidden
    # Ending an involvement can end another agency's access: only the agency itself may.
    if involvement.organisation_id not in _casework_organisation_ids(actor):
        raise NotFoundOrForbidden
    ended_on = ended_on or timezone.localdate()
    if ended_on < involvement.started_on:
        raise ValidationProblem({"ended_on": ["The end date must be on or after the start date"]})
    if involvement.ended_on is not None:
        raise ValidationProblem({"__all__": ["This involvement has already ended"]})
    involvement.ended_on = ended_on
    involvement.save(update_fields=["ended_on"])
    chronology_record_about(
        actor=actor,
        subject=subject,
        occurred_on=ended_on,
        kind=EntryKind.OTHER,
        summary=f"{involvement.organisation.name} stopped working with them: {involvement.service}",
        source=involvement,
        source_organisation=involvement.organisation,
    )
    audit_record(
        actor=actor,
        action="involvement.end",
        obj=subject,
        summary=f"{involvement.organisation.name}: {involvement.service}",
    )
    return involvement
