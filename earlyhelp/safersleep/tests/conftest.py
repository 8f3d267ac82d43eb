"""Personas for safer sleep, added to the Ashworth family of the root conftest.

- Hana, the Ashworths' named health visitor.
- Lee, an early help practitioner and the family's lead professional.
- Harry, a housing officer whose agency is working with Chloe: he may see the family.
The Ashworths' unborn baby is the infant these tests assess and reassess.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.people.models import Involvement
from earlyhelp.plans.models import TeamAroundFamilyMember


@dataclass
class SaferSleepPeople:
    p: Partnership
    hana: User
    lee: User
    harry: User
    health_visiting: Organisation
    housing: Organisation


@pytest.fixture
def safer(partnership: Partnership) -> SaferSleepPeople:
    p = partnership
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    housing = Organisation.objects.create(
        name="Wyvern Homes", agency_type=AgencyType.HOUSING, local_authority="Wyvern"
    )
    hana = make_user(
        "hana@hv.example",
        "Hana Visitor",
        Team.objects.create(organisation=health_visiting, name="Health visitors north"),
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
        Team.objects.create(organisation=housing, name="Housing options"),
        Role.HOUSING_OFFICER,
    )
    start = datetime.date(2026, 10, 1)
    Involvement.objects.create(
        organisation=health_visiting,
        practitioner=hana,
        family=p.ashworth,
        service="Healthy Child Programme",
        started_on=start,
    )
    Involvement.objects.create(
        organisation=housing,
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
    return SaferSleepPeople(p, hana, lee, harry, health_visiting, housing)
