"""The threshold document as a file: its shape (a pydantic model) and its JSON Schema (R-WT-2).

A partnership's levels of need are data, not code. The file names the partnership, its
version, the date it comes into force, the sources it cites, the levels (with their rank),
the domains, the indicators by domain with their level, and the cumulative-concern rule.
``earlyhelp/levels/frameworks/threshold-framework.schema.json`` is the JSON Schema this model
produces (a test proves they agree), for partnerships who edit the file in their own tools.

The shape is checked here; what the parts say about each other (unknown indicators, cycles,
duplicate codes, levels that do not exist) is checked by ``rules.framework_problems``.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"
SCHEMA_PATH = FRAMEWORKS_DIR / "threshold-framework.schema.json"
EXAMPLE_PATH = FRAMEWORKS_DIR / "wyvern-levels-of-need-2026.1.json"

Code = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]


class _Part(BaseModel):
    """Every part refuses fields it does not know: a misspelt key is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceDoc(_Part):
    code: Code
    title: ShortText
    url: Annotated[str, Field(max_length=500)] = ""


class LevelDoc(_Part):
    code: Code = Field(description="For example 'additional'; indicators name their level by it")
    rank: Annotated[int, Field(ge=1, le=9)] = Field(description="1 is the lowest level of need")
    name: ShortText
    description: LongText = ""
    typical_response: LongText = ""
    sources: list[Code] = []


class DomainDoc(_Part):
    code: Code = Field(description="For example 'PC' for parenting capacity")
    name: ShortText
    description: LongText = ""


class IndicatorDoc(_Part):
    code: Code = Field(description="Unique in the document, for example 'LON-PC-3-04'")
    domain: Code
    level: Code
    text: Annotated[str, Field(min_length=1, max_length=500)]
    guidance: LongText = ""
    sources: list[Code] = []
    tags: list[Code] = Field(
        [], description="For example 'young_parent', 'unborn', 'pre_birth_trigger'"
    )
    category: Code | None = Field(
        None,
        description=(
            "A need-to-know information category (sharing.InformationCategory code): who may "
            "read a decision's use of this indicator follows the sharing policy (R-IS-12)"
        ),
    )
    sets_level: bool = Field(
        True,
        description=(
            "false: a flag that prompts consideration but never sets the suggested level "
            "on its own (for example care-experienced status)"
        ),
    )
    derived: bool = Field(
        False,
        description="A product suggestion not found in any source table: off unless enabled",
    )
    implies: list[Code] = Field(
        [], description="Indicators that are also present whenever this one is recorded"
    )
    escalates_to: list[Code] = Field(
        [],
        description="Indicators at a higher level to consider if this need persists or worsens",
    )


class CumulativeDoc(_Part):
    """Several indicators at one level together may suggest the next level up."""

    enabled: bool = True
    min_indicators: Annotated[int, Field(ge=2, le=20)] = 3
    min_domains: Annotated[int, Field(ge=1, le=9)] = 2
    from_level: Code = Field(description="The lowest level whose indicators accumulate")
    up_to_level: Code = Field(description="The highest level accumulation may suggest")
    description: LongText = ""


class ThresholdDocument(_Part):
    """A partnership's threshold document (R-WT-2): one version of its levels of need."""

    schema_version: Literal[1] = 1
    partnership: ShortText
    version: Code
    title: ShortText
    description: LongText = ""
    in_force_from: datetime.date
    derived_items_enabled: bool = False
    sources: list[SourceDoc] = []
    levels: Annotated[list[LevelDoc], Field(min_length=2)]
    domains: Annotated[list[DomainDoc], Field(min_length=1)]
    indicators: Annotated[list[IndicatorDoc], Field(min_length=1)]
    cumulative: CumulativeDoc


def document_json_schema() -> dict[str, Any]:
    """The JSON Schema of the file, as written to ``frameworks/``."""
    schema = ThresholdDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://earlyhelp.example/schemas/threshold-framework.schema.json"
    return schema


def schema_file_text() -> str:
    return json.dumps(document_json_schema(), indent=2, sort_keys=True) + "\n"


def _location(loc: tuple[int | str, ...], raw: Any) -> str:
    """'indicators[3] (LON-PC-3-04).level' rather than a bare tuple."""
    text = ""
    node = raw
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                text += f" ({item['code']})"
            node = item
        else:
            text += f".{step}" if text else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text or "the file"


def document_parse(raw: Any) -> tuple[ThresholdDocument | None, list[str]]:
    """The document, or the messages that say what is wrong with its shape."""
    if not isinstance(raw, dict):
        return None, ["The file must hold one JSON object (the threshold document)"]
    try:
        return ThresholdDocument.model_validate(raw), []
    except ValidationError as error:
        return None, [
            f"{_location(tuple(e['loc']), raw)}: {e['msg']}"
            for e in error.errors(include_url=False)
        ]


def document_read(text: str) -> tuple[ThresholdDocument | None, Any, list[str]]:
    """Parse the file's text: the document, the raw JSON (kept as loaded), or problems."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, None, [f"The file is not valid JSON: {error}"]
    document, problems = document_parse(raw)
    return document, raw, problems
