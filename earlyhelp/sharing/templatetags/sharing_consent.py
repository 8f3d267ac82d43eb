"""The family page's sharing panel: consents, decisions, tasks to tell the family, advice.

Read through sharing.selectors.consent as the signed-in user, so the people views need not
know about sharing; the family page's own selector already recorded the look.
"""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.people.models import Family
from earlyhelp.sharing.selectors.consent import FamilySharing, family_sharing_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def family_sharing(context: dict[str, Any], family: Family) -> FamilySharing:
    """``{% family_sharing family as sharing %}``."""
    return family_sharing_summary(actor=context["request"].user, family=family)
