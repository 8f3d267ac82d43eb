"""Information governance pages: subject access requests, retention reviews and legal holds.

Thin: reads through records.selectors, writes through records.services. Only the information
governance lead reaches these pages; everyone else gets the same 404 as a missing page, and
the refusal is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.records import policies, rules, selectors, services
from earlyhelp.records.forms import (
    LegalHoldForm,
    LegalHoldLiftForm,
    ResponseSentForm,
    RetentionDestroyForm,
    RetentionReviewForm,
    RetentionRuleForm,
    SubjectAccessExemptionForm,
    SubjectAccessRequestForm,
)
from earlyhelp.records.models import (
    LegalHold,
    SubjectAccessRequest,
)
from earlyhelp.records.rules import RecordClass

View = Callable[..., HttpResponse]
PER_PAGE = 50


def ig_lead_page(object_type: str) -> Callable[[View], View]:
    """Sign-in, the information governance lead check and one 404 for missing and forbidden."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = page_actor(request)
            try:
                selectors.require_information_governance_lead(
                    actor,
                    object_type=object_type,
                    object_id=next(iter(kwargs.values()), ""),
                    request=request,
                )
                return view(request, *args, **kwargs)
            except NotFoundOrForbidden as error:
                raise Http404 from error

        return login_required(wrapped)

    return decorate


# --- The start page ------------------------------------------------------------------------


