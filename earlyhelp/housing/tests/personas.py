"""The housing tests' household and people, shared by the service, page, API and browser tests.

- Zara Brook, 19, and her baby Ava, 3 months old: a young-parent priority household.
- Harry Housing, the housing officer working with Zara (and, in journey_team, with Chloe).
- Sunita Senior, a team manager at Wyvern Homes: the senior housing manager who approves
  out-of-area placements (accounts has no separate senior-manager role).
- Hana the health visitor and Lee the lead professional, in both families' teams.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from conftest import Partnership, journey_team, make_person, make_user
from earlyhelp.accounts.models import Organisation, Role, Team, User
from earlyhelp.housing.loading import example_policy_seed
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship, Sex
from earlyhelp.plans.models import TeamAroundFamilyMember

TODAY = datetime.date(2026, 11, 26)


@dataclass
class Housing:
    p: Partnership
    hana: User
    lee: User
    harry: User
    sunita: User
    homes: Organisation
    brook: Family
    zara: Person
    ava: Person


def housing_setup(p: Partnership) -> Housing:
    from django.apps import apps

    example_policy_seed(apps.get_model)  # emptied tables (browser tests) lose the seed
    hana, lee, harry = journey_team(p)
    homes = Organisation.objects.get(name="Wyvern Homes")
    sunita = make_user(
        "sunita@homes.example",
        "Sunita Senior",
        Team.objects.create(organisation=homes, name="Housing management"),
        Role.TEAM_MANAGER,
    )
    zara = make_person("Zara", "Brook", date_of_birth=datetime.date(2007, 6, 1), sex=Sex.FEMALE)
    ava = make_person("Ava", "Brook", date_of_birth=datetime.date(2026, 8, 20), sex=Sex.FEMALE)
    brook = Family.objects.create(name="Brook household")
    FamilyMember.objects.create(family=brook, person=zara, relationship=Relationship.MOTHER)
    FamilyMember.objects.create(family=brook, person=ava, relationship=Relationship.CHILD)
    start = datetime.date(2026, 10, 1)
    Involvement.objects.create(
        organisation=homes,
        practitioner=harry,
        person=zara,
        service="Housing options",
        started_on=start,
    )
    Involvement.objects.create(
        organisation=Organisation.objects.get(name="Wyvern Health Visiting"),
        practitioner=hana,
        family=brook,
        service="Healthy Child Programme",
        started_on=start,
    )
    TeamAroundFamilyMember.objects.create(
        family=brook,
        practitioner=lee,
        organisation=p.early_help,
        is_lead_professional=True,
        joined_on=start,
    )
    return Housing(p, hana, lee, harry, sunita, homes, brook, zara, ava)


FACTORS = {
    "distance_from_district": "Barton is 14 miles from Wyvern; 40 minutes by bus",
    "disruption_to_work_care_education": "Zara is not working; no college place to lose",
    "access_to_medical_and_support": "Health visiting handed to Barton; GP registration there",
    "local_services_and_transport": "Children's centre and shops within walking distance",
}
WHY = "The only in-area unit free this week is a third-floor studio with no lift or cot space"
