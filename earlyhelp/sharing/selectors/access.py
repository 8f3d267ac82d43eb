"""Who can see a family, and why; and the information governance leads' review queue.

``family_who_can_see`` lists every practitioner with access to a family, grouped by the
sharing policy's routes (sharing.policies.Route) and described with ROUTE_DESCRIPTIONS. It
reads the same tables with the same conditions as the policy's filters, and a property test
(tests/test_policy_property.py) proves that for every practitioner the routes listed here are
exactly ``policies.family_routes``. R-IS-4 (need-to-know), R-IS-11 (know who holds what).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from earlyhelp.accounts.models import (
    CASEWORK_ROLES,
    PARTNERSHIP_WIDE_ROLES,
    AgencyType,
    Membership,
    Organisation,
    User,
)
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import Family, FamilyMember, Involvement
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import BreakGlassGrant, Consent, SharingDecision
from earlyhelp.sharing.policies import ROUTE_DESCRIPTIONS, Route
from earlyhelp.sharing.services.break_glass import is_information_governance_lead

if TYPE_CHECKING:
    from django.http import HttpRequest

# The access log names the review, not a family route, when a lead opens a grant to review it.
REVIEW_ROUTE = "information_governance_review"

# Headings for the "who can see" page, in practitioners' words; ROUTE_DESCRIPTIONS explain.
ROUTE_HEADINGS = {
    Route.INVOLVEMENT: "Agencies working with the family",
    Route.TEAM_AROUND_THE_FAMILY: "Team around the family",
    Route.SHARING_BASIS: "Shared by consent or on a lawful basis",
    Route.BREAK_GLASS: "Emergency access",
    Route.PARTNERSHIP_ROLE: "Front door",
}


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "H:i \\o\\n j F Y")


@dataclass
class AccessHolder:
    """An agency (or a named practitioner) with access by one route, and the reasons."""

    organisation: Organisation | None
    practitioners: list[User] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else "No agency"


@dataclass
class RouteAccess:
    route: Route
    description: str
    holders: list[AccessHolder]

    @property
    def heading(self) -> str:
        return ROUTE_HEADINGS[self.route]

    @property
    def practitioners(self) -> list[User]:
        seen: dict[int, User] = {}
        for holder in self.holders:
            for user in holder.practitioners:
                seen.setdefault(user.pk, user)
        return sorted(seen.values(), key=lambda u: (u.full_name, u.pk))


@dataclass
class FamilyAccess:
    family: Family
    # The viewer's own routes, for "You can see this family because ...".
    viewer_routes: list[Route]
    routes: list[RouteAccess]

    def routes_of(self, user: User) -> set[Route]:
        """The routes by which this page says ``user`` may see the family."""
        return {r.route for r in self.routes if any(u.pk == user.pk for u in r.practitioners)}


class _Staff:
    """Who opens family records: active users with casework memberships (policies._Actor).

    Only the memberships that can matter are read: of the agencies named by a route, of the
    practitioners named by a route, and the partnership-wide roles.
    """

    def __init__(self, condition: Q) -> None:
        memberships = (
            Membership.objects.filter(
                condition, ended_on__isnull=True, role__in=CASEWORK_ROLES, user__is_active=True
            )
            .select_related("user", "team__organisation")
            .order_by("started_on", "pk")
        )
        self.by_organisation: dict[int, dict[int, User]] = defaultdict(dict)
        self.organisations: dict[int, Organisation] = {}
        self.users: dict[int, User] = {}
        self.first_organisation: dict[int, Organisation] = {}
        self.partnership_wide: dict[int, User] = {}
        for m in memberships:
            organisation = m.team.organisation
            self.organisations[organisation.pk] = organisation
            self.by_organisation[organisation.pk][m.user_id] = m.user
            self.users[m.user_id] = m.user
            self.first_organisation.setdefault(m.user_id, organisation)
            if m.role in PARTNERSHIP_WIDE_ROLES:
                self.partnership_wide[m.user_id] = m.user

    def of(self, organisation_id: int) -> list[User]:
        return sorted(
            self.by_organisation.get(organisation_id, {}).values(),
            key=lambda u: (u.full_name, u.pk),
        )


def _in_force(today: datetime.date, *, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": today}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today})
    )


class _Holders:
    """Holders of one route, keyed by agency (or by practitioner for personal routes)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, int], AccessHolder] = {}

    def add(
        self,
        key: tuple[str, int],
        organisation: Organisation | None,
        practitioners: list[User],
        reason: str,
    ) -> None:
        holder = self.by_key.setdefault(key, AccessHolder(organisation=organisation))
        known = {u.pk for u in holder.practitioners}
        holder.practitioners.extend(u for u in practitioners if u.pk not in known)
        if reason not in holder.reasons:
            holder.reasons.append(reason)

    def sorted(self) -> list[AccessHolder]:
        holders = [h for h in self.by_key.values() if h.practitioners]
        return sorted(holders, key=lambda h: (h.name, [u.full_name for u in h.practitioners]))


