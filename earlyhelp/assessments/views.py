"""Pages of the whole-family early-help assessment.

Thin on purpose: reads through assessments.selectors (the policy, and the record of every
look), writes through assessments.services. Every page needs the family visible to the
actor; missing and forbidden are the same 404.

The contribution pages save what is typed every few seconds (assessments.mjs, to the
``draft`` endpoint and to the browser) so a session timeout loses nothing; without
JavaScript the form posts as usual.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.assessments import rules, selectors, services
from earlyhelp.assessments.forms import (
    ClockForm,
    ContributionChangeForm,
    ContributionForm,
    OverdueReasonForm,
    StartForm,
    SubjectForm,
    TransitionForm,
)
from earlyhelp.assessments.models import Assessment, AssessmentStatus, Contribution
from earlyhelp.core.errors import EditConflict, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import FamilyMember
from earlyhelp.people.views import people_page
from earlyhelp.sharing.models import InformationCategory

EDIT_CONFLICT = (
    "Someone else changed this while you were working on it. What you typed is still here; "
    "check the page and save again"
)
FORM_KEY = re.compile(r"^(new|c[1-9][0-9]{0,17})$")


def _storage_key(actor: User, assessment: Assessment, form_key: str) -> str:
    """The browser's copy of a draft: one per person, assessment and form."""
    return f"earlyhelp-draft:{actor.pk}:{assessment.pk}:{form_key}"


def _detail(assessment: Assessment) -> str:
    return reverse("assessments:assessment_detail", kwargs={"assessment_pk": assessment.pk})


# --- Start ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def assessment_start(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    members = list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    form = StartForm(posted(request), members=members)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(actor=actor, family=family, **form.values())
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Early help assessment started")
            return redirect(_detail(assessment))
    return render(request, "assessments/start.html", {"form": form, "family": family})


# --- The assessment page ----------------------------------------------------------------------


def _by_subject(actor: User, assessment: Assessment) -> list[dict[str, Any]]:
    """Each subject with their contributions by domain, and those held by others."""
    contributions = selectors.contribution_list(actor=actor, assessment=assessment)
    rows = []
    today = timezone.localdate()
    for subject in selectors.subject_list(actor=actor, assessment=assessment):
        mine = [c for c in contributions if c.subject_id == subject.pk]
        facts = selectors.subject_facts(subject)
        rows.append(
            {
                "subject": subject,
                "is_child": facts.is_child(today),
                "is_parent": facts.is_parent(),
                "age": facts.age(today),
                "domains": [
                    {
                        "name": info.name,
                        "contributions": [
                            c
                            for c in mine
                            if c.domain == info.domain and getattr(c, "readable", False)
                        ],
                    }
                    for info in rules.DOMAINS
                ],
                "held_elsewhere": [c for c in mine if not getattr(c, "readable", False)],
            }
        )
    return rows


@require_GET
@people_page("assessments.assessment")
def assessment_detail(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    situation = selectors.assessment_situation(assessment=assessment, actor=actor)
    saved = request.GET.get("saved", "")
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "family": assessment.family,
            "prompts": rules.assessment_prompts(situation),
            "missing": rules.missing_for_sign_off(situation)
            if assessment.status != AssessmentStatus.SIGNED_OFF
            else [],
            "subjects": _by_subject(actor, assessment),
            "clock": selectors.assessment_clock(assessment),
            "actor_organisations": actor.organisation_ids(),
            # The browser's copy of a draft just saved is no longer needed (assessments.mjs).
            "saved_storage_key": _storage_key(actor, assessment, saved)
            if FORM_KEY.match(saved)
            else "",
        },
    )


# --- Contributions ---------------------------------------------------------------------------


def _contribution_page(
    request: HttpRequest,
    *,
    assessment: Assessment,
    form: ContributionForm,
    form_key: str,
    contribution: Contribution | None,
    conflict: bool = False,
) -> HttpResponse:
    actor = page_actor(request)
    draft = selectors.draft_get(actor=actor, assessment=assessment, form_key=form_key)
    return render(
        request,
        "assessments/contribution_form.html",
        {
            "form": form,
            "assessment": assessment,
            "family": assessment.family,
            "contribution": contribution,
            "conflict": conflict,
            "restored_from_server": request.method == "GET" and draft is not None,
            "draft_saved_at": int(draft.saved_at.timestamp() * 1000) if draft else 0,
            "autosave_url": reverse(
                "assessments:draft",
                kwargs={"assessment_pk": assessment.pk, "form_key": form_key},
            ),
            "storage_key": _storage_key(actor, assessment, form_key),
        },
    )


