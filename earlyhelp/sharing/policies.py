"""Who may see which family, person and piece of information: the one place that decides.

Every page, API operation, search, export and dashboard that shows personal data starts from
``visible_families``, ``visible_persons`` or ``visible_information``. Single-object checks
(``family_access_route``, ``person_access_route``) are derived from the same filters, so a
list and a record page can never disagree.

Routes to a family, each a queryset filter (R-IS-4 need-to-know):
- ``involvement``: an active involvement of one of the actor's agencies with the family, or
  with one of its members;
- ``team_around_the_family``: the actor is a member of the family's team;
- ``sharing_basis``: a decision to share with the actor's agency, or a consent covering it
  (by name or by agency type), in force today and not withdrawn (R-IS-2, R-IS-13);
- ``break_glass``: an open emergency grant of the actor's, reviewed afterwards;
- ``partnership_role``: a partnership-wide role (front door) whose job is triage.
Board analysts and system administrators have no route to any family record.

Information in a need-to-know category is shown in detail only where a sharing basis covers
that category and the actor's agency needs it (or the actor's agency recorded it, or an open
break-glass grant covers the family); everyone else sees at most the category's flag
(R-IS-12).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, PARTNERSHIP_WIDE_ROLES
from earlyhelp.core.memo import request_memo
from earlyhelp.core.prepared import prepared_fetch
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing.models import (
    BreakGlassGrant,
    Consent,
    ConsentAgencyType,
    InformationCategory,
    InformationItem,
    SharingDecision,
)

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User


class Route(StrEnum):
    INVOLVEMENT = "involvement"
    TEAM_AROUND_THE_FAMILY = "team_around_the_family"
    SHARING_BASIS = "sharing_basis"
    BREAK_GLASS = "break_glass"
    PARTNERSHIP_ROLE = "partnership_role"


ROUTE_DESCRIPTIONS = {
    Route.INVOLVEMENT: "Their agency is working with the family",
    Route.TEAM_AROUND_THE_FAMILY: "Member of the team around the family",
    Route.SHARING_BASIS: "Information shared with their agency, by consent or a lawful basis",
    Route.BREAK_GLASS: "Emergency (break-glass) access, reviewed by information governance",
    Route.PARTNERSHIP_ROLE: "Partnership-wide role: front door triage",
}


class _Actor:
    """What the policy needs to know about the actor, read once per call."""

    def __init__(self, actor: User, today: datetime.date | None, now: datetime.datetime | None):
        self.user = actor
        self.now = now or timezone.now()
        self.today = today or timezone.localdate(self.now)
        memberships = actor.active_memberships() if actor.is_authenticated else []
        casework = [m for m in memberships if m.role in CASEWORK_ROLES]
        self.organisation_ids = {m.team.organisation_id for m in casework}
        self.agency_types = {m.team.organisation.agency_type for m in casework}
        self.partnership_wide = any(m.role in PARTNERSHIP_WIDE_ROLES for m in memberships)
        self.active = bool(actor.is_authenticated and actor.is_active)

    @property
    def opens_records(self) -> bool:
        return self.active and (self.partnership_wide or bool(self.organisation_ids))


def _in_force(prefix: str, today: datetime.date, *, start: str, end: str) -> Q:
    return Q(**{f"{prefix}{start}__lte": today}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": today})
    )


def _involved_person_ids(a: _Actor) -> QuerySet:
    return Involvement.objects.filter(
        _in_force("", a.today, start="started_on", end="ended_on"),
        organisation_id__in=a.organisation_ids,
        person__isnull=False,
    ).values("person_id")


def _active_consents(a: _Actor) -> QuerySet[Consent]:
    # Two EXISTS rather than joins: an OR across two joined tables made PostgreSQL read every
    # consent with both its lists before it could answer for any family.
    covers_agency = Consent.organisations.through.objects.filter(
        consent_id=OuterRef("pk"), organisation_id__in=a.organisation_ids
    )
    covers_agency_type = ConsentAgencyType.objects.filter(
        consent_id=OuterRef("pk"), agency_type__in=a.agency_types
    )
    return Consent.objects.filter(
        _in_force("", a.today, start="starts_on", end="expires_on"),
        Exists(covers_agency) | Exists(covers_agency_type),
        withdrawn_at__isnull=True,
    )


def _active_share_decisions(a: _Actor) -> QuerySet[SharingDecision]:
    """Decisions to share with the actor's agency still in force.

    A share made on consent lasts only while that consent does: withdrawal or expiry ends it
    on the next request (R-IS-13).
    """
    consent_in_force = Consent.objects.filter(
        _in_force("", a.today, start="starts_on", end="expires_on"),
        pk=OuterRef("consent_id"),
        withdrawn_at__isnull=True,
    )
    # EXISTS rather than joins, as for consents: each decision is then checked by its keys.
    to_agency = SharingDecision.recipients.through.objects.filter(
        sharingdecision_id=OuterRef("pk"), organisation_id__in=a.organisation_ids
    )
    return SharingDecision.objects.filter(
        Q(access_until__isnull=True) | Q(access_until__gte=a.today),
        Q(consent__isnull=True) | Exists(consent_in_force),
        Exists(to_agency),
        share=True,
    )


def _open_grants(a: _Actor) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(
        practitioner=a.user, opened_at__lte=a.now, expires_at__gt=a.now
    )


def _involvement_condition(a: _Actor, family: str = "pk") -> Q:
    """Involved with the family, or with one of its members, as correlated EXISTS.

    ``family`` names the outer column holding the family's id ("pk" on Family rows,
    "family_id" on FamilyMember rows). EXISTS lets PostgreSQL probe the involvement indexes
    for the rows it actually looks at (one family, a page of them, a few search candidates)
    instead of collecting every family an agency works with.
    """
    in_force = _in_force("", a.today, start="started_on", end="ended_on")
    # "family__isnull=False" is implied by the join, but said so that PostgreSQL can use the
    # partial covering index when it turns the EXISTS into one hashed lookup.
    with_family = Involvement.objects.filter(
        in_force,
        family_id=OuterRef(family),
        family__isnull=False,
        organisation_id__in=a.organisation_ids,
    )
    with_member = FamilyMember.objects.filter(
        family_id=OuterRef(family),
        left_on__isnull=True,
        person_id__in=Involvement.objects.filter(
            in_force, organisation_id__in=a.organisation_ids, person__isnull=False
        ).values("person_id"),
    )
    return Q(Exists(with_family)) | Q(Exists(with_member))


def _route_conditions(a: _Actor, family: str = "pk") -> dict[Route, Q]:
    """Each route as a correlated condition on the family whose id is in ``family``.

    Correlated EXISTS throughout: for one family, a page of families or a few search
    candidates PostgreSQL probes indexes for just those rows; for a whole list it may still
    choose to hash a subquery. (Id lists read beforehand grew to thousands of literals for an
    agency with many consents and cost more to plan than to run.)
    """
    return {
        Route.INVOLVEMENT: _involvement_condition(a, family),
        Route.TEAM_AROUND_THE_FAMILY: Q(
            Exists(
                TeamAroundFamilyMember.objects.filter(
                    _in_force("", a.today, start="joined_on", end="left_on"),
                    family_id=OuterRef(family),
                    practitioner=a.user,
                )
            )
        ),
        Route.SHARING_BASIS: Q(
            Exists(_active_share_decisions(a).filter(family_id=OuterRef(family)))
        )
        | Q(Exists(_active_consents(a).filter(family_id=OuterRef(family)))),
        Route.BREAK_GLASS: Q(Exists(_open_grants(a).filter(family_id=OuterRef(family)))),
    }


def _any_route(a: _Actor, family: str = "pk") -> Q:
    condition = Q()
    for route_condition in _route_conditions(a, family).values():
        condition |= route_condition
    return condition


def visible_families(
    actor: User, *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[Family]:
    """Families the actor may see, by any route."""
    a = _Actor(actor, today, now)
    if not a.opens_records:
        return Family.objects.none()
    if a.partnership_wide:
        return Family.objects.all()
    return Family.objects.filter(_any_route(a))


def visible_persons(
    actor: User, *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[Person]:
    """Persons the actor may see: involved directly, or a member of a family they may see."""
    a = _Actor(actor, today, now)
    if not a.opens_records:
        return Person.objects.none()
    if a.partnership_wide:
        return Person.objects.all()
    # The family routes of visible_families, evaluated on each of the person's memberships.
    in_visible_family = FamilyMember.objects.filter(
        _any_route(a, family="family_id"), person_id=OuterRef("pk"), left_on__isnull=True
    )
    return Person.objects.filter(Q(id__in=_involved_person_ids(a)) | Exists(in_visible_family))


def family_routes(
    actor: User,
    family: Family,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Route]:
    """Every route by which the actor may see this family (empty: none), in one query.

    Within a request the answer is remembered until the request changes something
    (``earlyhelp.core.memo``), so the page and each of its panels may ask freely.
    """
    a = _Actor(actor, today, now)
    if not a.opens_records:
        return []
    memo = request_memo() if today is None and now is None else None
    key = ("family_routes", actor.pk, family.pk)
    if memo is not None and key in memo:
        return list(memo[key])
    routes = _family_route_flags(a, [family.pk]).get(family.pk, [])
    if a.partnership_wide:
        routes = [*routes, Route.PARTNERSHIP_ROLE]
    if memo is not None:
        memo[key] = tuple(routes)
    return routes


# --- The single-object check, compiled once -------------------------------------------------
#
# Building and compiling the route conditions costs Django several milliseconds, far more
# than PostgreSQL's 0.1 ms to answer. The SQL depends only on the actor's agencies, agency
# types and the date; the family ids and the moment ("now", for break-glass grants) are
# parameters. So the statement is compiled once per actor and day, the slots of those
# parameters found by compiling it with two different values of each, and each check fills
# them in. On PostgreSQL the statement is also prepared, so it is planned once per
# connection. Same conditions, same SQL: only the work of producing it is saved.

CHECK_BATCH_SIZES = (1, 100)  # a family, or a batch of the list (LIST_BATCH)
# The order of _route_conditions, so a row of flags can be read without building them.
CHECKED_ROUTES = (
    Route.INVOLVEMENT,
    Route.TEAM_AROUND_THE_FAMILY,
    Route.SHARING_BASIS,
    Route.BREAK_GLASS,
)
_SENTINEL_TIMES = (
    datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2002, 2, 2, tzinfo=datetime.UTC),
)


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[object, ...]
    id_slots: tuple[int, ...]
    now_slots: tuple[int, ...]


def _compiled_query(a: _Actor, ids: Sequence[int], kind: str) -> tuple[str, tuple[object, ...]]:
    return _flags_query(a, ids) if kind == "flags" else _visible_query(a, ids)


def _visible_query(a: _Actor, ids: Sequence[int]) -> tuple[str, tuple[object, ...]]:
    """Which of these families the actor may see: the routes OR-ed, so the first one found
    settles a family (the list needs no more than that)."""
    query = (
        Family.objects.filter(pk__in=list(ids))
        .filter(_any_route(a))
        .order_by()
        .values_list("pk")
        .query
    )
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _flags_query(a: _Actor, ids: Sequence[int]) -> tuple[str, tuple[object, ...]]:
    conditions = _route_conditions(a)
    query = (
        Family.objects.filter(pk__in=list(ids))
        .annotate(
            **{
                route.value: ExpressionWrapper(condition, output_field=BooleanField())
                for route, condition in conditions.items()
            }
        )
        .order_by()
        .values("pk", *[route.value for route in conditions])
        .query
    )
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _differing(first: tuple[object, ...], second: tuple[object, ...]) -> tuple[int, ...]:
    return tuple(i for i, (x, y) in enumerate(zip(first, second, strict=True)) if x != y)


@lru_cache(maxsize=512)
def _statement(
    user: User,
    organisation_ids: frozenset[int],
    agency_types: frozenset[str],
    today: datetime.date,
    size: int,
    kind: str,
    vendor: str,
) -> _Statement | None:
    """The compiled check for ``size`` families, or None if its parameters cannot be found."""
    del organisation_ids, agency_types, vendor  # part of the cache key only
    first, second = _SENTINEL_TIMES
    base_ids = [-(i + 1) for i in range(size)]
    other_ids = [-(i + 1) - size for i in range(size)]
    at_first = _Actor(user, today, first)
    sql, params = _compiled_query(at_first, base_ids, kind)
    other_sql, other_id_params = _compiled_query(at_first, other_ids, kind)
    later_sql, later_params = _compiled_query(_Actor(user, today, second), base_ids, kind)
    if not (sql == other_sql == later_sql):
        return None
    id_slots = _differing(params, other_id_params)
    now_slots = _differing(params, later_params)
    adapted = connection.ops.adapt_datetimefield_value(first)
    if [params[i] for i in id_slots] != base_ids or any(params[i] != adapted for i in now_slots):
        return None
    return _Statement(sql, params, id_slots, now_slots)


def _run_compiled(a: _Actor, ids: Sequence[int], kind: str) -> list[tuple[Any, ...]]:
    size = next((n for n in CHECK_BATCH_SIZES if n >= len(ids)), len(ids))
    padded = [*ids, *([0] * (size - len(ids)))]  # no family has id 0
    statement = _statement(
        a.user,
        frozenset(a.organisation_ids),
        frozenset(a.agency_types),
        a.today,
        size,
        kind,
        connection.vendor,
    )
    if statement is None:
        sql, params = _compiled_query(a, padded, kind)
    else:
        values = list(statement.params)
        for slot, family_id in zip(statement.id_slots, padded, strict=True):
            values[slot] = family_id
        now = connection.ops.adapt_datetimefield_value(a.now)
        for slot in statement.now_slots:
            values[slot] = now
        sql, params = statement.sql, tuple(values)
    return _fetch(sql, params, prepare=statement is not None)


def _family_route_flags(a: _Actor, ids: Sequence[int]) -> dict[int, list[Route]]:
    """The routes to each of these families (those with none are left out)."""
    found: dict[int, list[Route]] = {}
    for family_id, *flags in _run_compiled(a, ids, "flags"):
        chosen = [route for route, flag in zip(CHECKED_ROUTES, flags, strict=True) if flag]
        if chosen:
            found[family_id] = chosen
    return found


# --- A page of the family list --------------------------------------------------------------
#
# For a whole list PostgreSQL hashes every route's rows first (for the busiest agency, a
# quarter of a million involvements) before it can return the first page. When an agency
# sees many families it is far cheaper to take families in name order a hundred at a time
# and ask the compiled check which of them the practitioner may see; when it sees few, that
# walk would find little, so after a few hundred families the page is finished by the
# ordinary filter, whose hash is then small. Either way the answer is the filter of
# visible_families, in the same order (tested against it).

LIST_BATCH = 100
LIST_WALK_BATCHES = 4


def visible_family_page(actor: User, *, after: Family | None = None, limit: int) -> list[int]:
    """Ids of the next ``limit`` families the actor may see, by name then id, after ``after``."""
    a = _Actor(actor, None, None)
    if not a.opens_records or limit <= 0:
        return []
    ordered = Family.objects.order_by("name", "id")
    position = (after.name, after.pk) if after is not None else None

    def following(pos: tuple[str, int] | None) -> QuerySet[Family]:
        if pos is None:
            return ordered
        name, pk = pos
        # "name >= X" as well, so that PostgreSQL starts the index scan at X rather than
        # reading every name before it.
        return ordered.filter(Q(name__gte=name), Q(name__gt=name) | Q(name=name, pk__gt=pk))

    if a.partnership_wide:
        return list(following(position).values_list("pk", flat=True)[:limit])
    found: list[int] = []
    for _ in range(LIST_WALK_BATCHES):
        candidates = list(following(position).values_list("pk", "name")[:LIST_BATCH])
        if not candidates:
            return found
        visible = {row[0] for row in _run_compiled(a, [pk for pk, _ in candidates], "visible")}
        for pk, name in candidates:
            position = (name, pk)
            if pk in visible:
                found.append(pk)
                if len(found) == limit:
                    return found
    rest = _any_route(a)
    return found + list(
        following(position).filter(rest).values_list("pk", flat=True)[: limit - len(found)]
    )


def _fetch(sql: str, params: tuple[object, ...], *, prepare: bool) -> list[tuple[Any, ...]]:
    if prepare:
        return list(prepared_fetch(sql, params))
    with connection.cursor() as cursor:
        cursor.execute(sql, cast(Any, params))
        return cursor.fetchall()


def family_access_route(actor: User, family: Family) -> Route | None:
    """The route that lets the actor see this family, or None. Same filters as the list."""
    routes = family_routes(actor, family)
    return routes[0] if routes else None


def person_access_route(actor: User, person: Person) -> Route | None:
    """The route that lets the actor see this person, or None. Same filters as the list."""
    a = _Actor(actor, None, None)
    if not a.opens_records:
        return None
    if a.partnership_wide:
        return Route.PARTNERSHIP_ROLE
    if Person.objects.filter(pk=person.pk, id__in=_involved_person_ids(a)).exists():
        return Route.INVOLVEMENT
    for member in FamilyMember.objects.filter(person=person, left_on__isnull=True).select_related(
        "family"
    ):
        route = family_access_route(actor, member.family)
        if route is not None:
            return route
    return None


def can_open_family_records(actor: User) -> bool:
    """Board analysts and system administrators never open family records."""
    return _Actor(actor, None, None).opens_records


def visible_information(
    actor: User, *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[InformationItem]:
    """Information items the actor may read in full (R-IS-4, R-IS-12).

    General items (no category) follow the person. A categorised item needs, as well as sight
    of the person: the actor's agency recorded it; or an open break-glass grant on one of
    the person's families; or a sharing basis (consent or decision to share) that covers the
    category, the person and the actor's agency, and the actor's agency type needs it.
    """
    a = _Actor(actor, today, now)
    if not a.opens_records:
        return InformationItem.objects.none()
    persons = visible_persons(actor, today=a.today, now=a.now).values("id")
    return InformationItem.objects.filter(person_id__in=persons).filter(
        category_readable(actor, today=a.today, now=a.now)
    )


def category_readable(
    actor: User,
    *,
    person: str = "person_id",
    category: str = "category_id",
    source_organisation: str = "source_organisation_id",
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Q:
    """The need-to-know condition on any record about a person that may carry a category.

    For a queryset whose rows have a person, an optional ``InformationCategory`` and the
    agency that recorded them (field names given), the rows the actor may read in full,
    by the rule of ``visible_information`` (R-IS-4, R-IS-12). The caller must still limit
    the rows to people or families the actor may see: this is the category half only.
    """
    a = _Actor(actor, today, now)
    if not a.opens_records:
        return Q(pk__in=[])
    covered_by_consent = _active_consents(a).filter(
        covers_people=OuterRef(person), categories=OuterRef(category)
    )
    covered_by_decision = _active_share_decisions(a).filter(
        about_people=OuterRef(person), categories=OuterRef(category)
    )
    in_break_glass_family = FamilyMember.objects.filter(
        person_id=OuterRef(person),
        left_on__isnull=True,
        family_id__in=_open_grants(a).values("family_id"),
    )
    needed_ids = _categories_needed_by(a)
    return (
        Q(**{f"{category}__isnull": True})
        | Q(**{f"{source_organisation}__in": a.organisation_ids})
        | Exists(in_break_glass_family)
        | (
            Q(**{f"{category}__in": needed_ids})
            & (Exists(covered_by_consent) | Exists(covered_by_decision))
        )
    )


def _categories_needed_by(a: _Actor) -> list[int]:
    """Categories whose detail the actor's agency types need (read in Python: a short list)."""
    return [
        c.pk
        for c in InformationCategory.objects.all()
        if a.agency_types & set(c.needed_by_agency_types)
    ]
