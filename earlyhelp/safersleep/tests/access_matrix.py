"""Safer sleep: rows of the access matrix (tests/test_access_matrix.py) and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

import datetime

from conftest import Partnership
from earlyhelp.safersleep.models import HealthVisitingContact, SaferSleepAssessment
from earlyhelp.safersleep.rules import ContactKind
from tests.access_kinds import API_RECORD, RECORD

ROWS: dict[str, str] = {
    "safersleep/families/<int:family_pk>/assessments/new/": RECORD,
    "safersleep/families/<int:family_pk>/observations/new/": RECORD,
    "safersleep/families/<int:family_pk>/disruptions/new/": RECORD,
    "safersleep/assessments/<int:safer_sleep_assessment_pk>/": RECORD,
    "safersleep/contacts/<int:hv_contact_pk>/complete/": RECORD,
    "api/v1/families/<record_id:family_id>/safer-sleep-assessments": API_RECORD,
    "api/v1/families/<record_id:family_id>/safer-sleep-observations": API_RECORD,
    "api/v1/safer-sleep-assessments/<record_id:safer_sleep_assessment_id>": API_RECORD,
    "api/v1/families/<record_id:family_id>/health-visiting-contacts": API_RECORD,
    "api/v1/health-visiting-contacts/<record_id:hv_contact_id>/complete": API_RECORD,
    "api/v1/families/<record_id:family_id>/disruptions-of-routine": API_RECORD,
    "api/v1/families/<record_id:family_id>/safer-sleep-reassessment-tasks": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {
    "/safer-sleep-observations": {"person_id": 1, "assessed_on": "2026-11-20"},
    "/<record_id:hv_contact_id>/complete": {"completed_on": "2026-11-20"},
}


def records(p: Partnership) -> dict[str, object]:
    """A safer-sleep assessment of the Ashworths' unborn baby, and its antenatal contact
    (tracked as soon as the baby joined the family)."""
    assessment = SaferSleepAssessment.objects.create(
        family=p.ashworth,
        person=p.unborn,
        contact="antenatal",
        assessed_on=datetime.date(2026, 11, 20),
        sleeping_arrangements="Moses basket in the parents' room",
        conversation="Safer sleep advice given",
        source_organisation=p.midwifery,
        recorded_by=p.maya,
    )
    contact = HealthVisitingContact.objects.get(person=p.unborn, kind=ContactKind.ANTENATAL)
    return {
        "safer_sleep_assessment_pk": assessment.pk,
        "safer_sleep_assessment_id": assessment.pk,
        "hv_contact_pk": contact.pk,
        "hv_contact_id": contact.pk,
    }
