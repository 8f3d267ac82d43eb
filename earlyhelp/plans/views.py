"""Pages: the team around the family (who joins, who leaves) and its lead professional, the
plan with its outcomes and actions, and the family's own copy. Reads through plans.selectors
(the sharing policy and the record of every look), writes through plans.services and
sharing.services.team; outsiders get 404. The family's copy is printed or downloaded, so
opening it is recorded as an export (R-IS-4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import guarded_page, page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.forms import GovukForm
from earlyhelp.people.models import Family
from earlyhelp.plans import selectors, services
from earlyhelp.plans.forms import (
    ADVISER,
    NOT_FROM_ASSESSMENT,
    ActionForm,
    ActionUpdateForm,
    LeadProfessionalForm,
    OutcomeForm,
    PlanAgreeForm,
    PlanStartForm,
    TeamMemberAddForm,
    TeamMemberEndForm,
    family_parents,
    team_candidates,
)
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.plans.selectors import FamilyPlanView
from earlyhelp.sharing import policies
from earlyhelp.sharing.services.team import team_member_add, team_member_end

View = Callable[..., HttpResponse]

CONFLICT = (
    "Someone else changed this plan while you were working on it. "
    "Check what is saved now, then make your change again"
)


def plans_page(object_type: str) -> Callable[[View], View]:
    """Sign-in, the casework check and one 404 for missing and forbidden."""
    return guarded_page(object_type, policies.can_open_family_records)


def _save(form: GovukForm, write: Callable[[], object]) -> bool:
    """Run a service; put its problems (or an edit conflict) on the form."""
    try:
        write()
    except ValidationProblem as problem:
        form.add_problem(problem)
        return False
    except EditConflict:
        form.add_problem(ValidationProblem({"__all__": [CONFLICT]}))
        return False
    return True


@require_http_methods(["GET", "POST"])
@plans_page("people.family")
def team(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    view = selectors.family_plan_view(actor=actor, family_id=family_pk, request=request)
    form = LeadProfessionalForm(
        posted(request), members=view.members, initial={"version": view.lead_version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = data["member"]
        if not member:
            form.add_problem(
                ValidationProblem({"member": ["Choose who the lead professional will be"]})
            )
        elif _save(
            form,
            lambda: services.lead_professional_name(
                actor=actor,
                family=view.family,
                member_id=int(member),
                family_view=data["family_view"],
                reason=data["reason"],
                version=data["version"],
            ),
        ):
            messages.success(request, "Lead professional named")
            return redirect("plans:team", family_pk=family_pk)
    return render(request, "plans/team.html", {"view": view, "form": form})


@require_http_methods(["GET", "POST"])
@plans_page("people.family")
def team_member_new(request: HttpRequest, family_pk: int) -> HttpResponse:
    """Add a member: a practitioner of an agency working with the family, or a parent's
    personal adviser where the parent agrees (R-WT-5, R-CL-2)."""
    actor = page_actor(request)
    view = selectors.family_plan_view(actor=actor, family_id=family_pk, request=request)
    form = TeamMemberAddForm(
        posted(request),
        candidates=team_candidates(family=view.family, today=timezone.localdate()),
        parents=family_parents(view.family),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["who"] == ADVISER:
            practitioner, organisation = data["adviser"], None
            parent = form.parents[data["personal_adviser_for"]]
        else:
            chosen = form.candidates[data["who"]]
            practitioner, organisation, parent = chosen.practitioner, chosen.organisation, None
        if _save(
            form,
            lambda: team_member_add(
                actor=actor,
                family=view.family,
                practitioner=practitioner,
                organisation=organisation,
                role_in_team=data["role_in_team"],
                joined_on=data["joined_on"],
                personal_adviser_for=parent,
                parent_agreed=bool(data["parent_agreed"]),
            ),
        ):
            messages.success(request, f"{practitioner} joined the team")
            return redirect("plans:team", family_pk=family_pk)
    return render(request, "plans/team_member_add.html", {"view": view, "form": form})


def _member_get(request: HttpRequest, member_pk: int) -> TeamAroundFamilyMember:
    """A current membership of a team around a family the actor may see; otherwise 404."""
    member = (
        TeamAroundFamilyMember.objects.select_related("practitioner", "organisation")
        .filter(pk=member_pk, left_on__isnull=True)
        .first()
    )
    if member is None:
        raise NotFoundOrForbidden
    member.family = people_selectors.family_get(
        actor=page_actor(request), family_id=member.family_id, request=request
    )
    return member


@require_http_methods(["GET", "POST"])
@plans_page("plans.teamaroundfamilymember")
def team_member_end_page(request: HttpRequest, team_member_pk: int) -> HttpResponse:
    """End a membership. A lead professional who leaves is no longer the lead, and the
    no-lead check runs (R-WT-5): both in the service."""
    actor = page_actor(request)
    member = _member_get(request, team_member_pk)
    form = TeamMemberEndForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: team_member_end(
                actor=actor, member=member, left_on=form.cleaned_data["left_on"]
            ),
        )
    ):
        messages.success(request, f"{member.practitioner} has left the team")
        return redirect("plans:team", family_pk=member.family_id)
    return render(request, "plans/team_member_end.html", {"member": member, "form": form})


@require_http_methods(["GET", "POST"])
@plans_page("people.family")
def plan(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    view = selectors.family_plan_view(actor=actor, family_id=family_pk, request=request)
    version = view.plan.version if view.plan else 0
    start = PlanStartForm(posted(request) if "start" in request.POST else None, prefix="start")
    outcome = OutcomeForm(
        posted(request) if "outcome" in request.POST else None,
        prefix="outcome",
        initial={"version": version, "need": NOT_FROM_ASSESSMENT},
        needs=selectors.assessed_needs(actor=actor, family=view.family) if view.plan else [],
    )
    agree = PlanAgreeForm(
        posted(request) if "agree" in request.POST else None,
        prefix="agree",
        initial={"version": version},
    )
    if request.method == "POST":
        done = False
        if "start" in request.POST and start.is_valid():
            done = _save(
                start,
                lambda: services.plan_start(
                    actor=actor, family=view.family, family_words=start.cleaned_data["family_words"]
                ),
            )
        elif view.plan is not None and "outcome" in request.POST and outcome.is_valid():
            done = _save(
                outcome,
                lambda: services.outcome_add(
                    actor=actor,
                    plan=view.plan,  # type: ignore[arg-type]
                    version=outcome.cleaned_data["version"],
                    headline=outcome.cleaned_data["headline"],
                    description=outcome.cleaned_data["description"],
                    need_id=outcome.need_id(),
                ),
            )
        elif view.plan is not None and "agree" in request.POST and agree.is_valid():
            done = _save(
                agree,
                lambda: services.plan_agree(
                    actor=actor,
                    plan=view.plan,  # type: ignore[arg-type]
                    version=agree.cleaned_data["version"],
                    review_on=agree.cleaned_data["review_on"],
                ),
            )
        if done:
            messages.success(request, "Plan saved")
            return redirect("plans:plan", family_pk=family_pk)
    return render(
        request,
        "plans/plan.html",
        {"view": view, "start": start, "outcome_form": outcome, "agree": agree},
    )


@require_http_methods(["GET", "POST"])
@plans_page("people.family")
def action_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    view = selectors.family_plan_view(actor=actor, family_id=family_pk, request=request)
    if view.plan is None:
        raise Http404
    current = view.plan
    form = ActionForm(
        posted(request),
        members=view.members,
        outcomes=view.outcomes,
        initial={"version": current.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.action_add(
                actor=actor,
                plan=current,
                version=data["version"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                outcome_id=data["outcome"],
            ),
        ):
            messages.success(request, "Action added")
            return redirect("plans:plan", family_pk=family_pk)
    return render(request, "plans/action_add.html", {"view": view, "form": form})


@require_http_methods(["GET", "POST"])
@plans_page("plans.planaction")
def action_update(request: HttpRequest, action_pk: int) -> HttpResponse:
    actor = page_actor(request)
    action = selectors.action_get(actor=actor, action_id=action_pk, request=request)
    form = ActionUpdateForm(
        posted(request),
        initial={
            "version": action.version,
            "status": action.status,
            "progress_note": action.progress_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.action_update(
                actor=actor,
                action=action,
                version=data["version"],
                status=data["status"],
                progress_note=data["progress_note"],
            ),
        ):
            messages.success(request, "Action updated")
            return redirect("plans:plan", family_pk=action.plan.family_id)
    return render(request, "plans/action_update.html", {"action": action, "form": form})


def _family_copy(request: HttpRequest, family_pk: int) -> tuple[FamilyPlanView, str]:
    """The family and its active plan for the family's copy, with the policy route that lets
    the actor see it; a family the actor may not see is a recorded refusal."""
    actor = page_actor(request)
    route = policies.family_access_route(actor, Family(pk=family_pk))
    family = Family.objects.filter(pk=family_pk).first() if route is not None else None
    if family is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="people.family",
            object_id=str(family_pk),
            request=request,
        )
        raise NotFoundOrForbidden
    view = selectors.family_plan_for(family=family)
    if view.plan is None:
        raise NotFoundOrForbidden
    return view, str(route)


def _export_record(request: HttpRequest, view: FamilyPlanView, route: str, detail: str) -> None:
    """Printing and PDFs are recorded as exports, not views (R-IS-4)."""
    access_record(
        actor=page_actor(request),
        action=AccessAction.EXPORT,
        obj=view.family,
        route=route,
        detail=detail,
        request=request,
    )


@require_GET
@plans_page("people.family")
def family_copy(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The family's own copy of their plan: plain language, printable (R-WT-6), so recorded
    as an export (R-IS-4)."""
    view, route = _family_copy(request, family_pk)
    _export_record(request, view, route, "family copy of the plan, to print")
    return render(request, "plans/family_copy.html", {"view": view})


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The PDF is made from our own HTML only: it never fetches anything (ADR 0005)."""
    raise ValueError(f"Fetching {url!r} is not allowed while making a PDF")


@require_GET
@plans_page("people.family")
def family_copy_pdf(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The family's copy of their plan as a PDF (weasyprint, no fetching; ADR 0005),
    recorded as an export (R-IS-4)."""
    view, route = _family_copy(request, family_pk)
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the pango libraries are missing
        messages.error(request, "A PDF cannot be made on this server. Print this page instead")
        return redirect("plans:family_copy", family_pk=family_pk)
    html = render_to_string("plans/family_copy_pdf.html", {"view": view})
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    assert pdf is not None
    _export_record(request, view, route, "family copy of the plan, PDF")
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="family-plan.pdf"'
    return response
