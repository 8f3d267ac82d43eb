"""Joining and leaving the team around the family on its pages, as personas (R-WT-5, R-CL-2):
members come from the agencies working with the family, or a parent's personal adviser where
the parent agrees; the GOV.UK error summary on bad input, nothing half-saved, 404 for
outsiders. The family's copy of the plan is recorded as an export (R-IS-4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Partnership, journey_team, make_user, sign_in
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.chronology.models import ChronologyEntry
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.plans import selectors, services
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing.services.team import PARENT_MUST_AGREE

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    p: Partnership
    hana: User
    lee: User
    harry: User
    pat: User
    lee_member: TeamAroundFamilyMember


@pytest.fixture
def setting(partnership: Partnership) -> Setting:
    """The journey team (Hana's agency works with the family, Harry's with Chloe, Lee leads)
    and Pat, a personal adviser in the leaving care service, who works with nobody here."""
    hana, lee, harry = journey_team(partnership)
    leaving_care = Organisation.objects.create(
        name="Wyvern Leaving Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority="Wyvern",
    )
    pat = make_user(
        "pat@leavingcare.example",
        "Pat Adviser",
        Team.objects.create(organisation=leaving_care, name="Personal advisers"),
        Role.PRACTITIONER,
    )
    return Setting(
        p=partnership,
        hana=hana,
        lee=lee,
        harry=harry,
        pat=pat,
        lee_member=TeamAroundFamilyMember.objects.get(practitioner=lee),
    )


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _add_url(s: Setting) -> str:
    return reverse("plans:team_member_add", kwargs={"family_pk": s.p.ashworth.pk})


def _end_url(member: TeamAroundFamilyMember) -> str:
    return reverse("plans:team_member_end", kwargs={"team_member_pk": member.pk})


def _who(user: User) -> str:
    return f"{user.pk}:{user.active_memberships()[0].team.organisation_id}"


def test_team_page_lists_members_and_names_the_lead(setting, client) -> None:
    """R-WT-5: name, agency, role in the team, the lead professional tag, date joined."""
    s = setting
    TeamAroundFamilyMember.objects.filter(pk=s.lee_member.pk).update(role_in_team="Key worker")
    page = sign_in(client, s.p.maya).get(
        reverse("plans:team", kwargs={"family_pk": s.p.ashworth.pk})
    )
    assert page.status_code == 200
    assert "Lead professional: <strong>Lee Lead</strong> (Wyvern Early Help)" in page.text
    assert "Key worker" in page.text and "1 October 2026" in page.text
    assert 'govuk-tag--blue">Lead professional</strong>' in page.text
    assert _add_url(s) in page.text and _end_url(s.lee_member) in page.text


def test_the_add_page_offers_the_agencies_working_with_the_family(setting, client) -> None:
    """Hana (family involvement), Harry (works with Chloe) and Maya may join; Lee is already
    in the team; Owen's agency works with nobody here, so he is not offered."""
    s = setting
    page = sign_in(client, s.p.maya).get(_add_url(s))
    assert page.status_code == 200
    assert f'value="{_who(s.hana)}"' in page.text
    assert f'value="{_who(s.harry)}"' in page.text
    assert f'value="{_who(s.p.maya)}"' in page.text
    assert f'value="{_who(s.lee)}"' not in page.text
    assert "Owen Officer" not in page.text and "Pat Adviser" not in page.text


def test_maya_adds_a_member_from_an_involved_agency(setting, client) -> None:
    s = setting
    response = sign_in(client, s.p.maya).post(
        _add_url(s), {"who": _who(s.harry), "role_in_team": "Housing options"}
    )
    assert response.status_code == 302
    member = TeamAroundFamilyMember.objects.get(practitioner=s.harry, left_on__isnull=True)
    assert member.role_in_team == "Housing options"
    assert member.joined_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="team.member_add", actor=s.p.maya).exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose who is joining the team"),
        ({"who": "owen"}, "Choose who is joining the team"),
        ({"who": "adviser"}, "Enter the personal adviser&#x27;s work email address"),
        (
            {"who": "adviser", "adviser_email": "nobody@example.org", "parent_agreed": "yes"},
            "Enter the work email address of a personal adviser who uses Early Help Hub",
        ),
        ({"role_in_team": "x" * 201}, "Their role in the team must be 200 characters or fewer"),
    ],
)
def test_bad_input_shows_the_error_summary_and_saves_nothing(
    setting, client, form, message
) -> None:
    s = setting
    before = TeamAroundFamilyMember.objects.count()
    page = sign_in(client, s.p.maya).post(_add_url(s), form)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text and message in page.text
    assert TeamAroundFamilyMember.objects.count() == before


def test_a_practitioner_whose_agency_is_not_involved_cannot_be_slipped_in(setting, client) -> None:
    """A hand-made value naming Owen (police, working with nobody here) is refused."""
    s = setting
    page = sign_in(client, s.p.maya).post(_add_url(s), {"who": _who(s.p.owen)})
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert not TeamAroundFamilyMember.objects.filter(practitioner=s.p.owen).exists()


