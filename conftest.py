"""Named personas shared by every test (house style: people, not user1 and user2).

- Maya, a midwife whose agency is involved with the Ashworth family.
- Owen, a police officer whose agency is not involved with anyone: the outsider.
- Fatima, a front door worker: a partnership-wide role.
- Sam, a system administrator: manages accounts, never opens family records.
- Bea, a board analyst: aggregate figures only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import AgencyType, Membership, Organisation, Role, Team, User
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship, Sex
from earlyhelp.people.rules import name_key
from earlyhelp.people.services import search_names_add
from earlyhelp.plans.models import TeamAroundFamilyMember

TODAY = datetime.date(2026, 11, 26)
PASSWORD = "correct horse battery staple"  # noqa: S105 - test personas only


def make_user(email: str, name: str, team: Team, role: Role) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    Membership.objects.create(user=user, team=team, role=role)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def make_person(given: str, family: str, **fields: object) -> Person:
    person = Person.objects.create(
        given_name=given,
        family_name=family,
        given_name_key=name_key(given),
        family_name_key=name_key(family),
        **fields,
    )
    search_names_add([person.given_name_key, person.family_name_key])
    return person


@dataclass
class Partnership:
    midwifery: Organisation
    police: Organisation
    early_help: Organisation
    council: Organisation
    maya: User
    owen: User
    fatima: User
    sam: User
    bea: User
    ashworth: Family
    chloe: Person
    jordan: Person
    unborn: Person
    stranger: Person


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Migration-loaded reference data, put back after a test that emptied the tables."""
    if request.node.get_closest_marker("django_db") or "_django_db_helper" in set(
        request.fixturenames
    ):
        # The database as the test asked for it (in a transaction or not).
        request.getfixturevalue("_django_db_helper")
        from earlyhelp.core.reference import reference_data_ensure

        reference_data_ensure()


@pytest.fixture
def partnership(db: None) -> Partnership:
    midwifery = Organisation.objects.create(
        name="Wyvern Hospitals Midwifery",
        agency_type=AgencyType.MIDWIFERY,
        local_authority="Wyvern",
    )
    police = Organisation.objects.create(
        name="Wyvern Police", agency_type=AgencyType.POLICE, local_authority="Wyvern"
    )
    early_help = Organisation.objects.create(
        name="Wyvern Early Help", agency_type=AgencyType.EARLY_HELP, local_authority="Wyvern"
    )
    council = Organisation.objects.create(
        name="Wyvern Council Digital",
        agency_type=AgencyType.EARLY_HELP,
        local_authority="Wyvern",
    )
    community = Team.objects.create(organisation=midwifery, name="Community midwives")
    response = Team.objects.create(organisation=police, name="Response team")
    front_door = Team.objects.create(organisation=early_help, name="Front door")
    systems = Team.objects.create(organisation=council, name="Systems")
    insight = Team.objects.create(organisation=council, name="Partnership insight")

    chloe = make_person(
        "Chloe", "Ashworth", date_of_birth=datetime.date(2009, 5, 14), sex=Sex.FEMALE
    )
    jordan = make_person("Jordan", "Pike", date_of_birth=datetime.date(2007, 2, 2), sex=Sex.MALE)
    unborn = make_person(
        "", "Ashworth", is_unborn=True, expected_date_of_delivery=datetime.date(2027, 3, 1)
    )
    stranger = make_person(
        "Leah", "Ashworth", date_of_birth=datetime.date(2008, 8, 8), sex=Sex.FEMALE
    )
    ashworth = Family.objects.create(name="Ashworth household")
    FamilyMember.objects.create(family=ashworth, person=chloe, relationship=Relationship.MOTHER)
    FamilyMember.objects.create(family=ashworth, person=jordan, relationship=Relationship.FATHER)
    FamilyMember.objects.create(
        family=ashworth, person=unborn, relationship=Relationship.UNBORN_BABY
    )
    maya = make_user("maya@midwifery.example", "Maya Midwife", community, Role.PRACTITIONER)
    Involvement.objects.create(
        organisation=midwifery,
        practitioner=maya,
        family=ashworth,
        service="Antenatal care",
        started_on=datetime.date(2026, 9, 1),
    )
    return Partnership(
        midwifery=midwifery,
        police=police,
        early_help=early_help,
        council=council,
        maya=maya,
        owen=make_user("owen@police.example", "Owen Officer", response, Role.PRACTITIONER),
        fatima=make_user("fatima@earlyhelp.example", "Fatima Front", front_door, Role.FRONT_DOOR),
        sam=make_user("sam@council.example", "Sam Sysadmin", systems, Role.SYSTEM_ADMINISTRATOR),
        bea=make_user("bea@council.example", "Bea Analyst", insight, Role.BOARD_ANALYST),
        ashworth=ashworth,
        chloe=chloe,
        jordan=jordan,
        unborn=unborn,
        stranger=stranger,
    )


def sign_in(client: Client, user: User) -> Client:
    """A fully signed-in session: password and second factor both done."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_persona(client: Client):  # type: ignore[no-untyped-def]
    """``as_persona(p.maya)`` gives a test client signed in as that persona."""

    def _as(user: User) -> Client:
        return sign_in(Client(), user)

    return _as


def journey_team(p: Partnership) -> tuple[User, User, User]:
    """The journey tests' team: Hana the health visitor (her agency works with the family),
    Lee the lead professional (early help), Harry the housing officer (works with Chloe)."""
    start = datetime.date(2026, 10, 1)
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    homes = Organisation.objects.create(
        name="Wyvern Homes", agency_type=AgencyType.HOUSING, local_authority="Wyvern"
    )
    hana = make_user(
        "hana@hv.example",
        "Hana Visitor",
        Team.objects.create(organisation=health_visiting, name="Health visitors"),
        Role.PRACTITIONER,
    )
    lee = make_user(
        "lee@earlyhelp.example",
        "Lee Lead",
        Team.objects.create(organisation=p.early_help, name="Family support"),
        Role.PRACTITIONER,
    )
    harry = make_user(
        "harry@homes.example",
        "Harry Housing",
        Team.objects.create(organisation=homes, name="Housing options"),
        Role.HOUSING_OFFICER,
    )
    Involvement.objects.create(
        organisation=health_visiting,
        practitioner=hana,
        family=p.ashworth,
        service="Healthy Child Programme",
        started_on=start,
    )
    # Housing works with Chloe, not the family: the family is seen through her.
    Involvement.objects.create(
        organisation=homes,
        practitioner=harry,
        person=p.chloe,
        service="Housing options",
        started_on=start,
    )
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=lee,
        organisation=p.early_help,
        is_lead_professional=True,
        joined_on=start,
    )
    return hana, lee, harry
