"""Reading work trays: a practitioner's families, actions and reviews due; a manager's team.

Whose tray (``owner``) and who is looking (``viewer``) are kept apart: a practitioner looks at
their own tray (owner and viewer the same), a team manager looks at the tray of someone in
their team, read-only. Either way, every family, action and plan shown has passed the
sharing policy for the *viewer* (``policies.visible_families``, R-IS-4): a manager never
sees, through a colleague's tray, a family they have no reason to see themselves.

County scale (issue 5 item 6): each list starts from the owner's own rows (their team
memberships, their involvements, their actions), which are few, and is read in keyset pages
(``after`` names the last row shown; never OFFSET). Nothing counts a whole list: the
manager's figures stop at ``rules.COUNT_CAP`` and say "over 100". Each list shown is a
look at personal data and is recorded (AccessEvent, action "list"), as the family list is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Membership, Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.people.models import Family, FamilyMember, Involvement
from earlyhelp.plans import rules as plan_rules
from earlyhelp.plans.models import (
    Plan,
    PlanAction,
    PlanStatus,
    TeamAroundFamilyMember,
)
from earlyhelp.sharing import policies
from earlyhelp.worktray import rules

if TYPE_CHECKING:
    from django.http import HttpRequest

PAGE_SIZE = 25
PAGE_MAX = 100
# The tray's first page shows a few of each list, with a link to the rest.
SUMMARY_SIZE = 10
# A page is filled from the owner's rows in batches checked against the viewer's policy; a
# batch where the viewer may see few stops after this many rounds and offers "more" instead.
MAX_ROUNDS = 4
OPEN_ACTIONS = tuple(sorted(plan_rules.OPEN_ACTION_STATUSES))

Position = tuple[Any, int]


@dataclass(frozen=True)
class Page[Row]:
    rows: list[Row]
    next_after: str | None  # send as ``after`` for the next page; None at the end


@dataclass(frozen=True)
class FamilyRow:
    family: Family
    in_team: bool  # the owner is a member of the team around the family
    lead_name: str  # "" when nobody has been named (R-WT-5)
    owner_is_lead: bool
    plan_status: str  # "" when there is no active plan
    review_on: datetime.date | None
    review_overdue: bool
    overdue_actions: int


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    family: Family
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class ReviewRow:
    plan: Plan
    family: Family
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class PractitionerRow:
    """One person in the manager's team, with capped figures ("over 100")."""

    user: User
    caseload: str  # families where they are in the team around the family
    leading: str  # families where they are the lead professional
    overdue_actions: str
    overdue_reviews: str
    stale_alerts: str  # open alerts raised more than two days ago


# --- Who may look -----------------------------------------------------------------------------


