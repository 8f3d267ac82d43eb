"""Pages: "Your alerts", and acknowledging one.

Thin on purpose: reads through alerts.selectors, writes through alerts.services. Only people
who work with families have an inbox (board analysts and system administrators get 404);
someone else's alert and a missing one are the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from earlyhelp.alerts import selectors, services
from earlyhelp.alerts.models import Alert
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.http import page_actor

View = Callable[..., HttpResponse]

OPEN, ALL = "open", "all"
MAX_ID_DIGITS = 18


def alerts_page(view: View) -> View:
    """Sign-in first (so a visitor is sent to sign in), then people with an inbox only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            selectors.alert_inbox_require(
                actor=page_actor(request),
                object_id=next(iter(kwargs.values()), "inbox"),
                request=request,
            )
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error

    return login_required(wrapped)


def _show(value: str | None) -> str:
    return ALL if value == ALL else OPEN


def _after(value: str | None) -> int | None:
    """A page's starting id; anything else starts from the newest."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS and int(value) > 0:
        return int(value)
    return None


def _inbox_url(show: str, after: int | None = None) -> str:
    query: dict[str, object] = {}
    if show == ALL:
        query["show"] = ALL
    if after is not None:
        query["after"] = after
    url = reverse("alerts:inbox")
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Row:
    alert: Alert
    link: str  # the record's address inside the service, or "" when there is none


def _link(url: str) -> str:
    # Alerts link within the service only: never elsewhere, whatever was stored.
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


@alerts_page
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    show = _show(request.GET.get("show"))
    after = _after(request.GET.get("after"))
    page = selectors.alert_list(
        actor=page_actor(request), open_only=show == OPEN, after_id=after, request=request
    )
    return render(
        request,
        "alerts/inbox.html",
        {
            "rows": [Row(alert=a, link=_link(a.url)) for a in page.alerts],
            "show": show,
            "after": after,
            "open_url": _inbox_url(OPEN),
            "all_url": _inbox_url(ALL),
            "newest_url": _inbox_url(show),
            "next_url": _inbox_url(show, page.next_after) if page.next_after else "",
        },
    )


@alerts_page
@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = services.alert_acknowledge(
        actor=page_actor(request), alert_id=alert_id, request=request
    )
    messages.success(request, f"Alert acknowledged: {alert.title}")
    return redirect(_inbox_url(_show(request.POST.get("show")), _after(request.POST.get("after"))))
