"""Loading a threshold framework (R-WT-2): the schema, the command, refusing bad files as a
whole, one load per version, sign-off recorded, and immutability."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.core.models import AuditEvent
from earlyhelp.levels import selectors
from earlyhelp.levels.document import EXAMPLE_PATH, SCHEMA_PATH, document_json_schema
from earlyhelp.levels.models import (
    FrameworkImmutable,
    FrameworkIndicator,
    FrameworkLevel,
    ThresholdFramework,
)
from earlyhelp.levels.services import FrameworkRefused, threshold_framework_load
from earlyhelp.levels.tests.test_rules import minimal_document

SIGNED = datetime.date(2026, 3, 20)


def test_schema_file_agrees_with_the_model() -> None:
    """The JSON Schema shipped for partnerships is exactly what the pydantic model produces."""
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == document_json_schema()


def test_example_validates_against_the_json_schema() -> None:
    example = json.loads(EXAMPLE_PATH.read_text("utf-8"))
    schema = document_json_schema()
    # Every top-level key of the example is a property of the schema, and every required one
    # is present: the model (which the schema is generated from) validates the rest.
    assert set(example) <= set(schema["properties"])
    assert set(schema["required"]) <= set(example)


def _example(**changes: Any) -> dict[str, Any]:
    raw = json.loads(EXAMPLE_PATH.read_text("utf-8"))
    raw.update(changes)
    return raw


def _load(raw: dict[str, Any], **kw: Any) -> ThresholdFramework:
    return threshold_framework_load(
        text=json.dumps(raw),
        signed_off_by=kw.get("by", "Wyvern safeguarding partners' executive"),
        signed_off_role=kw.get("role", "Safeguarding partners"),
        signed_off_on=kw.get("on", SIGNED),
    )


@pytest.mark.django_db
def test_every_database_has_the_example_framework_in_force() -> None:
    """R-WT-2: the data migration loads the example, with its (example) sign-off."""
    framework = selectors.framework_in_force(today=datetime.date(2026, 11, 26))
    assert framework is not None
    assert framework.version == "2026.1"
    assert framework.levels.count() == 4
    assert framework.domains.count() == 3
    tags = {tag for i in framework.indicators.all() for tag in i.tags}
    assert {"young_parent", "unborn", "pre_birth_trigger"} <= tags
    assert framework.signed_off_by and framework.signed_off_role and framework.signed_off_on


@pytest.mark.django_db
def test_load_records_sign_off_and_audit() -> None:
    """R-WT-2: versioned, with who signed it off, their role and the date."""
    framework = _load(_example(version="2027.1", in_force_from="2026-04-01"))
    assert framework.signed_off_by == "Wyvern safeguarding partners' executive"
    assert framework.signed_off_role == "Safeguarding partners"
    assert framework.signed_off_on == SIGNED
    assert framework.indicators.count() == len(_example()["indicators"])
    care = FrameworkIndicator.objects.get(framework=framework, code="LON-PC-3-04").category
    assert care is not None and care.code == "care_history"
    event = AuditEvent.objects.get(action="threshold_framework.load", object_id=str(framework.pk))
    assert "2027.1" in event.summary and "signed off by" in event.summary
    # The newer in-force date wins.
    assert selectors.framework_in_force(today=datetime.date(2026, 11, 26)) == framework


@pytest.mark.django_db
def test_a_framework_not_yet_in_force_is_not_used() -> None:
    _load(_example(version="2030.1", in_force_from="2030-04-01"))
    in_force = selectors.framework_in_force(today=datetime.date(2026, 11, 26))
    assert in_force is not None and in_force.version == "2026.1"


@pytest.mark.django_db
def test_same_version_twice_is_refused() -> None:
    _load(_example(version="2027.1"))
    with pytest.raises(FrameworkRefused) as refused:
        _load(_example(version="2027.1"))
    assert any("2027.1" in p and "already loaded" in p for p in refused.value.problems)
    assert ThresholdFramework.objects.filter(version="2027.1").count() == 1


def _bad_indicator(**fields: Any) -> dict[str, Any]:
    raw = _example(version="bad")
    raw["indicators"] = [*raw["indicators"], {"domain": "PC", "text": "x", **fields}]
    return raw


def _cycle() -> dict[str, Any]:
    raw = _example(version="bad")
    for item in raw["indicators"]:
        if item["code"] == "LON-FE-3-01":
            item["implies"] = ["LON-FE-4-01"]  # which already implies LON-FE-3-01
    return raw


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            _bad_indicator(code="LON-PC-9-01", level="targeted", implies=["LON-ZZ-1"]),
            "unknown indicator: LON-ZZ-1",
        ),
        (_cycle(), "Cycle: LON-FE-3-01 implies LON-FE-4-01 implies LON-FE-3-01"),
        (
            _bad_indicator(code="LON-PC-3-01", level="targeted"),
            "Duplicate indicator code: LON-PC-3-01",
        ),
        (_bad_indicator(code="LON-PC-9-01", level="level-5"), "Bad level"),
        (_example(version="bad", levels="four"), "levels: Input should be a valid list"),
    ],
)
def test_bad_file_is_refused_as_a_whole(raw: dict[str, Any], message: str) -> None:
    """R-WT-2: nothing half-loaded; the message says what is wrong."""
    before = (ThresholdFramework.objects.count(), FrameworkLevel.objects.count())
    audit_before = AuditEvent.objects.count()
    with pytest.raises(FrameworkRefused) as refused:
        _load(raw)
    assert any(message in p for p in refused.value.problems), refused.value.problems
    assert (ThresholdFramework.objects.count(), FrameworkLevel.objects.count()) == before
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"by": " "}, "Enter who signed off"),
        ({"role": ""}, "Enter the role"),
        ({"on": None}, "Enter the date"),
        ({"on": datetime.date(2999, 1, 1)}, "today or in the past"),
    ],
)
def test_sign_off_is_required(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(FrameworkRefused) as refused:
        _load(_example(version="2027.2"), **kw)
    assert any(message in p for p in refused.value.problems)
    assert not ThresholdFramework.objects.filter(version="2027.2").exists()


@pytest.mark.django_db
def test_command_loads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(_example(version="2027.3")))
    out = StringIO()
    call_command(
        "threshold_framework_load",
        str(path),
        "--signed-off-by",
        "Wyvern executive",
        "--signed-off-on",
        "2026-03-20",
        stdout=out,
    )
    assert "Loaded Wyvern Safeguarding Children Partnership version 2027.3" in out.getvalue()
    framework = ThresholdFramework.objects.get(version="2027.3")
    assert framework.signed_off_by == "Wyvern executive"
    assert framework.signed_off_on == datetime.date(2026, 3, 20)


@pytest.mark.django_db
def test_command_lists_every_problem_and_loads_nothing(tmp_path: Path) -> None:
    raw = minimal_document()
    raw["indicators"][1]["implies"] = ["I-3"]
    raw["indicators"][2]["implies"] = ["I-2", "I-404"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(CommandError) as error:
        call_command(
            "threshold_framework_load",
            str(path),
            "--signed-off-by",
            "X",
            "--signed-off-on",
            "2026-03-20",
        )
    text = str(error.value)
    assert "nothing was changed" in text
    assert "implies an unknown indicator: I-404" in text
    assert "Cycle: I-2 implies I-3 implies I-2" in text
    assert not ThresholdFramework.objects.filter(partnership="Test partnership").exists()


@pytest.mark.django_db
def test_command_refuses_a_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps(minimal_document()))
    with pytest.raises(CommandError, match="--signed-off-on"):
        call_command(
            "threshold_framework_load", str(path), "--signed-off-by", "X", "--signed-off-on", "soon"
        )


@pytest.mark.django_db
def test_a_loaded_framework_never_changes() -> None:
    framework = selectors.framework_in_force()
    assert framework is not None
    framework.title = "Changed"
    with pytest.raises(FrameworkImmutable):
        framework.save()
    indicator = framework.indicators.first()
    assert indicator is not None
    indicator.text = "Changed"
    with pytest.raises(FrameworkImmutable):
        indicator.save()
    with pytest.raises(FrameworkImmutable):
        indicator.delete()
    assert not ThresholdFramework.objects.filter(title="Changed").exists()
