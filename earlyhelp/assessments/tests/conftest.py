"""Personas for the assessment tests, on top of the root partnership.

- Hana, a health visitor from another agency, also working with the Ashworth family.
- ``started``: the Ashworth family's assessment, started by Maya with Chloe's agreement.
"""

from __future__ import annotations

import datetime

import pytest

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.assessments import services
from earlyhelp.assessments.models import Assessment, AssessmentSubject
from earlyhelp.people.models import Involvement, Person

AGREED_ON = datetime.date(2026, 11, 2)


@pytest.fixture
def hana(partnership: Partnership) -> User:
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    team = Team.objects.create(organisation=health_visiting, name="North health visitors")
    user = make_user("hana@hv.example", "Hana Visitor", team, Role.PRACTITIONER)
    Involvement.objects.create(
        organisation=health_visiting,
        practitioner=user,
        family=partnership.ashworth,
        service="Antenatal contact",
        started_on=datetime.date(2026, 10, 1),
    )
    return user


@pytest.fixture
def started(partnership: Partnership) -> Assessment:
    return services.assessment_start(
        actor=partnership.maya,
        family=partnership.ashworth,
        agreed_by=partnership.chloe,
        agreed_on=AGREED_ON,
        agreement_note="Chloe agreed at her booking appointment",
    )


def subject_of(assessment: Assessment, person: Person) -> AssessmentSubject:
    return assessment.subjects.get(person=person)
