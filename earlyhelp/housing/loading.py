"""Checking a young-parent priority policy file and writing it to the database (R-HOU-1).

Shared by the load service (and its management command) and the data migration that gives
every database the example policy, so both check and write exactly the same way. The writer
takes a model getter (``django.apps.apps.get_model`` or a migration's ``apps``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from earlyhelp.housing.policy import EXAMPLE_PATH, PriorityPolicyDocument, document_read

GetModel = Callable[[str, str], Any]

EXAMPLE_SIGNED_OFF_BY = "Early Help Hub product team (example policy, not a partnership's)"
EXAMPLE_SIGNED_OFF_ROLE = (
    "Example only: replace with your safeguarding partners' signed-off version"
)
EXAMPLE_SIGNED_OFF_ON = datetime.date(2026, 3, 31)


def policy_check(
    get_model: GetModel, text: str
) -> tuple[PriorityPolicyDocument | None, Any, list[str]]:
    """The document and its raw JSON, or every reason it cannot be loaded (nothing written)."""
    document, raw, problems = document_read(text)
    if document is None:
        return None, raw, problems
    known = set(get_model("sharing", "InformationCategory").objects.values_list("code", flat=True))
    for v in document.vulnerabilities:
        if v.category and v.category not in known:
            problems.append(
                f"vulnerabilities ({v.code}).category: {v.category!r} is not an information "
                "category"
            )
    if (
        get_model("housing", "PriorityPolicy")
        .objects.filter(partnership=document.partnership, version=document.version)
        .exists()
    ):
        problems.append(
            f"Version {document.version} of {document.partnership}'s policy is already "
            "loaded: a loaded version never changes, so give the new file a new version"
        )
    return document, raw, problems


def policy_write(
    get_model: GetModel,
    *,
    document: PriorityPolicyDocument,
    raw: Any,
    signed_off_by: str,
    signed_off_role: str,
    signed_off_on: datetime.date,
) -> Any:
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
    return get_model("housing", "PriorityPolicy").objects.create(
        partnership=document.partnership,
        version=document.version,
        title=document.title,
        in_force_from=document.in_force_from,
        document=raw,
        document_sha256=hashlib.sha256(canonical).hexdigest(),
        signed_off_by=signed_off_by.strip(),
        signed_off_role=signed_off_role.strip(),
        signed_off_on=signed_off_on,
    )


def example_policy_seed(get_model: GetModel) -> Any:
    """Load the example policy unless it is loaded (idempotent): the data migration, and
    tests whose database was emptied after the migrations ran."""
    document, raw, problems = policy_check(get_model, EXAMPLE_PATH.read_text("utf-8"))
    assert document is not None, problems
    existing = (
        get_model("housing", "PriorityPolicy")
        .objects.filter(partnership=document.partnership, version=document.version)
        .first()
    )
    if existing is not None:
        return existing
    assert not problems, problems
    return policy_write(
        get_model,
        document=document,
        raw=raw,
        signed_off_by=EXAMPLE_SIGNED_OFF_BY,
        signed_off_role=EXAMPLE_SIGNED_OFF_ROLE,
        signed_off_on=EXAMPLE_SIGNED_OFF_ON,
    )
