"""Small helpers for the account tests: real codes from a device, the sign-in steps."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from earlyhelp.accounts.models import User


def current_code(device: TOTPDevice) -> str:
    """The code the practitioner's authenticator app shows right now."""
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is not valid in any step the device accepts."""
    device.refresh_from_db()
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"
        for drift in range(device.drift - device.tolerance, device.drift + device.tolerance + 1)
    }
    return next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in valid)


def enter_password(client: Client, user: User, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": password, **extra}
    )


def session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")
