"""Changing and setting a password, as personas."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from earlyhelp.accounts import services
from earlyhelp.accounts.tests.helpers import session_user_id

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "seven purple otters swimming"


def test_change_password_keeps_this_session_and_ends_the_others(as_persona, partnership) -> None:
    bea = partnership.bea
    here, elsewhere = as_persona(bea), as_persona(bea)
    page = here.get(CHANGE)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()

    response = here.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    bea.refresh_from_db()
    assert bea.check_password(NEW_PASSWORD)
    assert here.get(reverse("core:home")).status_code == 200
    assert elsewhere.get(reverse("core:home")).status_code == 302
    assert session_user_id(elsewhere) is None


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        (
            "wrong current password",
            NEW_PASSWORD,
            "current_password",
            "Your current password is not correct",
        ),
        (PASSWORD, "short", "new_password", "Password must be 12 characters or more"),
        (
            PASSWORD,
            "qwerty123456",
            "new_password",
            "Password is on a list of commonly used passwords",
        ),
        (PASSWORD, "q" * 300, "new_password", "Password must be 256 characters or fewer"),
        ("", NEW_PASSWORD, "current_password", "Enter your current password"),
    ],
)
def test_change_password_errors(as_persona, partnership, current, new, field, message) -> None:
    client = as_persona(partnership.bea)
    response = client.post(CHANGE, {"current_password": current, "new_password": new})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#{field}">{message}' in html
    partnership.bea.refresh_from_db()
    assert partnership.bea.check_password(PASSWORD)


def test_set_password_link_refuses_a_weak_password(client: Client, partnership) -> None:
    link = services.password_set_link_create(actor=partnership.sam, account=partnership.owen)
    html = client.post(link, {"new_password": "password"}).content.decode()
    assert "Password must be 12 characters or more" in html
    partnership.owen.refresh_from_db()
    assert partnership.owen.check_password(PASSWORD)


def test_tampered_link_is_refused(client: Client, partnership) -> None:
    link = services.password_set_link_create(actor=partnership.sam, account=partnership.owen)
    tampered = link.rstrip("/")[:-3] + "abc/"
    response = client.get(tampered)
    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
    assert client.post(tampered, {"new_password": NEW_PASSWORD}).status_code == 404
