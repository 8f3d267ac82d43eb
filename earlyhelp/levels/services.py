"""Writes for levels of need: loading a threshold framework (R-WT-2) and recording a
decision (R-LON-1, R-LON-2).

Each checks everything before writing anything (nothing half-saved), writes in one
transaction with its audit event, and raises ValidationProblem with the field names the
pages use. A family the actor may not see is NotFoundOrForbidden, like a missing one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels import rules, selectors
from earlyhelp.levels.loading import framework_check, framework_write
from earlyhelp.levels.models import (
    FrameworkIndicator,
    LevelDecision,
    LevelDecisionIndicator,
    ThresholdFramework,
)
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.sharing import policies

RATIONALE_MAX = 5000
HANDOVER_MAX = 5000


class FrameworkRefused(ValidationProblem):
    """The threshold document was refused as a whole; ``problems`` says every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__({"__all__": problems})
        self.problems = problems


# --- Loading a framework (R-WT-2) ----------------------------------------------------------


def threshold_framework_load(
    *,
    text: str,
    signed_off_by: str,
    signed_off_on: datetime.date | None,
    signed_off_role: str = "Safeguarding partners",
    actor: User | None = None,
) -> ThresholdFramework:
    """Check the whole file, then load it with its sign-off; or refuse it as a whole.

    Refused (FrameworkRefused, every problem at once, nothing written): a file that is not
    JSON or not the schema's shape, an unknown indicator, domain, level, source or category,
    a cycle, a duplicate code, a bad level, a version already loaded, a missing sign-off.
    """
    with transaction.atomic():
        document, raw, problems = framework_check(apps.get_model, text)
        if not signed_off_by.strip():
            problems.append("Enter who signed off the threshold document")
        if not signed_off_role.strip():
            problems.append("Enter the role of whoever signed it off")
        if signed_off_on is None:
            problems.append("Enter the date the threshold document was signed off")
        elif signed_off_on > timezone.localdate():
            problems.append("The sign-off date must be today or in the past")
        if problems or document is None:
            raise FrameworkRefused(problems)
        assert signed_off_on is not None
        framework: ThresholdFramework = framework_write(
            apps.get_model,
            document=document,
            raw=raw,
            signed_off_by=signed_off_by,
            signed_off_role=signed_off_role,
            signed_off_on=signed_off_on,
            loaded_by_id=actor.pk if actor is not None else None,
        )
        audit_record(
            actor=actor,
            action="threshold_framework.load",
            obj=framework,
            summary=(
                f"{framework.partnership} version {framework.version}, in force from "
                f"{framework.in_force_from:%d %B %Y}, signed off by {framework.signed_off_by} "
                f"({framework.signed_off_role}) on {framework.signed_off_on:%d %B %Y}"
            ),
            changes={
                "indicators": len(document.indicators),
                "document_sha256": framework.document_sha256,
            },
        )
        return framework


# --- The suggestion (R-LON-1) --------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionResult:
    framework: ThresholdFramework
    suggestion: rules.Suggestion


def level_suggest(
    *, framework: ThresholdFramework, indicator_codes: Iterable[str]
) -> SuggestionResult:
    """The suggested level for these indicators and exactly why (rules.level_suggest).

    Writes nothing. Unknown or unused codes, or none at all, are a ValidationProblem on
    ``indicators``.
    """
    codes = list(dict.fromkeys(indicator_codes))
    framework_rules = selectors.framework_rules(framework)
    problems = rules.indicator_problems(framework_rules, codes)
    if not codes:
        problems.append("Select at least one indicator that describes the family's needs")
    if problems:
        raise ValidationProblem({"indicators": problems})
    return SuggestionResult(framework, rules.level_suggest(framework_rules, codes))


def framework_in_force_or_problem() -> ThresholdFramework:
    framework = selectors.framework_in_force()
    if framework is None:
        raise ValidationProblem(
            {
                "__all__": [
                    "No threshold framework is in force for this partnership: ask the system "
                    "administrator to load the signed-off threshold document"
                ]
            }
        )
    return framework


# --- Recording a decision (R-LON-1, R-LON-2) -----------------------------------------------


def _casework_organisation(actor: User) -> Organisation | None:
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            return membership.team.organisation
    return None


