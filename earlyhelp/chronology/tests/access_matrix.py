"""Chronology: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

import datetime

from conftest import Partnership
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from tests.access_kinds import API_RECORD, RECORD

ROWS: dict[str, str] = {
    "chronology/families/<int:family_pk>/": RECORD,
    "chronology/families/<int:family_pk>/print/": RECORD,
    "chronology/families/<int:family_pk>/pdf/": RECORD,
    "chronology/people/<int:person_pk>/": RECORD,
    "api/v1/families/<record_id:family_id>/chronology": API_RECORD,
    "api/v1/people/<record_id:person_id>/chronology": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    """One entry about Chloe, so that the pages have something to show."""
    chronology_record(
        actor=p.maya,
        family=p.ashworth,
        person=p.chloe,
        occurred_on=datetime.date(2026, 11, 20),
        kind=EntryKind.ATTENDANCE,
        summary="Attended the antenatal clinic",
    )
    return {}