@dataclass
class _Bases:
    """The rows behind each route to one family, as the policy reads them on one day."""

    involvements: list[Involvement]
    team_members: list[TeamAroundFamilyMember]
    consents: list[Consent]
    decisions: list[SharingDecision]
    grants: list[BreakGlassGrant]

    @classmethod
    def read(cls, family: Family, today: datetime.date, now: datetime.datetime) -> _Bases:
        member_ids = FamilyMember.objects.filter(family=family, left_on__isnull=True).values(
            "person_id"
        )
        return cls(
            involvements=list(
                Involvement.objects.filter(_in_force(today, start="started_on", end="ended_on"))
                .filter(Q(family=family) | Q(person_id__in=member_ids))
                .select_related("organisation", "person")
                .order_by("started_on", "pk")
            ),
            team_members=list(
                TeamAroundFamilyMember.objects.filter(
                    _in_force(today, start="joined_on", end="left_on"), family=family
                )
                .select_related("organisation")
                .order_by("joined_on", "pk")
            ),
            consents=list(
                Consent.objects.filter(
                    _in_force(today, start="starts_on", end="expires_on"),
                    family=family,
                    withdrawn_at__isnull=True,
                )
                .select_related("given_by")
                .prefetch_related("organisations", "agency_types")
                .order_by("starts_on", "pk")
            ),
            decisions=list(
                SharingDecision.objects.filter(
                    Q(access_until__isnull=True) | Q(access_until__gte=today),
                    # A share made on consent lasts only while the consent does (R-IS-13).
                    Q(consent__isnull=True)
                    | (
                        Q(consent__withdrawn_at__isnull=True)
                        & _in_force(today, start="consent__starts_on", end="consent__expires_on")
                    ),
                    family=family,
                    share=True,
                )
                .select_related("decided_by")
                .prefetch_related("recipients")
                .order_by("decided_at", "pk")
            ),
            grants=list(
                BreakGlassGrant.objects.filter(
                    family=family, opened_at__lte=now, expires_at__gt=now
                ).order_by("opened_at", "pk")
            ),
        )

    def staff(self) -> _Staff:
        organisation_ids = {i.organisation_id for i in self.involvements}
        agency_types: set[str] = set()
        for consent in self.consents:
            organisation_ids |= {o.pk for o in consent.organisations.all()}
            agency_types |= {t.agency_type for t in consent.agency_types.all()}
        for decision in self.decisions:
            organisation_ids |= {o.pk for o in decision.recipients.all()}
        user_ids = {m.practitioner_id for m in self.team_members} | {
            g.practitioner_id for g in self.grants
        }
        return _Staff(
            Q(team__organisation_id__in=organisation_ids)
            | Q(team__organisation__agency_type__in=agency_types)
            | Q(user_id__in=user_ids)
            | Q(role__in=PARTNERSHIP_WIDE_ROLES)
        )