def test_the_services_problems_reach_the_page(setting, client) -> None:
    s = setting
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = sign_in(client, s.p.maya).post(
        _add_url(s), {"who": _who(s.hana), **_date("joined_on", tomorrow)}
    )
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "The date they joined must be today or in the past" in page.text
    assert not TeamAroundFamilyMember.objects.filter(practitioner=s.hana).exists()


def test_a_personal_adviser_joins_only_with_the_parents_agreement(setting, client) -> None:
    """R-CL-2: the agreement is needed, and recorded (audit and a care-history entry)."""
    s = setting
    c = sign_in(client, s.p.maya)
    form = {
        "who": "adviser",
        "adviser_email": "PAT@leavingcare.example",
        "personal_adviser_for": str(s.p.chloe.pk),
    }
    refused = c.post(_add_url(s), form)
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
    assert PARENT_MUST_AGREE in refused.text
    assert not TeamAroundFamilyMember.objects.filter(practitioner=s.pat).exists()
    assert c.post(_add_url(s), form | {"parent_agreed": "yes"}).status_code == 302
    member = TeamAroundFamilyMember.objects.get(practitioner=s.pat, left_on__isnull=True)
    assert member.role_in_team == "Personal adviser (leaving care)"
    event = AuditEvent.objects.get(action="team.member_add", changes__practitioner_id=s.pat.pk)
    assert event.changes["personal_adviser_for"] == s.p.chloe.pk
    assert event.changes["parent_agreed"] is True
    entry = ChronologyEntry.objects.get(source_type="plans.teamaroundfamilymember")
    assert entry.person == s.p.chloe and entry.category is not None
    assert entry.category.code == "care_history"
    assert "agreed to their personal adviser" in entry.summary


def test_only_a_parent_in_the_family_has_a_personal_adviser_here(setting, client) -> None:
    s = setting
    page = sign_in(client, s.p.maya).post(
        _add_url(s),
        {
            "who": "adviser",
            "adviser_email": "pat@leavingcare.example",
            "personal_adviser_for": str(s.p.unborn.pk),
            "parent_agreed": "yes",
        },
    )
    assert page.status_code == 200
    assert "Choose the parent whose personal adviser they are" in page.text
    assert not TeamAroundFamilyMember.objects.filter(practitioner=s.pat).exists()


def test_ending_the_lead_professionals_membership_clears_the_lead(setting, client) -> None:
    """R-WT-5: the lead professional leaves; the family has no lead until a new one is named."""
    s = setting
    c = sign_in(client, s.p.maya)
    page = c.get(_end_url(s.lee_member))
    assert page.status_code == 200 and "Lee Lead is the lead professional" in page.text
    today = timezone.localdate()
    assert c.post(_end_url(s.lee_member), _date("left_on", today)).status_code == 302
    s.lee_member.refresh_from_db()
    assert s.lee_member.left_on == today and s.lee_member.is_lead_professional is False
    assert selectors.lead_professional(family=s.p.ashworth) is None
    team = c.get(reverse("plans:team", kwargs={"family_pk": s.p.ashworth.pk}))
    assert "This family has no lead professional" in team.text
    # Gone from the team: the page to end it again is not found.
    assert c.get(_end_url(s.lee_member)).status_code == 404


@pytest.mark.parametrize(
    ("days_after_joining", "message"),
    [
        (None, "Enter the date they left the team"),
        (-1, "The date they left must be on or after the date they joined"),
    ],
)
def test_ending_with_a_bad_date_shows_the_error_summary(
    setting, client, days_after_joining, message
) -> None:
    s = setting
    form = (
        {}
        if days_after_joining is None
        else _date("left_on", s.lee_member.joined_on + datetime.timedelta(days=days_after_joining))
    )
    page = sign_in(client, s.p.maya).post(_end_url(s.lee_member), form)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text and message in page.text
    s.lee_member.refresh_from_db()
    assert s.lee_member.left_on is None and s.lee_member.is_lead_professional is True


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404_and_change_nothing(setting, persona) -> None:
    s = setting
    c = sign_in(Client(), getattr(s.p, persona))
    assert c.get(_add_url(s)).status_code == 404
    assert c.post(_add_url(s), {"who": _who(s.hana)}).status_code == 404
    assert c.get(_end_url(s.lee_member)).status_code == 404
    today = timezone.localdate()
    assert c.post(_end_url(s.lee_member), _date("left_on", today)).status_code == 404
    assert not TeamAroundFamilyMember.objects.filter(practitioner=s.hana).exists()
    s.lee_member.refresh_from_db()
    assert s.lee_member.left_on is None


def test_the_familys_printable_copy_is_recorded_as_an_export(setting, client) -> None:
    """R-IS-4: printing is an export, recorded with the route that allowed it."""
    s = setting
    services.plan_start(actor=s.p.maya, family=s.p.ashworth, family_words="A home of our own")
    url = reverse("plans:family_copy", kwargs={"family_pk": s.p.ashworth.pk})
    assert sign_in(client, s.p.maya).get(url).status_code == 200
    events = AccessEvent.objects.filter(actor=s.p.maya, object_id=str(s.p.ashworth.pk))
    assert events.filter(action=AccessAction.EXPORT, route="involvement").count() == 1
    assert not events.filter(action=AccessAction.VIEW).exists()