def _draft_data(actor: User, assessment: Assessment, form_key: str) -> QueryDict | None:
    draft = selectors.draft_get(actor=actor, assessment=assessment, form_key=form_key)
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for name, value in draft.data.items():
        data[name] = value
    return data


def _contribution_form_values(contribution: Contribution) -> dict[str, Any]:
    return {
        "subject": str(contribution.subject_id),
        "dimension": contribution.dimension,
        "strengths": contribution.strengths,
        "need": contribution.need,
        "need_outcome": contribution.need_outcome,
        "sleeping_arrangements": contribution.sleeping_arrangements,
        "safer_sleep_advice": contribution.safer_sleep_advice,
        "category": contribution.category.code if contribution.category else "",
        "version": contribution.version,
    }


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def contribution_add(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    options: dict[str, Any] = {
        "subjects": selectors.subject_list(actor=actor, assessment=assessment),
        "categories": list(InformationCategory.objects.all()),
    }
    if request.method == "POST":
        form = ContributionForm(request.POST, **options)
    else:
        # A draft saved before (even before a session timeout) comes back as it was typed.
        draft = _draft_data(actor, assessment, "new")
        form = ContributionForm(
            None,
            initial=draft.dict() if draft else {"subject": request.GET.get("subject", "")},
            **options,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_add(
                actor=actor,
                assessment=assessment,
                details=services.ContributionDetails(**form.values()),
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Contribution saved")
            return redirect(_detail(assessment) + "?saved=new")
    return _contribution_page(
        request, assessment=assessment, form=form, form_key="new", contribution=None
    )


@require_http_methods(["GET", "POST"])
@people_page("assessments.contribution")
def contribution_change(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    actor = page_actor(request)
    contribution = selectors.contribution_get(
        actor=actor, contribution_id=contribution_pk, request=request
    )
    if not selectors.contribution_changeable(actor, contribution):
        # Others' contributions stay theirs: only the agency that wrote it changes it.
        return redirect(_detail(contribution.assessment))
    assessment = contribution.assessment
    form_key = f"c{contribution.pk}"
    options: dict[str, Any] = {
        "subjects": selectors.subject_list(actor=actor, assessment=assessment),
        "categories": list(InformationCategory.objects.all()),
    }
    conflict = False
    if request.method == "POST":
        form: ContributionForm = ContributionChangeForm(request.POST, **options)
    else:
        initial = _contribution_form_values(contribution)
        draft = _draft_data(actor, assessment, form_key)
        if draft:
            initial.update(draft.dict())
        form = ContributionChangeForm(None, initial=initial, **options)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_update(
                actor=actor,
                contribution=contribution,
                details=services.ContributionDetails(**form.values()),
                version=form.cleaned_data["version"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            conflict = True
            data = request.POST.copy()
            data["version"] = str(contribution.version)
            form = ContributionChangeForm(data, **options)
            form.is_valid()
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(request, "Contribution saved")
            return redirect(_detail(assessment) + f"?saved={form_key}")
    return _contribution_page(
        request,
        assessment=assessment,
        form=form,
        form_key=form_key,
        contribution=contribution,
        conflict=conflict,
    )


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def draft(request: HttpRequest, assessment_pk: int, form_key: str) -> HttpResponse:
    """The actor's own draft: GET reads it, POST (the form's fields) keeps it."""
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in request.POST if k in services.DRAFT_FIELDS}
        try:
            saved = services.draft_save(
                actor=actor, assessment=assessment, form_key=form_key, data=data
            )
        except ValidationProblem as problem:
            return JsonResponse({"errors": problem.errors}, status=409)
        return JsonResponse({"saved_at": int(saved.saved_at.timestamp() * 1000)})
    if not FORM_KEY.match(form_key):
        return JsonResponse({"fields": {}, "saved_at": 0})
    found = selectors.draft_get(actor=actor, assessment=assessment, form_key=form_key)
    return JsonResponse(
        {
            "fields": found.data if found else {},
            "saved_at": int(found.saved_at.timestamp() * 1000) if found else 0,
        }
    )


# --- Subjects ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessmentsubject")
def subject_change(request: HttpRequest, subject_pk: int) -> HttpResponse:
    actor = page_actor(request)
    subject = selectors.subject_get(actor=actor, subject_id=subject_pk, request=request)
    annotated = next(
        s
        for s in selectors.subject_list(actor=actor, assessment=subject.assessment)
        if s.pk == subject.pk
    )
    readable = bool(getattr(annotated, "care_detail_readable", False))
    initial = {
        "voice": subject.voice,
        "care_experienced": subject.care_experienced,
        "version": subject.version,
    }
    if readable:
        initial["responsible_local_authority"] = subject.responsible_local_authority
        initial["personal_adviser"] = subject.personal_adviser
    form = SubjectForm(posted(request), initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not readable and not (
            values["responsible_local_authority"] or values["personal_adviser"]
        ):
            # Detail the actor may not read is kept, not wiped by an empty box they never saw.
            values["responsible_local_authority"] = subject.responsible_local_authority
            values["personal_adviser"] = subject.personal_adviser
        try:
            services.subject_update(
                actor=actor,
                subject=subject,
                details=services.SubjectDetails(**values),
                version=form.cleaned_data["version"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            conflict = True
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(request, f"{subject.person.display_name}'s details saved")
            return redirect(_detail(subject.assessment))
    return render(
        request,
        "assessments/subject_form.html",
        {
            "form": form,
            "subject": subject,
            "assessment": subject.assessment,
            "family": subject.assessment.family,
            "is_parent": subject.role in rules.PARENT_ROLES,
            "care_detail_readable": readable,
            "conflict": conflict,
        },
    )


# --- The clock (R-TIME-2) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def clock_start(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    form = ClockForm(posted(request), initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_clock_start(
                actor=actor,
                assessment=assessment,
                started_on=form.cleaned_data.get("started_on"),
                version=form.cleaned_data["version"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(request, "The 45-working-day clock is running")
            return redirect(_detail(assessment))
    return render(
        request,
        "assessments/clock_form.html",
        {"form": form, "assessment": assessment, "family": assessment.family},
    )


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def overdue_reason(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    form = OverdueReasonForm(
        posted(request),
        initial={"version": assessment.version, "overdue_reason": assessment.overdue_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_overdue_reason_record(
                actor=actor,
                assessment=assessment,
                reason=form.cleaned_data.get("overdue_reason") or "",
                version=form.cleaned_data["version"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(request, "Reason recorded")
            return redirect(_detail(assessment))
    return render(
        request,
        "assessments/overdue_reason_form.html",
        {"form": form, "assessment": assessment, "family": assessment.family},
    )


# --- Completion and sign-off ------------------------------------------------------------------


def _transition(request: HttpRequest, assessment_pk: int, *, sign_off: bool) -> HttpResponse:
    actor = page_actor(request)
    assessment = selectors.assessment_get(actor=actor, assessment_id=assessment_pk, request=request)
    form = TransitionForm(posted(request), initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        service = services.assessment_sign_off if sign_off else services.assessment_complete
        try:
            service(
                actor=actor,
                assessment=assessment,
                version=form.cleaned_data["version"],
                overdue_reason=form.cleaned_data.get("overdue_reason") or "",
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(
                request, "Assessment signed off" if sign_off else "Assessment completed"
            )
            return redirect(_detail(assessment))
    situation = selectors.assessment_situation(assessment=assessment, actor=actor)
    return render(
        request,
        "assessments/transition_form.html",
        {
            "form": form,
            "assessment": assessment,
            "family": assessment.family,
            "sign_off": sign_off,
            "missing": rules.missing_for_sign_off(situation),
            "clock": selectors.assessment_clock(assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def assessment_complete(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    return _transition(request, assessment_pk, sign_off=False)


@require_http_methods(["GET", "POST"])
@people_page("assessments.assessment")
def assessment_sign_off(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    return _transition(request, assessment_pk, sign_off=True)