@require_GET
@ig_lead_page("records")
def index(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    today = timezone.localdate()
    requests = selectors.subject_access_request_list(actor=actor)
    open_requests = requests.filter(response_sent_on__isnull=True).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    return render(
        request,
        "records/index.html",
        {
            "open_requests": open_requests["open"],
            "overdue_requests": open_requests["overdue"],
            "standing_holds": selectors.legal_hold_list(actor=actor)
            .filter(lifted_at__isnull=True)
            .count(),
            "last_review": selectors.retention_review_list(actor=actor).first(),
        },
    )


# --- Subject access requests ---------------------------------------------------------------


@require_GET
@ig_lead_page("records.subjectaccessrequest")
def sar_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    page = Paginator(selectors.subject_access_request_list(actor=actor), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The list names the people the requests are about: a look, recorded like any list.
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="people.person",
        route=policies.ROUTE_SUBJECT_ACCESS,
        detail=f"subject access requests page {page.number}: {len(page.object_list)} shown",
        request=request,
    )
    return render(request, "records/sar_list.html", {"page": page, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.subjectaccessrequest")
def sar_new(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = SubjectAccessRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sar = services.subject_access_request_record(
                actor=actor,
                requester_name=data["requester_name"],
                requester_relationship=data["requester_relationship"],
                received_via=data["received_via"],
                received_on=data["received_on"],
                nhs_number=data["nhs_number"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                competence=data["competence"],
                competence_judgement=data["competence_judgement"],
                child_wishes=data["child_wishes"],
                child_wishes_note=data["child_wishes_note"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                f"Subject access request {sar.reference} recorded. The response is due by "
                f"{sar.due_on:%-d %B %Y}",
            )
            return redirect("records:sar_detail", pk=sar.pk)
    return render(request, "records/sar_new.html", {"form": form})


def _sar_context(sar: SubjectAccessRequest) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "sar": sar,
        "overdue": sar.is_overdue(today),
        "exemptions": list(sar.exemptions.select_related("information_item", "decided_by")),
        "exports": list(sar.exports.select_related("exported_by")),
        "today": today,
    }


@require_GET
@ig_lead_page("records.subjectaccessrequest")
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.subject_access_request_get(
        actor=page_actor(request), request_id=pk, request=request
    )
    return render(request, "records/sar_detail.html", _sar_context(sar))


@require_GET
@ig_lead_page("records.subjectaccessrequest")
def sar_download(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    """The response as a file. Each download is a disclosure, and is logged as one."""
    actor = page_actor(request)
    sar = selectors.subject_access_request_get(actor=actor, request_id=pk, request=request)
    try:
        file = services.subject_access_export(
            actor=actor, subject_access_request=sar, format=format, request=request
        )
    except ValidationProblem as problem:
        context = _sar_context(sar)
        context["problems"] = [m for ms in problem.errors.values() for m in ms]
        return render(request, "records/sar_detail.html", context, status=200)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.subjectaccessrequest")
def sar_exemption_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    sar = selectors.subject_access_request_get(actor=actor, request_id=pk, request=request)
    form = SubjectAccessExemptionForm(
        posted(request), items=selectors.subject_access_information_items(sar)
    )
    if request.method == "POST" and form.is_valid():
        item, section = form.target()
        try:
            services.subject_access_exemption_record(
                actor=actor,
                subject_access_request=sar,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                information_item=item,
                section=section,
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Exemption recorded")
            return redirect("records:sar_detail", pk=sar.pk)
    return render(request, "records/sar_exemption_add.html", {"form": form, "sar": sar})


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.subjectaccessrequest")
def sar_response_sent(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    sar = selectors.subject_access_request_get(actor=actor, request_id=pk, request=request)
    form = ResponseSentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_access_response_sent(
                actor=actor, subject_access_request=sar, sent_on=form.cleaned_data["sent_on"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"{sar.reference} recorded as answered")
            return redirect("records:sar_detail", pk=sar.pk)
    return render(request, "records/sar_response_sent.html", {"form": form, "sar": sar})


# --- Retention -------------------------------------------------------------------------------


def _rule_rows(actor: User) -> list[dict[str, Any]]:
    in_force = {rule.record_class: rule for rule in selectors.retention_rule_list(actor=actor)}
    return [
        {"record_class": value, "label": label, "rule": in_force.get(value)}
        for value, label in RecordClass.choices
    ]


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.retentionreview")
def retention(request: HttpRequest) -> HttpResponse:
    """The rules in force, a dry run for a date, and past reviews."""
    actor = page_actor(request)
    form = RetentionReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.retention_review(
                actor=actor, review_date=form.cleaned_data["review_date"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            return redirect("records:retention_review_detail", pk=review.pk)
    return render(
        request,
        "records/retention.html",
        {
            "form": form,
            "rules": _rule_rows(actor),
            "reviews": selectors.retention_review_list(actor=actor)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.retentionreview")
def retention_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry run's list, and the explicit confirmation that carries it out."""
    actor = page_actor(request)
    review = selectors.retention_review_get(actor=actor, review_id=pk, request=request)
    form = RetentionDestroyForm(
        posted(request), initial={"confirmation_token": review.confirmation_token}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_destroy(
                actor=actor,
                review=review,
                confirmation_token=form.cleaned_data["confirmation_token"],
                confirmed=form.cleaned_data["confirm"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                f"{review.persons_destroyed} people's records and {review.families_destroyed} "
                "families' records have been destroyed, and each destruction recorded",
            )
            return redirect("records:retention_review_detail", pk=review.pk)
    to_destroy, kept = selectors.retention_review_people(
        actor=actor, review=review, request=request
    )
    today = timezone.localdate()
    return render(
        request,
        "records/retention_review.html",
        {
            "review": review,
            "form": form,
            "to_destroy": to_destroy,
            "kept": kept,
            "counts": [
                (label, review.counts.get(value, 0)) for value, label in rules.Outcome.choices
            ],
            "can_carry_out": review.carried_out_at is None
            and review.review_date == today
            and timezone.localdate(review.run_at) == today
            and bool(review.to_destroy),
        },
    )


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.retentionrule")
def retention_rule_change(request: HttpRequest, record_class: str) -> HttpResponse:
    actor = page_actor(request)
    if record_class not in RecordClass.values:
        raise Http404
    current = next(
        (r for r in selectors.retention_rule_list(actor=actor) if r.record_class == record_class),
        None,
    )
    initial = (
        {"trigger": current.trigger, "period_years": current.period_years, "basis": current.basis}
        if current
        else {}
    )
    form = RetentionRuleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.retention_rule_change(
                actor=actor,
                record_class=record_class,
                trigger=form.cleaned_data["trigger"],
                period_years=form.cleaned_data["period_years"],
                basis=form.cleaned_data["basis"],
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Retention rule saved as version {rule.version}")
            return redirect("records:retention")
    return render(
        request,
        "records/retention_rule_change.html",
        {
            "form": form,
            "current": current,
            "record_class_label": RecordClass(record_class).label,
        },
    )


# --- Legal holds ---------------------------------------------------------------------------


@require_GET
@ig_lead_page("records.legalhold")
def legal_hold_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    page = Paginator(selectors.legal_hold_list(actor=actor), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "records/legal_hold_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.legalhold")
def legal_hold_new(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = LegalHoldForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = family = None
            if data["family_number"]:
                family = selectors.family_identify(family_id=data["family_number"])
            else:
                person, _ = selectors.person_identify(
                    nhs_number=data["nhs_number"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    date_of_birth=data["date_of_birth"],
                    recording="legal hold",
                )
            hold = services.legal_hold_place(
                actor=actor, reason=data["reason"], person=person, family=family
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Legal hold placed on {hold.person or hold.family}")
            return redirect("records:legal_hold_list")
    return render(request, "records/legal_hold_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@ig_lead_page("records.legalhold")
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    hold: LegalHold = selectors.legal_hold_get(actor=actor, hold_id=pk, request=request)
    form = LegalHoldLiftForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(
                actor=actor, legal_hold=hold, reason=form.cleaned_data["lift_reason"]
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Legal hold lifted")
            return redirect("records:legal_hold_list")
    return render(request, "records/legal_hold_lift.html", {"form": form, "hold": hold})
