"""The demo's teams, lead professionals and plans: consistent with the rules (R-WT-5)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from earlyhelp.plans.models import Plan, PlanAction, PlanOutcome, TeamAroundFamilyMember


@pytest.mark.django_db
def test_demo_adds_teams_leads_and_plans(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=40, stdout=io.StringIO())
    assert TeamAroundFamilyMember.objects.values("family").distinct().count() >= 10
    leads = TeamAroundFamilyMember.objects.filter(is_lead_professional=True)
    assert leads.exists()
    assert not leads.values("family").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Plan.objects.count() == leads.count()
    assert PlanAction.objects.filter(owner_is_family=True).exists()
    # Outcomes linked to assessed needs: the family's own, readable by the whole team.
    linked = PlanOutcome.objects.filter(need__isnull=False).select_related("plan", "need")
    assert linked.exists()
    for outcome in linked:
        assert outcome.need is not None
        assert outcome.need.assessment.family_id == outcome.plan.family_id
        assert outcome.need.category_id is None and outcome.need.need
