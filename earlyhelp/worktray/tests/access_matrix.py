"""Work trays: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind. The tray is each practitioner's own
(CASEWORK: every role that works with families; board analysts and administrators get
404). The team pages are for team managers alone, about their own team's people
(``TEAM_MANAGER``, a kind of this app's own): test_views.py and test_api.py prove who
reaches them. ``records`` names a person for ``<int:user_pk>``.
"""

from __future__ import annotations

from conftest import Partnership
from tests.access_kinds import API_CASEWORK, CASEWORK

TEAM_MANAGER = "team manager"  # a manager of the person's team: their own team only
API_TEAM_MANAGER = "api team manager"

ROWS: dict[str, str] = {
    "worktray/": CASEWORK,
    "worktray/team/": TEAM_MANAGER,
    "worktray/team/<int:user_pk>/": TEAM_MANAGER,
    "api/v1/worktray/families": API_CASEWORK,
    "api/v1/worktray/actions": API_CASEWORK,
    "api/v1/worktray/reviews": API_CASEWORK,
    "api/v1/worktray/team": API_TEAM_MANAGER,
}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    return {"user_pk": p.maya.pk}
