"""Who may see which person and family: the one place that decides.

Every page, API operation, search and export that shows personal data starts from
``visible_persons`` or ``visible_families``. Single-object checks are derived from the same
filters, so a list and a record page can never disagree. The information-sharing capability
adds routes (sharing bases, break-glass, team around the family) here.

Routes today:
- ``involvement``: an active involvement of one of the actor's agencies with the person, or
  with a family the person belongs to (or with the family itself);
- ``partnership_role``: a partnership-wide role (front door) whose job is triage.
Board analysts and system administrators have no route to any family record.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, PARTNERSHIP_WIDE_ROLES
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User


class Route(StrEnum):
    INVOLVEMENT = "involvement"
    PARTNERSHIP_ROLE = "partnership_role"


def _casework_organisation_ids(actor: User) -> set[int]:
    return {m.team.organisation_id for m in actor.active_memberships() if m.role in CASEWORK_ROLES}


def _has_partnership_role(actor: User) -> bool:
    return bool(actor.roles() & PARTNERSHIP_WIDE_ROLES)


def _active_involvements(organisation_ids: set[int], today: datetime.date) -> QuerySet[Involvement]:
    return Involvement.objects.filter(
        organisation_id__in=organisation_ids, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def _family_ids_with_involvement(organisation_ids: set[int], today: datetime.date) -> QuerySet:
    return (
        _active_involvements(organisation_ids, today)
        .filter(family__isnull=False)
        .values("family_id")
    )


def _person_ids_with_involvement(organisation_ids: set[int], today: datetime.date) -> QuerySet:
    return (
        _active_involvements(organisation_ids, today)
        .filter(person__isnull=False)
        .values("person_id")
    )


def _active_family_members() -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(left_on__isnull=True)


def visible_families(actor: User, *, today: datetime.date | None = None) -> QuerySet[Family]:
    """Families the actor may see (R-IS-4 need-to-know, through the routes above)."""
    if not actor.is_authenticated or not actor.is_active:
        return Family.objects.none()
    if _has_partnership_role(actor):
        return Family.objects.all()
    org_ids = _casework_organisation_ids(actor)
    if not org_ids:
        return Family.objects.none()
    today = today or timezone.localdate()
    involved_people = _person_ids_with_involvement(org_ids, today)
    return Family.objects.filter(
        Q(id__in=_family_ids_with_involvement(org_ids, today))
        | Exists(
            _active_family_members().filter(family_id=OuterRef("pk"), person_id__in=involved_people)
        )
    )


def visible_persons(actor: User, *, today: datetime.date | None = None) -> QuerySet[Person]:
    """Persons the actor may see: involved directly, or a member of a family they may see."""
    if not actor.is_authenticated or not actor.is_active:
        return Person.objects.none()
    if _has_partnership_role(actor):
        return Person.objects.all()
    org_ids = _casework_organisation_ids(actor)
    if not org_ids:
        return Person.objects.none()
    today = today or timezone.localdate()
    # A member of a family the actor may see is visible too: the family page lists them.
    families = visible_families(actor, today=today).values("id")
    return Person.objects.filter(
        Q(id__in=_person_ids_with_involvement(org_ids, today))
        | Exists(_active_family_members().filter(person_id=OuterRef("pk"), family_id__in=families))
    )


def person_access_route(actor: User, person: Person) -> Route | None:
    """The route that lets the actor see this person, or None. Same filter as the list."""
    if not visible_persons(actor).filter(pk=person.pk).exists():
        return None
    return Route.PARTNERSHIP_ROLE if _has_partnership_role(actor) else Route.INVOLVEMENT


def family_access_route(actor: User, family: Family) -> Route | None:
    if not visible_families(actor).filter(pk=family.pk).exists():
        return None
    return Route.PARTNERSHIP_ROLE if _has_partnership_role(actor) else Route.INVOLVEMENT


def can_open_family_records(actor: User) -> bool:
    """Board analysts and system administrators never open family records."""
    return _has_partnership_role(actor) or bool(_casework_organisation_ids(actor))
