"""The family page's levels panel: the family's current level (R-LON-1)."""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.levels import selectors
from earlyhelp.levels.models import LevelDecision

register = template.Library()


@register.simple_tag(takes_context=True)
def level_current_for(context: dict[str, Any], family: Any) -> LevelDecision | None:
    """The current decision, for a family the page has already authorised and recorded."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        return selectors.level_current(actor=user, family=family)
    except NotFoundOrForbidden:
        return None