def _involvement(bases: _Bases, staff: _Staff) -> list[AccessHolder]:
    holders = _Holders()
    for involvement in bases.involvements:
        with_whom = f" with {involvement.person.display_name}" if involvement.person else ""
        holders.add(
            ("organisation", involvement.organisation_id),
            involvement.organisation,
            staff.of(involvement.organisation_id),
            f"{involvement.service}{with_whom}, since {_day(involvement.started_on)}",
        )
    return holders.sorted()


def _team(bases: _Bases, staff: _Staff) -> list[AccessHolder]:
    holders = _Holders()
    for member in bases.team_members:
        # The route needs the practitioner to open records at all (policies._Actor).
        user = staff.users.get(member.practitioner_id)
        role = member.role_in_team or "Member"
        holders.add(
            ("practitioner", member.practitioner_id),
            member.organisation,
            [user] if user else [],
            f"{role}, since {_day(member.joined_on)}",
        )
    return holders.sorted()


def _sharing_basis(bases: _Bases, staff: _Staff) -> list[AccessHolder]:
    holders = _Holders()
    types = dict(AgencyType.choices)
    for consent in bases.consents:
        until = f" until {_day(consent.expires_on)}" if consent.expires_on else ""
        reason = f"Consent from {consent.given_by.display_name} ({consent.purpose}){until}"
        for organisation in consent.organisations.all():
            holders.add(
                ("organisation", organisation.pk),
                organisation,
                staff.of(organisation.pk),
                reason,
            )
        covered_types = {t.agency_type for t in consent.agency_types.all()}
        for organisation in staff.organisations.values():
            if organisation.agency_type in covered_types:
                kind = types.get(organisation.agency_type, organisation.agency_type)
                holders.add(
                    ("organisation", organisation.pk),
                    organisation,
                    staff.of(organisation.pk),
                    f"{reason}, covering every agency of type {kind}",
                )
    for decision in bases.decisions:
        until = f" until {_day(decision.access_until)}" if decision.access_until else ""
        reason = (
            f"Decision to share by {decision.decided_by} on "
            f"{_day(timezone.localdate(decision.decided_at))} ({decision.purpose}){until}"
        )
        for organisation in decision.recipients.all():
            holders.add(
                ("organisation", organisation.pk),
                organisation,
                staff.of(organisation.pk),
                reason,
            )
    return holders.sorted()


def _break_glass(bases: _Bases, staff: _Staff) -> list[AccessHolder]:
    holders = _Holders()
    for grant in bases.grants:
        user = staff.users.get(grant.practitioner_id)
        holders.add(
            ("practitioner", grant.practitioner_id),
            staff.first_organisation.get(grant.practitioner_id),
            [user] if user else [],
            f"Opened at {_moment(grant.opened_at)}, until {_moment(grant.expires_at)}",
        )
    return holders.sorted()


def _partnership_role(staff: _Staff) -> list[AccessHolder]:
    holders = _Holders()
    for user_id, user in staff.partnership_wide.items():
        organisation = staff.first_organisation[user_id]
        holders.add(
            ("organisation", organisation.pk),
            organisation,
            [user],
            "Front door: sees every family to triage requests for support",
        )
    return holders.sorted()


