"""Stamp the start of every session at sign-in, whichever way the sign-in happened."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from earlyhelp.accounts.middleware import session_stamp_sign_in


@receiver(user_logged_in, dispatch_uid="accounts_stamp_session_at_sign_in")
def stamp_session_at_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    # Without the stamp SessionLifetimeMiddleware ends the session, so every login() needs it
    # (the sign-in page, and the test client's force_login).
    if request is not None and hasattr(request, "session"):
        session_stamp_sign_in(request)
