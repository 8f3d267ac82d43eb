"""The family page's safer-sleep header (R-SS-5) and panel, read as the signed-in user.

The family page's own selector has already checked the policy and recorded the look; these
ask the policy again (once each) through safersleep.selectors, never around it.
"""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.people.models import Family
from earlyhelp.safersleep.selectors import (
    FamilySaferSleep,
    family_safer_sleep,
    family_vulnerabilities,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def safer_sleep_panel(context: dict[str, Any], family: Family) -> FamilySaferSleep:
    """``{% safer_sleep_panel family as safer %}``."""
    return family_safer_sleep(actor=context["request"].user, family=family)


@register.simple_tag(takes_context=True)
def safer_sleep_vulnerabilities(context: dict[str, Any], family: Family) -> list[str]:
    """``{% safer_sleep_vulnerabilities family as vulnerabilities %}`` (R-SS-5)."""
    return family_vulnerabilities(actor=context["request"].user, family=family)
