"""Board insights: rows of the access matrix and what they need.

See earlyhelp/chronology/tests/access_matrix.py for the shape.
"""

from __future__ import annotations

from conftest import Partnership

ROWS: dict[str, str] = {}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    return {}
