"""Chronology pages: a family's and a person's timeline, and a printable family chronology.

Thin on purpose: reads go through chronology.selectors (the sharing policy, the record of
each look, and the need-to-know filter, R-IS-12). Missing and forbidden are the same 404;
roles that never open family records get 404 for every page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from earlyhelp.chronology import selectors
from earlyhelp.chronology.forms import ChronologyFilterForm
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.http import guarded_page, page_actor
from earlyhelp.core.models import AccessAction
from earlyhelp.sharing import policies

View = Callable[..., HttpResponse]
PRINT_MAX = 1000


def chronology_page(object_type: str) -> Callable[[View], View]:
    """Sign-in, the casework check and one 404 for missing and forbidden, on every page."""
    return guarded_page(object_type, policies.can_open_family_records)


def _filter_form(request: HttpRequest) -> ChronologyFilterForm:
    return ChronologyFilterForm(request.GET if request.GET else None)


def _query_without_after(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


@require_GET
@chronology_page("people.family")
def family_chronology(request: HttpRequest, family_pk: int) -> HttpResponse:
    actor = page_actor(request)
    family = selectors.family_for_chronology(actor=actor, family_id=family_pk, request=request)
    form = _filter_form(request)
    page = selectors.family_chronology(
        actor=actor, family=family, filters=form.filters(), after=request.GET.get("after")
    )
    return render(
        request,
        "chronology/family.html",
        {
            "family": family,
            "form": form,
            "page": page,
            "query": _query_without_after(request),
        },
    )


@require_GET
@chronology_page("people.person")
def person_chronology(request: HttpRequest, person_pk: int) -> HttpResponse:
    actor = page_actor(request)
    person = selectors.person_for_chronology(actor=actor, person_id=person_pk, request=request)
    form = _filter_form(request)
    page = selectors.person_chronology(
        actor=actor, person=person, filters=form.filters(), after=request.GET.get("after")
    )
    return render(
        request,
        "chronology/person.html",
        {
            "person": person,
            "form": form,
            "page": page,
            "query": _query_without_after(request),
        },
    )


@require_GET
@chronology_page("people.family")
def family_chronology_print(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The whole family chronology (up to PRINT_MAX entries) to print: recorded as an export."""
    actor = page_actor(request)
    family = selectors.family_for_chronology(
        actor=actor, family_id=family_pk, request=request, action=AccessAction.EXPORT
    )
    form = _filter_form(request)
    page = selectors.family_chronology(
        actor=actor, family=family, filters=form.filters(), limit=PRINT_MAX
    )
    return render(
        request,
        "chronology/family_print.html",
        {"family": family, "form": form, "page": page, "printed_at": timezone.now()},
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The PDF is made from our own HTML only: it never fetches anything (ADR 0005)."""
    raise ValueError(f"Fetching {url!r} is not allowed while making a PDF")


def chronology_pdf(context: dict[str, Any]) -> bytes:
    """The printable chronology as a PDF (weasyprint; ADR 0005)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the Debian pango libraries are missing
        raise ValidationProblem(
            {"__all__": ["A PDF cannot be made on this server. Use the printable page instead"]}
        ) from error
    html = render_to_string("chronology/family_pdf.html", context)
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


@require_GET
@chronology_page("people.family")
def family_chronology_pdf(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The whole family chronology (up to PRINT_MAX entries) as a PDF: recorded as an export."""
    actor = page_actor(request)
    family = selectors.family_for_chronology(
        actor=actor, family_id=family_pk, request=request, action=AccessAction.EXPORT
    )
    form = _filter_form(request)
    page = selectors.family_chronology(
        actor=actor, family=family, filters=form.filters(), limit=PRINT_MAX
    )
    context = {
        "family": family,
        "page": page,
        "printed_at": timezone.now(),
        "printed_by": actor.full_name,
    }
    try:
        content = chronology_pdf(context)
    except ValidationProblem as problem:
        return render(
            request,
            "chronology/family_print.html",
            {**context, "form": form, "pdf_problem": problem.errors["__all__"][0]},
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{family.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
