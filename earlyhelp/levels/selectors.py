"""Reads about the threshold framework and levels-of-need decisions.

The framework is reference data, not personal data: anyone signed in may read it. A family's
decisions start from the sharing policy (``family_access_route``); a missing and a forbidden
family are the same NotFoundOrForbidden, and each look is recorded. The indicators of a
decision carry need-to-know categories (R-IS-12): ``decision_view`` shows each one only to
those ``category_readable`` allows, and otherwise says which agency holds it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.levels import rules
from earlyhelp.levels.models import (
    FrameworkIndicator,
    LevelDecision,
    LevelDecisionIndicator,
    ThresholdFramework,
)
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


# --- The framework -------------------------------------------------------------------------


def framework_list(*, partnership: str | None = None) -> QuerySet[ThresholdFramework]:
    """Every loaded version for the partnership, the one in force first."""
    return ThresholdFramework.objects.filter(partnership=partnership or settings.PARTNERSHIP_NAME)


def framework_in_force(*, today: datetime.date | None = None) -> ThresholdFramework | None:
    """The partnership's framework in force today: the latest in force by date, then the
    latest loaded (R-WT-2). None when the partnership has loaded none."""
    today = today or timezone.localdate()
    return framework_list().filter(in_force_from__lte=today).first()


def framework_get(*, framework_id: int) -> ThresholdFramework:
    framework = ThresholdFramework.objects.filter(pk=framework_id).first()
    if framework is None:
        raise NotFoundOrForbidden
    return framework


def framework_indicators(framework: ThresholdFramework) -> list[FrameworkIndicator]:
    return list(
        framework.indicators.select_related("domain", "level", "category").order_by(
            "domain__position", "level__rank", "position"
        )
    )


def framework_rules(framework: ThresholdFramework) -> rules.FrameworkRules:
    """The pure rules' view of a loaded framework."""
    return rules.FrameworkRules(
        levels=tuple(
            rules.LevelRule(lv.code, lv.rank, lv.name) for lv in framework.levels.order_by("rank")
        ),
        indicators={
            i.code: rules.IndicatorRule(
                code=i.code,
                domain=i.domain.code,
                level=i.level.code,
                text=i.text,
                sets_level=i.sets_level,
                in_use=i.in_use,
                implies=tuple(i.implies),
                escalates_to=tuple(i.escalates_to),
            )
            for i in framework.indicators.select_related("domain", "level")
        },
        cumulative=rules.CumulativeRule(
            enabled=framework.cumulative_enabled,
            min_indicators=framework.cumulative_min_indicators,
            min_domains=framework.cumulative_min_domains,
            from_level=framework.cumulative_from_level,
            up_to_level=framework.cumulative_up_to_level,
        ),
    )


# --- A family's decisions ------------------------------------------------------------------


def _decisions() -> QuerySet[LevelDecision]:
    return LevelDecision.objects.select_related(
        "family",
        "person",
        "framework",
        "suggested_level",
        "decided_level",
        "decided_by",
        "decided_by_organisation",
        "receiving_practitioner",
        "previous__decided_level",
    ).prefetch_related(
        Prefetch(
            "indicators",
            queryset=LevelDecisionIndicator.objects.select_related(
                "indicator", "indicator__level", "indicator__domain", "source_organisation"
            ),
        )
    )


def _require_family(actor: User, family: Family) -> policies.Route:
    route = policies.family_access_route(actor, family)
    if route is None:
        raise NotFoundOrForbidden
    return route


def level_decision_list(
    *, actor: User, family: Family, request: HttpRequest | None = None
) -> list[LevelDecision]:
    """The family's decisions, newest (the current level) first; the look is recorded."""
    route = _require_family(actor, family)
    decisions = list(_decisions().filter(family=family))
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="levels.leveldecision",
        detail=f"family {family.pk}: {len(decisions)} level decisions",
        route=str(route),
        request=request,
    )
    return decisions


def level_current(*, actor: User, family: Family) -> LevelDecision | None:
    """The family's current level of need: its latest decision, or None (for other apps).

    The caller must already have checked and recorded the look at the family (the family
    page has); a family the actor may not see raises NotFoundOrForbidden.
    """
    _require_family(actor, family)
    return _decisions().filter(family=family).first()


def level_decision_get(
    *, actor: User, decision_id: int, request: HttpRequest | None = None
) -> LevelDecision:
    """One decision about a family the actor may see; missing and forbidden are alike."""
    decision = _decisions().filter(pk=decision_id).first()
    route = policies.family_access_route(actor, decision.family) if decision is not None else None
    if decision is None or route is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="levels.leveldecision",
            object_id=str(decision_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=decision, route=str(route), request=request
    )
    return decision


# --- What the actor may read of a decision (R-IS-12) ---------------------------------------


@dataclass(frozen=True)
class IndicatorShown:
    row: LevelDecisionIndicator
    readable: bool

    @property
    def held_by(self) -> str:
        organisation = self.row.source_organisation
        return organisation.name if organisation is not None else "another agency"


@dataclass(frozen=True)
class ReasonShown:
    text: str
    kind: str
    readable: bool


@dataclass(frozen=True)
class DecisionView:
    decision: LevelDecision
    indicators: list[IndicatorShown]
    reasons: list[ReasonShown]
    rationale_readable: bool

    @property
    def withheld_by(self) -> list[str]:
        return sorted({i.held_by for i in self.indicators if not i.readable})


def readable_indicator_ids(actor: User, decisions: list[LevelDecision]) -> set[int]:
    """The decisions' indicator rows the actor may read in full (R-IS-4, R-IS-12)."""
    return set(
        LevelDecisionIndicator.objects.filter(decision__in=decisions)
        .filter(policies.category_readable(actor))
        .values_list("id", flat=True)
    )


def decision_view(
    actor: User, decision: LevelDecision, readable_ids: set[int] | None = None
) -> DecisionView:
    """The decision as the actor may see it: an indicator in a need-to-know category they
    may not read shows only the agency that holds it; reasons and the rationale that rest
    on it are withheld ("ask the lead professional")."""
    if readable_ids is None:
        readable_ids = readable_indicator_ids(actor, [decision])
    shown = [IndicatorShown(row, row.pk in readable_ids) for row in decision.indicators.all()]
    hidden_codes = {s.row.indicator.code for s in shown if not s.readable}
    reasons = [
        ReasonShown(
            text=str(r.get("text", "")),
            kind=str(r.get("kind", "")),
            readable=not (set(r.get("codes", [])) & hidden_codes),
        )
        for r in decision.suggestion_reasons
    ]
    return DecisionView(
        decision=decision,
        indicators=shown,
        reasons=reasons,
        rationale_readable=not hidden_codes,
    )
