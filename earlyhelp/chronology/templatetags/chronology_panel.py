"""The family page's chronology panel: the newest few entries, need-to-know filtered."""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.chronology import selectors
from earlyhelp.core.errors import NotFoundOrForbidden

register = template.Library()


@register.simple_tag(takes_context=True)
def family_chronology_latest(context: dict[str, Any], family: Any) -> list[selectors.EntryShown]:
    """The newest entries, for a family the page has already authorised and recorded."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    try:
        return selectors.family_latest(actor=user, family=family)
    except NotFoundOrForbidden:
        return []
