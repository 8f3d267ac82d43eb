"""Signing in: password, then a real code from the authenticator app; enrolment; lockout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from earlyhelp.accounts.tests.helpers import (
    current_code,
    enter_password,
    session_user_id,
    wrong_code,
)
from earlyhelp.accounts.views import WRONG_CODE, WRONG_CREDENTIALS

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:totp_verify")
ENROL = reverse("accounts:totp_enrol")


def test_sign_in_page_is_a_govuk_form(client: Client) -> None:
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="email"' in html
    assert 'autocomplete="username"' in html
    assert 'data-module="govuk-password-input"' in html
    assert 'autocomplete="current-password"' in html


def test_password_then_a_real_code_signs_in(client: Client, partnership) -> None:
    maya = partnership.maya
    response = enter_password(client, maya)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    # Half signed in: the password is accepted, the second factor is still to come.
    assert session_user_id(client) == str(maya.pk)
    assert client.get(reverse("core:home"))["Location"] == VERIFY

    page = client.get(VERIFY)
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    device = TOTPDevice.objects.get(user=maya)
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["otp_device_id"] == device.persistent_id


def test_code_with_a_space_in_the_middle_is_accepted(client: Client, partnership) -> None:
    device = TOTPDevice.objects.get(user=partnership.bea)
    enter_password(client, partnership.bea)
    code = current_code(device)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_session_id_changes_at_each_step(client: Client, partnership) -> None:
    session = client.session
    session["seen_sign_in_page"] = True
    session.save()
    anonymous_key = session.session_key
    cookie_name = settings.SESSION_COOKIE_NAME
    assert client.cookies[cookie_name].value == anonymous_key

    enter_password(client, partnership.bea)
    after_password = client.cookies[cookie_name].value
    assert after_password != anonymous_key

    device = TOTPDevice.objects.get(user=partnership.bea)
    client.post(VERIFY, {"code": current_code(device)})
    after_code = client.cookies[cookie_name].value
    assert after_code not in {anonymous_key, after_password}
    assert session_user_id(client) == str(partnership.bea.pk)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("bea@council.example", "not the right password"),
        ("nobody@council.example", PASSWORD),
        ("nobody@council.example", "not the right password"),
    ],
)
def test_wrong_details_get_one_message_that_reveals_nothing(
    client: Client, partnership, email, password
) -> None:
    response = client.post(SIGN_IN, {"email": email, "password": password})
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_CREDENTIALS in html
    # The error summary links to the first field.
    assert 'href="#email"' in html
    assert session_user_id(client) is None


def test_deactivated_account_gets_the_same_message(client: Client, partnership) -> None:
    bea = partnership.bea
    bea.is_active = False
    bea.save()
    response = enter_password(client, bea)
    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert session_user_id(client) is None


def test_email_is_not_case_sensitive(client: Client, partnership) -> None:
    response = client.post(SIGN_IN, {"email": "Bea@Council.Example", "password": PASSWORD})
    assert response.status_code == 302
    assert session_user_id(client) == str(partnership.bea.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": PASSWORD}, "email", "Enter your email address"),
        (
            {"email": "not-an-address", "password": PASSWORD},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"email": "bea@council.example", "password": ""}, "password", "Enter your password"),
    ],
)
def test_missing_details_link_the_error_to_the_field(
    client: Client, partnership, data, field, message
) -> None:
    html = client.post(SIGN_IN, data).content.decode()
    assert f'<a href="#{field}">{message}</a>' in html
    assert f'id="{field}-error"' in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html


def test_next_page_is_kept_through_both_steps(client: Client, partnership) -> None:
    target = reverse("accounts:password_change")
    enter_password(client, partnership.bea, next=target)
    device = TOTPDevice.objects.get(user=partnership.bea)
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response["Location"] == target


def test_next_page_on_another_site_is_ignored(client: Client, partnership) -> None:
    enter_password(client, partnership.bea, next="https://evil.example/")
    device = TOTPDevice.objects.get(user=partnership.bea)
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_wrong_code_is_refused_with_a_clear_error(client: Client, partnership) -> None:
    device = TOTPDevice.objects.get(user=partnership.bea)
    enter_password(client, partnership.bea)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_CODE in html
    assert '<a href="#code">' in html
    assert "otp_device_id" not in client.session
    assert client.get(reverse("core:home"))["Location"] == VERIFY


def test_badly_formed_code_is_explained(client: Client, partnership) -> None:
    enter_password(client, partnership.bea)
    html = client.post(VERIFY, {"code": "12ab"}).content.decode()
    assert "Enter the security code using only 6 digits" in html


def test_wrong_codes_are_throttled_even_when_the_next_one_is_right(
    client: Client, partnership
) -> None:
    device = TOTPDevice.objects.get(user=partnership.bea)
    enter_password(client, partnership.bea)
    client.post(VERIFY, {"code": wrong_code(device)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # As if several wrong codes had just been tried: django-otp now makes them wait minutes.
    device.throttling_failure_count = 10
    device.save()
    response = client.post(VERIFY, {"code": current_code(device)})
    html = response.content.decode()
    assert "You have entered too many wrong security codes. Wait" in html
    assert "otp_device_id" not in client.session


def test_a_code_cannot_be_used_twice(partnership) -> None:
    device = TOTPDevice.objects.get(user=partnership.bea)
    first, second = Client(), Client()
    enter_password(first, partnership.bea)
    enter_password(second, partnership.bea)
    code = current_code(device)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert "otp_device_id" not in second.session


def test_first_sign_in_sets_up_the_authenticator_app(client: Client, partnership) -> None:
    bea = partnership.bea
    TOTPDevice.objects.filter(user=bea).delete()
    enter_password(client, bea)
    assert client.get(VERIFY)["Location"] == ENROL
    assert client.get(reverse("core:home"))["Location"] == VERIFY

    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=bea)
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in html
    assert page.context["manual_entry_key"].replace(" ", "") in html.replace(" ", "")
    assert 'autocomplete="one-time-code"' in html
    # Coming back shows the same key, so a half-finished scan still works.
    assert client.get(ENROL).context["manual_entry_key"] == page.context["manual_entry_key"]
    assert TOTPDevice.objects.filter(user=bea).count() == 1

    response = client.post(ENROL, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_code_while_setting_up_leaves_the_app_unconfirmed(
    client: Client, partnership
) -> None:
    bea = partnership.bea
    TOTPDevice.objects.filter(user=bea).delete()
    enter_password(client, bea)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=bea)
    html = client.post(ENROL, {"code": wrong_code(device)}).content.decode()
    assert WRONG_CODE in html
    device.refresh_from_db()
    assert not device.confirmed
    assert "otp_device_id" not in client.session


def test_password_alone_cannot_replace_an_existing_app(client: Client, partnership) -> None:
    enter_password(client, partnership.maya)
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.post(ENROL, {"code": "123456"})["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=partnership.maya).count() == 1


def test_five_failures_lock_sign_in_for_15_minutes(client: Client, partnership) -> None:
    bea = partnership.bea
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = enter_password(client, bea, password="not the right password")
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in response.content.decode()

    response = enter_password(client, bea, password="not the right password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have tried to sign in too many times" in html
    assert "Try again in 15 minutes" in html
    assert "contact your team manager" in html
    assert response["Retry-After"] == "900"

    # Even the right password is refused while locked out.
    response = enter_password(client, bea)
    assert response.status_code == 429
    assert session_user_id(client) is None


def test_sign_out_asks_then_signs_out(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    page = client.get(reverse("accounts:sign_out"))
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert session_user_id(client) == str(partnership.bea.pk)

    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert session_user_id(client) is None
    signed_out = client.get(response["Location"]).content.decode()
    assert "You have signed out" in signed_out
    # Drafts kept in the browser go with the session (earlyhelp.mjs reads this marker)...
    assert "data-forget-drafts" in signed_out
    # ...but not when a session merely timed out: the drafts are what survives a timeout.
    assert "data-forget-drafts" not in client.get(reverse("accounts:sign_in")).content.decode()


def test_sign_out_works_half_way_through_sign_in(client: Client, partnership) -> None:
    enter_password(client, partnership.bea)
    assert client.get(reverse("accounts:sign_out")).status_code == 200
    client.post(reverse("accounts:sign_out"))
    assert session_user_id(client) is None
