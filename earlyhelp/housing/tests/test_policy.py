"""Loading the young-parent priority policy (R-HOU-1): the example in every database, the
command refusing a bad file as a whole, one load per version, the version in force."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.core.models import AuditEvent
from earlyhelp.housing.models import PriorityPolicy
from earlyhelp.housing.policy import EXAMPLE_PATH
from earlyhelp.housing.services import PolicyRefused, policy_in_force, priority_policy_load

pytestmark = pytest.mark.django_db
SIGNED = datetime.date(2026, 11, 1)


def _raw(**changes: Any) -> dict[str, Any]:
    raw = json.loads(EXAMPLE_PATH.read_text("utf-8"))
    raw.update(changes)
    return raw


def test_every_database_has_the_example_policy_in_force() -> None:
    policy = policy_in_force(datetime.date(2026, 11, 26))
    assert policy is not None and policy.version == "2026.1"
    assert policy_in_force(datetime.date(2026, 3, 31)) is None  # before it came into force


def test_a_new_version_loads_with_its_sign_off_and_comes_into_force_on_its_day() -> None:
    raw = _raw(version="2027.1", in_force_from="2027-04-01", parent_under_age=21)
    policy = priority_policy_load(
        text=json.dumps(raw), signed_off_by="Wyvern partners' executive", signed_off_on=SIGNED
    )
    assert AuditEvent.objects.filter(action="housing_priority_policy.load").exists()
    assert policy_in_force(datetime.date(2027, 3, 31)).version == "2026.1"  # type: ignore[union-attr]
    assert policy_in_force(datetime.date(2027, 4, 1)) == policy


@pytest.mark.parametrize(
    ("raw", "by", "problem"),
    [
        (_raw(), "Partners", "already loaded"),
        (
            _raw(version="x", vulnerabilities=[{"code": "a", "label": "A", "category": "nope"}]),
            "Partners",
            "not an information category",
        ),
        (_raw(version="y"), " ", "who signed off"),
    ],
)
def test_a_bad_policy_is_refused_as_a_whole(raw: dict[str, Any], by: str, problem: str) -> None:
    before = PriorityPolicy.objects.count()
    with pytest.raises(PolicyRefused) as refused:
        priority_policy_load(text=json.dumps(raw), signed_off_by=by, signed_off_on=SIGNED)
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert PriorityPolicy.objects.count() == before


def test_the_command_loads_and_refuses(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_raw(version="2027.2")), "utf-8")
    out = StringIO()
    call_command(
        "housing_priority_policy_load",
        str(good),
        "--signed-off-by",
        "Wyvern partners' executive",
        "--signed-off-on",
        "2026-11-01",
        stdout=out,
    )
    assert "version 2027.2" in out.getvalue()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command(
            "housing_priority_policy_load",
            str(good),
            "--signed-off-by",
            "Again",
            "--signed-off-on",
            "2026-11-01",
        )


def test_the_sweep_command_escalates_a_stay_in_its_last_week(housing: Any) -> None:
    """R-HOU-4: run daily; the officer and the agency's team manager alerted, once."""
    from django.utils import timezone

    from earlyhelp.alerts.models import Alert
    from earlyhelp.housing import services

    h = housing
    today = timezone.localdate()
    case = services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="homelessness",
        vulnerabilities=["other"],
    )
    services.placement_record(
        actor=h.harry,
        case=case,
        line_1="The Grange Hotel",
        town="Wyvern",
        local_authority="Wyvern City",
        placement_type="bed_and_breakfast",
        start_on=today - datetime.timedelta(days=40),
        no_alternative_reason="Fled at night; every self-contained unit was full",
    )
    for _ in range(2):
        call_command("housing_bed_and_breakfast_sweep", stdout=StringIO())
    alerted = Alert.objects.filter(kind=services.BED_AND_BREAKFAST_ALERT)
    assert sorted(a.recipient.email for a in alerted) == [
        "harry@homes.example",
        "sunita@homes.example",
    ]