def receiving_practitioners() -> list[User]:
    """Who may receive a family on a step up or down: active practitioners in casework roles."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__ended_on__isnull=True,
            memberships__role__in=CASEWORK_ROLES,
        )
        .distinct()
        .order_by("full_name")
    )


@transaction.atomic
def level_decision_record(
    *,
    actor: User,
    family: Family,
    indicator_codes: Sequence[str],
    decided_level_code: str,
    rationale: str,
    person: Person | None = None,
    handover: str = "",
    receiving_practitioner: User | None = None,
    previous_decision_id: int | None = None,
    check_previous: bool = False,
) -> LevelDecision:
    """Record a level decision for a family (or one of its members) under the framework in
    force (R-LON-1): the indicators, the suggestion and its reasons, the decided level, the
    rationale (required; it must say why when the level differs from the suggestion), who
    decided and when. A step up or down from the family's previous decision records the
    handover and the receiving practitioner, who is alerted (R-LON-2).

    With ``check_previous``, ``previous_decision_id`` is the decision the practitioner saw
    as current: if another has been recorded since, EditConflict (nothing saved).
    """
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    # One decision at a time per family: the step is measured against the latest.
    Family.objects.select_for_update().filter(pk=family.pk).first()
    framework = framework_in_force_or_problem()
    previous = LevelDecision.objects.filter(family=family).select_related("decided_level").first()
    if check_previous and (previous.pk if previous is not None else None) != previous_decision_id:
        raise EditConflict
    codes = list(dict.fromkeys(indicator_codes))
    framework_rules = selectors.framework_rules(framework)
    errors: dict[str, list[str]] = {}
    indicator_errors = rules.indicator_problems(framework_rules, codes)
    if not codes:
        indicator_errors.append("Select at least one indicator that describes the family's needs")
    if indicator_errors:
        errors["indicators"] = indicator_errors
    if (
        person is not None
        and not FamilyMember.objects.filter(
            family=family, person=person, left_on__isnull=True
        ).exists()
    ):
        errors["person"] = ["Select a member of this family, or the whole family"]
    levels = {lv.code: lv for lv in framework.levels.all()}
    decided = levels.get(decided_level_code)
    if decided_level_code and decided is None:
        errors["decided_level"] = ["Select a level from this framework"]
    if len(rationale) > RATIONALE_MAX:
        errors["rationale"] = [f"Enter {RATIONALE_MAX} characters or fewer"]
    if len(handover) > HANDOVER_MAX:
        errors["handover"] = [f"Enter {HANDOVER_MAX} characters or fewer"]
    if receiving_practitioner is not None and receiving_practitioner.pk not in {
        u.pk for u in receiving_practitioners()
    }:
        errors["receiving_practitioner"] = ["Select an active practitioner from the list"]
    suggestion = rules.level_suggest(framework_rules, codes) if "indicators" not in errors else None
    direction = None
    previous_rule = None
    if decided is not None:
        direction = rules.step_direction(
            previous.decided_level.rank if previous is not None else None, decided.rank
        )
    if previous is not None:
        level = previous.decided_level
        previous_rule = rules.LevelRule(level.code, level.rank, level.name)
    if suggestion is not None:
        for field, found in rules.decision_problems(
            suggested=suggestion.level,
            decided=rules.LevelRule(decided.code, decided.rank, decided.name) if decided else None,
            rationale=rationale,
            direction=direction,
            handover=handover,
            has_receiving_practitioner=receiving_practitioner is not None,
            previous=previous_rule,
        ).items():
            errors.setdefault(field, []).extend(m for m in found if m not in errors.get(field, []))
    elif decided is None and "decided_level" not in errors:
        errors["decided_level"] = ["Select the level you have decided"]
    if errors:
        raise ValidationProblem(errors)
    assert suggestion is not None and decided is not None and direction is not None
    step = rules.needs_handover(direction)
    organisation = _casework_organisation(actor)
    decision = LevelDecision.objects.create(
        family=family,
        person=person,
        framework=framework,
        suggested_level=levels[suggestion.level.code],
        suggestion_reasons=[r.as_json() for r in suggestion.reasons],
        decided_level=decided,
        rationale=rationale.strip(),
        decided_by=actor,
        decided_by_organisation=organisation,
        previous=previous,
        direction=direction,
        handover=handover.strip() if step else "",
        receiving_practitioner=receiving_practitioner if step else None,
    )
    indicators = {i.code: i for i in FrameworkIndicator.objects.filter(framework=framework)}
    LevelDecisionIndicator.objects.bulk_create(
        [
            LevelDecisionIndicator(
                decision=decision,
                indicator=indicators[code],
                implied_by=suggestion.implied_by.get(code, ""),
                person=person,
                category=indicators[code].category,
                source_organisation=organisation,
            )
            for code in suggestion.considered
        ]
    )
    chronology_record(
        actor=actor,
        family=family,
        person=person,
        occurred_on=timezone.localdate(),
        kind=EntryKind.DECISION,
        summary=(
            f"Level of need decided: {decided.name} ({rules.DIRECTION_LABELS[direction].lower()})"
        ),
        source=decision,
        source_organisation=organisation,
    )
    audit_record(
        actor=actor,
        action="level_decision.record",
        obj=decision,
        summary=(
            f"{family.name}: {decided.name} ({rules.DIRECTION_LABELS[direction].lower()}); "
            f"suggested {suggestion.level.name}; framework {framework.version}"
        ),
        changes={
            "indicators": list(suggestion.considered),
            "suggested_level": suggestion.level.code,
            "decided_level": decided.code,
            "direction": str(direction),
            "framework_version": framework.version,
            "receiving_practitioner": receiving_practitioner.pk
            if step and receiving_practitioner
            else None,
        },
    )
    if step and receiving_practitioner is not None and receiving_practitioner.pk != actor.pk:
        move = "up" if direction == rules.Direction.UP else "down"
        alert_raise(
            recipients=[receiving_practitioner],
            kind="levels.handover",
            title="A family has been handed over to you",
            body=(
                f"{actor.full_name} stepped a family {move} to {decided.name} and recorded a "
                "handover for you."
            ),
            url=reverse("levels:decision_detail", kwargs={"level_decision_pk": decision.pk}),
            dedupe_key=f"levels.handover:{decision.pk}",
        )
    return decision
