"""The family page's front door panel: the family's requests for support and their status.

Read through frontdoor.selectors as the signed-in user; the family page's own selector
already recorded the look at the family.
"""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.frontdoor.selectors import RequestRow, request_for_support_list_for_family
from earlyhelp.people.models import Family

register = template.Library()


@register.simple_tag(takes_context=True)
def family_requests_for_support(context: dict[str, Any], family: Family) -> list[RequestRow]:
    """``{% family_requests_for_support family as requests %}``."""
    return request_for_support_list_for_family(actor=context["request"].user, family=family)
