"""The benchmark generator's casework (bench/generate.py) makes data the work trays can trust:
practitioners in their agencies' teams, teams around families of two or more agencies with
at most one lead (R-WT-5), plans only where someone leads, actions owned inside the team,
about ten chronology entries per person never before birth. PostgreSQL only (COPY)."""

from __future__ import annotations

import importlib.util
import io
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from earlyhelp.accounts.models import Membership, Role, User
from earlyhelp.chronology.models import ChronologyEntry
from earlyhelp.people.models import FamilyMember, Involvement
from earlyhelp.plans.models import (
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanStatus,
    TeamAroundFamilyMember,
)
from earlyhelp.worktray import selectors


def bench_generator() -> ModuleType:
    path = Path(settings.BASE_DIR) / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate_worktray", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_generated_casework_is_consistent() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    counts = bench_generator().generate(persons=800, seed=5, out=io.StringIO())

    # Every involvement names a practitioner of its own agency.
    agency_of = {
        m.user_id: m.team.organisation_id
        for m in Membership.objects.filter(role=Role.PRACTITIONER).select_related("team")
    }
    involvements = list(Involvement.objects.all())
    assert involvements and all(
        agency_of.get(i.practitioner_id or 0) == i.organisation_id for i in involvements
    )
    # Each team of practitioners has one manager.
    managers = Counter(
        Membership.objects.filter(role=Role.TEAM_MANAGER).values_list("team_id", flat=True)
    )
    assert managers and set(managers.values()) == {1}

    # Teams around families: two or more agencies, at most one lead, a handover for each lead.
    members = list(TeamAroundFamilyMember.objects.all())
    assert len(members) == counts["plans_teamaroundfamilymember"] > 100
    by_family: dict[int, list[TeamAroundFamilyMember]] = {}
    for m in members:
        by_family.setdefault(m.family_id, []).append(m)
    for team in by_family.values():
        assert len({m.organisation_id for m in team}) >= 2
        assert sum(m.is_lead_professional for m in team) <= 1
    led = {m.family_id for m in members if m.is_lead_professional}
    assert set(LeadProfessionalHandover.objects.values_list("family_id", flat=True)) == led
    # Plans only where someone leads; agreed ones have a review date; actions owned in-team.
    plans = list(Plan.objects.all())
    assert plans and {p.family_id for p in plans} <= led
    assert all(p.review_on is not None for p in plans if p.status == PlanStatus.AGREED)
    for action in PlanAction.objects.select_related("plan", "owner_member"):
        owned_by = action.owner_member
        assert action.owner_is_family or (
            owned_by is not None and owned_by.family_id == action.plan.family_id
        )

    # About ten chronology entries per person, from the family's agencies, never before birth.
    per_person = Counter(ChronologyEntry.objects.values_list("person_id", flat=True))
    assert set(per_person) == set(FamilyMember.objects.values_list("person_id", flat=True))
    assert min(per_person.values()) >= 6 and max(per_person.values()) <= 14
    assert 9 <= sum(per_person.values()) / len(per_person) <= 11
    assert not ChronologyEntry.objects.filter(
        person__date_of_birth__isnull=False, occurred_on__lt=F("person__date_of_birth")
    ).exists()

    # A generated practitioner's tray lists their families, all of which they may see.
    busiest = Counter(m.practitioner_id for m in members).most_common(1)[0][0]
    owner = User.objects.get(pk=busiest)
    page = selectors.tray_families(viewer=owner, owner=owner, limit=100)
    assert {r.family.pk for r in page.rows} >= {
        m.family_id for m in members if m.practitioner_id == busiest
    }
