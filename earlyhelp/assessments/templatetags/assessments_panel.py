"""The family page's assessment panel: the current assessment, its status and its clock."""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.assessments import selectors
from earlyhelp.people.models import Family

register = template.Library()


@register.simple_tag
def family_assessment(family: Family) -> dict[str, Any]:
    """The family page has already checked and recorded the look at the family."""
    current = selectors.current_assessment(family=family)
    return {
        "current": current,
        "clock": selectors.assessment_clock(current) if current else None,
        "can_start": current is None or not current.is_open,
    }
