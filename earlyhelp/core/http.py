"""Small helpers every page view uses."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from earlyhelp.accounts.models import User


def page_actor(request: HttpRequest) -> User:
    """The signed-in practitioner (the sign-in middleware has already turned away anyone else)."""
    user = request.user
    assert isinstance(user, User)
    return user


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty: an empty submission must show its errors."""
    return request.POST if request.method == "POST" else None
