"""Pages: "Your work tray" for a practitioner, and "Your team's work" for a team manager with
a read-only look at each team member's tray.

Thin on purpose: reads through worktray.selectors (the sharing policy for the viewer, keyset
pages, every list recorded). Board analysts and system administrators have no tray (404);
someone who manages no team, or a person outside the manager's teams, is the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.accounts.models import User
from earlyhelp.alerts import selectors as alert_selectors
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.http import page_actor
from earlyhelp.worktray import selectors

View = Callable[..., HttpResponse]

FAMILIES, ACTIONS, REVIEWS = "families", "actions", "reviews"
LISTS: dict[str, Callable[..., selectors.Page[Any]]] = {
    FAMILIES: selectors.tray_families,
    ACTIONS: selectors.tray_actions,
    REVIEWS: selectors.tray_reviews,
}
MAX_CURSOR = 40


def worktray_page(view: View) -> View:
    """Sign-in first (a visitor is sent to sign in), then one 404 for missing and forbidden."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error

    return login_required(wrapped)


def _after(request: HttpRequest) -> str | None:
    value = request.GET.get("after", "").strip()
    return value[:MAX_CURSOR] or None


def _url(path: str, **query: object) -> str:
    given = {k: v for k, v in query.items() if v}
    return f"{path}?{urlencode(given)}" if given else path


def _link(url: str) -> str:
    """An alert's link, within the service only (as the alerts inbox shows it)."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def _tray_context(request: HttpRequest, *, viewer: User, owner: User) -> dict[str, Any]:
    """Either one list, page by page (``?show=``), or the first few of every list."""
    show = request.GET.get("show", "")
    context: dict[str, Any] = {"owner": owner, "own": owner.pk == viewer.pk, "path": request.path}
    if show in LISTS:
        after = _after(request)
        page = LISTS[show](
            viewer=viewer, owner=owner, after=after, limit=selectors.PAGE_SIZE, request=request
        )
        context.update(
            show=show,
            page=page,
            after=after,
            first_url=_url(request.path, show=show),
            next_url=_url(request.path, show=show, after=page.next_after)
            if page.next_after
            else "",
            back_url=request.path,
        )
        return context
    for name, read in LISTS.items():
        page = read(viewer=viewer, owner=owner, limit=selectors.SUMMARY_SIZE, request=request)
        context[name] = page
        context[f"{name}_url"] = _url(request.path, show=name) if page.next_after else ""
    return context


@worktray_page
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    selectors.tray_require(actor=actor, request=request)
    context = _tray_context(request, viewer=actor, owner=actor)
    if "show" not in context:
        alerts = alert_selectors.alert_list(
            actor=actor, open_only=True, limit=selectors.SUMMARY_SIZE, request=request
        )
        context["alerts"] = alerts
        context["alert_rows"] = [(a, _link(a.url)) for a in alerts.alerts]
    context["manages_team"] = bool(selectors.managed_teams(actor))
    return render(request, "worktray/tray.html", context)


@worktray_page
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    after = _after(request)
    page = selectors.team_overview(actor=actor, after=after, request=request)
    return render(
        request,
        "worktray/team.html",
        {
            "page": page,
            "after": after,
            "teams": selectors.managed_teams(actor),
            "first_url": request.path,
            "next_url": _url(request.path, after=page.next_after) if page.next_after else "",
        },
    )


@worktray_page
@require_GET
def team_member(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = page_actor(request)
    owner = selectors.team_member_get(actor=actor, user_id=user_pk, request=request)
    context = _tray_context(request, viewer=actor, owner=owner)
    context["stale_alerts"] = selectors.stale_alert_count(owner=owner)
    return render(request, "worktray/tray.html", context)
