"""Pages: consent (R-IS-13), decisions to share or not to share (R-IS-1, R-IS-2), telling the
family (R-IS-3) and "not sure? ask information governance" (R-IS-6).

Thin on purpose: reads through sharing.selectors.consent and people.selectors (the policy
and the record of every look), writes through sharing.services.consent. Every page needs
the family visible to the actor; missing and forbidden are the same 404. The advice pages
for information governance leads need that role instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import Organisation, User
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import Family, FamilyMember
from earlyhelp.people.views import people_page
from earlyhelp.sharing import policies
from earlyhelp.sharing.forms_consent import (
    AdviceAnswerForm,
    AdviceAskForm,
    ConsentForm,
    InformFamilyForm,
    RevealingForm,
    SharingDecisionForm,
    WithdrawConsentForm,
)
from earlyhelp.sharing.models import InformationCategory
from earlyhelp.sharing.selectors import consent as selectors
from earlyhelp.sharing.services import consent as services

NOT_SURE = "You do not need to wait for an answer if a child may be at risk."


def _members(family: Family) -> list[FamilyMember]:
    return list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
    )


def _family_page(family: Family) -> str:
    return reverse("people:family_detail", kwargs={"pk": family.pk})


def _after_losing_access(actor: User, family: Family) -> str:
    """The family page if the actor still sees the family, else the list of families."""
    if policies.family_access_route(actor, family) is not None:
        return _family_page(family)
    return reverse("people:family_list")


def _show_every_problem(form: RevealingForm, errors: dict[str, list[str]]) -> None:
    """After the form's own errors, the service's, so that one submission shows every
    problem: not on fields the form has faulted, nor on questions hidden under answers not
    chosen."""
    hidden = form.hidden_questions()
    for field, found in errors.items():
        if field not in form.errors and field not in hidden:
            form.add_problem(ValidationProblem({field: found}))


# Fields whose problems do not depend on the answer to "will you share?".
DECISION_COMMON_FIELDS = frozenset({"about_people", "what", "purpose", "reasons", "regime"})


# --- Consent --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def consent_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    form = ConsentForm(
        posted(request),
        initial={"starts_on": timezone.localdate()},
        members=_members(family),
        organisations=list(Organisation.objects.all()),
        categories=list(InformationCategory.objects.all()),
    )
    if request.method == "POST" and not form.is_valid():
        _show_every_problem(form, services.consent_problems(family=family, **form.values()))
    elif request.method == "POST":
        try:
            consent = services.consent_record(actor=actor, family=family, **form.values())
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Consent recorded")
            return redirect("sharing:consent_detail", consent_pk=consent.pk)
    return render(request, "sharing/consent/consent_add.html", {"form": form, "family": family})


@require_GET
@people_page("sharing.consent")
def consent_detail(request: HttpRequest, consent_pk: int) -> HttpResponse:
    consent = selectors.consent_get(
        actor=page_actor(request), consent_id=consent_pk, request=request
    )
    return render(
        request,
        "sharing/consent/consent_detail.html",
        {
            "consent": consent,
            "family": consent.family,
            "status": selectors.consent_status(consent, timezone.localdate()),
            "agencies": selectors.consent_agencies(consent),
        },
    )


@require_http_methods(["GET", "POST"])
@people_page("sharing.consent")
def consent_withdraw(request: HttpRequest, consent_pk: int) -> HttpResponse:
    actor = page_actor(request)
    consent = selectors.consent_get(actor=actor, consent_id=consent_pk, request=request)
    if consent.withdrawn_at is not None:
        messages.info(request, "This consent has already been withdrawn")
        return redirect("sharing:consent_detail", consent_pk=consent.pk)
    form = WithdrawConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=actor, consent=consent, note=form.cleaned_data["note"])
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                "Consent withdrawn. Agencies who could see the family only because of it "
                "no longer can",
            )
            # Withdrawing may end the actor's own access: go where they still may.
            return redirect(_after_losing_access(actor, consent.family))
    return render(
        request,
        "sharing/consent/consent_withdraw.html",
        {"form": form, "consent": consent, "family": consent.family},
    )


# --- Decisions to share or not to share -----------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def decision_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    duty_to_share = settings.CWSA_S4_IN_FORCE
    form = SharingDecisionForm(
        posted(request),
        initial={"regime": services.default_regime(actor), "inform_family": "yes"},
        members=_members(family),
        organisations=list(Organisation.objects.all()),
        categories=list(InformationCategory.objects.all()),
        consents=selectors.consents_in_force(actor=actor, family=family),
        duty_to_share=duty_to_share,
    )
    if request.method == "POST" and not form.is_valid():
        problems = services.sharing_decision_problems(actor=actor, family=family, **form.values())
        if "decision" in form.errors:
            problems = {k: v for k, v in problems.items() if k in DECISION_COMMON_FIELDS}
        _show_every_problem(form, problems)
    elif request.method == "POST":
        try:
            decision = services.sharing_decision_record(
                actor=actor, family=family, request=request, **form.values()
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            if decision.share:
                told = (
                    "Tell the family: a task has been created for you"
                    if not decision.unsafe_to_inform_reason
                    else "The family will not be told, and the reason is recorded"
                )
                messages.success(request, f"Decision to share recorded. {told}")
            else:
                messages.success(request, "Decision not to share recorded")
            return redirect("sharing:decision_detail", decision_pk=decision.pk)
    return render(
        request,
        "sharing/consent/decision_add.html",
        {"form": form, "family": family, "duty_to_share": duty_to_share, "not_sure": NOT_SURE},
    )


@require_GET
@people_page("sharing.sharingdecision")
def decision_detail(request: HttpRequest, decision_pk: int) -> HttpResponse:
    decision = selectors.sharing_decision_get(
        actor=page_actor(request), decision_id=decision_pk, request=request
    )
    task = getattr(decision, "inform_family_task", None)
    return render(
        request,
        "sharing/consent/decision_detail.html",
        {"decision": decision, "family": decision.family, "task": task},
    )


@require_http_methods(["GET", "POST"])
@people_page("sharing.informfamilytask")
def inform_task_complete(request: HttpRequest, task_pk: int) -> HttpResponse:
    actor = page_actor(request)
    task = selectors.inform_family_task_get(actor=actor, task_id=task_pk, request=request)
    if task.done_at is not None:
        messages.info(request, "The family has already been told")
        return redirect("sharing:decision_detail", decision_pk=task.decision_id)
    form = InformFamilyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.inform_family_task_complete(
                actor=actor, task=task, note=form.cleaned_data["note"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Recorded that the family has been told")
            return redirect("sharing:decision_detail", decision_pk=task.decision_id)
    return render(
        request,
        "sharing/consent/inform_task_complete.html",
        {"form": form, "task": task, "family": task.decision.family},
    )


# --- Not sure? Ask information governance ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@people_page("people.family")
def advice_ask(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    form = AdviceAskForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_request_ask(
                actor=actor,
                family=family,
                question=form.cleaned_data["question"],
                urgent=form.cleaned_data["urgent"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request, f"Your question has been sent to information governance. {NOT_SURE}"
            )
            return redirect(_family_page(family))
    return render(
        request,
        "sharing/consent/advice_ask.html",
        {"form": form, "family": family, "not_sure": NOT_SURE},
    )


@require_GET
@people_page("sharing.advicerequest")
def advice_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    waiting = list(selectors.advice_request_list_open(actor=actor))
    return render(
        request,
        "sharing/consent/advice_list.html",
        {"rows": [(a, _family_if_visible(actor, a.family)) for a in waiting]},
    )


def _family_if_visible(actor: User, family: Family) -> Family | None:
    """The lead sees the question; the family's name only if they may see the family."""
    return family if policies.family_access_route(actor, family) is not None else None


