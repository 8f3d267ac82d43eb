"""The demo's levels-of-need decisions: plausible, through the service, deterministic."""

from __future__ import annotations

import datetime
import random

import pytest

from conftest import Partnership
from earlyhelp.levels import demo, selectors
from earlyhelp.levels.models import LevelDecision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def _run(seed: int) -> list[tuple[str, str, str]]:
    demo.demo_add(rng=random.Random(seed), today=TODAY)
    return [
        (d.decided_level.code, d.suggested_level.code, d.direction)
        for d in LevelDecision.objects.order_by("pk")
    ]


def test_every_profile_is_a_valid_decision() -> None:
    """Each story's level is from the example framework and its indicators are in use."""
    framework = selectors.framework_in_force(today=TODAY)
    assert framework is not None
    codes = {i.code for i in framework.indicators.filter(in_use=True)}
    levels = {lv.code for lv in framework.levels.all()}
    for profile in (*demo.PROFILES, demo.STEP_UP, demo.STEP_DOWN):
        assert set(profile.indicators) <= codes
        assert profile.level in levels


def test_decisions_for_families_with_a_practitioner(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "SHARE_DECIDED", 1.0)
    monkeypatch.setattr(demo, "SHARE_REVIEWED", 1.0)
    rows = _run(7)
    # Maya, the named practitioner, decides for the Ashworth family, then reviews.
    assert len(rows) == 2
    assert rows[0][2] == "first"
    assert rows[1][2] in {"up", "down"}
    decisions = list(LevelDecision.objects.order_by("pk"))
    assert {d.decided_by for d in decisions} == {partnership.maya}
    assert decisions[1].handover and decisions[1].receiving_practitioner is not None


def test_same_seed_same_decisions(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "SHARE_DECIDED", 1.0)
    first = _run(3)
    profile = random.Random(3)
    profile.random()
    profile.choice([partnership.maya])
    expected = profile.choice(demo.PROFILES)
    assert first[0][0] == expected.level
