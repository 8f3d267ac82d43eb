"""Checking a threshold document and writing it to the database (R-WT-2).

Shared by the load service (and its management command) and the data migration that gives
every database the example framework, so both check and write exactly the same way. The
writer takes a model getter (``django.apps.apps.get_model`` or a migration's ``apps``), so it
works with the historical models of a migration too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from earlyhelp.levels import rules
from earlyhelp.levels.document import EXAMPLE_PATH, ThresholdDocument, document_read

GetModel = Callable[[str, str], Any]

EXAMPLE_SIGNED_OFF_BY = "Early Help Hub product team (example framework, not a partnership's)"
EXAMPLE_SIGNED_OFF_ROLE = (
    "Example only: replace with your safeguarding partners' signed-off version"
)
EXAMPLE_SIGNED_OFF_ON = datetime.date(2025, 3, 31)


def framework_check(
    get_model: GetModel, text: str
) -> tuple[ThresholdDocument | None, Any, list[str]]:
    """The document and its raw JSON, or every reason it cannot be loaded (nothing written)."""
    document, raw, problems = document_read(text)
    if document is None:
        return None, raw, problems
    categories = get_model("sharing", "InformationCategory").objects.values_list("code", flat=True)
    problems = rules.framework_problems(document, category_codes=set(categories))
    framework = get_model("levels", "ThresholdFramework")
    if framework.objects.filter(
        partnership=document.partnership, version=document.version
    ).exists():
        problems.append(
            f"Version {document.version} of {document.partnership}'s threshold document is "
            "already loaded: a loaded version never changes, so give the new file a new version"
        )
    return document, raw, problems


def framework_write(
    get_model: GetModel,
    *,
    document: ThresholdDocument,
    raw: Any,
    signed_off_by: str,
    signed_off_role: str,
    signed_off_on: datetime.date,
    loaded_by_id: int | None = None,
) -> Any:
    """Write a checked document: the framework, its levels, domains and indicators."""
    framework_model = get_model("levels", "ThresholdFramework")
    level_model = get_model("levels", "FrameworkLevel")
    domain_model = get_model("levels", "FrameworkDomain")
    indicator_model = get_model("levels", "FrameworkIndicator")
    categories = {
        c.code: c
        for c in get_model("sharing", "InformationCategory").objects.filter(
            code__in={i.category for i in document.indicators if i.category}
        )
    }
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
    rule = document.cumulative
    framework = framework_model.objects.create(
        partnership=document.partnership,
        version=document.version,
        title=document.title,
        description=document.description,
        in_force_from=document.in_force_from,
        derived_items_enabled=document.derived_items_enabled,
        cumulative_enabled=rule.enabled,
        cumulative_min_indicators=rule.min_indicators,
        cumulative_min_domains=rule.min_domains,
        cumulative_from_level=rule.from_level,
        cumulative_up_to_level=rule.up_to_level,
        cumulative_description=rule.description,
        document=raw,
        document_sha256=hashlib.sha256(canonical).hexdigest(),
        signed_off_by=signed_off_by.strip(),
        signed_off_role=signed_off_role.strip(),
        signed_off_on=signed_off_on,
        loaded_by_id=loaded_by_id,
    )
    levels = {
        lv.code: level_model.objects.create(
            framework=framework,
            code=lv.code,
            rank=lv.rank,
            name=lv.name,
            description=lv.description,
            typical_response=lv.typical_response,
            sources=list(lv.sources),
        )
        for lv in document.levels
    }
    domains = {
        d.code: domain_model.objects.create(
            framework=framework,
            code=d.code,
            name=d.name,
            description=d.description,
            position=position,
        )
        for position, d in enumerate(document.domains)
    }
    indicator_model.objects.bulk_create(
        [
            indicator_model(
                framework=framework,
                code=i.code,
                domain=domains[i.domain],
                level=levels[i.level],
                text=i.text,
                guidance=i.guidance,
                sources=list(i.sources),
                tags=list(i.tags),
                category=categories.get(i.category) if i.category else None,
                sets_level=i.sets_level,
                derived=i.derived,
                in_use=document.derived_items_enabled or not i.derived,
                implies=list(i.implies),
                escalates_to=list(i.escalates_to),
                position=position,
            )
            for position, i in enumerate(document.indicators)
        ]
    )
    return framework


def example_framework_seed(get_model: GetModel) -> Any:
    """Load the example framework if it is not loaded yet (idempotent). Used by the data
    migration, and by tests whose database was emptied after the migrations ran."""
    document, raw, problems = framework_check(get_model, EXAMPLE_PATH.read_text("utf-8"))
    assert document is not None, problems
    framework = get_model("levels", "ThresholdFramework")
    existing = framework.objects.filter(
        partnership=document.partnership, version=document.version
    ).first()
    if existing is not None:
        return existing
    assert not problems, problems
    return framework_write(
        get_model,
        document=document,
        raw=raw,
        signed_off_by=EXAMPLE_SIGNED_OFF_BY,
        signed_off_role=EXAMPLE_SIGNED_OFF_ROLE,
        signed_off_on=EXAMPLE_SIGNED_OFF_ON,
    )
