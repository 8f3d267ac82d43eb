"""Tags for the sections the people pages include: information held about a person, and why
the viewer sees a family. They read through sharing.selectors as the signed-in user, so the
people views need not know about sharing; the page's own selector already recorded the look.
"""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.people.models import Family, Person
from earlyhelp.sharing.selectors.access import ViewerAccess, family_viewer_access
from earlyhelp.sharing.selectors.information import PersonInformation, person_information

register = template.Library()


@register.simple_tag(takes_context=True)
def information_about(context: dict[str, Any], person: Person) -> PersonInformation:
    """``{% information_about person as information %}``: items in full, and flags."""
    return person_information(actor=context["request"].user, person=person)


@register.simple_tag(takes_context=True)
def viewer_access(context: dict[str, Any], family: Family) -> ViewerAccess:
    """``{% viewer_access family as access %}``: why the viewer sees this family."""
    return family_viewer_access(actor=context["request"].user, family=family)
