"""The second factor: time-based codes from an authenticator app (django-otp's TOTPDevice)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.rules import duration_in_words

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User

AUTHENTICATOR_APP_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    """True once this session has passed the second factor (django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and check is not None and check())


def wait_before_next_code(device: TOTPDevice) -> str | None:
    """How long django-otp's throttle makes the person wait after wrong codes, in words."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
    return duration_in_words(seconds)


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The set-up link as a QR code image. A data: URI, which the CSP allows for images,
    keeps the SVG out of the page so none of its markup needs marking safe."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret in the base32 form apps ask for, in groups of four to make typing easier."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
