"""Safer-sleep pages: record an assessment or an observation, a disruption of routine, a
completed health visiting contact; read one assessment.

Thin on purpose: reads through people.selectors (the policy and the record of every look)
and safersleep.selectors, writes through safersleep.services. Missing and forbidden are the
same 404 (people.views.people_page), and so is every page for roles that never open records.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.errors import EditConflict, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.views import EDIT_CONFLICT, people_page
from earlyhelp.safersleep import rules, selectors, services
from earlyhelp.safersleep.forms import (
    AssessmentForm,
    ContactCompleteForm,
    DisruptionForm,
    ObservationForm,
)


def _family_url(family_pk: int) -> str:
    return reverse("people:family_detail", kwargs={"pk": family_pk}) + "#safer-sleep"


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def assessment_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    babies = services.babies(family)
    initial = {
        name: value for name in ("person", "contact") if (value := request.GET.get(name, "")[:40])
    }
    form = AssessmentForm(posted(request), babies=babies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.safer_sleep_assessment_record(
                actor=actor,
                family=family,
                person=form.chosen_baby(),
                contact=data["contact"],
                risks=form.risks(),
                assessed_on=data.get("assessed_on"),
                sleeping_arrangements=data["sleeping_arrangements"],
                conversation=data["conversation"],
                action_plan=data["action_plan"],
                equipment=data["equipment"],
                complete_contact=data["complete_contact"],
                in_home={"yes": True, "no": False}.get(data["in_home"]),
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            _recorded_message(request, assessment.red_flag)
            return redirect(_family_url(family.pk))
    elif request.method == "POST":
        _service_problems_too(form, observation=False)
    return render(
        request,
        "safersleep/assessment_add.html",
        {"form": form, "family": family, "babies": babies},
    )


def _recorded_message(request: HttpRequest, red_flag: bool) -> None:
    if red_flag:
        messages.warning(
            request,
            "Safer sleep recorded with a red flag: the lead professional and health visitor "
            "have been alerted",
        )
    else:
        messages.success(request, "Safer sleep recorded")


def _service_problems_too(form: AssessmentForm | ObservationForm, *, observation: bool) -> None:
    """When the form itself failed, show the rule's messages as well, all at once."""
    data = form.cleaned_data
    problems = rules.assessment_problems(
        risks=form.risks(),
        observation=observation,
        sleeping_arrangements=data.get("sleeping_arrangements", ""),
        conversation=data.get("conversation", ""),
        action_plan=data.get("action_plan", ""),
        contact=data.get("contact", rules.AssessmentContact.OTHER),
        assessed_on=data.get("assessed_on"),
        today=timezone.localdate(),
    )
    problems = {k: v for k, v in problems.items() if k not in form.errors}
    if problems:
        form.add_problem(ValidationProblem(problems))


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def observation_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    babies = services.babies(family)
    form = ObservationForm(posted(request), babies=babies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.safer_sleep_assessment_record(
                actor=actor,
                family=family,
                person=form.chosen_baby(),
                risks=form.risks(),
                assessed_on=data.get("assessed_on"),
                sleeping_arrangements=data["sleeping_arrangements"],
                conversation=data["conversation"],
                action_plan=data["action_plan"],
                equipment=data["equipment"],
                observation=True,
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            _recorded_message(request, observation.red_flag)
            return redirect(_family_url(family.pk))
    elif request.method == "POST":
        _service_problems_too(form, observation=True)
    return render(
        request,
        "safersleep/observation_add.html",
        {"form": form, "family": family, "babies": babies},
    )


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def disruption_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    form = DisruptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disruption = services.disruption_record(
                actor=actor,
                family=family,
                kind=data["kind"],
                occurred_on=data.get("occurred_on"),
                details=data["details"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            tasks = disruption.reassessment_tasks.count()
            messages.success(
                request,
                "Disruption of routine recorded"
                + (
                    ": the health visitor and lead professional have been asked to reassess "
                    "safer sleep"
                    if tasks
                    else ""
                ),
            )
            return redirect(_family_url(family.pk))
    return render(request, "safersleep/disruption_add.html", {"form": form, "family": family})


@require_GET
@people_page("safersleep.safersleepassessment")
def assessment_detail(request: HttpRequest, safer_sleep_assessment_pk: int) -> HttpResponse:
    shown = selectors.safer_sleep_assessment_get(
        actor=page_actor(request), assessment_id=safer_sleep_assessment_pk, request=request
    )
    a = shown.assessment
    answers = [
        (rules.RISK_QUESTIONS[name][0], getattr(a, name))
        for name in rules.RISK_FIELDS
        if not a.is_observation or getattr(a, name) is not None
    ]
    return render(
        request,
        "safersleep/assessment_detail.html",
        {"shown": shown, "assessment": a, "answers": answers, "equipment": _equipment(a.equipment)},
    )


def _equipment(codes: list[str]) -> list[str]:
    labels = dict(rules.Equipment.choices)
    return [str(labels.get(code, code)) for code in codes]


@require_http_methods(["GET", "POST"])
@people_page("safersleep.healthvisitingcontact")
def contact_complete(request: HttpRequest, hv_contact_pk: int) -> HttpResponse:
    actor = page_actor(request)
    contact, family = selectors.health_visiting_contact_get(
        actor=actor, contact_id=hv_contact_pk, request=request
    )
    form = ContactCompleteForm(posted(request), initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_complete(
                actor=actor,
                contact=contact,
                completed_on=data.get("completed_on"),
                in_home=form.in_home_value(),
                delegated_note=data["delegated_note"],
                version=data.get("version"),
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            form.add_error(None, EDIT_CONFLICT)
        else:
            messages.success(request, f"{contact.get_kind_display()} recorded as completed")
            return redirect(_family_url(family.pk))
    return render(
        request,
        "safersleep/contact_complete.html",
        {
            "form": form,
            "contact": contact,
            "family": family,
            "needs_safer_sleep": contact.kind in rules.SAFER_SLEEP_CONTACTS,
        },
    )