@require_http_methods(["GET", "POST"])
@people_page("sharing.advicerequest")
def advice_answer(request: HttpRequest, advice_pk: int) -> HttpResponse:
    actor = page_actor(request)
    advice = selectors.advice_request_get(actor=actor, advice_id=advice_pk, request=request)
    form = AdviceAnswerForm(posted(request))
    if request.method == "POST" and advice.answered_at is None and form.is_valid():
        try:
            services.advice_request_answer(
                actor=actor, advice=advice, answer=form.cleaned_data["answer"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Your answer has been sent")
            return redirect("sharing:advice_list")
    context: dict[str, Any] = {
        "form": form,
        "advice": advice,
        "family": _family_if_visible(actor, advice.family),
    }
    return render(request, "sharing/consent/advice_answer.html", context)


urlpatterns: list[URLPattern] = [
    path("families/<int:family_pk>/consents/new/", consent_add, name="consent_add"),
    path("consents/<int:consent_pk>/", consent_detail, name="consent_detail"),
    path("consents/<int:consent_pk>/withdraw/", consent_withdraw, name="consent_withdraw"),
    path("families/<int:family_pk>/decisions/new/", decision_add, name="decision_add"),
    path("decisions/<int:decision_pk>/", decision_detail, name="decision_detail"),
    path(
        "inform-family-tasks/<int:task_pk>/done/",
        inform_task_complete,
        name="inform_task_complete",
    ),
    path("families/<int:family_pk>/advice/new/", advice_ask, name="advice_ask"),
    path("advice/", advice_list, name="advice_list"),
    path("advice/<int:advice_pk>/answer/", advice_answer, name="advice_answer"),
]
