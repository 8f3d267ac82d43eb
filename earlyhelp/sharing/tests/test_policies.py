"""The access skeleton: who sees which person and family (R-IS-4 need-to-know)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from earlyhelp.people.models import Family, Involvement, Person
from earlyhelp.sharing import policies

pytestmark = pytest.mark.django_db


def test_involved_midwife_sees_the_family_and_its_members(partnership) -> None:
    p = partnership
    assert set(policies.visible_families(p.maya)) == {p.ashworth}
    assert set(policies.visible_persons(p.maya)) == {p.chloe, p.jordan, p.unborn}


def test_person_with_the_same_surname_outside_the_family_stays_hidden(partnership) -> None:
    assert partnership.stranger not in policies.visible_persons(partnership.maya)


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsider_administrator_and_analyst_see_nobody(partnership, persona) -> None:
    user = getattr(partnership, persona)
    assert not policies.visible_families(user).exists()
    assert not policies.visible_persons(user).exists()
    assert policies.person_access_route(user, partnership.chloe) is None


def test_front_door_sees_everyone_through_the_partnership_role(partnership) -> None:
    p = partnership
    assert policies.visible_persons(p.fatima).count() == Person.objects.count()
    assert policies.person_access_route(p.fatima, p.stranger) == policies.Route.PARTNERSHIP_ROLE


def test_ended_involvement_gives_no_access(partnership) -> None:
    p = partnership
    Involvement.objects.filter(organisation=p.midwifery).update(ended_on=datetime.date(2026, 10, 1))
    assert not policies.visible_families(p.maya, today=datetime.date(2026, 11, 26)).exists()
    # The day it ended still counts.
    assert policies.visible_families(p.maya, today=datetime.date(2026, 10, 1)).exists()


def test_involvement_with_one_person_shows_their_family(partnership) -> None:
    p = partnership
    Involvement.objects.create(
        organisation=p.police,
        person=p.jordan,
        service="Domestic abuse notification",
        started_on=datetime.date(2026, 11, 1),
    )
    assert set(policies.visible_families(p.owen)) == {p.ashworth}
    assert p.unborn in policies.visible_persons(p.owen)


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam", "bea"])
def test_list_and_single_object_checks_agree(partnership, persona) -> None:
    user = getattr(partnership, persona)
    listed = set(policies.visible_persons(user))
    for person in Person.objects.all():
        assert (policies.person_access_route(user, person) is not None) == (person in listed)
    families = set(policies.visible_families(user))
    for family in Family.objects.all():
        assert (policies.family_access_route(user, family) is not None) == (family in families)


def test_a_share_made_on_consent_ends_when_the_consent_is_withdrawn(partnership) -> None:
    """R-IS-13: withdrawal takes effect on the very next request, shares on it included."""
    from django.utils import timezone

    from earlyhelp.sharing.models import Consent, ConsentGiver, SharingDecision

    p = partnership
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=p.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        competence_judgement="Understands what sharing means and its consequences",
        purpose="Support in pregnancy",
        starts_on=datetime.date(2026, 11, 1),
        recorded_by=p.maya,
    )
    decision = SharingDecision.objects.create(
        family=p.ashworth,
        share=True,
        what="Pregnancy and housing worries",
        purpose="Support in pregnancy",
        consent=consent,
        reasons="Agreed with Chloe",
        decided_by=p.maya,
    )
    decision.recipients.add(p.police)
    assert p.ashworth in policies.visible_families(p.owen)
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert p.ashworth not in policies.visible_families(p.owen)


def test_checked_routes_are_read_in_the_order_they_are_built(partnership) -> None:
    # The compiled check reads its row of flags by position (policies.CHECKED_ROUTES).
    actor = policies._Actor(partnership.maya, None, None)
    assert tuple(policies._route_conditions(actor)) == policies.CHECKED_ROUTES


def test_the_compiled_check_answers_like_a_fresh_compile(partnership) -> None:
    # The same answer from the statement compiled once and refilled, for a visible family, a
    # family with no route and a family that does not exist.
    p = partnership
    other = Family.objects.create(name="Unrelated household")
    actor = policies._Actor(p.maya, None, None)
    ids = [p.ashworth.pk, other.pk, 999_999]
    compiled = policies._family_route_flags(actor, ids)
    sql, params = policies._flags_query(actor, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))  # type: ignore[arg-type]
        fresh = {
            row[0]: [r for r, f in zip(policies.CHECKED_ROUTES, row[1:], strict=True) if f]
            for row in cursor.fetchall()
        }
    assert compiled == {k: v for k, v in fresh.items() if v}
    assert compiled == {p.ashworth.pk: [policies.Route.INVOLVEMENT]}
