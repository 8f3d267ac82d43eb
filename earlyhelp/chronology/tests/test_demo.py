"""The demo's chronology: a few entries per family, the same for the same seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from earlyhelp.chronology.models import ChronologyEntry


@pytest.mark.django_db
def test_demo_adds_a_chronology(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=40, stdout=io.StringIO())
    entries = ChronologyEntry.objects.all()
    assert entries.count() >= 40
    assert entries.values("family").distinct().count() >= 20
    assert not entries.filter(summary="").exists()
    assert {e.kind for e in entries} >= {"attendance", "missed_appointment"}
