"""Work tray pages as personas: Maya's own tray, Owen's (nothing of the Ashworths), the
manager's team view and drill-down (own team only, 404 otherwise), 404 for the board analyst
and the system administrator."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import sign_in
from earlyhelp.alerts.services import alert_raise
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import Family
from earlyhelp.worktray.tests.conftest import Tray, member

pytestmark = pytest.mark.django_db


def test_maya_sees_her_own_tray(tray: Tray) -> None:
    p = tray.p
    alert_raise(recipients=[p.maya], kind="test", title="Safer sleep red flag", url="/")
    response = sign_in(Client(), p.maya).get("/worktray/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Your work tray",
        "My families",
        "Ashworth household",
        "Brook household",
        "Review overdue",
        "Action due in -5 days",
        "Overdue by 5 days",
        "Action due in 10 days",
        "My reviews due",
        "Overdue by 2 days",
        "My alerts",
        "Safer sleep red flag",
        'href="/alerts/"',
    ):
        assert text in body, text
    assert "Action due in -1 days" not in body  # done
    assert "Action due in -4 days" not in body  # Owen's
    assert AccessEvent.objects.filter(actor=p.maya, action=AccessAction.LIST).count() == 4


def test_my_alerts_link_within_the_service_only(tray: Tray) -> None:
    p = tray.p
    family_url = f"/people/families/{p.ashworth.pk}/"
    alert_raise(recipients=[p.maya], kind="test", title="Review overdue", url=family_url)
    alert_raise(recipients=[p.maya], kind="test", title="Odd link", url="//elsewhere.example/")
    body = sign_in(Client(), p.maya).get("/worktray/").content.decode()
    assert f'<a class="govuk-link" href="{family_url}">Review overdue</a>' in body
    assert "Odd link" in body and "elsewhere.example" not in body


def test_owens_tray_does_not_list_the_ashworth_family(tray: Tray) -> None:
    body = sign_in(Client(), tray.p.owen).get("/worktray/").content.decode()
    assert "Your work tray" in body
    assert "Ashworth" not in body
    assert "Action due in -4 days" not in body  # his action, in a family he no longer sees


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_analyst_and_administrator_have_no_tray(tray: Tray, persona: str) -> None:
    client = sign_in(Client(), getattr(tray.p, persona))
    assert client.get("/worktray/").status_code == 404
    assert client.get("/worktray/team/").status_code == 404
    assert client.get(f"/worktray/team/{tray.p.maya.pk}/").status_code == 404


def test_one_list_at_a_time_in_pages(tray: Tray) -> None:
    p = tray.p
    for n in range(30):
        member(Family.objects.create(name=f"Family {n:02d}"), p.maya)
    client = sign_in(Client(), p.maya)
    tray_page = client.get("/worktray/").content.decode()
    assert 'href="/worktray/?show=families"' in tray_page  # more than the first ten
    first = client.get("/worktray/?show=families").content.decode()
    assert "Family 22" in first and "Family 23" not in first  # 25 a page, by name
    assert 'rel="next"' in first
    last_shown = Family.objects.get(name="Family 22").pk
    second = client.get(f"/worktray/?show=families&after={last_shown}").content.decode()
    assert "Family 23" in second and "Family 22" not in second and 'rel="next"' not in second
    for nonsense in ("?show=zz", "?show=actions&after=%3Cscript%3E", "?show=families&after=-1"):
        assert client.get(f"/worktray/{nonsense}").status_code == 200


def test_the_manager_sees_their_team_and_drills_into_a_tray(tray: Tray) -> None:
    p = tray.p
    client = sign_in(Client(), tray.mo)
    team = client.get("/worktray/team/").content.decode()
    assert "Your team's work" in team
    assert "Maya Midwife" in team and "Owen" not in team
    assert f'href="/worktray/team/{p.maya.pk}/"' in team
    drill = client.get(f"/worktray/team/{p.maya.pk}/").content.decode()
    assert "Work tray: Maya Midwife" in drill
    assert "Ashworth household" in drill
    # The Brooks are Maya's through the team around the family, not her agency's: her
    # manager has no reason to see them.
    assert "Brook" not in drill
    assert "/plans/actions/" not in drill  # read-only
    assert "My alerts" not in drill


def test_another_teams_manager_gets_404_on_the_drill_down(tray: Tray) -> None:
    client = sign_in(Client(), tray.pat)
    assert client.get(f"/worktray/team/{tray.p.maya.pk}/").status_code == 404
    assert "Maya" not in client.get("/worktray/team/").content.decode()
    assert client.get(f"/worktray/team/{tray.p.owen.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima"])
def test_practitioners_who_manage_no_team_get_404_on_team_pages(tray: Tray, persona: str) -> None:
    client = sign_in(Client(), getattr(tray.p, persona))
    assert client.get("/worktray/team/").status_code == 404
    assert client.get(f"/worktray/team/{tray.p.maya.pk}/").status_code == 404


def test_the_tray_is_in_the_navigation_for_practitioners_only(tray: Tray) -> None:
    assert 'href="/worktray/"' in sign_in(Client(), tray.p.maya).get("/").content.decode()
    assert 'href="/worktray/"' not in sign_in(Client(), tray.p.bea).get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/worktray/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
