"""The front door's part of the demo: a realistic, repeatable handful the front door can see."""

from __future__ import annotations

import datetime
import random

import pytest

from conftest import TODAY, Partnership, make_person
from earlyhelp.frontdoor import selectors, services
from earlyhelp.frontdoor.demo import DECIDED, OVERDUE, WAITING, demo_add
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.people.models import Family, FamilyMember, Involvement, Relationship

pytestmark = pytest.mark.django_db


def _families(p: Partnership, n: int) -> None:
    for i in range(n):
        family = Family.objects.create(name=f"Demo household {i}")
        mother = make_person("Amy", f"Demo{i}", date_of_birth=datetime.date(2008, 1, 1 + i))
        FamilyMember.objects.create(family=family, person=mother, relationship=Relationship.MOTHER)
        Involvement.objects.create(
            organisation=p.midwifery,
            practitioner=p.maya,
            family=family,
            service="Antenatal care",
            started_on=datetime.date(2026, 9, 1),
        )


def _summary() -> list[tuple[int, str, str, str]]:
    return [
        (r.family_id, r.concern, r.route, r.received_at.isoformat())
        for r in RequestForSupport.objects.order_by("family_id", "id")
    ]


def test_demo_requests_are_a_realistic_handful_the_front_door_can_decide(
    partnership: Partnership,
) -> None:
    p = partnership
    _families(p, 15)
    demo_add(rng=random.Random(7), today=TODAY)
    requests = list(RequestForSupport.objects.all())
    assert len(requests) == OVERDUE + WAITING + DECIDED
    decided = [r for r in requests if r.decided_at is not None]
    assert len(decided) == DECIDED
    assert {r.route for r in decided} == {
        "advice_universal",
        "early_help",
        "team_around_the_family",
        "childrens_social_care",
        "mash",
    }
    rows = [selectors.request_row(r, TODAY) for r in requests]
    assert sum(row.decision_overdue for row in rows) == OVERDUE
    assert sum(row.decided_late for row in rows) == 1
    queue = selectors.request_for_support_queue(actor=p.fatima, today=TODAY)
    assert len(queue.rows) == OVERDUE + WAITING
    assert [q.row.decision_overdue for q in queue.rows][:OVERDUE] == [True] * OVERDUE
    for item in queue.rows:
        found = selectors.request_for_support_get(actor=p.fatima, request_id=item.row.request.pk)
        services.request_for_support_decide(
            actor=p.fatima,
            request_for_support=found,
            route="childrens_social_care",
            reasons="Demo decision",
            version=found.version,
        )
    assert not RequestForSupport.objects.filter(decided_at__isnull=True).exists()


def test_demo_requests_are_repeatable(partnership: Partnership) -> None:
    _families(partnership, 15)
    demo_add(rng=random.Random(7), today=TODAY)
    first = _summary()
    RequestForSupport.objects.all().delete()
    demo_add(rng=random.Random(7), today=TODAY)
    assert _summary() == first
