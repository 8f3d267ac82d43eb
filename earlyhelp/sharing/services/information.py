"""Recording what an agency knows about a person, so that others can be told in time.

Who may then read it in full, and who sees only a flag, is sharing.policies'
``visible_information`` (R-IS-4, R-IS-12); the person page and the API show it through
sharing.selectors.information.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.people.models import Person
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory, InformationItem

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User

SUMMARY_MAX = 200
REFERRER_MAX = 200


def recording_organisations(actor: User) -> list[Organisation]:
    """The agencies the actor records information for: those they do casework in."""
    found: dict[int, Organisation] = {}
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            found.setdefault(membership.team.organisation_id, membership.team.organisation)
    return list(found.values())


@transaction.atomic
def information_record(
    *,
    actor: User,
    person: Person,
    summary: str,
    detail: str = "",
    category: InformationCategory | None = None,
    referrer: str = "",
    referrer_confidential: bool = False,
    organisation: Organisation | None = None,
) -> InformationItem:
    """Record something the actor's agency knows about a person the actor may see.

    The actor's agency is the source: it always reads its own items in full, and is the only
    one that sees a confidential referrer's name (R-IS-5). A category makes the item
    need-to-know (R-IS-4, R-IS-12); without one it is shown to everyone who sees the person.
    """
    if policies.person_access_route(actor, person) is None:
        raise NotFoundOrForbidden
    organisations = recording_organisations(actor)
    if not organisations:
        raise NotFoundOrForbidden
    errors: dict[str, list[str]] = {}
    summary = summary.strip()
    referrer = referrer.strip()
    if not summary:
        errors["summary"] = ["Enter a summary of what your agency knows"]
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = [f"Summary must be {SUMMARY_MAX} characters or fewer"]
    if len(referrer) > REFERRER_MAX:
        errors["referrer"] = [f"Who told you must be {REFERRER_MAX} characters or fewer"]
    elif referrer_confidential and not referrer:
        errors["referrer"] = [
            "Enter who told you, or do not mark the referrer as confidential",
        ]
    if organisation is None:
        organisation = organisations[0]
    elif organisation.pk not in {o.pk for o in organisations}:
        errors["organisation"] = ["You can only record information for your own agency"]
    if errors:
        raise ValidationProblem(errors)
    item = InformationItem.objects.create(
        person=person,
        category=category,
        summary=summary,
        detail=detail.strip(),
        source_organisation=organisation,
        recorded_by=actor,
        recorded_at=timezone.now(),
        referrer=referrer,
        referrer_confidential=referrer_confidential and bool(referrer),
    )
    # The audit names the category, never the content: the audit log is read more widely.
    audit_record(
        actor=actor,
        action="information.record",
        obj=item,
        summary=(
            f"{category.name if category else 'General information'} about person {person.pk} "
            f"from {organisation.name}"
        ),
        changes={
            "person_id": person.pk,
            "category": category.code if category else None,
            "referrer_confidential": item.referrer_confidential,
        },
    )
    return item
