"""Front door pages as personas: Maya requests, Fatima decides, Owen, Sam and Bea get 404.

Rules: R-WT-3, R-WT-7, R-WT-8, R-TIME-1, R-IS-12.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from conftest import Partnership, sign_in
from earlyhelp.alerts.models import Alert
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.rules import NEEDS_AGREEMENT, NO_REASONS
from earlyhelp.frontdoor.tests.factories import at, request_made
from earlyhelp.people.models import Involvement
from earlyhelp.sharing.models import Consent, ConsentGiver, InformationCategory

pytestmark = pytest.mark.django_db

D = datetime.date
ERROR_SUMMARY = "govuk-error-summary"


def _add_url(p: Partnership) -> str:
    return f"/frontdoor/families/{p.ashworth.pk}/requests/new/"


def _form(p: Partnership, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "about_person": str(p.unborn.pk),
        "concern": "Chloe is 17 and 24 weeks pregnant; sofa-surfing since October.",
        "category": "none",
        "circumstances": ["domestic_abuse"],
        "family_knows": "Chloe knows I am asking for support",
        "agreement": "agrees",
        "urgency": "routine",
        "sharing_basis": "written",
        "sharing_basis_note": "Chloe agreed at her appointment today",
        "requesting_organisation": str(p.midwifery.pk),
    }
    data.update(changes)
    return data


def test_the_family_page_offers_a_request_and_lists_the_familys_requests(
    partnership: Partnership,
) -> None:
    p = partnership
    request_made(p)
    body = sign_in(Client(), p.maya).get(f"/people/families/{p.ashworth.pk}/").content.decode()
    assert f'href="{_add_url(p)}"' in body
    assert "Requests for support" in body
    assert "Waiting for the front door" in body


def test_maya_requests_support_for_the_unborn_baby(partnership: Partnership) -> None:
    p = partnership
    client = sign_in(Client(), p.maya)
    page = client.get(_add_url(p)).content.decode()
    assert "Request support" in page and "Unborn baby Ashworth (unborn baby)" in page
    response = client.post(_add_url(p), _form(p))
    made = RequestForSupport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/frontdoor/requests/{made.pk}/"
    assert made.about_person == p.unborn and made.requested_by == p.maya
    assert made.circumstances == ["domestic_abuse"]
    assert made.sharing_basis_note == "Chloe agreed at her appointment today"
    detail = client.get(response["Location"]).content.decode()
    assert "A decision is due by" in detail
    # R-WT-7: the circumstance prompts the front door to consider early help.
    assert "Consider early help: there is domestic abuse in the household" in detail
    # Maya is not the front door: no decide or acknowledge buttons.
    assert f"/frontdoor/requests/{made.pk}/decide/" not in detail


def test_an_empty_request_shows_every_problem_in_the_error_summary(
    partnership: Partnership,
) -> None:
    p = partnership
    response = sign_in(Client(), p.maya).post(_add_url(p), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert ERROR_SUMMARY in body
    for message in (
        "Enter what you are worried about",
        "Enter what the family knows about this request",
        "Select whether the family agrees to the request",
        "Select how urgent this is",
    ):
        assert message in body, message
    assert not RequestForSupport.objects.exists()


def test_not_asked_needs_a_reason_on_the_page(partnership: Partnership) -> None:
    """R-WT-3: the reason is asked under the answer, and faulted only when it was chosen."""
    p = partnership
    client = sign_in(Client(), p.maya)
    body = client.post(_add_url(p), _form(p, agreement="not_asked")).content.decode()
    assert "Enter why the family has not been asked" in body
    body = client.post(
        _add_url(p), _form(p, sharing_basis="", not_asked_reason="")
    ).content.decode()
    assert "Enter the basis for sharing this with the front door" in body
    assert "Enter why the family has not been asked" not in body


def test_a_made_up_choice_is_a_clear_message_not_a_500(partnership: Partnership) -> None:
    p = partnership
    response = sign_in(Client(), p.maya).post(
        _add_url(p), _form(p, about_person="999999", urgency="yesterday", category="x")
    )
    body = response.content.decode()
    assert response.status_code == 200 and ERROR_SUMMARY in body
    assert "Select a member of this family or the whole family" in body
    assert not RequestForSupport.objects.exists()


def test_a_consent_in_force_can_be_chosen_as_the_basis(partnership: Partnership) -> None:
    p = partnership
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=p.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        purpose="Support in pregnancy",
        starts_on=D(2026, 1, 1),
        recorded_by=p.maya,
    )
    client = sign_in(Client(), p.maya)
    assert (
        "Consent from Chloe Ashworth: Support in pregnancy"
        in client.get(_add_url(p)).content.decode()
    )
    client.post(_add_url(p), _form(p, sharing_basis=f"consent-{consent.pk}"))
    made = RequestForSupport.objects.get()
    assert made.consent == consent and made.sharing_basis_note == ""


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404_on_every_front_door_page(partnership: Partnership, persona: str) -> None:
    p = partnership
    made = request_made(p)
    client = sign_in(Client(), getattr(p, persona))
    for url in (
        _add_url(p),
        f"/frontdoor/requests/{made.pk}/",
        "/frontdoor/",
        f"/frontdoor/requests/{made.pk}/acknowledge/",
        f"/frontdoor/requests/{made.pk}/decide/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_add_url(p), _form(p)).status_code == 404
    assert RequestForSupport.objects.count() == 1


def test_the_queue_acknowledge_and_decide_are_for_the_front_door_only(
    partnership: Partnership,
) -> None:
    p = partnership
    made = request_made(p)
    maya = sign_in(Client(), p.maya)
    for url in (
        "/frontdoor/",
        f"/frontdoor/requests/{made.pk}/acknowledge/",
        f"/frontdoor/requests/{made.pk}/decide/",
    ):
        assert maya.get(url).status_code == 404, url
    response = maya.post(
        f"/frontdoor/requests/{made.pk}/decide/",
        {"version": "1", "route": "mash", "reasons": "x"},
    )
    assert response.status_code == 404
    made.refresh_from_db()
    assert made.decided_at is None
    assert AccessEvent.objects.filter(actor=p.maya, action=AccessAction.DENIED).count() == 4
    fatima = sign_in(Client(), p.fatima)
    for url in ("/frontdoor/", f"/frontdoor/requests/{made.pk}/decide/"):
        assert fatima.get(url).status_code == 200, url


def test_the_queue_shows_open_requests_oldest_first_with_overdue_flagged(
    partnership: Partnership,
) -> None:
    p = partnership
    old = request_made(p, now=at(D(2026, 11, 2)), concern="The older worry")
    new = request_made(p)
    decided = request_made(p)
    services.request_for_support_decide(
        actor=p.fatima, request_for_support=decided, route="mash", reasons="x", version=1
    )
    body = sign_in(Client(), p.fatima).get("/frontdoor/").content.decode()
    first, second = (f'href="/frontdoor/requests/{r.pk}/"' for r in (old, new))
    assert first in body and second in body and body.index(first) < body.index(second)
    assert f'href="/frontdoor/requests/{decided.pk}/"' not in body
    assert "Overdue" in body
    assert "2 others" in body  # repeat requests for the family are visible together


def test_the_queue_pages_without_counting_everything(partnership: Partnership) -> None:
    p = partnership
    made = [request_made(p, now=at(D(2026, 11, 1) + datetime.timedelta(days=i))) for i in range(27)]
    client = sign_in(Client(), p.fatima)
    first = client.get("/frontdoor/").content.decode()
    assert f'href="/frontdoor/requests/{made[24].pk}/"' in first
    assert f'href="/frontdoor/requests/{made[25].pk}/"' not in first
    assert "Next requests" in first
    after = first.split('href="/frontdoor/?after=')[1].split('"')[0]
    second = client.get(f"/frontdoor/?after={after}").content.decode()
    assert f'href="/frontdoor/requests/{made[25].pk}/"' in second
    assert f'href="/frontdoor/requests/{made[24].pk}/"' not in second
    assert "Next requests" not in second
    # A tampered cursor is not a 500.
    assert client.get("/frontdoor/?after=%00%ff_x").status_code == 200


def test_fatima_acknowledges_then_decides_and_maya_is_told(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    fatima = sign_in(Client(), p.fatima)
    detail = fatima.get(f"/frontdoor/requests/{made.pk}/").content.decode()
    assert f'href="/frontdoor/requests/{made.pk}/decide/"' in detail
    assert f'href="/frontdoor/requests/{made.pk}/acknowledge/"' in detail
    response = fatima.post(f"/frontdoor/requests/{made.pk}/acknowledge/", {"version": "1"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.acknowledged_by == p.fatima and made.version == 2
    assert Alert.objects.filter(recipient=p.maya, kind=services.ALERT_ACKNOWLEDGED).exists()

    # A decision without reasons: the error summary, nothing saved.
    url = f"/frontdoor/requests/{made.pk}/decide/"
    response = fatima.post(url, {"version": "2", "route": "early_help", "reasons": ""})
    body = response.content.decode()
    assert response.status_code == 200 and ERROR_SUMMARY in body and NO_REASONS in body
    response = fatima.post(
        url, {"version": "2", "route": "early_help", "reasons": "Family support worker to visit"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.route == "early_help" and made.decided_by == p.fatima
    assert Alert.objects.filter(recipient=p.maya, kind=services.ALERT_DECIDED).exists()
    maya_view = sign_in(Client(), p.maya).get(f"/frontdoor/requests/{made.pk}/").content.decode()
    assert "Decided: Early help" in maya_view and "Family support worker to visit" in maya_view
    # Deciding again sends the decider to what was decided.
    again = fatima.get(url)
    assert again.status_code == 302 and again["Location"] == f"/frontdoor/requests/{made.pk}/"


def test_early_help_without_the_familys_agreement_is_explained(partnership: Partnership) -> None:
    """R-WT-3 on the page; R-WT-8: the MASH needs nothing but the reasons."""
    p = partnership
    made = request_made(p, agreement="does_not_agree")
    fatima = sign_in(Client(), p.fatima)
    url = f"/frontdoor/requests/{made.pk}/decide/"
    page = fatima.get(url).content.decode()
    assert "The family now agrees to early help" in page
    assert "never needs an assessment" in page
    body = fatima.post(
        url, {"version": "1", "route": "early_help", "reasons": "x"}
    ).content.decode()
    assert ERROR_SUMMARY in body and NEEDS_AGREEMENT.replace("'", "&#x27;") in body
    response = fatima.post(url, {"version": "1", "route": "mash", "reasons": "Police report"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.route == "mash"


def test_a_stale_decision_page_is_told_about_the_change(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    services.request_for_support_acknowledge(actor=p.fatima, request_for_support=made, version=1)
    response = sign_in(Client(), p.fatima).post(
        f"/frontdoor/requests/{made.pk}/decide/",
        {"version": "1", "route": "advice_universal", "reasons": "Universal services"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this request" in body
    assert 'name="version" value="2"' in body  # the next save applies to what is saved now
    assert "Universal services" in body  # what they typed is kept
    made.refresh_from_db()
    assert made.decided_at is None


def test_a_broken_version_is_a_clear_message(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    response = sign_in(Client(), p.fatima).post(
        f"/frontdoor/requests/{made.pk}/decide/", {"version": "x", "route": "mash", "reasons": "y"}
    )
    assert response.status_code == 200
    assert "The page was out of date" in response.content.decode()


def test_the_request_page_shows_the_familys_other_requests(partnership: Partnership) -> None:
    p = partnership
    earlier = request_made(p, now=at(D(2026, 10, 1)))
    later = request_made(p)
    body = sign_in(Client(), p.maya).get(f"/frontdoor/requests/{later.pk}/").content.decode()
    assert "Other requests for this family" in body
    assert f'href="/frontdoor/requests/{earlier.pk}/"' in body


def test_a_sensitive_concern_is_shown_only_as_held_by_the_agency(partnership: Partnership) -> None:
    """R-IS-12: the police, involved with the family, see who holds it, not the concern."""
    p = partnership
    Involvement.objects.create(
        organisation=p.police,
        family=p.ashworth,
        service="Public protection",
        started_on=D(2026, 1, 1),
    )
    category = InformationCategory.objects.get(code="domestic_abuse")
    made = request_made(p, about_person=p.chloe, category=category, concern="Partner hit Chloe")
    owen = sign_in(Client(), p.owen).get(f"/frontdoor/requests/{made.pk}/").content.decode()
    assert "Partner hit Chloe" not in owen
    assert f"Held by {p.midwifery.name}: ask the lead professional" in owen
    fatima = sign_in(Client(), p.fatima).get(f"/frontdoor/requests/{made.pk}/").content.decode()
    assert "Partner hit Chloe" in fatima
