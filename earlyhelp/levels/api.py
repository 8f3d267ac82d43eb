"""Levels of need over /api/v1/: the same services and selectors as the pages.

The framework in force and a suggestion for a set of indicator codes are reference data
(any valid credentials with the read scope). A family's decisions go through the sharing
policy: a family the caller may not see is the same 404 problem as one that does not exist,
and an indicator in a need-to-know category the caller may not read is withheld (R-IS-12).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.accounts.models import User
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels import selectors, services
from earlyhelp.levels.models import ThresholdFramework
from earlyhelp.levels.rules import Suggestion
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import FamilyMember

router = Router(tags=["Levels of need"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

IndicatorCode = Annotated[str, Field(max_length=30)]
Codes = Annotated[list[IndicatorCode], Field(max_length=100)]
LongText = Annotated[Text, Field(max_length=5000)]

# Services name fields as the pages do; the API body names them as sent.
FIELDS = {
    "indicators": "indicator_codes",
    "decided_level": "decided_level",
    "person": "person_id",
    "receiving_practitioner": "receiving_practitioner_id",
}


# --- What the API shows -------------------------------------------------------------------


class LevelOut(Schema):
    code: str
    rank: int
    name: str
    description: str = ""
    typical_response: str = ""


class DomainOut(Schema):
    code: str
    name: str
    description: str


class IndicatorOut(Schema):
    code: str
    domain: str
    level: str
    text: str
    guidance: str
    sources: list[str]
    tags: list[str]
    category: str | None = Field(description="Need-to-know information category, if any")
    sets_level: bool = Field(description="false: a flag that never sets the level on its own")
    derived: bool
    in_use: bool
    implies: list[str]
    escalates_to: list[str]


class CumulativeOut(Schema):
    enabled: bool
    min_indicators: int
    min_domains: int
    from_level: str
    up_to_level: str
    description: str


class FrameworkOut(Schema):
    id: int
    partnership: str
    version: str
    title: str
    description: str
    in_force_from: datetime.date
    signed_off_by: str
    signed_off_role: str
    signed_off_on: datetime.date
    loaded_at: datetime.datetime
    cumulative: CumulativeOut
    levels: list[LevelOut]
    domains: list[DomainOut]
    indicators: list[IndicatorOut]


class ReasonOut(Schema):
    kind: str = Field(description="highest, cumulative, implied, none, flag, strength or watch")
    text: str
    codes: list[str]


class SuggestionOut(Schema):
    framework_version: str
    level: LevelOut
    deciding: list[str] = Field(description="The indicators that led to the suggested level")
    considered: list[str] = Field(description="Recorded indicators and those they imply")
    implied_by: dict[str, str]
    cumulative: bool
    reasons: list[ReasonOut]


class DecisionIndicatorOut(Schema):
    readable: bool
    code: str | None = Field(description="null when withheld (need-to-know, R-IS-12)")
    text: str | None
    level: str | None
    implied_by: str | None
    held_by: str = Field(description="The agency that recorded it")


class LevelDecisionOut(Schema):
    id: int
    family_id: int
    person_id: int | None
    framework_version: str
    suggested_level: LevelOut
    decided_level: LevelOut
    differs_from_suggestion: bool
    rationale: str | None = Field(description="null when it rests on information withheld")
    reasons: list[ReasonOut | None] = Field(description="null for a reason withheld")
    indicators: list[DecisionIndicatorOut]
    decided_by_name: str
    decided_by_organisation: str | None
    decided_at: datetime.datetime
    direction: str = Field(description="first, up, down or same (R-LON-2)")
    previous_decision_id: int | None
    handover: str | None
    receiving_practitioner_id: int | None
    receiving_practitioner_name: str | None


def _level(level: Any) -> dict[str, Any]:
    return {
        "code": level.code,
        "rank": level.rank,
        "name": level.name,
        "description": getattr(level, "description", ""),
        "typical_response": getattr(level, "typical_response", ""),
    }


def _framework_out(framework: ThresholdFramework) -> dict[str, Any]:
    return {
        "id": framework.pk,
        "partnership": framework.partnership,
        "version": framework.version,
        "title": framework.title,
        "description": framework.description,
        "in_force_from": framework.in_force_from,
        "signed_off_by": framework.signed_off_by,
        "signed_off_role": framework.signed_off_role,
        "signed_off_on": framework.signed_off_on,
        "loaded_at": framework.loaded_at,
        "cumulative": {
            "enabled": framework.cumulative_enabled,
            "min_indicators": framework.cumulative_min_indicators,
            "min_domains": framework.cumulative_min_domains,
            "from_level": framework.cumulative_from_level,
            "up_to_level": framework.cumulative_up_to_level,
            "description": framework.cumulative_description,
        },
        "levels": [_level(lv) for lv in framework.levels.all()],
        "domains": [
            {"code": d.code, "name": d.name, "description": d.description}
            for d in framework.domains.all()
        ],
        "indicators": [
            {
                "code": i.code,
                "domain": i.domain.code,
                "level": i.level.code,
                "text": i.text,
                "guidance": i.guidance,
                "sources": i.sources,
                "tags": i.tags,
                "category": i.category.code if i.category else None,
                "sets_level": i.sets_level,
                "derived": i.derived,
                "in_use": i.in_use,
                "implies": i.implies,
                "escalates_to": i.escalates_to,
            }
            for i in selectors.framework_indicators(framework)
        ],
    }


def _suggestion_out(framework: ThresholdFramework, suggestion: Suggestion) -> dict[str, Any]:
    level = framework.levels.get(code=suggestion.level.code)
    return {
        "framework_version": framework.version,
        "level": _level(level),
        "deciding": list(suggestion.deciding),
        "considered": list(suggestion.considered),
        "implied_by": dict(suggestion.implied_by),
        "cumulative": suggestion.cumulative,
        "reasons": [r.as_json() for r in suggestion.reasons],
    }


def _decision_out(view: selectors.DecisionView) -> dict[str, Any]:
    d = view.decision
    readable = view.rationale_readable
    return {
        "id": d.pk,
        "family_id": d.family_id,
        "person_id": d.person_id,
        "framework_version": d.framework.version,
        "suggested_level": _level(d.suggested_level),
        "decided_level": _level(d.decided_level),
        "differs_from_suggestion": d.differs_from_suggestion,
        "rationale": d.rationale if readable else None,
        "reasons": [
            {"kind": r.kind, "text": r.text, "codes": list(raw.get("codes", []))}
            if r.readable
            else None
            for r, raw in zip(view.reasons, d.suggestion_reasons, strict=True)
        ],
        "indicators": [
            {
                "readable": s.readable,
                "code": s.row.indicator.code if s.readable else None,
                "text": s.row.indicator.text if s.readable else None,
                "level": s.row.indicator.level.code if s.readable else None,
                "implied_by": (s.row.implied_by or None) if s.readable else None,
                "held_by": s.held_by,
            }
            for s in view.indicators
        ],
        "decided_by_name": d.decided_by.full_name,
        "decided_by_organisation": (
            d.decided_by_organisation.name if d.decided_by_organisation else None
        ),
        "decided_at": d.decided_at,
        "direction": d.direction,
        "previous_decision_id": d.previous_id,
        "handover": (d.handover if readable else None) if d.is_step else None,
        "receiving_practitioner_id": d.receiving_practitioner_id,
        "receiving_practitioner_name": (
            d.receiving_practitioner.full_name if d.receiving_practitioner else None
        ),
    }


# --- What the API accepts -----------------------------------------------------------------


class SuggestionIn(Input):
    indicator_codes: Codes = Field(description="Indicator codes of the framework in force")


class LevelDecisionIn(Input):
    indicator_codes: Codes = Field(description="Indicator codes of the framework in force")
    decided_level: Annotated[str, Field(max_length=30)] = Field(
        description="The level decided (a level code), whatever the suggestion"
    )
    rationale: LongText = Field(
        description="Required; must say why when the level differs from the suggestion"
    )
    person_id: RecordId | None = Field(None, description="A member of the family, or null")
    handover: LongText = Field("", description="Needed when stepping up or down (R-LON-2)")
    receiving_practitioner_id: RecordId | None = Field(
        None, description="Needed when stepping up or down (R-LON-2)"
    )
    current_decision_id: RecordId | None = Field(
        None,
        description=(
            "The decision you saw as current: if another has been recorded since, 409 and "
            "nothing is saved"
        ),
    )


# --- Operations ---------------------------------------------------------------------------


def _in_force() -> ThresholdFramework:
    framework = selectors.framework_in_force()
    if framework is None:
        raise NotFoundOrForbidden
    return framework


@router.get("/levels/framework", **operation(READ, {200: FrameworkOut}))
def level_framework_in_force(request: HttpRequest) -> dict[str, Any]:
    """The partnership's threshold framework in force (R-WT-2), with its sign-off."""
    return _framework_out(_in_force())


