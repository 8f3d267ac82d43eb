"""The family page's housing panel: the family is already authorised and recorded by the page."""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.housing.selectors import FamilyHousingView, cases_view
from earlyhelp.people.models import Family

register = template.Library()


@register.simple_tag(takes_context=True)
def family_housing(context: Any, family: Family) -> FamilyHousingView:
    return cases_view(actor=context["request"].user, family=family)
