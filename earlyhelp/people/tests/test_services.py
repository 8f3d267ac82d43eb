"""Writes about people and families, through people.services only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people import services
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    Relationship,
    Sex,
)
from earlyhelp.people.services import DUPLICATE_NHS_NUMBER, PersonDetails
from earlyhelp.sharing import policies

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def amber(**changes: object) -> PersonDetails:
    fields: dict[str, object] = {
        "given_name": "Amber",
        "family_name": "Brennan",
        "sex": Sex.FEMALE,
        "date_of_birth": datetime.date(2009, 3, 15),
        "nhs_number": "943 476 5919",
    }
    fields.update(changes)
    return PersonDetails(**fields)  # type: ignore[arg-type]


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Family.objects.count(),
        FamilyMember.objects.count(),
        Involvement.objects.count(),
        AuditEvent.objects.count(),
    )


# Recording a person


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (amber(family_name=" "), "family_name", "Enter a family name"),
        (amber(given_name=""), "given_name", "Enter a given name"),
        (amber(nhs_number="9434765918"), "nhs_number", "Enter a valid NHS number"),
        (amber(date_of_birth=None), "date_of_birth", "Enter a date of birth"),
        (
            amber(date_of_birth=TODAY + datetime.timedelta(days=1)),
            "date_of_birth",
            "must be today or in the past",
        ),
        (amber(sex="robot"), "sex", "Select a sex"),
        (
            PersonDetails(given_name="", family_name="Brennan", is_unborn=True),
            "expected_date_of_delivery",
            "Enter the expected date of delivery",
        ),
        (
            PersonDetails(
                given_name="",
                family_name="Brennan",
                is_unborn=True,
                expected_date_of_delivery=TODAY - datetime.timedelta(days=1),
            ),
            "expected_date_of_delivery",
            "today or in the future",
        ),
        (
            PersonDetails(
                given_name="",
                family_name="Brennan",
                is_unborn=True,
                expected_date_of_delivery=datetime.date(2027, 9, 27),
            ),
            "expected_date_of_delivery",
            "within 10 months",
        ),
    ],
)
def test_person_create_refuses_bad_details_and_saves_nothing(
    partnership, details: PersonDetails, field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ValidationProblem) as raised:
        services.person_create(actor=partnership.maya, details=details, today=TODAY)
    assert any(message in m for m in raised.value.errors[field])
    assert counts() == before


def test_person_create_refuses_a_duplicate_nhs_number(partnership) -> None:
    Person.objects.filter(pk=partnership.chloe.pk).update(nhs_number="9434765919")
    before = counts()
    with pytest.raises(ValidationProblem) as raised:
        services.person_create(
            actor=partnership.maya,
            details=amber(),
            family=partnership.ashworth,
            relationship=Relationship.SIBLING,
            today=TODAY,
        )
    assert raised.value.errors["nhs_number"] == [DUPLICATE_NHS_NUMBER]
    assert counts() == before


def test_person_create_in_a_family_writes_the_person_membership_and_audit(partnership) -> None:
    p = partnership
    person = services.person_create(
        actor=p.maya,
        details=amber(),
        family=p.ashworth,
        relationship=Relationship.SIBLING,
        today=TODAY,
    )
    assert person.nhs_number == "9434765919"
    assert person.family_name_key == "BRENNAN"
    member = FamilyMember.objects.get(person=person)
    assert (member.family, member.relationship) == (p.ashworth, Relationship.SIBLING)
    actions = set(
        AuditEvent.objects.filter(actor=p.maya).values_list("action", "object_type", "object_id")
    )
    assert ("person.create", "people.person", str(person.pk)) in actions
    assert ("family.member_add", "people.family", str(p.ashworth.pk)) in actions


def test_person_recorded_outside_a_family_is_found_again_by_who_recorded_them(
    partnership,
) -> None:
    person = services.person_create(actor=partnership.owen, details=amber(), today=TODAY)
    involvement = Involvement.objects.get(person=person)
    assert involvement.organisation == partnership.police
    assert policies.person_access_route(partnership.owen, person) is not None


def test_outsider_cannot_add_someone_to_a_family_they_cannot_see(partnership) -> None:
    before = counts()
    with pytest.raises(NotFoundOrForbidden):
        services.person_create(
            actor=partnership.owen,
            details=amber(),
            family=partnership.ashworth,
            relationship=Relationship.SIBLING,
            today=TODAY,
        )
    assert counts() == before


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_roles_without_family_records_cannot_record_anyone(partnership, persona) -> None:
    actor = getattr(partnership, persona)
    with pytest.raises(NotFoundOrForbidden):
        services.person_create(actor=actor, details=amber(), today=TODAY)
    with pytest.raises(NotFoundOrForbidden):
        services.family_create(actor=actor, name="Brennan household")
    assert not Family.objects.filter(name="Brennan household").exists()


# Changing a person


def test_person_update_saves_and_moves_the_version_on(partnership) -> None:
    chloe = partnership.chloe
    services.person_update(
        actor=partnership.maya,
        person=chloe,
        details=amber(given_name="Chloe", family_name="Ashworth-Pike", nhs_number=""),
        version=chloe.version,
        today=TODAY,
    )
    chloe.refresh_from_db()
    assert (chloe.family_name, chloe.family_name_key, chloe.version) == (
        "Ashworth-Pike",
        "ASHWORTHPIKE",
        2,
    )
    event = AuditEvent.objects.get(action="person.update")
    assert event.changes["family_name"] == ["Ashworth", "Ashworth-Pike"]


def test_person_update_on_a_stale_version_is_an_edit_conflict(partnership) -> None:
    p = partnership
    stale = p.chloe.version
    details = amber(given_name="Chloe", family_name="Ashworth", nhs_number="")
    services.person_update(
        actor=p.fatima,
        person=p.chloe,
        details=PersonDetails(**{**details.__dict__, "first_language": "Polish"}),
        version=stale,
        today=TODAY,
    )
    audits = AuditEvent.objects.count()
    with pytest.raises(EditConflict):
        services.person_update(
            actor=p.maya,
            person=Person.objects.get(pk=p.chloe.pk),
            details=PersonDetails(**{**details.__dict__, "first_language": "Urdu"}),
            version=stale,
            today=TODAY,
        )
    chloe = Person.objects.get(pk=p.chloe.pk)
    assert (chloe.first_language, chloe.version) == ("Polish", 2)
    assert AuditEvent.objects.count() == audits


def test_person_update_refuses_a_number_already_recorded_for_someone_else(partnership) -> None:
    Person.objects.filter(pk=partnership.jordan.pk).update(nhs_number="9434765919")
    with pytest.raises(ValidationProblem) as raised:
        services.person_update(
            actor=partnership.maya,
            person=partnership.chloe,
            details=amber(given_name="Chloe", family_name="Ashworth"),
            version=partnership.chloe.version,
            today=TODAY,
        )
    assert raised.value.errors == {"nhs_number": [DUPLICATE_NHS_NUMBER]}
    assert Person.objects.get(pk=partnership.chloe.pk).version == 1


def test_outsider_cannot_change_a_person(partnership) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.person_update(
            actor=partnership.owen,
            person=partnership.chloe,
            details=amber(),
            version=1,
            today=TODAY,
        )
    assert Person.objects.get(pk=partnership.chloe.pk).given_name == "Chloe"


# Birth


def test_record_birth_keeps_the_same_record_its_family_and_involvements(partnership) -> None:
    p = partnership
    Involvement.objects.create(
        organisation=p.midwifery,
        person=p.unborn,
        service="Antenatal care",
        started_on=datetime.date(2026, 10, 1),
    )
    rows = Person.objects.count()
    baby = services.person_record_birth(
        actor=p.maya,
        person=p.unborn,
        date_of_birth=TODAY,
        given_name="Rosie",
        sex=Sex.FEMALE,
        nhs_number="9990000018",
        today=TODAY,
    )
    assert baby.pk == p.unborn.pk
    assert Person.objects.count() == rows
    baby.refresh_from_db()
    assert (baby.is_unborn, baby.date_of_birth, baby.expected_date_of_delivery) == (
        False,
        TODAY,
        None,
    )
    assert (baby.display_name, baby.nhs_number) == ("Rosie Ashworth", "9990000018")
    assert baby.nhs_number_source == "Birth notification"
    member = FamilyMember.objects.get(person=baby)
    assert (member.family, member.relationship) == (p.ashworth, Relationship.CHILD)
    assert Involvement.objects.filter(person=baby, service="Antenatal care").exists()
    event = AuditEvent.objects.get(action="person.record_birth")
    assert event.object_id == str(baby.pk)


def test_record_birth_refuses_a_second_time(partnership) -> None:
    p = partnership
    services.person_record_birth(
        actor=p.maya, person=p.unborn, date_of_birth=TODAY, given_name="Rosie", sex=Sex.FEMALE
    )
    with pytest.raises(ValidationProblem) as raised:
        services.person_record_birth(
            actor=p.maya,
            person=Person.objects.get(pk=p.unborn.pk),
            date_of_birth=TODAY,
            given_name="Rose",
            sex=Sex.FEMALE,
        )
    assert raised.value.errors == {"__all__": ["This birth has already been recorded"]}
    assert Person.objects.get(pk=p.unborn.pk).given_name == "Rosie"


def test_record_birth_refuses_a_birth_date_in_the_future(partnership) -> None:
    p = partnership
    with pytest.raises(ValidationProblem) as raised:
        services.person_record_birth(
            actor=p.maya,
            person=p.unborn,
            date_of_birth=TODAY + datetime.timedelta(days=1),
            given_name="Rosie",
            sex=Sex.FEMALE,
            today=TODAY,
        )
    assert "date_of_birth" in raised.value.errors
    assert Person.objects.get(pk=p.unborn.pk).is_unborn


def test_outsider_cannot_record_a_birth(partnership) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.person_record_birth(
            actor=partnership.owen,
            person=partnership.unborn,
            date_of_birth=TODAY,
            given_name="Rosie",
            sex=Sex.FEMALE,
        )
    assert Person.objects.get(pk=partnership.unborn.pk).is_unborn


# Families, membership and involvement


def test_family_create_gives_the_actors_agency_an_involvement(partnership) -> None:
    p = partnership
    family = services.family_create(actor=p.owen, name="  Brennan household ")
    assert family.name == "Brennan household"
    involvement = Involvement.objects.get(family=family)
    assert involvement.organisation == p.police
    assert involvement.practitioner == p.owen
    assert involvement.ended_on is None
    assert policies.family_access_route(p.owen, family) is not None
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "family.create",
        "involvement.start",
    }


def test_family_create_needs_a_name(partnership) -> None:
    with pytest.raises(ValidationProblem) as raised:
        services.family_create(actor=partnership.maya, name=" ")
    assert "name" in raised.value.errors
    assert Family.objects.count() == 1


def test_family_member_add_puts_someone_already_recorded_in_a_family(partnership) -> None:
    p = partnership
    family = services.family_create(actor=p.fatima, name="Pike household")
    member = services.family_member_add(
        actor=p.fatima, family=family, person=p.jordan, relationship=Relationship.FATHER
    )
    assert member.relationship == Relationship.FATHER
    with pytest.raises(ValidationProblem):
        services.family_member_add(
            actor=p.fatima, family=family, person=p.jordan, relationship=Relationship.FATHER
        )
    assert FamilyMember.objects.filter(family=family).count() == 1


def test_family_member_add_refuses_an_outsider(partnership) -> None:
    p = partnership
    with pytest.raises(NotFoundOrForbidden):
        services.family_member_add(
            actor=p.owen, family=p.ashworth, person=p.stranger, relationship=Relationship.SIBLING
        )


def test_involvement_start_and_end_for_the_actors_own_agency(partnership) -> None:
    p = partnership
    involvement = services.involvement_start(
        actor=p.maya,
        organisation=p.midwifery,
        service="Postnatal care",
        person=p.chloe,
        started_on=TODAY - datetime.timedelta(days=3),
    )
    assert (involvement.person, involvement.practitioner) == (p.chloe, p.maya)
    ended = services.involvement_end(actor=p.maya, involvement=involvement)
    assert ended.ended_on == timezone.localdate()
    with pytest.raises(ValidationProblem):
        services.involvement_end(actor=p.maya, involvement=involvement)


def test_nobody_records_or_ends_another_agencys_involvement(partnership) -> None:
    p = partnership
    with pytest.raises(ValidationProblem) as raised:
        services.involvement_start(
            actor=p.maya, organisation=p.police, service="Patrol", family=p.ashworth
        )
    assert "organisation" in raised.value.errors
    assert not Involvement.objects.filter(organisation=p.police).exists()
    # Fatima sees every family, but ending the midwives' involvement would end their access.
    midwives = Involvement.objects.get(organisation=p.midwifery)
    with pytest.raises(NotFoundOrForbidden):
        services.involvement_end(actor=p.fatima, involvement=midwives)
    midwives.refresh_from_db()
    assert midwives.ended_on is None


def test_outsider_cannot_start_an_involvement_to_reach_a_family(partnership) -> None:
    p = partnership
    with pytest.raises(NotFoundOrForbidden):
        services.involvement_start(
            actor=p.owen, organisation=p.police, service="Patrol", family=p.ashworth
        )
    assert not Involvement.objects.filter(organisation=p.police).exists()


def test_involvement_end_refuses_an_end_before_the_start(partnership) -> None:
    p = partnership
    midwives = Involvement.objects.get(organisation=p.midwifery)
    with pytest.raises(ValidationProblem) as raised:
        services.involvement_end(
            actor=p.maya, involvement=midwives, ended_on=datetime.date(2026, 8, 31)
        )
    assert "ended_on" in raised.value.errors


# Addresses


def _address(person: Person, actor, moved_in_on: datetime.date, postcode: str = "LS1 4AP"):
    return services.address_add(
        actor=actor,
        person=person,
        line_1="1 Mill Lane",
        town="Wyvern",
        postcode=postcode,
        local_authority="Wyvern",
        moved_in_on=moved_in_on,
        today=TODAY,
    )


def test_address_add_closes_the_previous_address(partnership) -> None:
    p = partnership
    first = _address(p.chloe, p.maya, datetime.date(2025, 1, 10))
    second = _address(p.chloe, p.maya, datetime.date(2026, 6, 1), postcode="ls2 7ej")
    first.refresh_from_db()
    assert first.moved_out_on == datetime.date(2026, 5, 31)
    assert (second.moved_out_on, second.postcode) == (None, "LS2 7EJ")
    assert list(p.chloe.addresses.filter(moved_out_on__isnull=True)) == [second]
    assert AuditEvent.objects.filter(action="person.address_add").count() == 2


@pytest.mark.parametrize(
    ("postcode", "moved_in_on", "field"),
    [
        ("LS1", datetime.date(2026, 1, 1), "postcode"),
        ("LS1 4AP", TODAY + datetime.timedelta(days=1), "moved_in_on"),
        # Not after the current address's move-in date.
        ("LS1 4AP", datetime.date(2025, 1, 10), "moved_in_on"),
    ],
)
def test_address_add_refuses_bad_input_and_keeps_the_current_address(
    partnership, postcode: str, moved_in_on: datetime.date, field: str
) -> None:
    p = partnership
    current = _address(p.chloe, p.maya, datetime.date(2025, 1, 10))
    with pytest.raises(ValidationProblem) as raised:
        _address(p.chloe, p.maya, moved_in_on, postcode=postcode)
    assert field in raised.value.errors
    current.refresh_from_db()
    assert current.moved_out_on is None
    assert Address.objects.count() == 1


def test_outsider_cannot_add_an_address(partnership) -> None:
    with pytest.raises(NotFoundOrForbidden):
        _address(partnership.chloe, partnership.owen, datetime.date(2026, 1, 1))
    assert not Address.objects.exists()
