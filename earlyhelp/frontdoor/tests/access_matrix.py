"""Front door: rows of the access matrix (tests/test_access_matrix.py) and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.

Two kinds of this app's own: the front door's queue, acknowledging and deciding are for
front door workers only (``FRONT_DOOR`` pages, ``API_FRONT_DOOR`` operations); anyone else
gets 404. ``earlyhelp/frontdoor/tests/test_pages.py`` and ``test_api.py`` prove who reaches
them.
"""

from __future__ import annotations

from conftest import Partnership
from earlyhelp.frontdoor.tests.factories import request_made
from tests.access_kinds import API_RECORD, RECORD

FRONT_DOOR = "front door"  # front door workers only: 404 for everyone else
API_FRONT_DOOR = "api front door"  # the same over the API

ROWS: dict[str, str] = {
    "frontdoor/": FRONT_DOOR,
    "frontdoor/families/<int:family_pk>/requests/new/": RECORD,
    "frontdoor/requests/<int:request_pk>/": RECORD,
    "frontdoor/requests/<int:request_pk>/acknowledge/": FRONT_DOOR,
    "frontdoor/requests/<int:request_pk>/decide/": FRONT_DOOR,
    "api/v1/families/<record_id:family_id>/requests-for-support": API_RECORD,
    "api/v1/requests-for-support/<record_id:request_id>": API_RECORD,
    "api/v1/front-door/queue": API_FRONT_DOOR,
    "api/v1/requests-for-support/<record_id:request_id>/acknowledge": API_FRONT_DOOR,
    "api/v1/requests-for-support/<record_id:request_id>/decide": API_FRONT_DOOR,
}

API_BODIES: dict[str, dict[str, object]] = {
    "/requests-for-support": {
        "concern": "Chloe is 17, pregnant and sofa-surfing",
        "family_knows": "Chloe knows and agrees",
        "agreement": "agrees",
        "urgency": "routine",
        "sharing_basis_note": "Chloe agreed today",
    },
    "/acknowledge": {"version": 1},
    "/decide": {"version": 1, "route": "mash", "reasons": "Police report"},
}


def records(p: Partnership) -> dict[str, object]:
    made = request_made(p)
    return {"request_pk": made.pk, "request_id": made.pk}