def family_who_can_see(
    *,
    actor: User,
    family_id: int,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> FamilyAccess:
    """Everyone who may see the family, by route, for someone who may see it; the look is
    recorded. Missing and forbidden both raise NotFoundOrForbidden (and are recorded)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    family = Family.objects.filter(pk=family_id).first()
    routes = policies.family_routes(actor, family, today=today, now=now) if family else []
    if family is None or not routes:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="people.family",
            object_id=str(family_id),
            detail="who can see this family",
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor,
        action=AccessAction.VIEW,
        obj=family,
        route=str(routes[0]),
        detail="who can see this family",
        request=request,
    )
    bases = _Bases.read(family, today, now)
    staff = bases.staff()
    listed = {
        Route.INVOLVEMENT: _involvement(bases, staff),
        Route.TEAM_AROUND_THE_FAMILY: _team(bases, staff),
        Route.SHARING_BASIS: _sharing_basis(bases, staff),
        Route.BREAK_GLASS: _break_glass(bases, staff),
        Route.PARTNERSHIP_ROLE: _partnership_role(staff),
    }
    return FamilyAccess(
        family=family,
        viewer_routes=routes,
        routes=[
            RouteAccess(route=route, description=ROUTE_DESCRIPTIONS[route], holders=holders)
            for route, holders in listed.items()
        ],
    )


@dataclass(frozen=True)
class ViewerAccess:
    """Why the viewer sees the family they are looking at, for the family page."""

    routes: list[Route]
    break_glass_until: datetime.datetime | None

    @property
    def descriptions(self) -> list[str]:
        return [ROUTE_DESCRIPTIONS[route] for route in self.routes]

    @property
    def by_break_glass_only(self) -> bool:
        return self.routes == [Route.BREAK_GLASS]


def family_viewer_access(
    *, actor: User, family: Family, now: datetime.datetime | None = None
) -> ViewerAccess:
    """The actor's own routes to a family they are already looking at (family_get recorded
    the look), and when their emergency access ends if they have it."""
    now = now or timezone.now()
    routes = policies.family_routes(actor, family, now=now)
    until = None
    if Route.BREAK_GLASS in routes:
        until = (
            BreakGlassGrant.objects.filter(
                practitioner_id=actor.pk, family=family, opened_at__lte=now, expires_at__gt=now
            )
            .order_by("-expires_at")
            .values_list("expires_at", flat=True)
            .first()
        )
    return ViewerAccess(routes=routes, break_glass_until=until)


# The information governance leads' review of emergency access


@dataclass(frozen=True)
class LookDuringGrant:
    at: datetime.datetime
    what: str
    object_id: str


OBJECT_NAMES = {"people.family": "Family record", "people.person": "Person's record"}


def break_glass_review_queue(
    *, actor: User, reviewed_limit: int = 50, request: HttpRequest | None = None
) -> tuple[list[BreakGlassGrant], list[BreakGlassGrant]]:
    """(waiting for review, most recently reviewed) for an information governance lead.

    The list names families and practitioners, so reading it is recorded like any list.
    """
    if not is_information_governance_lead(actor):
        raise NotFoundOrForbidden
    grants = BreakGlassGrant.objects.select_related("practitioner", "family", "reviewed_by")
    waiting = list(grants.filter(review="").order_by("opened_at", "pk"))
    reviewed = list(grants.exclude(review="").order_by("-reviewed_at", "-pk")[:reviewed_limit])
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="sharing.breakglassgrant",
        route=REVIEW_ROUTE,
        detail=f"break-glass reviews: {len(waiting)} waiting, {len(reviewed)} reviewed shown",
        request=request,
    )
    return waiting, reviewed


def break_glass_grant_for_review(
    *, actor: User, grant_id: int, request: HttpRequest | None = None
) -> BreakGlassGrant:
    """One grant for an information governance lead to review; the look is recorded."""
    grant = (
        BreakGlassGrant.objects.select_related("practitioner", "family", "reviewed_by")
        .filter(pk=grant_id)
        .first()
        if is_information_governance_lead(actor)
        else None
    )
    if grant is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="sharing.breakglassgrant",
            object_id=str(grant_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=grant, route=REVIEW_ROUTE, request=request
    )
    return grant


def break_glass_looks(grant: BreakGlassGrant) -> list[LookDuringGrant]:
    """What the practitioner looked at through the grant, for the reviewer to judge."""
    events = AccessEvent.objects.filter(
        actor_id=grant.practitioner_id,
        route=Route.BREAK_GLASS,
        at__gte=grant.opened_at,
        at__lte=grant.expires_at,
    ).order_by("at", "pk")
    return [
        LookDuringGrant(
            at=e.at, what=OBJECT_NAMES.get(e.object_type, e.object_type), object_id=e.object_id
        )
        for e in events
    ]
