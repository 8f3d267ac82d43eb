"""Account management pages, as personas: Sam administers, everyone else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent

pytestmark = pytest.mark.django_db


def _pages(p) -> list[str]:  # type: ignore[no-untyped-def]
    owen = p.owen
    membership = owen.memberships.get()
    return [
        reverse("accounts:account_list"),
        reverse("accounts:account_create"),
        reverse("accounts:account_detail", kwargs={"account_id": owen.pk}),
        reverse("accounts:membership_add", kwargs={"account_id": owen.pk}),
        reverse(
            "accounts:membership_end",
            kwargs={"account_id": owen.pk, "membership_id": membership.pk},
        ),
        reverse("accounts:account_deactivate", kwargs={"account_id": owen.pk}),
        reverse("accounts:account_reactivate", kwargs={"account_id": owen.pk}),
        reverse("accounts:authenticator_reset", kwargs={"account_id": owen.pk}),
        reverse("accounts:password_set_link", kwargs={"account_id": owen.pk}),
    ]


def test_administrator_opens_every_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    for url in _pages(partnership):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "bea"])
def test_other_roles_get_404_and_the_refusal_is_recorded(as_persona, partnership, persona) -> None:
    user = getattr(partnership, persona)
    client = as_persona(user)
    pages = _pages(partnership)
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    denied = AccessEvent.objects.filter(actor=user, action=AccessAction.DENIED)
    assert denied.count() == 2 * len(pages)
    assert not AuditEvent.objects.exists()
    partnership.owen.refresh_from_db()
    assert partnership.owen.is_active


def test_missing_account_looks_the_same_as_forbidden(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    missing = reverse("accounts:account_detail", kwargs={"account_id": 999_999})
    assert client.get(missing).status_code == 404
    other_membership = partnership.maya.memberships.get()
    wrong_pair = reverse(
        "accounts:membership_end",
        kwargs={"account_id": partnership.owen.pk, "membership_id": other_membership.pk},
    )
    assert client.post(wrong_pair).status_code == 404
    other_membership.refresh_from_db()
    assert other_membership.ended_on is None


def test_account_list_shows_roles_and_status_and_searches(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    TOTPDevice.objects.filter(user=partnership.bea).delete()
    html = client.get(reverse("accounts:account_list")).content.decode()
    for user in (partnership.maya, partnership.owen, partnership.sam):
        assert user.email in html
    assert "Board analyst, Partnership insight" in html
    assert "Not set up" in html

    page = client.get(reverse("accounts:account_list"), {"q": "police"})
    assert list(page.context["page"]) == [partnership.owen]


def test_create_an_account_then_the_practitioner_sets_a_password(
    as_persona, client, partnership
) -> None:
    admin = as_persona(partnership.sam)
    team = Team.objects.get(name="Community midwives")
    response = admin.post(
        reverse("accounts:account_create"),
        {
            "full_name": "Nadia Health Visitor",
            "email": "nadia@visiting.example",
            "job_title": "Health visitor",
            "team": team.pk,
            "role": Role.PRACTITIONER,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Account created" in html
    link = response.context["link"]
    assert link.startswith("http://testserver/account/set-password/")
    nadia = User.objects.get(email="nadia@visiting.example")
    assert Membership.objects.filter(user=nadia, team=team, role=Role.PRACTITIONER).exists()

    page = client.get(link)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = client.post(link, {"new_password": "blue kettle morning tram"})
    assert response.status_code == 302
    assert "notice=password_set" in response["Location"]
    nadia.refresh_from_db()
    assert nadia.check_password("blue kettle morning tram")
    # The link works once.
    assert client.get(link).status_code == 404


def test_create_form_errors_link_to_their_fields(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    response = client.post(reverse("accounts:account_create"), {"email": "maya@midwifery.example"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#full_name">Enter their full name</a>' in html
    assert '<a href="#team">Select a team</a>' in html
    assert '<a href="#role">Select a role</a>' in html
    # The first radio carries the field's id, so the link has somewhere to go.
    assert 'id="role" name="role" type="radio"' in html


def test_duplicate_email_is_shown_on_the_email_field(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    team = Team.objects.get(name="Systems")
    response = client.post(
        reverse("accounts:account_create"),
        {
            "full_name": "Maya Again",
            "email": "MAYA@midwifery.example",
            "team": team.pk,
            "role": Role.PRACTITIONER,
        },
    )
    assert '<a href="#email">There is already an account with this email address</a>' in (
        response.content.decode()
    )


def test_end_a_membership_from_its_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    membership = partnership.owen.memberships.get()
    url = reverse(
        "accounts:membership_end",
        kwargs={"account_id": partnership.owen.pk, "membership_id": membership.pk},
    )
    assert "End membership" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse(
        "accounts:account_detail", kwargs={"account_id": partnership.owen.pk}
    )
    membership.refresh_from_db()
    assert membership.ended_on is not None


def test_add_a_membership_from_its_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    team = Team.objects.get(name="Front door")
    url = reverse("accounts:membership_add", kwargs={"account_id": partnership.owen.pk})
    client.post(url, {"team": team.pk, "role": Role.FRONT_DOOR})
    assert partnership.owen.memberships.filter(team=team, role=Role.FRONT_DOOR).exists()
    html = client.post(url, {"team": team.pk, "role": Role.FRONT_DOOR}).content.decode()
    assert "They already have this role in this team" in html


def test_deactivate_signs_the_practitioner_out(as_persona, partnership) -> None:
    admin = as_persona(partnership.sam)
    owen = as_persona(partnership.owen)
    url = reverse("accounts:account_deactivate", kwargs={"account_id": partnership.owen.pk})
    admin.post(url)
    partnership.owen.refresh_from_db()
    assert not partnership.owen.is_active
    assert owen.get(reverse("accounts:password_change")).status_code == 302

    reactivate = reverse("accounts:account_reactivate", kwargs={"account_id": partnership.owen.pk})
    admin.post(reactivate)
    partnership.owen.refresh_from_db()
    assert partnership.owen.is_active


def test_administrator_cannot_deactivate_themselves_from_the_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    url = reverse("accounts:account_deactivate", kwargs={"account_id": partnership.sam.pk})
    response = client.post(url)
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()


def test_reset_authenticator_from_its_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    url = reverse("accounts:authenticator_reset", kwargs={"account_id": partnership.owen.pk})
    client.post(url)
    assert not TOTPDevice.objects.filter(user=partnership.owen).exists()


def test_new_set_password_link_from_its_page(as_persona, partnership) -> None:
    client = as_persona(partnership.sam)
    url = reverse("accounts:password_set_link", kwargs={"account_id": partnership.owen.pk})
    response = client.post(url)
    assert response.status_code == 200
    assert "/account/set-password/" in response.context["link"]
    assert "expires in 3 days" in response.content.decode()


def test_administrator_never_opens_family_records(as_persona, partnership) -> None:
    from earlyhelp.sharing.policies import can_open_family_records, visible_families

    assert not can_open_family_records(partnership.sam)
    assert not visible_families(partnership.sam).exists()
