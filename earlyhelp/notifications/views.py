"""Pages: the e-mail outbox for the system administrator (failed and waiting e-mails), and
trying a failed one again. Anyone else gets 404. Thin: reads through selectors, writes
through services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.http import page_actor
from earlyhelp.notifications import rules, selectors, services
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.outbox import max_attempts

View = Callable[..., HttpResponse]
MAX_ID_DIGITS = 18


def outbox_page(view: View) -> View:
    """Sign-in first, then the system administrator only (404 for anyone else)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            selectors.outbox_require(
                actor=page_actor(request),
                object_id=next(iter(kwargs.values()), "outbox"),
                request=request,
            )
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error

    return login_required(wrapped)


def _show(value: str | None) -> str:
    return selectors.WAITING_NAME if value == selectors.WAITING_NAME else selectors.FAILED


def _after(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS and int(value) > 0:
        return int(value)
    return None


def _url(show: str, after: int | None = None) -> str:
    query: dict[str, object] = {}
    if show != selectors.FAILED:
        query["show"] = show
    if after is not None:
        query["after"] = after
    url = reverse("notifications:outbox")
    return f"{url}?{urlencode(query)}" if query else url


def _kind(row: Notification) -> str:
    return str(row.personalisation.get("alert_kind") or rules.kind_title(""))


def _render(
    request: HttpRequest, show: str, after: int | None, problems: list[str], status: int = 200
) -> HttpResponse:
    actor = page_actor(request)
    page = selectors.outbox_list(actor=actor, show=show, after_id=after, request=request)
    return render(
        request,
        "notifications/outbox.html",
        {
            "rows": [(row, _kind(row)) for row in page.notifications],
            "show": show,
            "after": after,
            "counts": selectors.outbox_counts(actor=actor),
            "failed_url": _url(selectors.FAILED),
            "waiting_url": _url(selectors.WAITING_NAME),
            "newest_url": _url(show),
            "next_url": _url(show, page.next_after) if page.next_after else "",
            "problems": problems,
            "max_attempts": max_attempts(),
        },
        status=status,
    )


@outbox_page
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    return _render(request, _show(request.GET.get("show")), _after(request.GET.get("after")), [])


@outbox_page
@require_POST
def retry(request: HttpRequest, notification_id: int) -> HttpResponse:
    show, after = _show(request.POST.get("show")), _after(request.POST.get("after"))
    try:
        row = services.notification_retry(
            actor=page_actor(request), notification_id=notification_id, request=request
        )
    except ValidationProblem as problem:
        messages_ = [m for field in problem.errors.values() for m in field]
        return _render(request, show, after, messages_, status=400)
    except NotFoundOrForbidden as error:
        raise Http404 from error
    messages.success(request, f"E-mail {row.reference} will be sent again.")
    return redirect(_url(show, after))
