"""Small helpers every page view uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict

from earlyhelp.accounts.models import User
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction


def page_actor(request: HttpRequest) -> User:
    """The signed-in practitioner (the sign-in middleware has already turned away anyone else)."""
    user = request.user
    assert isinstance(user, User)
    return user


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty: an empty submission must show its errors."""
    return request.POST if request.method == "POST" else None


View = Callable[..., HttpResponse]


def guarded_page(
    object_type: str | Callable[[dict[str, Any]], str], allowed: Callable[[User], bool]
) -> Callable[[View], View]:
    """Sign-in, who may use the page at all, and one 404 for missing and forbidden.

    Someone the page is not for gets the same 404 as for a record that does not exist, and
    the refusal is recorded as a look at the object the URL names (``object_type``, or a
    function of the URL's arguments giving it). A view that raises NotFoundOrForbidden
    (its selector found nothing the actor may see) ends in the same 404; the selector has
    recorded that refusal itself.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = page_actor(request)
            if not allowed(actor):
                access_record(
                    actor=actor,
                    action=AccessAction.DENIED,
                    object_type=object_type
                    if isinstance(object_type, str)
                    else object_type(kwargs),
                    object_id=str(next(iter(kwargs.values()), "")),
                    request=request,
                )
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except NotFoundOrForbidden as error:
                raise Http404 from error

        return login_required(wrapped)

    return decorate
