"""The demo's safer-sleep records: reviews, assessments with a few red flags and their plans,
and disruptions with reassessment tasks (R-HCP-1, R-SS-1, R-SS-3)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.safersleep.rules import SAFER_SLEEP_CONTACTS


@pytest.mark.django_db
def test_demo_adds_safer_sleep_records(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=80, stdout=io.StringIO())
    assert HealthVisitingContact.objects.filter(completed_on__isnull=False).exists()
    assessments = SaferSleepAssessment.objects.all()
    assert assessments.exists()
    # Every mandated contact completed in the demo has its safer-sleep assessment (R-SS-1).
    for contact in HealthVisitingContact.objects.filter(
        completed_on__isnull=False, kind__in=SAFER_SLEEP_CONTACTS
    ):
        assert assessments.filter(person=contact.person, contact=contact.kind).exists()
    red = assessments.filter(red_flag=True)
    assert red.exists()
    assert not red.filter(action_plan="").exists()  # R-SS-3
    assert DisruptionOfRoutine.objects.exists()
    assert ReassessmentTask.objects.exists()
