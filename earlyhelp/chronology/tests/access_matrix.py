"""Chronology: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

from conftest import Partnership

ROWS: dict[str, str] = {}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    return {}
