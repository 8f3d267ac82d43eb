"""Pages: information held about a person, who can see a family and why, and emergency
(break-glass) access with its review by information governance.

Thin on purpose: reads through sharing.selectors and people.selectors (the policy and the
record of every look), writes through sharing.services. Missing and forbidden are the same
404; roles that never open family records get 404 on every page here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.http import guarded_page, page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.people import selectors as people_selectors
from earlyhelp.sharing import policies
from earlyhelp.sharing.forms_access import BreakGlassForm, BreakGlassReviewForm, InformationForm
from earlyhelp.sharing.models import BreakGlassGrant
from earlyhelp.sharing.selectors import access as access_selectors
from earlyhelp.sharing.services import break_glass, information

View = Callable[..., HttpResponse]


def _refuse(request: HttpRequest, object_type: str, object_id: object) -> None:
    access_record(
        actor=page_actor(request),
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def _page(object_type: str, allowed: Callable[[User], bool]) -> Callable[[View], View]:
    """Sign-in, who may use the page at all, and one 404 for missing and forbidden."""
    return guarded_page(object_type, allowed)


# Who may use each page at all; the record's own policy check follows inside.
casework_only = policies.can_open_family_records
practitioners_only = break_glass.may_open_break_glass
information_governance_only = break_glass.is_information_governance_lead


def _until(grant: BreakGlassGrant) -> str:
    return date_format(timezone.localtime(grant.expires_at), "H:i \\o\\n j F Y")


# Information held about a person


@require_http_methods(["GET", "POST"])
@_page("people.person", casework_only)
def information_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = people_selectors.person_get(actor=actor, person_id=person_pk, request=request)
    form = InformationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            information.information_record(
                actor=actor,
                person=person,
                summary=data["summary"],
                detail=data["detail"],
                category=form.chosen_category(),
                referrer=data["referrer"],
                referrer_confidential=data["referrer_confidential"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Information recorded for {person.display_name}")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "sharing/access/information_add.html", {"form": form, "person": person})


# Who can see this family, and why


@require_GET
@_page("people.family", casework_only)
def family_access(request: HttpRequest, family_pk: int) -> HttpResponse:
    access = access_selectors.family_who_can_see(
        actor=page_actor(request), family_id=family_pk, request=request
    )
    return render(request, "sharing/access/family_access.html", {"access": access})


# Emergency (break-glass) access


@require_http_methods(["GET", "POST"])
@_page("people.family", practitioners_only)
def break_glass_open(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    if request.method == "POST":
        form = BreakGlassForm(request.POST)
    else:
        # Reached from a search that found a record the practitioner may not see.
        form = BreakGlassForm(initial={"nhs_number": request.GET.get("nhs_number", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            grants = break_glass.break_glass_open_for_person(
                actor=actor,
                identifiers=form.identifiers(),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            until = _until(grants[0])
            messages.success(
                request,
                f"Emergency access is open until {until}. Information governance has been told "
                "and will review it",
            )
            if len(grants) == 1:
                return redirect("people:family_detail", pk=grants[0].family_id)
            return redirect("people:family_list")
    hours = int(break_glass.break_glass_duration().total_seconds() // 3600)
    return render(request, "sharing/access/break_glass_open.html", {"form": form, "hours": hours})


@require_GET
@_page("sharing.breakglassgrant", information_governance_only)
def break_glass_review_list(request: HttpRequest) -> HttpResponse:
    waiting, reviewed = access_selectors.break_glass_review_queue(
        actor=page_actor(request), request=request
    )
    return render(
        request,
        "sharing/access/break_glass_review_list.html",
        {
            "actor": page_actor(request),
            "sections": [
                ("Waiting for review", waiting, "Every use of emergency access has been reviewed."),
                (
                    "Reviewed recently",
                    reviewed,
                    "No use of emergency access has been reviewed yet.",
                ),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@_page("sharing.breakglassgrant", information_governance_only)
def break_glass_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    actor = page_actor(request)
    grant = access_selectors.break_glass_grant_for_review(
        actor=actor, grant_id=grant_id, request=request
    )
    form = BreakGlassReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            break_glass.break_glass_review(
                actor=actor,
                grant=grant,
                review=form.cleaned_data["review"],
                note=form.cleaned_data["note"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Review of {grant.practitioner}'s emergency access saved")
            return redirect("sharing:break_glass_review_list")
    return render(
        request,
        "sharing/access/break_glass_review.html",
        {
            "form": form,
            "grant": grant,
            "looks": access_selectors.break_glass_looks(grant),
            "own_grant": grant.practitioner_id == actor.pk,
            "now": timezone.now(),
        },
    )


urlpatterns: list[URLPattern] = [
    path(
        "people/<int:person_pk>/information/new/",
        information_add,
        name="information_add",
    ),
    path("families/<int:family_pk>/access/", family_access, name="family_access"),
    path("emergency-access/", break_glass_open, name="break_glass_open"),
    path(
        "emergency-access/reviews/",
        break_glass_review_list,
        name="break_glass_review_list",
    ),
    path(
        "emergency-access/reviews/<int:grant_id>/",
        break_glass_review,
        name="break_glass_review",
    ),
]
