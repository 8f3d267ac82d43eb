"""Chronology fixtures: entries in the Ashworth family from two agencies.

- An attendance by Chloe recorded by Maya's midwifery service (no category).
- A domestic abuse incident recorded by the police (need-to-know, R-IS-12): Maya's agency
  has no consent or sharing decision covering it, so she sees only who holds it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from conftest import Partnership
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.sharing.models import InformationCategory

INCIDENT_DETAIL = "Police called to a disturbance at the flat; partner arrested"


@dataclass
class Entries:
    p: Partnership
    attendance: ChronologyEntry
    incident: ChronologyEntry


@pytest.fixture
def entries(partnership: Partnership) -> Entries:
    p = partnership
    attendance = chronology_record(
        actor=p.maya,
        family=p.ashworth,
        person=p.chloe,
        occurred_on=datetime.date(2026, 11, 2),
        kind=EntryKind.ATTENDANCE,
        summary="Attended the 28-week antenatal appointment",
    )
    incident = chronology_record(
        actor=p.owen,
        family=p.ashworth,
        person=p.chloe,
        occurred_on=datetime.date(2026, 11, 10),
        kind=EntryKind.INCIDENT,
        summary=INCIDENT_DETAIL,
        category=InformationCategory.objects.get(code="domestic_abuse"),
    )
    assert attendance is not None and incident is not None
    return Entries(p, attendance, incident)
