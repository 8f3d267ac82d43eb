"""Security headers and cookie flags on real responses: the sign-in page, a signed-in page
and the sign-in itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _pages(client: Client, as_persona: Any, partnership: Any) -> dict[str, Any]:
    return {
        "sign-in page": client.get(reverse("accounts:sign_in")),
        "signed-in page": as_persona(partnership.sam).get(reverse("core:home")),
    }


def test_every_page_sends_the_security_headers(client: Client, as_persona, partnership) -> None:
    for name, response in _pages(client, as_persona, partnership).items():
        assert response.status_code == 200, name
        csp = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp, name
        assert "'unsafe-eval'" not in csp, name
        directives = _csp_directives(csp)
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name
        assert any(v.startswith("'nonce-") for v in directives["script-src"]), name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert "no-store" in response["Cache-Control"], name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_script_nonce_in_the_page_matches_the_header(client: Client) -> None:
    response = client.get(reverse("accounts:sign_in"))
    nonce = next(
        v
        for v in _csp_directives(response["Content-Security-Policy"])["script-src"]
        if v.startswith("'nonce-")
    )[len("'nonce-") : -1]
    html = response.content.decode()
    assert html.count("<script") == html.count(f'nonce="{nonce}"') > 0


def test_hsts_on_a_secure_request(client: Client, as_persona, partnership) -> None:
    for response in (
        client.get(reverse("accounts:sign_in"), secure=True),
        as_persona(partnership.sam).get(reverse("core:home"), secure=True),
    ):
        hsts = response["Strict-Transport-Security"]
        assert "max-age=63072000" in hsts
        assert "includeSubDomains" in hsts


def test_no_hsts_over_plain_http(client: Client) -> None:
    # Browsers ignore it over http; sending it there would only hide a misconfiguration.
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:sign_in"))


def test_csrf_cookie_flags(client: Client) -> None:
    response = client.get(reverse("accounts:sign_in"), secure=True)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_session_cookie_flags_at_sign_in(client: Client, partnership) -> None:
    response = client.post(
        reverse("accounts:sign_in"),
        {"email": partnership.sam.email, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    # Ends with the browser, and never outlives the absolute session lifetime.
    assert not cookie["expires"]
    assert not cookie["max-age"]
