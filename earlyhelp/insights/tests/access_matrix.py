"""Board insights: rows of the access matrix and what they need.

See earlyhelp/chronology/tests/access_matrix.py for the shape. Board pages and operations are
their own kind: the board analyst and team managers reach them, everyone else gets 404
(earlyhelp/insights/tests/test_views.py and test_api.py prove it, persona by persona). They
show counts only, small numbers suppressed. The drill-down list of families is casework:
practitioners only, through the sharing policy; board roles and administrators get 404.
"""

from __future__ import annotations

from conftest import Partnership
from tests.access_kinds import CASEWORK

BOARD = "board figures"  # board analyst and team managers; aggregate figures only
API_BOARD = "api board figures"  # the same over the API

ROWS: dict[str, str] = {
    "insights/": BOARD,
    "insights/measures/<slug:measure_id>/": BOARD,
    "insights/measures/<slug:measure_id>/<slug:table>.csv": BOARD,
    "insights/measures/<slug:measure_id>/<slug:table>.xlsx": BOARD,
    "insights/measures/<slug:measure_id>/families/": CASEWORK,
    "insights/quarterly-return.csv": BOARD,
    "insights/quarterly-return.xlsx": BOARD,
    "insights/self-assessment/": BOARD,
    "insights/recompute/": BOARD,
    "api/v1/insights/measures": API_BOARD,
    "api/v1/insights/measures/<slug:measure_id>/figures": API_BOARD,
}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    """Board rows name no family record; nothing to create."""
    return {}
