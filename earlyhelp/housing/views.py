"""Housing pages: the housing officer's work tray, a family's housing record, and the forms
for cases, the risk to the child, placements, suitability, approval, notices, hand-overs and
duty-to-refer referrals. Reads through housing.selectors (the sharing policy and the record
of every look), writes through housing.services; outsiders get 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import EditConflict, ValidationProblem
from earlyhelp.core.http import guarded_page, page_actor, posted
from earlyhelp.core.models import AccessAction
from earlyhelp.housing import forms, rules, selectors, services
from earlyhelp.housing.models import HousingCase, PlacementStatus
from earlyhelp.housing.policy import PriorityPolicyDocument
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.forms import GovukForm
from earlyhelp.people.models import Family, FamilyMember
from earlyhelp.sharing import policies

View = Callable[..., HttpResponse]

CONFLICT = (
    "Someone else changed this record while you were working on it. "
    "Check what is saved now, then make your change again"
)


def housing_page(object_type: str, *, staff: bool) -> Callable[[View], View]:
    """Sign-in; the casework check (and, for housing work, the housing role); one 404 for
    missing and forbidden, recorded."""

    def allowed(actor: User) -> bool:
        return policies.can_open_family_records(actor) and (
            not staff or services.is_housing_staff(actor)
        )

    return guarded_page(object_type, allowed)


def _save(form: GovukForm, write: Callable[[], object]) -> bool:
    try:
        write()
    except ValidationProblem as problem:
        form.add_problem(problem)
        return False
    except EditConflict:
        form.add_problem(ValidationProblem({"__all__": [CONFLICT]}))
        return False
    return True


def _back(family_pk: int) -> HttpResponse:
    return redirect("housing:family", family_pk=family_pk)


def _form_page(
    request: HttpRequest, template: str, family_pk: int, context: dict[str, Any]
) -> HttpResponse:
    back_url = reverse("housing:family", kwargs={"family_pk": family_pk})
    return render(request, template, {**context, "back_url": back_url})


@require_GET
@housing_page("housing.worktray", staff=True)
def work_tray(request: HttpRequest) -> HttpResponse:
    tray = selectors.work_tray(actor=page_actor(request))
    return render(request, "housing/work_tray.html", {"tray": tray})


@require_GET
@login_required
def board(request: HttpRequest) -> HttpResponse:
    """How the young-parent priority is working, by policy version: counts only, small
    numbers suppressed; for the board analyst and team managers (R-HOU-1 to R-HOU-4)."""
    from earlyhelp.insights.policies import can_view_board_figures

    if not can_view_board_figures(page_actor(request)):
        raise Http404
    return render(request, "housing/board.html", {"policies": selectors.board_figures()})


@require_GET
@housing_page("people.family", staff=False)
def family(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    view = selectors.family_housing(actor=actor, family_id=family_pk, request=request)
    return render(
        request,
        "housing/family.html",
        {
            "view": view,
            "staff": services.is_housing_staff(actor),
            "approver": services.is_senior_housing_manager(actor),
        },
    )


def _people(family: Family) -> list[tuple[str, str]]:
    return [
        (str(m.person.pk), m.person.display_name)
        for m in FamilyMember.objects.filter(family=family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
        if (m.person.age_on(timezone.localdate()) or 0) >= rules.MIN_APPLICANT_AGE
    ]


@require_http_methods(["GET", "POST"])
@housing_page("people.family", staff=True)
def case_open(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    policy = services.policy_in_force(timezone.localdate())
    document = services.policy_document(policy) if policy else None
    vulnerabilities = [(v.code, v.label) for v in document.vulnerabilities] if document else []
    hints = selectors.shared_vulnerabilities(actor=actor, family=family)
    # What the shared record holds is ticked to start with; the officer decides.
    held = {h.category_code for h in hints}
    initial = [v.code for v in document.vulnerabilities if v.category in held] if document else []
    form = forms.CaseOpenForm(
        posted(request),
        people=_people(family),
        vulnerabilities=vulnerabilities,
        initial={"vulnerabilities": initial},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.housing_case_open(
                actor=actor,
                family=family,
                person_id=int(data["person"]) if data["person"] else None,
                kind=data["kind"],
                reference=data["reference"],
                homeless=data["homeless"],
                pregnant=data["pregnant"],
                vulnerabilities=data["vulnerabilities"],
                relevant_child_or_owed_s20=data["relevant_child_or_owed_s20"],
                children_act_referral_on=data["children_act_referral_on"],
                care_leaver=data["care_leaver"],
                local_offer=data["local_offer"],
                corporate_parenting=data["corporate_parenting"],
            ),
        ):
            messages.success(request, "Housing case opened and the priority decided")
            return _back(family_pk)
    return _form_page(
        request,
        "housing/case_open.html",
        family_pk,
        {"family": family, "form": form, "policy": policy, "hints": hints},
    )


def _case(request: HttpRequest, case_pk: int) -> HousingCase:
    return selectors.case_get(actor=page_actor(request), case_id=case_pk, request=request)


@require_http_methods(["GET", "POST"])
@housing_page("housing.housingcase", staff=True)
def priority_review(request: HttpRequest, housing_case_pk: int) -> HttpResponse:
    case = _case(request, housing_case_pk)
    form = forms.PriorityReviewForm(posted(request), initial={"version": case.version})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.housing_case_priority_review(
                actor=page_actor(request), case=case, version=form.cleaned_data["version"]
            ),
        )
    ):
        messages.success(request, "Priority decided again on today's household")
        return _back(case.family_id)
    return _form_page(
        request, "housing/priority_review.html", case.family_id, {"case": case, "form": form}
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.housingcase", staff=True)
def child_impact(request: HttpRequest, housing_case_pk: int) -> HttpResponse:
    case = _case(request, housing_case_pk)
    form = forms.ChildImpactForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.child_impact_record(
                actor=page_actor(request), case=case, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Risk to the child recorded")
        return _back(case.family_id)
    return _form_page(
        request, "housing/child_impact.html", case.family_id, {"case": case, "form": form}
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.housingcase", staff=True)
def placement_new(request: HttpRequest, housing_case_pk: int) -> HttpResponse:
    case = _case(request, housing_case_pk)
    form = forms.PlacementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.placement_record(
                actor=page_actor(request),
                case=case,
                line_1=data["line_1"],
                line_2=data["line_2"],
                town=data["town"],
                postcode=data["postcode"],
                local_authority=data["local_authority"],
                placement_type=data["placement_type"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                no_alternative_reason=data["no_alternative_reason"],
                trustee=data["trustee"],
                part7_function=data["part7_function"] or "s188",
            ),
        ):
            messages.success(request, "Placement recorded")
            return _back(case.family_id)
    document = PriorityPolicyDocument.model_validate(case.policy.document)
    return _form_page(
        request,
        "housing/placement_new.html",
        case.family_id,
        {"case": case, "form": form, "home": ", ".join(document.home_authorities)},
    )


def _placement(request: HttpRequest, placement_pk: int) -> Any:
    return selectors.placement_get(
        actor=page_actor(request), placement_id=placement_pk, request=request
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.placement", staff=True)
def suitability(request: HttpRequest, housing_placement_pk: int) -> HttpResponse:
    placement = _placement(request, housing_placement_pk)
    existing = getattr(placement, "suitability", None)
    initial = (
        {
            name: getattr(existing, name)
            for name in [*services.rules.LOCATION_FACTORS, "why_nothing_nearer"]
        }
        if existing
        else {}
    )
    form = forms.SuitabilityForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.suitability_record(
                actor=page_actor(request),
                placement=placement,
                factors={code: data[code] for code in services.rules.LOCATION_FACTORS},
                why_nothing_nearer=data["why_nothing_nearer"],
            ),
        ):
            messages.success(request, "Suitability assessment recorded")
            return _back(placement.case.family_id)
    return _form_page(
        request,
        "housing/suitability.html",
        placement.case.family_id,
        {"placement": placement, "form": form},
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.placement", staff=True)
def approval(request: HttpRequest, housing_placement_pk: int) -> HttpResponse:
    placement = _placement(request, housing_placement_pk)
    form = forms.ApprovalForm(posted(request), initial={"version": placement.version})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.placement_approve(
                actor=page_actor(request),
                placement=placement,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, "Placement approved: the notice is ready to send")
        return _back(placement.case.family_id)
    return _form_page(
        request,
        "housing/approval.html",
        placement.case.family_id,
        {
            "placement": placement,
            "form": form,
            "suitability": getattr(placement, "suitability", None),
            "waiting": placement.status == PlacementStatus.AWAITING_APPROVAL,
        },
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.placement", staff=True)
def handover_new(request: HttpRequest, housing_placement_pk: int) -> HttpResponse:
    placement = _placement(request, housing_placement_pk)
    form = forms.HandoverForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.support_handover_record(
                actor=page_actor(request), placement=placement, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Hand-over recorded")
        return _back(placement.case.family_id)
    return _form_page(
        request,
        "housing/handover_new.html",
        placement.case.family_id,
        {"placement": placement, "form": form},
    )


@require_http_methods(["GET", "POST"])
@housing_page("housing.placement", staff=True)
def placement_end(request: HttpRequest, housing_placement_pk: int) -> HttpResponse:
    """The household leaves (ends a bed-and-breakfast countdown, R-HOU-4)."""
    placement = _placement(request, housing_placement_pk)
    form = forms.PlacementEndForm(posted(request), initial={"version": placement.version})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.placement_end(
                actor=page_actor(request),
                placement=placement,
                end_on=form.cleaned_data["end_on"],
                version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, "Placement end recorded")
        return _back(placement.case.family_id)
    return _form_page(
        request,
        "housing/placement_end.html",
        placement.case.family_id,
        {"placement": placement, "form": form},
    )


def _notice(request: HttpRequest, notice_pk: int) -> Any:
    return selectors.notice_get(actor=page_actor(request), notice_id=notice_pk, request=request)


def _letter_context(notice: Any) -> dict[str, Any]:
    placement = notice.placement
    case = placement.case
    members = [
        m.person
        for m in FamilyMember.objects.filter(family=case.family, left_on__isnull=True)
        .select_related("person")
        .order_by("id")
    ]
    return {
        "notice": notice,
        "placement": placement,
        "case": case,
        "household": members,
        "authority": case.source_organisation,
    }


@require_GET
@housing_page("housing.receivingauthoritynotice", staff=True)
def notice_letter(request: HttpRequest, housing_notice_pk: int) -> HttpResponse:
    """The s208 notice to the receiving authority, printable (R-HOU-3)."""
    notice = _notice(request, housing_notice_pk)
    return render(request, "housing/notice_letter.html", _letter_context(notice))


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The PDF is made from our own HTML only: it never fetches anything (ADR 0005)."""
    raise ValueError(f"Fetching {url!r} is not allowed while making a PDF")


