"""Joining and leaving the team around the family, through the services: the team route."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.plans.selectors import lead_professional
from earlyhelp.sharing import policies
from earlyhelp.sharing.services.team import ALREADY_A_MEMBER, team_member_add, team_member_end

pytestmark = pytest.mark.django_db


def test_a_new_member_sees_the_family_through_the_team(partnership) -> None:
    p = partnership
    assert policies.family_routes(p.owen, p.ashworth) == []
    member = team_member_add(
        actor=p.maya, family=p.ashworth, practitioner=p.owen, role_in_team="Police liaison"
    )
    assert member.organisation == p.police
    assert policies.family_routes(p.owen, p.ashworth) == [policies.Route.TEAM_AROUND_THE_FAMILY]
    assert policies.person_access_route(p.owen, p.chloe) == policies.Route.TEAM_AROUND_THE_FAMILY
    assert AuditEvent.objects.filter(action="team.member_add", actor=p.maya).exists()


def test_a_member_who_has_left_no_longer_sees_the_family(partnership) -> None:
    p = partnership
    today = timezone.localdate()
    member = team_member_add(
        actor=p.maya,
        family=p.ashworth,
        practitioner=p.owen,
        joined_on=today - datetime.timedelta(days=10),
    )
    team_member_end(actor=p.maya, member=member, left_on=today - datetime.timedelta(days=1))
    assert policies.family_routes(p.owen, p.ashworth) == []
    assert AuditEvent.objects.filter(action="team.member_end").exists()
    with pytest.raises(ValidationProblem):
        team_member_end(actor=p.maya, member=member)


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_only_casework_practitioners_join_a_team(partnership, persona) -> None:
    p = partnership
    with pytest.raises(ValidationProblem) as raised:
        team_member_add(actor=p.maya, family=p.ashworth, practitioner=getattr(p, persona))
    assert "practitioner" in raised.value.errors
    assert not TeamAroundFamilyMember.objects.exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_nobody_adds_to_the_team_of_a_family_they_may_not_see(partnership, persona) -> None:
    p = partnership
    with pytest.raises(NotFoundOrForbidden):
        team_member_add(actor=getattr(p, persona), family=p.ashworth, practitioner=p.owen)


def test_the_same_practitioner_joins_once_and_for_their_own_agency(partnership) -> None:
    p = partnership
    team_member_add(actor=p.maya, family=p.ashworth, practitioner=p.owen)
    with pytest.raises(ValidationProblem) as raised:
        team_member_add(actor=p.maya, family=p.ashworth, practitioner=p.owen)
    assert raised.value.errors["practitioner"] == [ALREADY_A_MEMBER]
    with pytest.raises(ValidationProblem) as raised:
        team_member_add(
            actor=p.maya, family=p.ashworth, practitioner=p.fatima, organisation=p.police
        )
    assert "organisation" in raised.value.errors


def test_dates_are_checked(partnership) -> None:
    p = partnership
    today = timezone.localdate()
    with pytest.raises(ValidationProblem) as raised:
        team_member_add(
            actor=p.maya,
            family=p.ashworth,
            practitioner=p.owen,
            joined_on=today + datetime.timedelta(days=1),
        )
    assert "joined_on" in raised.value.errors
    member = team_member_add(actor=p.maya, family=p.ashworth, practitioner=p.owen)
    with pytest.raises(ValidationProblem) as raised:
        team_member_end(actor=p.maya, member=member, left_on=today - datetime.timedelta(days=1))
    assert "left_on" in raised.value.errors


def test_a_lead_professional_who_leaves_is_no_longer_the_lead(partnership) -> None:
    # R-WT-5: with two agencies involved and nobody leading, the team managers hear of it.
    p = partnership
    today = timezone.localdate()
    member = team_member_add(
        actor=p.maya,
        family=p.ashworth,
        practitioner=p.maya,
        joined_on=today - datetime.timedelta(days=10),
    )
    TeamAroundFamilyMember.objects.filter(pk=member.pk).update(is_lead_professional=True)
    member.refresh_from_db()
    team_member_end(actor=p.maya, member=member, left_on=today)
    member.refresh_from_db()
    assert member.is_lead_professional is False
    assert lead_professional(family=p.ashworth) is None
    event = AuditEvent.objects.get(action="team.member_end")
    assert event.changes["was_lead_professional"] is True
