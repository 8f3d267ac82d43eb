"""Who can see this family, and why: every route, named, on the page and over the API."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import Consent, ConsentGiver, SharingDecision
from earlyhelp.sharing.policies import ROUTE_DESCRIPTIONS, Route
from earlyhelp.sharing.selectors.access import family_who_can_see
from earlyhelp.sharing.services.break_glass import break_glass_open
from earlyhelp.sharing.services.team import team_member_add

pytestmark = pytest.mark.django_db

REASON = "Baby not seen for two days; mother not answering the door or her phone"


def agency(name: str, kind: AgencyType, person: str, email: str) -> User:
    organisation = Organisation.objects.create(name=name, agency_type=kind, local_authority="W")
    team = Team.objects.create(organisation=organisation, name="Team")
    return make_user(email, person, team, Role.PRACTITIONER)


@pytest.fixture
def everyone(partnership) -> Any:
    """One practitioner by each route to the Ashworth family."""
    p = partnership
    today = timezone.localdate()
    # Team around the family: Terry from the family hub.
    p.terry = agency("Wyvern Family Hub", AgencyType.FAMILY_HUB, "Terry Hub", "terry@hub.example")
    team_member_add(
        actor=p.maya, family=p.ashworth, practitioner=p.terry, role_in_team="Family support"
    )
    # Consent by agency type: every GP practice, so Gemma at Mill Lane Surgery.
    p.gemma = agency("Mill Lane Surgery", AgencyType.GP_PRACTICE, "Gemma GP", "gemma@gp.example")
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=p.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        purpose="Joined-up care in pregnancy",
        starts_on=today - datetime.timedelta(days=2),
        recorded_by=p.maya,
    )
    consent.covers_people.add(p.chloe)
    consent.agency_types.create(agency_type=AgencyType.GP_PRACTICE)
    # A decision to share without consent, with housing: Harriet.
    p.harriet = agency("Wyvern Homes", AgencyType.HOUSING, "Harriet Housing", "h@homes.example")
    decision = SharingDecision.objects.create(
        family=p.ashworth,
        share=True,
        what="Address and risk to the baby",
        purpose="Safe accommodation before the birth",
        no_consent_reason="cannot_reasonably_be_obtained",
        lawful_basis="art6_1e_art9_2g_sch1_para18",
        reasons="Mother cannot be contacted and the due date is close",
        decided_by=p.maya,
        access_until=today + datetime.timedelta(days=30),
    )
    decision.recipients.add(Organisation.objects.get(name="Wyvern Homes"))
    # Emergency access: Owen.
    break_glass_open(actor=p.owen, family=p.ashworth, reason=REASON)
    return p


def text(response: Any) -> str:
    body = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def section(body: str, heading: str, following: str | None) -> str:
    start = body.index(heading)
    end = body.index(following, start) if following else len(body)
    return body[start:end]


def test_the_page_lists_each_route_with_its_practitioners(everyone, as_persona) -> None:
    p = everyone
    response = as_persona(p.maya).get(reverse("sharing:family_access", args=[p.ashworth.pk]))
    assert response.status_code == 200
    body = text(response)
    headings = [
        "Agencies working with the family",
        "Team around the family",
        "Shared by consent or on a lawful basis",
        "Emergency access",
        "Front door",
    ]
    for route in Route:
        assert ROUTE_DESCRIPTIONS[route] in body
    expected = {
        "Agencies working with the family": ["Maya Midwife", "Antenatal care"],
        "Team around the family": ["Terry Hub", "Family support"],
        "Shared by consent or on a lawful basis": [
            "Gemma GP",
            "Mill Lane Surgery",
            "Consent from Chloe Ashworth",
            "Harriet Housing",
            "Decision to share by Maya Midwife",
        ],
        "Emergency access": ["Owen Officer"],
        "Front door": ["Fatima Front"],
    }
    for index, heading in enumerate(headings):
        following = headings[index + 1] if index + 1 < len(headings) else None
        part = section(body, heading, following)
        for name in expected[heading]:
            assert name in part, (heading, name)
    # Nobody without a route is listed anywhere.
    assert "Sam Sysadmin" not in body and "Bea Analyst" not in body


def test_the_look_is_recorded_with_the_viewers_route(everyone, as_persona) -> None:
    p = everyone
    as_persona(p.terry).get(reverse("sharing:family_access", args=[p.ashworth.pk]))
    event = AccessEvent.objects.get(actor=p.terry, action=AccessAction.VIEW)
    assert event.route == "team_around_the_family"
    assert event.object_id == str(p.ashworth.pk)


def test_the_list_agrees_with_the_policy_for_every_account(everyone) -> None:
    p = everyone
    access = family_who_can_see(actor=p.maya, family_id=p.ashworth.pk)
    for user in User.objects.all():
        assert access.routes_of(user) == set(policies.family_routes(user, p.ashworth)), user


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_not_found_for_anyone_who_may_not_see_the_family(partnership, as_persona, persona) -> None:
    p = partnership
    url = reverse("sharing:family_access", args=[p.ashworth.pk])
    assert as_persona(getattr(p, persona)).get(url).status_code == 404
    assert AccessEvent.objects.filter(
        actor=getattr(p, persona), action=AccessAction.DENIED
    ).exists()


def test_family_page_says_why_the_viewer_sees_it_and_links_here(partnership, as_persona) -> None:
    p = partnership
    body = text(as_persona(p.maya).get(reverse("people:family_detail", args=[p.ashworth.pk])))
    assert f"You can see this family because: {ROUTE_DESCRIPTIONS[Route.INVOLVEMENT]}" in body
    assert "Who can see this family, and why" in body


def test_api_who_can_see(everyone) -> None:
    p = everyone
    body = bearer_client(p.maya).get(f"/api/v1/families/{p.ashworth.pk}/access").json()
    assert body["your_routes"] == ["involvement"]
    names = {
        group["route"]: {u["full_name"] for h in group["holders"] for u in h["practitioners"]}
        for group in body["routes"]
    }
    assert names == {
        "involvement": {"Maya Midwife"},
        "team_around_the_family": {"Terry Hub"},
        "sharing_basis": {"Gemma GP", "Harriet Housing"},
        "break_glass": {"Owen Officer"},
        "partnership_role": {"Fatima Front"},
    }
    problem(bearer_client(p.sam).get(f"/api/v1/families/{p.ashworth.pk}/access"), 404)
