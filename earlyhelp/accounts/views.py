"""Signing in (password, then a code from an authenticator app), signing out and passwords."""

from __future__ import annotations

import logging
from typing import Any

import django_otp
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts import services, totp
from earlyhelp.accounts.forms import (
    PasswordChangeForm,
    PasswordSetForm,
    SecurityCodeForm,
    SignInForm,
)
from earlyhelp.accounts.models import User
from earlyhelp.accounts.rules import SessionEnd, duration_in_words
from earlyhelp.core.errors import ValidationProblem

logger = logging.getLogger("earlyhelp.security")

# Where to go once both factors are done, kept in the session between the two steps.
NEXT_SESSION_KEY = "accounts_next"

WRONG_CREDENTIALS = "Enter a correct email address and password"
WRONG_CODE = (
    "The security code is not correct or has expired. "
    "Enter the code currently shown in your authenticator app"
)


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in practitioner. Pages that call this are behind the middleware, so an
    anonymous visitor never gets here; if one does, the page does not exist for them."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    return user


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _sign_in_notice(code: str | None) -> tuple[str, str, bool] | None:
    """The banner on the sign-in page after the service or the practitioner signed them out:
    (heading, body, success)."""
    if code == SessionEnd.IDLE:
        minutes = duration_in_words(settings.SESSION_IDLE_TIMEOUT_SECONDS)
        return (
            f"You were signed out after {minutes} without activity",
            "This protects the information about families if you leave your device. "
            "Sign in again to continue.",
            False,
        )
    if code == SessionEnd.LIFETIME:
        lifetime = duration_in_words(settings.SESSION_ABSOLUTE_LIFETIME_SECONDS)
        return (
            f"You were signed out because you had been signed in for {lifetime}",
            "Sign in again to continue.",
            False,
        )
    if code == "signed_out":
        return ("You have signed out", "", True)
    if code == "password_set":
        return (
            "Your password has been set",
            "Sign in with your email address and new password.",
            True,
        )
    return None


@login_not_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if totp.is_verified(request.user):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=services.email_normalise(form.cleaned_data["email"]),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            # The same answer for an unknown address, a wrong password and a deactivated
            # account, so the page never tells anyone who has an account.
            form.add_error(None, WRONG_CREDENTIALS)
        else:
            # login() gives the session a new id (no session fixation) and stamps its start
            # (earlyhelp.accounts.signals). The second factor is still to come: until then
            # RequireVerifiedMiddleware lets this session reach only the code pages.
            login(request, user)
            if next_url:
                request.session[NEXT_SESSION_KEY] = next_url
            logger.info("Password accepted for user %s; second factor next", user.pk)
            return redirect("accounts:totp_verify")
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": next_url or "",
            "notice": _sign_in_notice(request.GET.get("notice")),
            # After signing out (not after a timeout, whose drafts must survive), the page
            # clears drafts kept in this browser (earlyhelp.mjs).
            "forget_drafts": request.GET.get("notice") == "signed_out",
        },
    )


def _second_factor_done(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    django_otp.login(request, device)
    # A new session id again now that the session holds both factors.
    request.session.cycle_key()
    logger.info("Second factor accepted for user %s", device.user_id)
    next_url = _safe_next(request, request.session.pop(NEXT_SESSION_KEY, None))
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _code_error_if_throttled(form: SecurityCodeForm, device: TOTPDevice) -> bool:
    wait = totp.wait_before_next_code(device)
    if wait is None:
        return False
    form.add_error(
        "code",
        f"You have entered too many wrong security codes. Wait {wait}, then enter the code "
        "currently shown in your authenticator app",
    )
    return True


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if totp.is_verified(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = totp.confirmed_device(user)
    if device is None:
        return redirect("accounts:totp_enrol")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _code_error_if_throttled(form, device):
        verified = django_otp.verify_token(user, device.persistent_id, form.cleaned_data["code"])
        if verified is not None:
            return _second_factor_done(request, verified)
        logger.info("Wrong security code for user %s", user.pk)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/totp_verify.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def totp_enrol(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if totp.is_verified(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    try:
        device = services.authenticator_enrolment_start(actor=user)
    except ValidationProblem:
        # Already has an app: asking for its code is the only way on.
        return redirect("accounts:totp_verify")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _code_error_if_throttled(form, device):
        if services.authenticator_confirm(
            actor=user, device=device, code=form.cleaned_data["code"]
        ):
            return _second_factor_done(request, device)
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "qr_code": totp.qr_code_data_uri(device),
            "manual_entry_key": totp.manual_entry_key(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks, POST signs out: a link or a prefetch must never end someone's session."""
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    if request.method == "POST":
        user_id = request.user.pk
        logout(request)
        logger.info("User %s signed out", user_id)
        return redirect(reverse("accounts:sign_in") + "?notice=signed_out")
    return render(request, "accounts/sign_out.html")


@never_cache
@sensitive_post_parameters("current_password", "new_password")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_change(actor=user, new_password=form.cleaned_data["new_password"])
        # Keeps this session; every other session of the account stops working.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form})


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@login_not_required
@never_cache
@sensitive_post_parameters("new_password")
@require_http_methods(["GET", "POST"])
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A practitioner chooses their password with a link from a system administrator."""
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/password_set_invalid.html", status=404)
    form = PasswordSetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_set(account=user, new_password=form.cleaned_data["new_password"])
        if request.user.is_authenticated:
            logout(request)
        return redirect(reverse("accounts:sign_in") + "?notice=password_set")
    return render(request, "accounts/password_set.html", {"form": form, "account": user})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): too many failed sign-ins."""
    cool_off = get_cool_off(request)
    seconds = cool_off.total_seconds() if cool_off else 15 * 60
    logger.warning("Sign-in locked out after repeated failures")
    response = render(
        request,
        "accounts/locked_out.html",
        {"wait": duration_in_words(seconds)},
        status=429,
    )
    response["Retry-After"] = str(int(seconds))
    return response
