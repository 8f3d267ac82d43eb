"""The young-parent housing priority policy as a file: its shape (a pydantic model) and its
JSON Schema (R-HOU-1, R-HOU-5).

Housing parents under 20 with a child under 2 in the area is partnership policy, not law
(R-HOU-1 "D"), so it is data with a version that the safeguarding partners sign off, like the
threshold framework (earlyhelp/levels). The file names the partnership, its version, the date
it comes into force, the ages, whether pregnancy counts, the vulnerabilities that qualify
(each optionally a need-to-know information category), the partnership's own housing
authorities (what "in the area" means) and whether priority brings an in-area requirement.
``policies/young-parent-priority.schema.json`` is the JSON Schema this model produces (a test
proves they agree). Statutory limits (the 6-week bed-and-breakfast limit, the 14-day notice)
are law, not policy, and live in ``housing.rules``.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

POLICIES_DIR = Path(__file__).parent / "policies"
SCHEMA_PATH = POLICIES_DIR / "young-parent-priority.schema.json"
EXAMPLE_PATH = POLICIES_DIR / "wyvern-young-parent-priority-2026.1.json"

Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]


class _Part(BaseModel):
    """Unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class VulnerabilityDoc(_Part):
    code: Code = Field(description="For example 'care_leaver' or 'mental_health'")
    label: ShortText
    category: Code | None = Field(
        None,
        description=(
            "A need-to-know information category (sharing.InformationCategory code): a case "
            "recording this vulnerability is read in detail only as the sharing policy allows"
        ),
    )


class PriorityPolicyDocument(_Part):
    """One signed-off version of the partnership's young-parent housing priority (R-HOU-1)."""

    schema_version: Literal[1] = 1
    partnership: ShortText
    version: Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9._-]+$")]
    title: ShortText
    description: LongText = ""
    in_force_from: datetime.date
    parent_under_age: Annotated[int, Field(ge=16, le=25)] = Field(
        20, description="A parent younger than this (in completed years) may have priority"
    )
    child_under_age: Annotated[int, Field(ge=1, le=5)] = Field(
        2, description="With a child younger than this (in completed years)"
    )
    pregnancy_counts: bool = Field(True, description="A pregnancy counts as a child under age")
    vulnerability_required: bool = Field(
        True, description="Priority needs at least one recorded vulnerability"
    )
    vulnerabilities: Annotated[list[VulnerabilityDoc], Field(min_length=1)]
    in_area_required: bool = Field(
        True, description="A household with priority is housed in the area (R-HOU-1, R-HOU-2)"
    )
    home_authorities: Annotated[list[ShortText], Field(min_length=1)] = Field(
        description="The local housing authorities that make up 'in the area'"
    )

    @model_validator(mode="after")
    def _codes_unique(self) -> PriorityPolicyDocument:
        codes = [v.code for v in self.vulnerabilities]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"Vulnerability codes must be unique: {', '.join(duplicates)}")
        return self

    def vulnerability(self, code: str) -> VulnerabilityDoc | None:
        return next((v for v in self.vulnerabilities if v.code == code), None)


def document_json_schema() -> dict[str, Any]:
    schema = PriorityPolicyDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://earlyhelp.example/schemas/young-parent-priority.schema.json"
    return schema


def schema_file_text() -> str:
    return json.dumps(document_json_schema(), indent=2, sort_keys=True) + "\n"


def document_read(text: str) -> tuple[PriorityPolicyDocument | None, Any, list[str]]:
    """The document and its raw JSON, or every reason it is not one."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, None, [f"The file is not JSON: {error}"]
    try:
        return PriorityPolicyDocument.model_validate(raw), raw, []
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'document'}: {e['msg']}"
            for e in error.errors()
        ]
        return None, raw, problems