@require_GET
@housing_page("housing.receivingauthoritynotice", staff=True)
def notice_pdf(request: HttpRequest, housing_notice_pk: int) -> HttpResponse:
    """The s208 notice as a PDF letter (weasyprint, nothing fetched; ADR 0005)."""
    notice = _notice(request, housing_notice_pk)
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the pango libraries are missing
        messages.error(request, "A PDF cannot be made on this server. Print this page instead")
        return redirect("housing:notice_letter", housing_notice_pk=housing_notice_pk)
    html = render_to_string("housing/notice_letter_pdf.html", _letter_context(notice))
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    assert pdf is not None
    access_record(
        actor=page_actor(request),
        action=AccessAction.EXPORT,
        obj=notice,
        detail="s208 notice PDF",
        request=request,
    )
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="s208-notice-{notice.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@housing_page("housing.receivingauthoritynotice", staff=True)
def notice_sent(request: HttpRequest, housing_notice_pk: int) -> HttpResponse:
    notice = _notice(request, housing_notice_pk)
    form = forms.NoticeSentForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.notice_sent_record(
                actor=page_actor(request), notice=notice, sent_on=form.cleaned_data["sent_on"]
            ),
        )
    ):
        messages.success(request, "Notice recorded as sent")
        return _back(notice.placement.case.family_id)
    return _form_page(
        request,
        "housing/notice_sent.html",
        notice.placement.case.family_id,
        {"notice": notice, "form": form},
    )


@require_http_methods(["GET", "POST"])
@housing_page("people.family", staff=False)
def duty_to_refer(request: HttpRequest, family_pk: int) -> HttpResponse:
    """Any agency working with the family refers, with consent (R-HOU-9)."""
    actor = page_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_pk, request=request)
    form = forms.DutyToReferForm(posted(request), people=_people(family))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            lambda: services.duty_to_refer_record(
                actor=actor,
                family=family,
                person_id=int(data["person"]) if data["person"] else None,
                consent=data["consent"],
                chosen_authority=data["chosen_authority"],
                homeless_now=data["homeless_now"],
                homeless_on=data["homeless_on"],
                referred_on=data["referred_on"],
                notes=data["notes"],
            ),
        ):
            messages.success(request, "Duty-to-refer referral recorded")
            return _back(family_pk)
    return _form_page(
        request, "housing/duty_to_refer.html", family_pk, {"family": family, "form": form}
    )
