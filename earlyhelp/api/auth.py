"""Who is calling: a bearer token (machine clients, practitioners' scripts) or the browser's
signed-in session (the docs page, future pages that call the API).

Every operation names the scope it needs. A token carries the scopes it was issued with; a
verified session carries them all, because what a person may see is decided by the sharing
policy, not by the scope (scopes only narrow what a token can do). Either way the services
and selectors then apply the sharing policy to the account the request acts as.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf

from earlyhelp.accounts.models import User
from earlyhelp.api import services
from earlyhelp.api.models import ApiToken, Scope
from earlyhelp.api.problems import CsrfFailed, MissingScope


class BearerToken(HttpBearer):
    """``Authorization: Bearer ehh_...``: an ApiToken, which acts as its user."""

    openapi_description = "An API token from `manage.py api_token_issue`."

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            request.api_auth_error = "invalid_request"  # type: ignore[attr-defined]
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = services.api_token_authenticate(token)
        if api_token is None:
            request.api_auth_error = "invalid_token"  # type: ignore[attr-defined]
            return None
        if self.scope and self.scope not in api_token.scopes:
            raise MissingScope(self.scope)
        request.api_token = api_token  # type: ignore[attr-defined]
        # earlyhelp.core.access records this with every look the request makes.
        request.api_client_name = api_token.label  # type: ignore[attr-defined]
        return api_token.user


class VerifiedSession(APIKeyCookie):
    """The browser's session, only once the second factor is done; changes need CSRF."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The signed-in session (password and authenticator app)."

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope  # kept for the docs only: a verified session holds every scope
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return None
        # Only now: a request without a session is "not signed in" (401), not a CSRF failure.
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return request.user  # type: ignore[return-value]


def requires(scope: Scope | None) -> list[Any]:
    """The auth for an operation that needs ``scope`` (None: any valid credentials)."""
    value = str(scope) if scope is not None else None
    return [BearerToken(value), VerifiedSession(value)]


def client_key(request: HttpRequest) -> str:
    """Who the request is from, for idempotency keys and rate limits."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"


class ClientRateThrottle(SimpleRateThrottle):
    """At most ``settings.API_RATE_LIMIT`` requests (default 600 a minute) per token or user.

    Counts are kept in the default cache: with the local-memory cache each server process
    counts on its own, so the limit is per process.
    """

    scope = "api"
    cache_format = "api-throttle:%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate="600/min")

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "API_RATE_LIMIT", "600/min")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is None:
            return None
        return self.cache_format % {"ident": client_key(request)}


def api_actor(request: HttpRequest) -> User:
    """The account an API request acts as (set by the token or session authentication)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
