"""The Ashworth family's team around the family: Maya (midwifery) and Hana (health visiting)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing.services.team import team_member_add


@dataclass
class TeamAround:
    p: Partnership
    hana: User
    maya_member: TeamAroundFamilyMember
    hana_member: TeamAroundFamilyMember
    midwife_manager: User
    hv_manager: User
    police_manager: User


@pytest.fixture
def team(partnership: Partnership) -> TeamAround:
    p = partnership
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    hv_team = Team.objects.create(organisation=health_visiting, name="0-19 North")
    hana = make_user("hana@hv.example", "Hana Visitor", hv_team, Role.PRACTITIONER)
    midwife_team = Team.objects.get(organisation=p.midwifery)
    police_team = Team.objects.get(organisation=p.police)
    return TeamAround(
        p=p,
        hana=hana,
        maya_member=team_member_add(actor=p.maya, family=p.ashworth, practitioner=p.maya),
        hana_member=team_member_add(actor=p.maya, family=p.ashworth, practitioner=hana),
        midwife_manager=make_user(
            "mo@midwifery.example", "Mo Manager", midwife_team, Role.TEAM_MANAGER
        ),
        hv_manager=make_user("hal@hv.example", "Hal Manager", hv_team, Role.TEAM_MANAGER),
        police_manager=make_user(
            "pat@police.example", "Pat Manager", police_team, Role.TEAM_MANAGER
        ),
    )
