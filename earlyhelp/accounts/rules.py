"""Pure rules for signing in and staying signed in. No ORM, no request: "now" is passed in."""

from __future__ import annotations

import math
import re
from enum import StrEnum

# A session does not record every request: writing the session row on each page would cost a
# database write per request. Activity is recorded at most this often, so the idle timeout is
# exact to within this many seconds.
ACTIVITY_RECORD_INTERVAL_SECONDS = 60

# ASCII digits only: \d would also accept other scripts' digits, which no app shows.
SECURITY_CODE_PATTERN = re.compile(r"[0-9]{6}")


class SessionEnd(StrEnum):
    """Why a signed-in session was ended by the service rather than by the practitioner."""

    IDLE = "idle"
    LIFETIME = "lifetime"


def session_end(
    *,
    signed_in_at: int | None,
    last_activity: int | None,
    now: int,
    idle_seconds: int,
    lifetime_seconds: int,
) -> SessionEnd | None:
    """Whether a session must end now (OWASP ASVS v5 7.3.1 inactivity, 7.3.2 absolute lifetime).

    Idle is checked first: a practitioner who walked away is told about the 30 minutes, which
    is what they can act on, even if the absolute lifetime has also passed.
    """
    if signed_in_at is None or last_activity is None:
        # A session that was not stamped at sign-in cannot prove its age.
        return SessionEnd.LIFETIME
    if now - last_activity > idle_seconds:
        return SessionEnd.IDLE
    if now - signed_in_at > lifetime_seconds:
        return SessionEnd.LIFETIME
    return None


def activity_worth_recording(*, last_activity: int, now: int) -> bool:
    return now - last_activity >= ACTIVITY_RECORD_INTERVAL_SECONDS


def security_code_normalise(value: str) -> str:
    """Authenticator apps show codes as "123 456"; people also type "123-456"."""
    return re.sub(r"[\s-]", "", value)


def security_code_well_formed(value: str) -> bool:
    return SECURITY_CODE_PATTERN.fullmatch(value) is not None


def duration_in_words(seconds: float) -> str:
    """A wait or a timeout as people say it: "45 seconds", "30 minutes", "10 hours", "3 days"."""
    whole = max(1, math.ceil(seconds))
    for unit, size in (("day", 24 * 60 * 60), ("hour", 60 * 60), ("minute", 60)):
        if whole >= size and whole % size == 0:
            return _plural(whole // size, unit)
    if whole < 60:
        return _plural(whole, "second")
    return _plural(math.ceil(whole / 60), "minute")


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}{'' if amount == 1 else 's'}"
