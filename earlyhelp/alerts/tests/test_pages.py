"""The "Your alerts" page and the navigation's count, as personas."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Partnership, sign_in
from earlyhelp.alerts.models import Alert
from earlyhelp.alerts.tests.factories import RED_FLAG_TITLE, alert_for, alerts_for

pytestmark = pytest.mark.django_db

INBOX = "/alerts/"


def _ack(alert: Alert) -> str:
    return f"/alerts/{alert.pk}/acknowledge/"


def _nav(body: str) -> str:
    match = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', body, re.S)
    assert match
    return match.group(0)


def test_maya_sees_her_alerts_and_not_owens(partnership: Partnership) -> None:
    p = partnership
    alert = alert_for(p.maya, url=f"/people/families/{p.ashworth.pk}/#safer-sleep")
    Alert.objects.filter(pk=alert.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=3)
    )
    alert_for(p.owen, title="Owen's own alert", body="Only for Owen")
    body = sign_in(Client(), p.maya).get(INBOX).content.decode()
    assert "<h1" in body and "Your alerts" in body
    assert RED_FLAG_TITLE in body
    assert "Read the action plan and agree who follows it up." in body
    assert f'href="/people/families/{p.ashworth.pk}/#safer-sleep"' in body
    assert "3\xa0hours ago" in body  # relative
    exact = timezone.localtime(timezone.now() - datetime.timedelta(hours=3))
    assert exact.strftime("%-d %B %Y") in body  # and exact
    assert f'action="{_ack(alert)}"' in body and "csrfmiddlewaretoken" in body
    assert "Owen's own alert" not in body and "Only for Owen" not in body


def test_acknowledging_keeps_the_alert_under_all(partnership: Partnership) -> None:
    p = partnership
    alert = alert_for(p.maya)
    maya = sign_in(Client(), p.maya)
    response = maya.post(_ack(alert), {"show": "open"}, follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    body = response.content.decode()
    assert f"Alert acknowledged: {RED_FLAG_TITLE}" in body
    assert "You have no open alerts." in body
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    everything = maya.get(INBOX, {"show": "all"}).content.decode()
    assert RED_FLAG_TITLE in everything and "Acknowledged" in everything
    assert f'action="{_ack(alert)}"' not in everything  # nothing left to acknowledge


def test_acknowledging_from_all_returns_to_all(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    response = sign_in(Client(), partnership.maya).post(_ack(alert), {"show": "all"})
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?show=all"


def test_acknowledging_twice_is_harmless(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    maya = sign_in(Client(), partnership.maya)
    maya.post(_ack(alert))
    alert.refresh_from_db()
    first = alert.acknowledged_at
    assert maya.post(_ack(alert)).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at == first


def test_acknowledging_someone_elses_alert_is_not_found(partnership: Partnership) -> None:
    owens = alert_for(partnership.owen)
    maya = sign_in(Client(), partnership.maya)
    assert maya.post(_ack(owens)).status_code == 404
    assert maya.post(f"/alerts/{owens.pk + 1000}/acknowledge/").status_code == 404
    owens.refresh_from_db()
    assert owens.acknowledged_at is None


def test_acknowledging_needs_a_post_with_the_csrf_token(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    maya = sign_in(Client(enforce_csrf_checks=True), partnership.maya)
    assert maya.get(_ack(alert)).status_code == 405
    assert maya.post(_ack(alert)).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


@pytest.mark.parametrize(
    "query",
    [
        {"after": "abc"},
        {"after": "-1"},
        {"after": "9" * 40},
        {"after": "١٢"},
        {"show": "everything"},
        {"show": "all", "after": "0"},
    ],
)
def test_odd_addresses_show_the_first_page(query: dict[str, str], partnership: Partnership) -> None:
    alert_for(partnership.maya)
    response = sign_in(Client(), partnership.maya).get(INBOX, query)
    assert response.status_code == 200
    assert RED_FLAG_TITLE in response.content.decode()


def test_pages_follow_on_from_the_last_alert_shown(partnership: Partnership) -> None:
    made = alerts_for(partnership.maya, 27)
    maya = sign_in(Client(), partnership.maya)
    first = maya.get(INBOX).content.decode()
    assert "Alert 27" in first and "Alert 3<" in first and "Alert 2<" not in first
    older = re.search(r'href="(/alerts/\?after=\d+)" rel="next"', first)
    assert older, "no link to older alerts"
    second = maya.get(older.group(1)).content.decode()
    assert "Alert 2<" in second and "Alert 1<" in second and "Alert 3<" not in second
    assert 'rel="next"' not in second and 'href="/alerts/" rel="prev"' in second
    # Acknowledging on the second page comes back to it.
    response = maya.post(_ack(made[0]), {"show": "open", "after": older.group(1).split("=")[1]})
    assert response["Location"] == older.group(1)


def test_a_link_leaving_the_service_is_never_shown(partnership: Partnership) -> None:
    alert_for(partnership.maya, url="https://example.com/phish")
    alert_for(partnership.maya, title="Schemeless", url="//example.com/phish")
    body = sign_in(Client(), partnership.maya).get(INBOX).content.decode()
    assert "example.com" not in body and "Go to the record" not in body


def test_the_navigation_shows_alerts_with_the_open_count(partnership: Partnership) -> None:
    maya = sign_in(Client(), partnership.maya)
    assert 'href="/alerts/">Alerts</a>' in _nav(maya.get("/").content.decode())
    first, _ = alerts_for(partnership.maya, 2)
    alert_for(partnership.owen)
    nav = _nav(maya.get("/").content.decode())
    assert re.search(r'href="/alerts/">Alerts <strong class="govuk-tag[^"]*">2<span', nav)
    maya.post(_ack(first))
    nav = _nav(maya.get(INBOX).content.decode())
    assert 'aria-current="page">Alerts <strong' in nav and ">1<span" in nav
    Alert.objects.bulk_create(
        [Alert(recipient=partnership.maya, kind="k", title="t") for _ in range(120)]
    )
    assert ">99+<span" in _nav(maya.get("/").content.decode())


@pytest.mark.parametrize("persona", ["owen", "fatima"])
def test_every_practitioner_finds_alerts_in_the_navigation(
    persona: str, partnership: Partnership
) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    assert 'href="/alerts/"' in _nav(client.get("/").content.decode())
    assert client.get(INBOX).status_code == 200


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrator_and_analyst_have_no_alerts_page(
    persona: str, partnership: Partnership
) -> None:
    user = getattr(partnership, persona)
    alert = alert_for(user)
    client = sign_in(Client(), user)
    assert 'href="/alerts/"' not in _nav(client.get("/").content.decode())
    assert client.get(INBOX).status_code == 404
    assert client.post(_ack(alert)).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_visitors_are_sent_to_sign_in(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    for response in (Client().get(INBOX), Client().post(_ack(alert))):
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/")
