"""Who may call the API: tokens (hashed, scoped, revocable, expiring) and verified sessions."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.utils import timezone

from conftest import sign_in
from earlyhelp.api.models import ApiToken
from earlyhelp.api.services import api_token_issue, api_token_revoke
from earlyhelp.api.tests.conftest import ALL_SCOPES, bearer_client, problem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_a_challenge(partnership) -> None:
    response = Client().get(f"/api/v1/people/{partnership.chloe.pk}")
    problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="Early Help Hub API"'


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ("Bearer ehh_not-a-real-token", "invalid_token"),
        ("Bearer something-else", "invalid_token"),
        ("Basic bWF5YTpwYXNzd29yZA==", "invalid_request"),
        ("Bearer ", "invalid_request"),
    ],
)
def test_bad_token_is_401_saying_why(partnership, header: str, error: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/people")
    problem(response, 401)
    assert response["WWW-Authenticate"] == f'Bearer realm="Early Help Hub API", error="{error}"'


def test_only_the_hash_of_a_token_is_stored(partnership) -> None:
    token, raw = api_token_issue(user=partnership.maya, label="Reports", scopes=["search"])
    assert re.fullmatch(r"ehh_[A-Za-z0-9_-]{43}", raw)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:12]
    assert all(raw not in str(value) for value in model_to_dict(stored).values())
    assert all(raw not in str(e.__dict__) for e in AuditEvent.objects.all())
    # The token works, and nothing else that shares its prefix does.
    assert (
        Client(headers={"Authorization": f"Bearer {raw}"})
        .get("/api/v1/people/search?name=x")
        .status_code
        == 200
    )
    assert (
        Client(headers={"Authorization": f"Bearer {raw[:-1]}x"})
        .get("/api/v1/people/search?name=x")
        .status_code
        == 401
    )


def test_revoked_token_is_refused(partnership) -> None:
    token, raw = api_token_issue(user=partnership.maya, label="Old laptop", scopes=ALL_SCOPES)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/people").status_code == 200
    api_token_revoke(token=token)
    problem(client.get("/api/v1/people"), 401)
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_expired_token_is_refused(partnership) -> None:
    token, raw = api_token_issue(
        user=partnership.maya,
        label="Pilot",
        scopes=ALL_SCOPES,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/people").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    problem(client.get("/api/v1/people"), 401)


def test_token_of_a_deactivated_account_is_refused(partnership) -> None:
    client = bearer_client(partnership.maya)
    partnership.maya.is_active = False
    partnership.maya.save()
    problem(client.get("/api/v1/people"), 401)


def test_last_use_is_recorded(partnership) -> None:
    token, raw = api_token_issue(user=partnership.maya, label="Reports", scopes=ALL_SCOPES)
    assert token.last_used_at is None
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/people")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_scope_is_403_naming_the_scope(partnership) -> None:
    p = partnership
    reader = bearer_client(p.maya, scopes=["people:read"])
    assert reader.get(f"/api/v1/people/{p.chloe.pk}").status_code == 200
    response = reader.post(
        "/api/v1/families", {"name": "Pike household"}, content_type="application/json"
    )
    body = problem(response, 403)
    assert body["type"] == "/api/v1/problems/missing-scope"
    assert "people:write" in body["detail"]
    assert response["WWW-Authenticate"] == (
        'Bearer realm="Early Help Hub API", error="insufficient_scope", scope="people:write"'
    )
    problem(reader.get("/api/v1/people/search?name=Chloe"), 403)
    searcher = bearer_client(p.maya, scopes=["search"])
    problem(searcher.get(f"/api/v1/people/{p.chloe.pk}"), 403)


def test_wrong_scope_is_refused_before_anything_is_written(partnership) -> None:
    before = Person.objects.count()
    response = bearer_client(partnership.maya, scopes=["people:read", "search"]).post(
        "/api/v1/people",
        {"given_name": "A", "family_name": "B", "date_of_birth": "2000-01-01"},
        content_type="application/json",
    )
    problem(response, 403)
    assert Person.objects.count() == before


def test_verified_session_works(partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    response = client.get(f"/api/v1/people/{partnership.chloe.pk}")
    assert response.status_code == 200
    assert response.json()["given_name"] == "Chloe"


def test_session_without_the_second_factor_is_not_signed_in(partnership) -> None:
    client = Client()
    client.force_login(partnership.maya)
    response = client.get(f"/api/v1/people/{partnership.chloe.pk}")
    problem(response, 401)


def test_session_changes_need_the_csrf_token(partnership) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), partnership.maya)
    body = {"name": "Pike household"}
    refused = client.post("/api/v1/families", body, content_type="application/json")
    assert problem(refused, 403)["type"] == "about:blank"
    # The docs page gives the token, as Swagger UI uses it.
    page = client.get("/api/v1/docs").content.decode()
    csrf_token = re.search(r'data-csrf-token="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    accepted = client.post(
        "/api/v1/families",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )
    assert accepted.status_code == 201, accepted.content


def test_session_reads_are_recorded_without_a_client_label(partnership) -> None:
    from earlyhelp.core.models import AccessEvent

    sign_in(Client(), partnership.maya).get(f"/api/v1/people/{partnership.chloe.pk}")
    event = AccessEvent.objects.get(actor=partnership.maya)
    assert event.client == ""


@override_settings(API_RATE_LIMIT="3/min")
def test_too_many_requests_is_429_with_retry_after(partnership) -> None:
    client = bearer_client(partnership.maya)
    statuses = [client.get("/api/v1/people").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/people")
    problem(response, 429)
    assert int(response["Retry-After"]) >= 1
    # Another client has its own allowance.
    assert bearer_client(partnership.fatima).get("/api/v1/people").status_code == 200
