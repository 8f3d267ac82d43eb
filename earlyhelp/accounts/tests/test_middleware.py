"""Session lifetime and "both factors or nothing", as real requests through the middleware."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.middleware import (
    LAST_ACTIVITY_SESSION_KEY,
    SIGNED_IN_AT_SESSION_KEY,
    RequireVerifiedMiddleware,
    now_timestamp,
)
from earlyhelp.accounts.tests.helpers import session_user_id

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:totp_verify")


def _age_session(client: Client, *, idle: int = 0, signed_in: int = 0) -> None:
    """Moves the session's clocks back by this many seconds: no sleeping in tests."""
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] -= idle
    session[SIGNED_IN_AT_SESSION_KEY] -= signed_in
    session.save()


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=30 * 60)
def test_idle_for_more_than_30_minutes_signs_out(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    assert client.get(HOME).status_code == 200
    _age_session(client, idle=30 * 60 + 1)

    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?notice=idle")
    assert "next=%2Faccount%2Fchange-password%2F" in response["Location"]
    assert "no-store" in response["Cache-Control"]
    assert session_user_id(client) is None

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "You were signed out after 30 minutes without activity" in html
    assert "govuk-notification-banner" in html
    assert page.context["next"] == "/account/change-password/"


def test_activity_within_the_idle_timeout_keeps_the_session(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    _age_session(client, idle=settings.SESSION_IDLE_TIMEOUT_SECONDS - 120)
    before = client.session[LAST_ACTIVITY_SESSION_KEY]

    assert client.get(HOME).status_code == 200
    # The visit counts as activity, so the clock starts again.
    assert client.session[LAST_ACTIVITY_SESSION_KEY] > before
    assert client.session[LAST_ACTIVITY_SESSION_KEY] >= now_timestamp() - 5


def test_absolute_lifetime_signs_out_even_when_active(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    _age_session(client, signed_in=settings.SESSION_ABSOLUTE_LIFETIME_SECONDS + 1)

    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?notice=lifetime")
    assert session_user_id(client) is None
    html = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had been signed in for 10 hours" in html


def test_session_without_a_sign_in_stamp_is_ended(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    session = client.session
    del session[SIGNED_IN_AT_SESSION_KEY]
    session.save()
    assert client.get(HOME).status_code == 302
    assert session_user_id(client) is None


def test_expired_session_gets_401_from_the_api(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    _age_session(client, idle=settings.SESSION_IDLE_TIMEOUT_SECONDS + 1)
    response = client.get("/api/v1/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert session_user_id(client) is None


def test_password_without_code_reaches_only_the_code_pages(client: Client, partnership) -> None:
    client.force_login(partnership.bea)
    for name in ("core:home", "accounts:password_change", "accounts:account_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == VERIFY, name
    # A POST is turned away too, before the view runs.
    response = client.post(reverse("accounts:password_change"), {})
    assert response["Location"] == VERIFY
    for name in ("accounts:totp_verify", "accounts:sign_out", "core:accessibility", "core:privacy"):
        assert client.get(reverse(name)).status_code == 200, name


def test_password_without_code_is_nobody_to_the_api(client: Client, partnership) -> None:
    """The API has its own authentication, and a half-signed-in session is not part of it."""
    seen: list[object] = []

    def api_view(request: HttpRequest) -> HttpResponse:
        seen.append(request.user)
        return HttpResponse()

    bea = partnership.bea
    bea.is_verified = lambda: False  # as OTPMiddleware leaves it before the code
    request = HttpRequest()
    request.path_info = request.path = "/api/v1/people/"
    request.user = bea
    RequireVerifiedMiddleware(api_view)(request)
    assert not seen[0].is_authenticated  # type: ignore[attr-defined]
    assert seen[0].is_verified() is False  # type: ignore[attr-defined]


def test_anonymous_visitors_see_only_public_pages(client: Client, partnership) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/account/change-password/"
    assert client.get(reverse("accounts:totp_verify")).status_code == 302
    for name in ("accounts:sign_in", "core:accessibility", "core:privacy"):
        assert client.get(reverse(name)).status_code == 200, name


def test_fully_signed_in_sessions_go_where_they_asked(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    assert client.get(HOME).status_code == 200
    # Nothing left to do on the code pages.
    assert client.get(VERIFY)["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.get(SIGN_IN)["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_reset_authenticator_sends_a_signed_in_session_back_to_set_up(
    as_persona, partnership
) -> None:
    client = as_persona(partnership.bea)
    TOTPDevice.objects.filter(user=partnership.bea).delete()
    assert client.get(HOME)["Location"] == VERIFY
    assert client.get(VERIFY)["Location"] == reverse("accounts:totp_enrol")


def test_deactivated_account_is_signed_out_at_the_next_page(as_persona, partnership) -> None:
    client = as_persona(partnership.bea)
    partnership.bea.is_active = False
    partnership.bea.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
