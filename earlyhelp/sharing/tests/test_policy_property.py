"""Property test of the sharing policy over random small partnerships (house style: "a test
proves the list filter and the single-object check agree for every persona").

Hypothesis draws agencies of random types, accounts with random roles (some ended or
inactive), families and members (some who have left), involvements with families or people
over random dates, team-around-the-family memberships, consents with random scope, expiry and
withdrawal, decisions to share (and not to share), break-glass grants open or expired, and
information in random categories. For every account it checks that:

- the list filters and the single-object checks agree (``visible_families`` against
  ``family_access_route``; ``visible_persons`` against ``person_access_route``), and the
  family list's pages (``visible_family_page``) are the list filter's rows in name order;
- the "who can see this family" selector lists exactly the routes ``family_routes`` gives;
- ``visible_information`` is what the need-to-know rules say (a share made on consent lasting
  only while the consent does), worked out independently here
  in plain Python (R-IS-4, R-IS-12), and the person page's flags are the flags of exactly
  the categories with something unreadable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.accounts.models import (
    CASEWORK_ROLES,
    AgencyType,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    BreakGlassGrant,
    Consent,
    ConsentGiver,
    InformationCategory,
    InformationItem,
    SharingDecision,
)
from earlyhelp.sharing.selectors.access import family_who_can_see
from earlyhelp.sharing.selectors.information import person_information

pytestmark = pytest.mark.django_db

AGENCY_TYPES = [
    AgencyType.MIDWIFERY,
    AgencyType.POLICE,
    AgencyType.HEALTH_VISITING,
    AgencyType.GP_PRACTICE,
    AgencyType.HOUSING,
]
# Mostly practitioners, so that most examples have someone for the routes to reach.
ROLES = [Role.PRACTITIONER] * 4 + [r for r in Role if r != Role.PRACTITIONER]
CATEGORY_CODES = [
    None,
    "care_history",
    "mental_health",
    "sexual_health",
    "domestic_abuse",
    "criminal_intelligence",
    "substance_use",
]

small = st.integers(min_value=0, max_value=9)  # an index, taken modulo the list's length
rarely = st.sampled_from([False, False, False, True])
days = st.integers(min_value=-20, max_value=5)
lengths = st.one_of(st.none(), st.integers(min_value=0, max_value=20))
subsets = st.sets(small, max_size=3)


@dataclass
class Plan:
    """A partnership as indices and offsets, turned into rows by ``build``."""

    agencies: list[AgencyType]
    accounts: list[tuple[int, Role, bool, bool]]  # agency, role, membership ended, active
    persons: int
    families: int
    homes: list[tuple[int, bool]]  # each person's family, and whether they have left it
    members: list[tuple[int, int, bool]]  # more memberships: family, person, has left
    involvements: list[tuple[int, bool, int, int, int | None]]  # agency, with family, who, ...
    teams: list[tuple[int, int, int, int | None]]  # family, account, joined, length
    consents: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    grants: list[tuple[int, int, int, int]] = field(default_factory=list)  # account, family, h
    items: list[tuple[int, int, int]] = field(default_factory=list)  # person, category, agency


consents = st.fixed_dictionaries(
    {
        "family": small,
        "given_by": small,
        "agencies": subsets,
        "agency_types": st.sets(st.sampled_from(AGENCY_TYPES), max_size=2),
        "categories": st.sets(small, min_size=1, max_size=3),
        "covers": st.sets(small, min_size=1, max_size=3),
        "starts": days,
        "length": lengths,
        "withdrawn": rarely,
    }
)
decisions = st.fixed_dictionaries(
    {
        "family": small,
        "share": st.booleans(),
        "recipients": subsets,
        "categories": st.sets(small, min_size=1, max_size=3),
        "about": st.sets(small, min_size=1, max_size=3),
        "until": st.one_of(st.none(), st.integers(min_value=-10, max_value=10)),
        "on_consent": st.one_of(st.none(), small),
    }
)

plans = st.builds(
    Plan,
    agencies=st.lists(st.sampled_from(AGENCY_TYPES), min_size=1, max_size=4),
    accounts=st.lists(
        st.tuples(small, st.sampled_from(ROLES), rarely, rarely.map(lambda inactive: not inactive)),
        min_size=2,
        max_size=6,
    ),
    persons=st.integers(min_value=1, max_value=5),
    families=st.integers(min_value=1, max_value=3),
    homes=st.lists(st.tuples(small, rarely), min_size=5, max_size=5),
    members=st.lists(st.tuples(small, small, st.booleans()), max_size=4),
    involvements=st.lists(
        st.tuples(small, st.booleans(), small, days, lengths), min_size=1, max_size=6
    ),
    teams=st.lists(st.tuples(small, small, days, lengths), max_size=4),
    consents=st.lists(consents, min_size=1, max_size=3),
    decisions=st.lists(decisions, max_size=3),
    grants=st.lists(
        st.tuples(
            small,
            small,
            st.integers(min_value=0, max_value=8),
            st.integers(min_value=1, max_value=5),
        ),
        max_size=3,
    ),
    items=st.lists(st.tuples(small, small, small), min_size=2, max_size=8),
)


@dataclass
class World:
    organisations: list[Organisation]
    accounts: list[User]
    persons: list[Person]
    families: list[Family]
    items: list[InformationItem]


def pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


def build(plan: Plan, today: datetime.date, now: datetime.datetime) -> World:
    organisations = [
        Organisation.objects.create(name=f"Agency {i}", agency_type=kind, local_authority="W")
        for i, kind in enumerate(plan.agencies)
    ]
    teams = [Team.objects.create(organisation=o, name="Team") for o in organisations]
    accounts = []
    for i, (agency, role, ended, active) in enumerate(plan.accounts):
        user = User.objects.create_user(f"u{i}@example.org", None, full_name=f"Account {i}")
        user.is_active = active
        user.save()
        Membership.objects.create(
            user=user,
            team=pick(teams, agency),
            role=role,
            ended_on=today - datetime.timedelta(days=1) if ended else None,
        )
        accounts.append(user)
    persons = [
        Person.objects.create(
            given_name=f"Person {i}",
            family_name="Test",
            given_name_key=f"PERSON{i}",
            family_name_key="TEST",
            date_of_birth=datetime.date(2008, 1, 1),
        )
        for i in range(plan.persons)
    ]
    families = [Family.objects.create(name=f"Family {i}") for i in range(plan.families)]
    current: set[tuple[int, int]] = set()
    homes = [(family, person, left) for person, (family, left) in enumerate(plan.homes)]
    for family_index, person_index, has_left in homes[: plan.persons] + plan.members:
        family, person = pick(families, family_index), pick(persons, person_index)
        if not has_left and (family.pk, person.pk) in current:
            continue
        if not has_left:
            current.add((family.pk, person.pk))
        FamilyMember.objects.create(
            family=family,
            person=person,
            relationship=Relationship.MOTHER,
            left_on=today - datetime.timedelta(days=3) if has_left else None,
        )
    for agency, with_family, who, start, length in plan.involvements:
        started = today + datetime.timedelta(days=start)
        Involvement.objects.create(
            organisation=pick(organisations, agency),
            family=pick(families, who) if with_family else None,
            person=None if with_family else pick(persons, who),
            service="Service",
            started_on=started,
            ended_on=None if length is None else started + datetime.timedelta(days=length),
        )
    in_team: set[tuple[int, int]] = set()
    for family_index, account, joined, length in plan.teams:
        family, user = pick(families, family_index), pick(accounts, account)
        if length is None and (family.pk, user.pk) in in_team:
            continue
        if length is None:
            in_team.add((family.pk, user.pk))
        joined_on = today + datetime.timedelta(days=joined)
        TeamAroundFamilyMember.objects.create(
            family=family,
            practitioner=user,
            organisation=organisations[0],
            joined_on=joined_on,
            left_on=None if length is None else joined_on + datetime.timedelta(days=length),
        )
    categories = {c.code: c for c in InformationCategory.objects.all()}
    category_list = [categories[c] for c in CATEGORY_CODES if c]
    recorded_consents = []
    for spec in plan.consents:
        starts = today + datetime.timedelta(days=spec["starts"])
        consent = Consent.objects.create(
            family=pick(families, spec["family"]),
            given_by=pick(persons, spec["given_by"]),
            giver_kind=ConsentGiver.PARENT,
            purpose="Support",
            starts_on=starts,
            expires_on=None
            if spec["length"] is None
            else starts + datetime.timedelta(days=spec["length"]),
            recorded_by=accounts[0],
            withdrawn_at=now - datetime.timedelta(days=1) if spec["withdrawn"] else None,
        )
        consent.organisations.add(*[pick(organisations, i) for i in spec["agencies"]])
        for kind in spec["agency_types"]:
            consent.agency_types.create(agency_type=kind)
        consent.categories.add(*[pick(category_list, i) for i in spec["categories"]])
        consent.covers_people.add(*[pick(persons, i) for i in spec["covers"]])
        recorded_consents.append(consent)
    for spec in plan.decisions:
        share = spec["share"]
        decision = SharingDecision.objects.create(
            family=pick(families, spec["family"]),
            share=share,
            what="What",
            purpose="Purpose",
            no_consent_reason="cannot_be_given" if share else "",
            lawful_basis="art6_1e_art9_2g_sch1_para18" if share else "",
            not_sharing_reason="" if share else "not_relevant",
            reasons="Reasons",
            decided_by=accounts[0],
            access_until=None
            if spec["until"] is None
            else today + datetime.timedelta(days=spec["until"]),
            consent=None
            if spec["on_consent"] is None
            else pick(recorded_consents, spec["on_consent"]),
        )
        decision.recipients.add(*[pick(organisations, i) for i in spec["recipients"]])
        decision.categories.add(*[pick(category_list, i) for i in spec["categories"]])
        decision.about_people.add(*[pick(persons, i) for i in spec["about"]])
    for account, family_index, hours_ago, hours in plan.grants:
        # Half an hour off the hour, so no grant ends while the checks run.
        opened = now - datetime.timedelta(hours=hours_ago, minutes=30)
        BreakGlassGrant.objects.create(
            practitioner=pick(accounts, account),
            family=pick(families, family_index),
            reason="A child is at risk now",
            opened_at=opened,
            expires_at=opened + datetime.timedelta(hours=hours),
        )
    items = []
    for person_index, category_index, agency in plan.items:
        code = CATEGORY_CODES[category_index % len(CATEGORY_CODES)]
        items.append(
            InformationItem.objects.create(
                person=pick(persons, person_index),
                category=categories[code] if code else None,
                summary="Summary",
                source_organisation=pick(organisations, agency),
                recorded_by=accounts[0],
            )
        )
    return World(organisations, accounts, persons, families, items)


def readable_by_the_rules(
    user: User,
    world: World,
    visible_person_ids: set[int],
    today: datetime.date,
    now: datetime.datetime,
) -> set[int]:
    """R-IS-4 and R-IS-12, worked out in Python from the rows, not with the policy's queries."""
    casework = [
        m
        for m in user.memberships.select_related("team__organisation")
        if m.ended_on is None and m.role in CASEWORK_ROLES
    ]
    organisation_ids = {m.team.organisation_id for m in casework}
    agency_types = {m.team.organisation.agency_type for m in casework}
    if not (user.is_active and casework):
        return set()
    open_families = {
        g.family_id
        for g in BreakGlassGrant.objects.filter(practitioner=user)
        if g.opened_at <= now < g.expires_at
    }
    in_open_family = {
        m.person_id
        for m in FamilyMember.objects.all()
        if m.left_on is None and m.family_id in open_families
    }
    needed = {
        c.pk
        for c in InformationCategory.objects.all()
        if agency_types & set(c.needed_by_agency_types)
    }
    covered: set[tuple[int, int]] = set()
    for consent in Consent.objects.prefetch_related(
        "organisations", "agency_types", "categories", "covers_people"
    ):
        in_force = consent.starts_on <= today and (
            consent.expires_on is None or consent.expires_on >= today
        )
        reaches = {o.pk for o in consent.organisations.all()} & organisation_ids or {
            t.agency_type for t in consent.agency_types.all()
        } & agency_types
        if in_force and consent.withdrawn_at is None and reaches:
            covered |= {
                (p.pk, c.pk) for p in consent.covers_people.all() for c in consent.categories.all()
            }
    for decision in SharingDecision.objects.select_related("consent").prefetch_related(
        "recipients", "categories", "about_people"
    ):
        on_consent = decision.consent
        in_force = (decision.access_until is None or decision.access_until >= today) and (
            # A share made on consent lasts only while the consent does (R-IS-13).
            on_consent is None
            or (
                on_consent.withdrawn_at is None
                and on_consent.starts_on <= today
                and (on_consent.expires_on is None or on_consent.expires_on >= today)
            )
        )
        reaches = {o.pk for o in decision.recipients.all()} & organisation_ids
        if decision.share and in_force and reaches:
            covered |= {
                (p.pk, c.pk) for p in decision.about_people.all() for c in decision.categories.all()
            }
    return {
        i.pk
        for i in world.items
        if i.person_id in visible_person_ids
        and (
            i.category_id is None
            or i.source_organisation_id in organisation_ids
            or i.person_id in in_open_family
            or (i.category_id in needed and (i.person_id, i.category_id) in covered)
        )
    }


