"""Front door pages: request support, a request's page, the queue, acknowledge and decide.

Thin on purpose: reads through frontdoor.selectors (the sharing policy and the record of
every look), writes through frontdoor.services. Requesting support and a request's page need
the family visible to the actor (missing and forbidden are the same 404); the queue,
acknowledging and deciding are for front door workers only, and 404 for anyone else.
Rules: R-WT-3, R-WT-7, R-WT-8, R-TIME-1.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.frontdoor import rules, selectors, services
from earlyhelp.frontdoor.forms import WRITTEN_BASIS, AcknowledgeForm, DecideForm, RequestForm
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import Family, FamilyMember
from earlyhelp.people.views import people_page
from earlyhelp.sharing.models import InformationCategory
from earlyhelp.sharing.selectors import consent as sharing_selectors

View = Callable[..., HttpResponse]

EDIT_CONFLICT = (
    "Someone else changed this request while you were looking at it. Check what is saved "
    "now and try again."
)
ESCALATION_NEVER_BLOCKED = (
    "A referral to children's social care or the MASH never needs an assessment, the "
    "family's agreement or anything else first."
)


def front_door_page(view: View) -> View:
    """Sign-in, then front door workers only: anyone else gets the same 404 as a missing page,
    and the refusal is recorded."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            selectors.front_door_require(
                actor=page_actor(request),
                object_id=next(iter(kwargs.values()), "queue"),
                request=request,
            )
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error

    return login_required(wrapped)


def _members(family: Family) -> list[FamilyMember]:
    return list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
    )


def _show_every_problem(form: RequestForm, errors: dict[str, list[str]]) -> None:
    """After the form's own errors, the service's, except on questions hidden by the answers."""
    hidden = form.hidden_questions()
    written = form.cleaned_data.get("sharing_basis") == WRITTEN_BASIS
    for name, found in errors.items():
        # The page asks for the basis as one question: its problems go there.
        field = name
        if name in {"consent", "sharing_decision"} or (
            name == "sharing_basis_note" and not written
        ):
            field = "sharing_basis"
        if field not in form.errors and field not in hidden:
            form.add_problem(ValidationProblem({field: found}))


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def request_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    form = RequestForm(
        posted(request),
        members=_members(family),
        consents=sharing_selectors.consents_in_force(actor=actor, family=family),
        decisions=list(
            sharing_selectors.sharing_decision_list(actor=actor, family=family).filter(share=True)
        ),
        categories=list(InformationCategory.objects.all()),
        organisations=services.requesting_organisations(actor),
    )
    if request.method == "POST" and not form.is_valid():
        _show_every_problem(
            form,
            services.request_for_support_problems(actor=actor, family=family, **form.values()),
        )
    elif request.method == "POST":
        try:
            made = services.request_for_support_make(actor=actor, family=family, **form.values())
        except ValidationProblem as problem:
            _show_every_problem(form, problem.errors)
        else:
            messages.success(
                request,
                "Request for support sent to the front door. A decision is due by "
                f"{made.decision_due_on:%-d %B %Y}",
            )
            return redirect("frontdoor:request_detail", request_pk=made.pk)
    return render(request, "frontdoor/request_add.html", {"form": form, "family": family})


def _request_context(actor: Any, found: RequestForSupport) -> dict[str, Any]:
    today = timezone.localdate()
    others = [
        row
        for row in selectors.request_for_support_list_for_family(
            actor=actor, family=found.family, today=today
        )
        if row.request.pk != found.pk
    ]
    return {
        "row": selectors.request_row(found, today),
        "r": found,
        "family": found.family,
        "others": others,
        "is_front_door": services.is_front_door_worker(actor),
        "circumstance_labels": [
            rules.CIRCUMSTANCE_LABELS[rules.Circumstance(c)]
            for c in found.circumstances
            if c in set(rules.Circumstance)
        ],
    }


@require_GET
@people_page("frontdoor.requestforsupport")
def request_detail(request: HttpRequest, request_pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_for_support_get(actor=actor, request_id=request_pk, request=request)
    return render(request, "frontdoor/request_detail.html", _request_context(actor, found))


@require_GET
@front_door_page
def queue(request: HttpRequest) -> HttpResponse:
    page = selectors.request_for_support_queue(
        actor=page_actor(request), after=request.GET.get("after", "")[:100], request=request
    )
    return render(
        request,
        "frontdoor/queue.html",
        {"page": page, "first_page": not request.GET.get("after")},
    )


@require_http_methods(["GET", "POST"])
@front_door_page
def acknowledge(request: HttpRequest, request_pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_for_support_get(actor=actor, request_id=request_pk, request=request)
    if found.acknowledged_at is not None:
        messages.info(request, "This request has already been acknowledged")
        return redirect("frontdoor:request_detail", request_pk=found.pk)
    form = AcknowledgeForm(posted(request), initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_for_support_acknowledge(
                actor=actor, request_for_support=found, version=form.cleaned_data["version"]
            )
        except EditConflict:
            messages.info(request, EDIT_CONFLICT)
        else:
            messages.success(request, "Request acknowledged. The requester has been told")
        return redirect("frontdoor:request_detail", request_pk=found.pk)
    return render(
        request,
        "frontdoor/acknowledge.html",
        {"form": form, **_request_context(actor, found)},
    )


@require_http_methods(["GET", "POST"])
@front_door_page
def decide(request: HttpRequest, request_pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_for_support_get(actor=actor, request_id=request_pk, request=request)
    if found.decided_at is not None:
        messages.info(request, f"This request has already been decided by {found.decided_by}")
        return redirect("frontdoor:request_detail", request_pk=found.pk)
    form = DecideForm(posted(request), initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_for_support_decide(
                actor=actor,
                request_for_support=found,
                route=data.get("route") or "",
                reasons=data.get("reasons") or "",
                family_agrees=bool(data.get("family_agrees")),
                version=data["version"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            current = RequestForSupport.objects.get(pk=found.pk)
            if current.decided_at is not None:
                messages.info(
                    request, f"This request has already been decided by {current.decided_by}"
                )
                return redirect("frontdoor:request_detail", request_pk=found.pk)
            # Keep what they typed; the next save applies to what is saved now.
            fresh = request.POST.copy()
            fresh["version"] = str(current.version)
            form = DecideForm(fresh)
            form.is_valid()
            form.add_error(None, EDIT_CONFLICT)
            found = selectors.request_for_support_get(
                actor=actor, request_id=request_pk, request=request
            )
        else:
            messages.success(request, "Decision recorded. The requester has been told")
            return redirect("frontdoor:request_detail", request_pk=found.pk)
    return render(
        request,
        "frontdoor/decide.html",
        {
            "form": form,
            "escalation_never_blocked": ESCALATION_NEVER_BLOCKED,
            **_request_context(actor, found),
        },
    )
