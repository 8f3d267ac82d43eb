"""Session lifetime and the second factor, enforced for every page in one place.

Both go right after django_otp's OTPMiddleware (they need ``request.user.is_verified``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from earlyhelp.accounts import rules
from earlyhelp.accounts.totp import is_verified

logger = logging.getLogger("earlyhelp.security")

SIGNED_IN_AT_SESSION_KEY = "accounts_signed_in_at"
LAST_ACTIVITY_SESSION_KEY = "accounts_last_activity"

# The API authenticates its own clients and answers in JSON, never with a sign-in page.
API_PATH_PREFIX = "/api/"

# Pages anyone may open, signed in or not, that belong to other apps. Pages in this app say
# so with Django's @login_not_required, which the middleware also honours.
PUBLIC_URL_NAMES = frozenset({"core:accessibility", "core:privacy"})
# What a session that has passed the password but not the code may also reach.
SECOND_FACTOR_URL_NAMES = frozenset(
    {"accounts:totp_verify", "accounts:totp_enrol", "accounts:sign_out"}
)

Handler = Callable[[HttpRequest], HttpResponse]


def now_timestamp() -> int:
    return int(timezone.now().timestamp())


def session_stamp_sign_in(request: HttpRequest) -> None:
    now = now_timestamp()
    request.session[SIGNED_IN_AT_SESSION_KEY] = now
    request.session[LAST_ACTIVITY_SESSION_KEY] = now


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


class SessionLifetimeMiddleware:
    """Signs out a session idle for longer than SESSION_IDLE_TIMEOUT_SECONDS, or older than
    SESSION_ABSOLUTE_LIFETIME_SECONDS (OWASP ASVS v5 7.3.1 and 7.3.2), whatever the cookie
    says. Pages go to the sign-in page with a message; the API answers 401."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = now_timestamp()
            ended = rules.session_end(
                signed_in_at=session.get(SIGNED_IN_AT_SESSION_KEY),
                last_activity=session.get(LAST_ACTIVITY_SESSION_KEY),
                now=now,
                idle_seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS,
                lifetime_seconds=settings.SESSION_ABSOLUTE_LIFETIME_SECONDS,
            )
            if ended is not None:
                user_id = request.user.pk
                logout(request)
                logger.info("Session of user %s ended by the service: %s", user_id, ended)
                return self._signed_out(request, ended)
            if rules.activity_worth_recording(
                last_activity=session[LAST_ACTIVITY_SESSION_KEY], now=now
            ):
                session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, ended: rules.SessionEnd) -> HttpResponse:
        response: HttpResponse
        if _is_api(request):
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Your session has ended",
                    "status": 401,
                    "detail": f"The session ended ({ended}). Sign in again.",
                },
                status=401,
                content_type="application/problem+json",
            )
        else:
            query = {"notice": ended.value}
            if request.method == "GET":
                # Back to the same page after signing in again.
                query["next"] = request.get_full_path()
            response = HttpResponseRedirect(f"{reverse('accounts:sign_in')}?{urlencode(query)}")
        # This answer skips the inner middleware (including NoStoreMiddleware).
        add_never_cache_headers(response)
        return response


class RequireVerifiedMiddleware:
    """Default deny: every page needs a session that has passed both factors.

    - Not signed in: public pages only (``@login_not_required`` views and PUBLIC_URL_NAMES);
      anything else goes to the sign-in page, so a page that forgets ``login_required``
      still shows nothing.
    - Password done, code not yet: public pages and the code pages only; anything else goes
      to the code step. This is what makes ``login_required`` mean both factors.
    - API paths are left to the API's own authentication, but a session that has not passed
      the code is never a signed-in user there.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request) and request.user.is_authenticated and not is_verified(request.user):
            anonymous = AnonymousUser()
            # The attributes OTPMiddleware gives every user, so API code can rely on them.
            anonymous.otp_device = None  # type: ignore[attr-defined]
            anonymous.is_verified = lambda: False  # type: ignore[attr-defined]
            request.user = anonymous

            async def auser() -> AnonymousUser:
                return anonymous

            request.auser = auser  # type: ignore[method-assign]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if _is_api(request) or request.path_info.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        public = (
            view_name in PUBLIC_URL_NAMES or getattr(view_func, "login_required", True) is False
        )
        user = request.user
        if not user.is_authenticated:
            return None if public else redirect_to_login(request.get_full_path())
        if public or is_verified(user) or view_name in SECOND_FACTOR_URL_NAMES:
            return None
        return HttpResponseRedirect(reverse("accounts:totp_verify"))