def _refused(actor: User, object_type: str, object_id: object, request: HttpRequest | None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def tray_require(*, actor: User, request: HttpRequest | None = None) -> None:
    """Only people who work with families have a work tray (never analysts or administrators)."""
    if not policies.can_open_family_records(actor):
        _refused(actor, "worktray.tray", actor.pk, request)
        raise NotFoundOrForbidden


def managed_teams(actor: User) -> list[Team]:
    """The teams the actor manages now (an active team manager membership)."""
    return [m.team for m in actor.active_memberships() if m.role == Role.TEAM_MANAGER]


def _team_people(teams: Sequence[Team]) -> QuerySet[User]:
    in_team = Membership.objects.filter(
        user_id=OuterRef("pk"),
        team__in=list(teams),
        ended_on__isnull=True,
        role__in=list(CASEWORK_ROLES),
    )
    return User.objects.filter(Exists(in_team), is_active=True)


def team_require(*, actor: User, request: HttpRequest | None = None) -> list[Team]:
    """The actor's managed teams; anyone who manages none gets NotFoundOrForbidden (404)."""
    teams = managed_teams(actor) if policies.can_open_family_records(actor) else []
    if not teams:
        _refused(actor, "worktray.team", "", request)
        raise NotFoundOrForbidden
    return teams


def team_member_get(*, actor: User, user_id: int, request: HttpRequest | None = None) -> User:
    """Someone in a team the actor manages; anyone else (or nobody) is NotFoundOrForbidden."""
    teams = managed_teams(actor) if policies.can_open_family_records(actor) else []
    person = _team_people(teams).filter(pk=user_id).first() if teams else None
    if person is None:
        _refused(actor, "accounts.user", user_id, request)
        raise NotFoundOrForbidden
    return person


# --- Cursors ------------------------------------------------------------------------------------


def _cursor_of_date(day: datetime.date, pk: int) -> str:
    return f"{day.isoformat()}.{pk}"


def _parse_date_cursor(after: str | None) -> Position | None:
    """ "2026-12-01.123": the (date, id) a page follows; anything unreadable starts at the top."""
    if not after:
        return None
    day, _, pk = after.partition(".")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _parse_id(after: str | None) -> int | None:
    value = (after or "").strip()
    if value.isascii() and value.isdigit() and 0 < len(value) <= 18:
        return int(value)
    return None


def _following(rows: QuerySet[Any], first: str, position: Position | None) -> QuerySet[Any]:
    """Rows after ``position`` in (first, id) order. "first >= X" as well, so that an index
    scan starts at X rather than reading everything before it."""
    if position is None:
        return rows
    value, pk = position
    return rows.filter(
        Q(**{f"{first}__gte": value}),
        Q(**{f"{first}__gt": value}) | Q(**{first: value, "pk__gt": pk}),
    )


# --- The walk: the owner's rows in order, kept where the viewer may see the family --------------

Fetch = Callable[[Position | None, int], list[tuple[Position, int]]]


def _visible_family_ids(viewer: User, family_ids: set[int]) -> set[int]:
    """Which of these (a page's worth of) families the viewer may see.

    The policy's single-family check, once per family: it is compiled once and prepared, and
    remembered for the rest of the request, so the tray's lists (which share most of their
    families) ask about each family once. Building ``visible_families`` afresh for each
    list cost several times more than all the checks together (bench/worktray.py).
    """
    return {pk for pk in sorted(family_ids) if policies.family_routes(viewer, Family(pk=pk))}


def _walk(
    *, viewer: User, fetch: Fetch, start: Position | None, limit: int
) -> tuple[list[int], Position | None]:
    """Ids of up to ``limit`` rows whose family the viewer may see, and where a next page
    starts (None at the end). ``fetch(position, n)`` gives the owner's next ``n`` rows after
    ``position`` as (position, family id), in order."""
    found: list[tuple[Position, int]] = []
    position = start
    for _ in range(MAX_ROUNDS):
        batch = fetch(position, limit + 1)
        visible = _visible_family_ids(viewer, {family_id for _, family_id in batch})
        for row_position, family_id in batch:
            position = row_position
            if family_id in visible:
                found.append((row_position, row_position[1]))
                if len(found) > limit:
                    page = found[:limit]
                    return [pk for _, pk in page], page[-1][0]
        if len(batch) <= limit:  # the owner has no more rows
            return [pk for _, pk in found], None
    # Many rows the viewer may not see: stop here and let the next page carry on.
    return [pk for _, pk in found], position


def _limit(limit: int) -> int:
    return max(1, min(limit, PAGE_MAX))


def _today() -> datetime.date:
    return timezone.localdate()


def _in_force(today: datetime.date, *, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": today}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today})
    )


def _listed(
    viewer: User,
    owner: User,
    request: HttpRequest | None,
    object_type: str,
    what: str,
    shown: int,
) -> None:
    whose = "own work tray" if owner.pk == viewer.pk else f"work tray of user {owner.pk}"
    access_record(
        actor=viewer,
        action=AccessAction.LIST,
        object_type=object_type,
        detail=f"{whose}: {what}: {shown} shown",
        request=request,
    )


# --- My families ------------------------------------------------------------------------------


def owner_family_ids(*, owner: User, today: datetime.date) -> QuerySet[Any]:
    """Ids of the families the owner works with now: a member of the team around the family,
    or named on an involvement in force with the family or one of its members (one UNION,
    so that PostgreSQL starts from the owner's few rows)."""
    in_team = TeamAroundFamilyMember.objects.filter(
        _in_force(today, start="joined_on", end="left_on"), practitioner=owner
    ).values("family_id")
    involved = _in_force(today, start="started_on", end="ended_on")
    with_family = Involvement.objects.filter(
        involved, practitioner=owner, family__isnull=False
    ).values("family_id")
    with_member = FamilyMember.objects.filter(
        left_on__isnull=True,
        person_id__in=Involvement.objects.filter(
            involved, practitioner=owner, person__isnull=False
        ).values("person_id"),
    ).values("family_id")
    return in_team.union(with_family, with_member)


def tray_families(
    *,
    viewer: User,
    owner: User,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Page[FamilyRow]:
    """The owner's families by name, each with its lead professional, next review due and
    overdue work (R-WT-5, R-EHA-3), as far as the viewer may see them."""
    today = today or _today()
    limit = _limit(limit)
    ordered = Family.objects.filter(pk__in=owner_family_ids(owner=owner, today=today)).order_by(
        "name", "id"
    )

    def fetch(position: Position | None, n: int) -> list[tuple[Position, int]]:
        rows = _following(ordered, "name", position).values_list("name", "pk")[:n]
        return [((name, pk), pk) for name, pk in rows]

    start = None
    after_id = _parse_id(after)
    if after_id is not None:
        # Only one of the viewer's families is a place to start from.
        # Only one of the owner's own families is a place to start from (a page may end on
        # one the viewer may not see: its name orders the list but is never shown).
        name = ordered.filter(pk=after_id).values_list("name", flat=True).first()
        start = (name, after_id) if name is not None else None
    ids, next_position = _walk(viewer=viewer, fetch=fetch, start=start, limit=limit)
    rows = family_rows(owner=owner, family_ids=ids, today=today)
    _listed(viewer, owner, request, "people.family", "families", len(rows))
    return Page(rows, str(next_position[1]) if next_position else None)


def family_rows(*, owner: User, family_ids: list[int], today: datetime.date) -> list[FamilyRow]:
    """What the tray shows about each of these families (already checked), in their order."""
    if not family_ids:
        return []
    families = {f.pk: f for f in Family.objects.filter(pk__in=family_ids)}
    members = TeamAroundFamilyMember.objects.filter(
        _in_force(today, start="joined_on", end="left_on"), family_id__in=family_ids
    )
    in_team = set(members.filter(practitioner=owner).values_list("family_id", flat=True))
    leads = {
        m.family_id: m
        for m in members.filter(is_lead_professional=True, left_on__isnull=True).select_related(
            "practitioner"
        )
    }
    plans = {
        p.family_id: p
        for p in Plan.objects.filter(family_id__in=family_ids).exclude(status=PlanStatus.CLOSED)
    }
    overdue = dict(
        PlanAction.objects.filter(
            plan__family_id__in=family_ids, status__in=OPEN_ACTIONS, due_on__lt=today
        )
        .exclude(plan__status=PlanStatus.CLOSED)
        .values("plan__family_id")
        .annotate(n=Count("id"))
        .values_list("plan__family_id", "n")
    )
    rows = []
    for pk in family_ids:
        lead = leads.get(pk)
        plan = plans.get(pk)
        review_on = (
            plan.review_on if plan is not None and plan.status == PlanStatus.AGREED else None
        )
        rows.append(
            FamilyRow(
                family=families[pk],
                in_team=pk in in_team,
                lead_name=str(lead.practitioner) if lead else "",
                owner_is_lead=lead is not None and lead.practitioner_id == owner.pk,
                plan_status=plan.get_status_display() if plan is not None else "",
                review_on=review_on,
                review_overdue=rules.review_is_overdue(review_on=review_on, today=today),
                overdue_actions=overdue.get(pk, 0),
            )
        )
    return rows


# --- My actions -------------------------------------------------------------------------------


def owner_actions(*, owner: User) -> QuerySet[PlanAction]:
    """Open actions (not done, not stopped) of active plans owned by the owner as a team
    member (R-EHA-2), starting from the owner's memberships."""
    return (
        PlanAction.objects.filter(
            owner_member_id__in=TeamAroundFamilyMember.objects.filter(practitioner=owner).values(
                "pk"
            ),
            status__in=OPEN_ACTIONS,
        )
        .exclude(plan__status=PlanStatus.CLOSED)
        .order_by("due_on", "id")
    )


def tray_actions(
    *,
    viewer: User,
    owner: User,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Page[ActionRow]:
    """The owner's open actions, soonest due first, overdue ones tagged (R-EHA-2, R-EHA-3)."""
    today = today or _today()
    limit = _limit(limit)
    ordered = owner_actions(owner=owner)

    def fetch(position: Position | None, n: int) -> list[tuple[Position, int]]:
        rows = _following(ordered, "due_on", position).values_list(
            "due_on", "pk", "plan__family_id"
        )
        return [((due_on, pk), family_id) for due_on, pk, family_id in rows[:n]]

    ids, next_position = _walk(
        viewer=viewer, fetch=fetch, start=_parse_date_cursor(after), limit=limit
    )
    found = {
        a.pk: a
        for a in PlanAction.objects.filter(pk__in=ids).select_related("plan__family", "outcome")
    }
    rows = [
        ActionRow(
            action=found[pk],
            family=found[pk].plan.family,
            overdue=plan_rules.action_is_overdue(
                due_on=found[pk].due_on, status=found[pk].status, today=today
            ),
            days_overdue=rules.days_overdue(due_on=found[pk].due_on, today=today),
        )
        for pk in ids
        if pk in found
    ]
    _listed(viewer, owner, request, "plans.planaction", "actions", len(rows))
    return Page(rows, _cursor_of_date(*next_position) if next_position else None)


# --- My reviews due ---------------------------------------------------------------------------


def owner_reviews(*, owner: User) -> QuerySet[Plan]:
    """Agreed plans of the families the owner leads now (R-WT-5), by review date (R-EHA-3)."""
    leading = TeamAroundFamilyMember.objects.filter(
        practitioner=owner, is_lead_professional=True, left_on__isnull=True
    ).values("family_id")
    return Plan.objects.filter(
        family_id__in=leading, status=PlanStatus.AGREED, review_on__isnull=False
    ).order_by("review_on", "id")


def tray_reviews(
    *,
    viewer: User,
    owner: User,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Page[ReviewRow]:
    """Reviews due of the plans the owner leads, soonest first, missed ones tagged (R-EHA-3)."""
    today = today or _today()
    limit = _limit(limit)
    ordered = owner_reviews(owner=owner)

    def fetch(position: Position | None, n: int) -> list[tuple[Position, int]]:
        rows = _following(ordered, "review_on", position).values_list(
            "review_on", "pk", "family_id"
        )
        return [((review_on, pk), family_id) for review_on, pk, family_id in rows[:n]]

    ids, next_position = _walk(
        viewer=viewer, fetch=fetch, start=_parse_date_cursor(after), limit=limit
    )
    found = {p.pk: p for p in Plan.objects.filter(pk__in=ids).select_related("family")}
    rows = [
        ReviewRow(
            plan=found[pk],
            family=found[pk].family,
            overdue=rules.review_is_overdue(review_on=found[pk].review_on, today=today),
            days_overdue=rules.days_overdue(due_on=found[pk].review_on, today=today),
        )
        for pk in ids
        if pk in found
    ]
    _listed(viewer, owner, request, "plans.plan", "reviews due", len(rows))
    return Page(rows, _cursor_of_date(*next_position) if next_position else None)


# --- The manager's view -----------------------------------------------------------------------


class CappedCount(Subquery):
    """How many rows a sliced subquery has: ``LIMIT cap + 1`` inside, so never more work
    than the cap however long the list (plain SQL, the same on PostgreSQL and SQLite)."""

    template = "(SELECT count(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()


def _capped(rows: QuerySet[Any]) -> CappedCount:
    return CappedCount(rows.order_by().values("pk")[: rules.COUNT_CAP + 1])


def team_overview(
    *,
    actor: User,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Page[PractitionerRow]:
    """Each person in the teams the actor manages, by name, with caseload and overdue work.

    Figures only, no family named: these are the team's workloads, and the drill-down
    (``tray_*`` with the manager as viewer) lists only the families the manager may see.
    One query for the whole page, each figure capped at ``rules.COUNT_CAP``.
    """
    teams = team_require(actor=actor, request=request)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    limit = _limit(limit)
    people = _team_people(teams).order_by("full_name", "id")
    after_id = _parse_id(after)
    if after_id is not None:
        name = people.filter(pk=after_id).values_list("full_name", flat=True).first()
        if name is not None:
            people = _following(people, "full_name", (name, after_id))
    member = OuterRef("pk")
    in_team = _in_force(today, start="joined_on", end="left_on")
    found = list(
        people.annotate(
            n_caseload=_capped(TeamAroundFamilyMember.objects.filter(in_team, practitioner=member)),
            n_leading=_capped(
                TeamAroundFamilyMember.objects.filter(
                    practitioner=member, is_lead_professional=True, left_on__isnull=True
                )
            ),
            n_overdue_actions=_capped(
                PlanAction.objects.filter(
                    owner_member__practitioner=member,
                    status__in=OPEN_ACTIONS,
                    due_on__lt=today,
                ).exclude(plan__status=PlanStatus.CLOSED)
            ),
            # From the families they lead to each one's agreed plan (one lead and one active
            # plan per family, so one row each), starting from their own memberships.
            n_overdue_reviews=_capped(
                TeamAroundFamilyMember.objects.filter(
                    practitioner=member,
                    is_lead_professional=True,
                    left_on__isnull=True,
                    family__plans__status=PlanStatus.AGREED,
                    family__plans__review_on__lt=today,
                )
            ),
            n_stale_alerts=_capped(
                Alert.objects.filter(
                    recipient=member,
                    acknowledged_at__isnull=True,
                    created_at__lt=now - rules.ALERT_STALE_AFTER,
                )
            ),
        )[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    rows = [
        PractitionerRow(
            user=u,
            caseload=rules.capped_count_text(u.n_caseload),  # type: ignore[attr-defined]
            leading=rules.capped_count_text(u.n_leading),  # type: ignore[attr-defined]
            overdue_actions=rules.capped_count_text(u.n_overdue_actions),  # type: ignore[attr-defined]
            overdue_reviews=rules.capped_count_text(u.n_overdue_reviews),  # type: ignore[attr-defined]
            stale_alerts=rules.capped_count_text(u.n_stale_alerts),  # type: ignore[attr-defined]
        )
        for u in found
    ]
    access_record(
        actor=actor,
        action=AccessAction.LIST,
        object_type="accounts.user",
        detail=f"team work: {len(rows)} practitioners shown",
        request=request,
    )
    return Page(rows, str(found[-1].pk) if more and found else None)


def stale_alert_count(*, owner: User, now: datetime.datetime | None = None) -> str:
    """The owner's open alerts raised more than two days ago, capped: for their manager."""
    now = now or timezone.now()
    found = (
        Alert.objects.filter(
            recipient=owner,
            acknowledged_at__isnull=True,
            created_at__lt=now - rules.ALERT_STALE_AFTER,
        )
        .values("pk")[: rules.COUNT_CAP + 1]
        .count()
    )
    return rules.capped_count_text(found)