@router.post("/levels/suggestions", **operation(READ, {200: SuggestionOut}, body=True))
def level_suggestion(request: HttpRequest, payload: SuggestionIn) -> dict[str, Any]:
    """The level the indicators suggest under the framework in force, and exactly why
    (R-LON-1). Records nothing: a practitioner decides."""
    framework = _in_force()
    try:
        result = services.level_suggest(
            framework=framework, indicator_codes=payload.indicator_codes
        )
    except ValidationProblem as problem:
        raise ValidationProblem(
            {FIELDS.get(k, k): v for k, v in problem.errors.items()}
        ) from problem
    return _suggestion_out(framework, result.suggestion)


@router.get(
    "/families/{record_id:family_id}/level-decisions",
    **operation(READ, {200: list[LevelDecisionOut]}),
)
def level_decision_list(request: HttpRequest, family_id: int) -> list[dict[str, Any]]:
    """The family's levels-of-need decisions, newest (the current level) first."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    decisions = selectors.level_decision_list(actor=actor, family=family, request=request)
    readable = selectors.readable_indicator_ids(actor, decisions)
    return [_decision_out(selectors.decision_view(actor, d, readable)) for d in decisions]


@router.post(
    "/families/{record_id:family_id}/level-decisions",
    **operation(WRITE, {201: LevelDecisionOut}, body=True, conflict=True),
)
def level_decision_record(
    request: HttpRequest, family_id: int, payload: LevelDecisionIn
) -> Status[LevelDecisionOut]:
    """Record a level decision under the framework in force (R-LON-1).

    The suggestion and its reasons are recorded beside the decided level. `rationale` is
    always required. Stepping up or down from the family's current level needs `handover`
    and `receiving_practitioner_id` (R-LON-2); the receiving practitioner is alerted.
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    errors: dict[str, list[str]] = {}
    person = None
    if payload.person_id is not None:
        member = (
            FamilyMember.objects.filter(
                family=family, person_id=payload.person_id, left_on__isnull=True
            )
            .select_related("person")
            .first()
        )
        if member is None:
            errors["person_id"] = ["Send the id of a member of this family, or null"]
        else:
            person = member.person
    receiver = None
    if payload.receiving_practitioner_id is not None:
        receiver = User.objects.filter(pk=payload.receiving_practitioner_id).first()
        if receiver is None:
            errors["receiving_practitioner_id"] = ["Send the id of an active practitioner"]
    try:
        if errors:
            raise ValidationProblem(errors)
        decision = services.level_decision_record(
            actor=actor,
            family=family,
            person=person,
            indicator_codes=payload.indicator_codes,
            decided_level_code=payload.decided_level,
            rationale=payload.rationale,
            handover=payload.handover,
            receiving_practitioner=receiver,
            previous_decision_id=payload.current_decision_id,
            check_previous=payload.current_decision_id is not None,
        )
    except ValidationProblem as problem:
        raise ValidationProblem(
            {FIELDS.get(k, k): v for k, v in problem.errors.items()}
        ) from problem
    decision = selectors.level_decision_get(actor=actor, decision_id=decision.pk, request=request)
    view = selectors.decision_view(actor, decision)
    return Status(201, LevelDecisionOut.model_validate(_decision_out(view)))


@router.get(
    "/level-decisions/{record_id:level_decision_id}", **operation(READ, {200: LevelDecisionOut})
)
def level_decision_get(request: HttpRequest, level_decision_id: int) -> dict[str, Any]:
    """One levels-of-need decision, as the caller may see it."""
    actor = api_actor(request)
    decision = selectors.level_decision_get(
        actor=actor, decision_id=level_decision_id, request=request
    )
    return _decision_out(selectors.decision_view(actor, decision))
