"""The family page's reviews panel: the family is already authorised and recorded by the page."""

from __future__ import annotations

from django import template

from earlyhelp.people.models import Family
from earlyhelp.reviews.selectors import FamilyReviewPanel, family_review_panel

register = template.Library()


@register.simple_tag
def family_reviews(family: Family) -> FamilyReviewPanel:
    return family_review_panel(family=family)
