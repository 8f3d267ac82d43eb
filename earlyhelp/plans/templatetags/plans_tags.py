"""The family page's plans panel: the family is already authorised and recorded by the page."""

from __future__ import annotations

from django import template

from earlyhelp.people.models import Family
from earlyhelp.plans.selectors import FamilyPlanView, family_plan_for

register = template.Library()


@register.simple_tag
def family_plan(family: Family) -> FamilyPlanView:
    return family_plan_for(family=family)