def check(world: World, today: datetime.date, now: datetime.datetime) -> None:
    # Someone who sees every family, to read "who can see" for each (the front door).
    team = Team.objects.create(
        organisation=Organisation.objects.create(
            name="Front door agency", agency_type=AgencyType.EARLY_HELP, local_authority="W"
        ),
        name="Front door",
    )
    auditor = User.objects.create_user("front@example.org", None, full_name="Front door")
    Membership.objects.create(user=auditor, team=team, role=Role.FRONT_DOOR)
    accounts = [*world.accounts, auditor]
    who_can_see = {
        f.pk: family_who_can_see(actor=auditor, family_id=f.pk, today=today, now=now)
        for f in world.families
    }
    for user in accounts:
        families = set(policies.visible_families(user))
        for family in world.families:
            routes = policies.family_routes(user, family, today=today, now=now)
            assert (policies.family_access_route(user, family) is not None) == (
                family in families
            ), (user, family)
            assert bool(routes) == (family in families)
            assert who_can_see[family.pk].routes_of(user) == set(routes), (user, family)
        assert paged_through(user) == list(
            policies.visible_families(user).order_by("name", "id").values_list("pk", flat=True)
        ), user
        persons = set(policies.visible_persons(user))
        for person in world.persons:
            assert (policies.person_access_route(user, person) is not None) == (
                person in persons
            ), (user, person)
        readable = set(policies.visible_information(user).values_list("pk", flat=True))
        expected = readable_by_the_rules(user, world, {p.pk for p in persons}, today, now)
        assert readable == expected, user
        with_items = {i.person_id for i in world.items}
        for person in (p for p in persons if p.pk in with_items):
            shown = person_information(actor=user, person=person)
            assert {i.id for i in shown.items} == {
                i.pk for i in world.items if i.pk in readable and i.person_id == person.pk
            }
            unreadable = [
                i for i in world.items if i.person_id == person.pk and i.pk not in readable
            ]
            flags = {i.category.flag_text for i in unreadable if i.category}
            assert set(shown.flags) == flags - {""}
            assert len(shown.flags) == len(set(shown.flags))


def paged_through(user: User) -> list[int]:
    """The whole family list, two at a time, as the list pages walk it: small batches and a
    short walk, so that both the walk and the filter that finishes a page are used."""
    ids: list[int] = []
    after = None
    with (
        mock.patch.object(policies, "LIST_BATCH", 3),
        mock.patch.object(policies, "LIST_WALK_BATCHES", 1),
    ):
        while page := policies.visible_family_page(user, after=after, limit=2):
            ids += page
            after = Family.objects.get(pk=page[-1])
    return ids


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans)
def test_lists_single_checks_who_can_see_and_information_agree(db: None, plan: Plan) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        check(build(plan, today, now), today, now)
        # Each example starts from an empty partnership.
        transaction.set_rollback(True)
