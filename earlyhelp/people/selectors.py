"""Reads about people and families, always starting from the sharing policy.

The ``*_get`` functions record the look (AccessEvent) with the route that allowed it, and
record a refused look too; missing and forbidden raise the same NotFoundOrForbidden (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person
from earlyhelp.people.search import SearchCriteria, candidates_find
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User


def person_list(*, actor: User) -> QuerySet[Person]:
    return policies.visible_persons(actor)


def family_list(*, actor: User) -> QuerySet[Family]:
    return policies.visible_families(actor)


def family_list_page(*, actor: User, after_id: int | None, limit: int) -> list[Family]:
    """Up to ``limit`` families the actor may see, by name, following the family ``after_id``.

    A family the actor may not see (or that does not exist) is no place to start from: the
    list starts at the beginning instead.
    """
    after = None
    if after_id is not None and policies.family_access_route(actor, Family(pk=after_id)):
        after = Family.objects.filter(pk=after_id).only("pk", "name").first()
    ids = policies.visible_family_page(actor, after=after, limit=limit)
    families = Family.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "members",
            queryset=FamilyMember.objects.filter(left_on__isnull=True).select_related("person"),
        )
    )
    by_id = {family.pk: family for family in families}
    return [by_id[pk] for pk in ids if pk in by_id]


def _refused(actor: User, object_type: str, object_id: object, request: HttpRequest | None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def person_get(*, actor: User, person_id: int, request: HttpRequest | None = None) -> Person:
    """One person the actor may see, with what the person page shows; the look is recorded."""
    person = (
        policies.visible_persons(actor)
        .prefetch_related(
            "aliases",
            "addresses",
            Prefetch(
                "family_members",
                queryset=FamilyMember.objects.filter(left_on__isnull=True).select_related("family"),
            ),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("organisation", "team", "practitioner"),
            ),
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        _refused(actor, "people.person", person_id, request)
        raise NotFoundOrForbidden
    route = policies.person_access_route(actor, person)
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=person, route=str(route), request=request
    )
    return person


def family_get(*, actor: User, family_id: int, request: HttpRequest | None = None) -> Family:
    """One family the actor may see, with its members and involvements; the look is recorded.

    The policy's single-object check (the same filters as visible_families) decides, and
    names the route recorded with the look.
    """
    route = policies.family_access_route(actor, Family(pk=family_id))
    family = None
    if route is not None:
        family = (
            Family.objects.prefetch_related(
                Prefetch(
                    "members",
                    queryset=FamilyMember.objects.filter(left_on__isnull=True).select_related(
                        "person"
                    ),
                ),
                Prefetch(
                    "involvements",
                    queryset=Involvement.objects.select_related(
                        "organisation", "team", "practitioner"
                    ),
                ),
            )
            .filter(pk=family_id)
            .first()
        )
    if family is None:
        _refused(actor, "people.family", family_id, request)
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=family, route=str(route), request=request
    )
    return family


def involvement_get(
    *, actor: User, involvement_id: int, request: HttpRequest | None = None
) -> Involvement:
    """An involvement with a family or person the actor may see; a refusal is recorded."""
    involvement = (
        Involvement.objects.select_related("organisation", "family", "person")
        .filter(pk=involvement_id)
        .first()
    )
    if involvement is None:
        visible = False
    elif involvement.family is not None:
        visible = policies.family_access_route(actor, involvement.family) is not None
    else:
        assert involvement.person is not None
        visible = policies.person_access_route(actor, involvement.person) is not None
    if not visible:
        _refused(actor, "people.involvement", involvement_id, request)
        raise NotFoundOrForbidden
    assert involvement is not None
    return involvement


@dataclass
class DuplicateCheck:
    """Likely existing records for someone about to be recorded."""

    visible: list[Person]
    not_visible: bool

    @property
    def any(self) -> bool:
        return bool(self.visible) or self.not_visible


def person_likely_duplicates(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None,
    nhs_number: str = "",
    request: HttpRequest | None = None,
) -> DuplicateCheck:
    """Same NHS number, or a similar name with the same date of birth.

    Shown before a new person is recorded. Someone the actor may not see is reported only as
    "a possible match exists", never by name.
    """
    ids: set[int] = set()
    number = rules.normalise_nhs_number(nhs_number)
    if number:
        ids |= set(Person.objects.filter(nhs_number=number).values_list("id", flat=True))
    if date_of_birth and rules.name_key(family_name):
        candidates = candidates_find(
            SearchCriteria(name=f"{given_name} {family_name}", date_of_birth=date_of_birth),
            limit=50,
        )
        ids |= set(candidates.ids)
    if not ids:
        return DuplicateCheck(visible=[], not_visible=False)
    visible = list(policies.visible_persons(actor).filter(id__in=ids))
    if visible:
        # The matches are shown by name: a look like any search.
        access_record(
            actor=actor,
            action=AccessAction.SEARCH,
            object_type="people.person",
            detail=f"likely duplicates -> {len(visible)} shown",
            request=request,
        )
    return DuplicateCheck(visible=visible, not_visible=len(visible) < len(ids))
