"""The board view on the demo partnership: figures computed at load, last year's
self-assessment, and the analyst's dashboard showing them without naming anyone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from earlyhelp.accounts.models import Role, User
from earlyhelp.insights.models import MeasureFigure, SelfAssessment
from earlyhelp.insights.rules import month_start
from earlyhelp.people.models import Family


@pytest.mark.django_db
def test_demo_has_board_figures_and_a_self_assessment(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=60, stdout=io.StringIO())
    this_month = month_start(timezone.localdate())
    cohort = MeasureFigure.objects.get(
        measure_id="coverage-assessment",
        period_kind="month",
        period_start=this_month,
        breakdown="all",
    )
    assert cohort.denominator >= 5
    counting = {
        row.measure_id for row in MeasureFigure.objects.filter(breakdown="all", numerator__gt=0)
    }
    assert len(counting) >= 8, counting
    assert SelfAssessment.objects.get().areas.count() == 5
    analyst = User.objects.get(memberships__role=Role.BOARD_ANALYST)
    body = sign_in(Client(), analyst).get("/insights/").content.decode()
    assert "Families with an early help assessment" in body
    for family in Family.objects.all()[:20]:
        assert family.name not in body
