"""The demo assessments: contributions from two or three agencies, the same every time."""

from __future__ import annotations

import datetime
import random

import pytest

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.assessments import demo
from earlyhelp.assessments.models import Assessment, Contribution

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Contribution.objects.order_by("id").values_list(
            "person_id", "domain", "dimension", "strengths", "need", "source_organisation_id"
        )
    )


def test_demo_assessment_has_several_agencies_and_is_repeatable(
    partnership: Partnership, hana: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "SHARE", 1.0)
    demo.demo_add(rng=random.Random(7), today=TODAY)
    assessment = Assessment.objects.get(family=partnership.ashworth)
    agencies = set(assessment.contributions.values_list("source_organisation__name", flat=True))
    assert agencies == {"Wyvern Hospitals Midwifery", "Wyvern Health Visiting"}
    assert assessment.subjects.count() == 3
    safer_sleep = assessment.contributions.get(domain="family_environment")
    assert safer_sleep.records_safer_sleep
    first = _snapshot()
    Assessment.objects.all().delete()
    demo.demo_add(rng=random.Random(7), today=TODAY)
    assert _snapshot() == first
