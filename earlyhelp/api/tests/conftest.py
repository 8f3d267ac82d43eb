"""API test helpers: a client per persona holding a bearer token, and problem checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from earlyhelp.accounts.models import User
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue

ALL_SCOPES = list(Scope.values)
PROBLEM = "application/problem+json"


def bearer_client(
    user: User, scopes: list[str] | None = None, label: str = "Test client"
) -> Client:
    _, raw = api_token_issue(user=user, label=label, scopes=scopes or ALL_SCOPES)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counts live in the cache, which outlives each test's database."""
    cache.clear()


@pytest.fixture
def api_as(partnership: Any) -> Callable[..., Client]:
    """``api_as(p.maya)``: a client with a token for Maya holding every scope."""
    return bearer_client


def problem(response: Any, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    return body
