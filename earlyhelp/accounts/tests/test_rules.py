"""Session lifetime and security-code rules, without a database."""

from __future__ import annotations

import pytest

from earlyhelp.accounts import rules
from earlyhelp.accounts.rules import SessionEnd

IDLE = 30 * 60
LIFETIME = 10 * 60 * 60
NOW = 1_800_000_000


@pytest.mark.parametrize(
    ("signed_in_ago", "active_ago", "expected"),
    [
        (60, 0, None),
        (IDLE, IDLE, None),  # exactly 30 minutes idle is still allowed
        (IDLE + 1, IDLE + 1, SessionEnd.IDLE),
        (LIFETIME - 10, 10, None),
        (LIFETIME, 0, None),
        (LIFETIME + 1, 0, SessionEnd.LIFETIME),
        # Both passed: the idle message is the one the practitioner can act on.
        (LIFETIME + 1, IDLE + 1, SessionEnd.IDLE),
        (None, 0, SessionEnd.LIFETIME),  # never stamped at sign-in
        (0, None, SessionEnd.LIFETIME),
    ],
)
def test_session_end(signed_in_ago, active_ago, expected) -> None:
    assert (
        rules.session_end(
            signed_in_at=None if signed_in_ago is None else NOW - signed_in_ago,
            last_activity=None if active_ago is None else NOW - active_ago,
            now=NOW,
            idle_seconds=IDLE,
            lifetime_seconds=LIFETIME,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("since_last", "expected"),
    [(0, False), (rules.ACTIVITY_RECORD_INTERVAL_SECONDS - 1, False), (60, True), (600, True)],
)
def test_activity_is_recorded_at_most_once_a_minute(since_last, expected) -> None:
    assert rules.activity_worth_recording(last_activity=NOW - since_last, now=NOW) is expected


@pytest.mark.parametrize(
    ("typed", "normalised", "well_formed"),
    [
        ("123456", "123456", True),
        ("123 456", "123456", True),
        (" 123-456 ", "123456", True),
        ("12345", "12345", False),
        ("1234567", "1234567", False),
        ("12a456", "12a456", False),
        ("", "", False),
        ("١٢٣٤٥٦", "١٢٣٤٥٦", False),  # other scripts' digits are not what the app shows
    ],
)
def test_security_code(typed, normalised, well_formed) -> None:
    assert rules.security_code_normalise(typed) == normalised
    assert rules.security_code_well_formed(normalised) is well_formed


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.2, "1 second"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (90, "2 minutes"),
        (15 * 60, "15 minutes"),
        (30 * 60, "30 minutes"),
        (60 * 60, "1 hour"),
        (10 * 60 * 60, "10 hours"),
        (3 * 24 * 60 * 60, "3 days"),
    ],
)
def test_duration_in_words(seconds, words) -> None:
    assert rules.duration_in_words(seconds) == words
