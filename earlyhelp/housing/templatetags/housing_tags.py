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


@register.simple_tag(takes_context=True)
def housing_staff(context: Any) -> bool:
    """Whether the signed-in user does housing work (the navigation's Housing link)."""
    from earlyhelp.accounts.models import User
    from earlyhelp.housing.services import is_housing_staff

    user = context["request"].user
    return isinstance(user, User) and is_housing_staff(user)
