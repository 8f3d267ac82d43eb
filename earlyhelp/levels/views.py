"""Pages: the threshold framework (R-WT-2) and a family's levels of need (R-LON-1, R-LON-2).

Thin on purpose: reads through levels.selectors and people.selectors (the policy and the
record of every look), writes through levels.services. Family pages need the family visible
to the actor; missing and forbidden are the same 404. The framework is reference data: any
signed-in account may read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.levels import rules, selectors, services
from earlyhelp.levels.forms import LevelDecisionForm
from earlyhelp.levels.models import LevelDecision, ThresholdFramework
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import Family, FamilyMember
from earlyhelp.people.views import people_page

EDIT_CONFLICT = (
    "Someone else recorded a level for this family while you were deciding. The current "
    "level is shown above: check it, then record your decision again"
)
INDICATORS_CHANGED = (
    "The indicators changed after the level was suggested: check the new suggestion below, "
    "then record your decision"
)


# --- The framework --------------------------------------------------------------------------


def _framework_context(framework: ThresholdFramework) -> dict[str, Any]:
    indicators = selectors.framework_indicators(framework)
    domains = list(framework.domains.all())
    return {
        "framework": framework,
        "levels": list(framework.levels.all()),
        "domains": [(d, [i for i in indicators if i.domain_id == d.pk]) for d in domains],
        "sources": {s.get("code"): s for s in framework.document.get("sources", [])},
        "versions": list(selectors.framework_list()),
        "in_force": selectors.framework_in_force(),
    }


@require_GET
@login_required
def framework_detail(request: HttpRequest, framework_pk: int | None = None) -> HttpResponse:
    """The framework in force (or one version): levels, domains, indicators and sign-off."""
    if framework_pk is None:
        framework = selectors.framework_in_force()
        if framework is None:
            return render(request, "levels/no_framework.html", {})
    else:
        try:
            framework = selectors.framework_get(framework_id=framework_pk)
        except NotFoundOrForbidden as error:
            raise Http404 from error
    return render(request, "levels/framework_detail.html", _framework_context(framework))


# --- A family's levels ----------------------------------------------------------------------


def _views(actor: Any, decisions: list[LevelDecision]) -> list[selectors.DecisionView]:
    readable = selectors.readable_indicator_ids(actor, decisions)
    return [selectors.decision_view(actor, d, readable) for d in decisions]


@require_GET
@people_page("people.family")
def family_levels(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The family's current level and every past decision."""
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    decisions = selectors.level_decision_list(actor=actor, family=family, request=request)
    return render(
        request,
        "levels/family_levels.html",
        {"family": family, "views": _views(actor, decisions)},
    )


@require_GET
@people_page("levels.leveldecision")
def decision_detail(request: HttpRequest, level_decision_pk: int) -> HttpResponse:
    actor = page_actor(request)
    decision = selectors.level_decision_get(
        actor=actor, decision_id=level_decision_pk, request=request
    )
    return render(
        request,
        "levels/decision_detail.html",
        {
            "family": decision.family,
            "view": selectors.decision_view(actor, decision),
            "direction": rules.DIRECTION_LABELS[rules.Direction(decision.direction)],
        },
    )


def _members(family: Family) -> list[FamilyMember]:
    return list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
    )


def _remember(form: LevelDecisionForm, **values: str) -> None:
    """Set hidden fields for the next submission."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    for name, value in values.items():
        data[name] = value
    form.data = data


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def decision_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    """Choose indicators, see the suggested level and its reasons, then decide (R-LON-1);
    stepping up or down records the handover and receiving practitioner (R-LON-2)."""
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    framework = selectors.framework_in_force()
    if framework is None:
        return render(request, "levels/no_framework.html", {"family": family})
    current = selectors.level_current(actor=actor, family=family)
    form = LevelDecisionForm(
        posted(request),
        initial={"previous_decision": str(current.pk) if current else ""},
        members=_members(family),
        indicators=selectors.framework_indicators(framework),
        levels=list(framework.levels.all()),
        practitioners=services.receiving_practitioners(),
    )
    suggestion = None
    if request.method == "POST":
        valid = form.is_valid()
        codes = form.codes()
        if "indicators" not in form.errors:
            try:
                suggestion = services.level_suggest(
                    framework=framework, indicator_codes=codes
                ).suggestion
            except ValidationProblem as problem:
                form.add_problem(problem)
        if suggestion is not None:
            key = ",".join(sorted(codes))
            deciding = request.POST.get("action") == "decide"
            if deciding and valid and form.cleaned_data["suggested_for"] != key:
                form.add_error(None, INDICATORS_CHANGED)
            elif deciding and valid:
                try:
                    decision = services.level_decision_record(
                        actor=actor,
                        family=family,
                        previous_decision_id=form.previous_decision_id(),
                        check_previous=True,
                        **form.values(),
                    )
                except ValidationProblem as problem:
                    form.add_problem(problem)
                except EditConflict:
                    form.add_error(None, EDIT_CONFLICT)
                    current = selectors.level_current(actor=actor, family=family)
                    _remember(form, previous_decision=str(current.pk) if current else "")
                else:
                    messages.success(request, f"Level of need recorded: {decision.decided_level}")
                    return redirect("levels:decision_detail", level_decision_pk=decision.pk)
            _remember(form, suggested_for=key)
    return render(
        request,
        "levels/decision_add.html",
        {
            "family": family,
            "framework": framework,
            "current": current,
            "form": form,
            "suggestion": suggestion,
        },
    )


urlpatterns: list[URLPattern] = [
    path("framework/", framework_detail, name="framework_detail"),
    path("framework/<int:framework_pk>/", framework_detail, name="framework_version"),
    path("families/<int:family_pk>/", family_levels, name="family_levels"),
    path("families/<int:family_pk>/decide/", decision_add, name="decision_add"),
    path("decisions/<int:level_decision_pk>/", decision_detail, name="decision_detail"),
]
