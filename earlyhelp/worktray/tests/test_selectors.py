"""Work tray reads, through the selectors: the owner's rows, the viewer's policy (R-IS-4),
keyset pages with no OFFSET, capped figures for managers, every list recorded."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.alerts.models import Alert
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import Family, Involvement
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.worktray import selectors
from earlyhelp.worktray.tests.conftest import Tray, member

pytestmark = pytest.mark.django_db


def test_maya_sees_her_families_with_lead_review_and_overdue_tags(tray: Tray) -> None:
    p = tray.p
    page = selectors.tray_families(viewer=p.maya, owner=p.maya)
    assert [r.family.name for r in page.rows] == ["Ashworth household", "Brook household"]
    ashworth, brook = page.rows
    assert ashworth.owner_is_lead and ashworth.lead_name == "Maya Midwife"
    assert ashworth.review_on == tray.plan.review_on and ashworth.review_overdue
    # Two open overdue actions in the plan (Maya's and the one Owen left behind); done ones
    # and those not yet due do not count.
    assert ashworth.overdue_actions == 2
    assert not brook.owner_is_lead and brook.lead_name == "" and brook.review_on is None
    assert page.next_after is None


def test_involvement_named_on_a_member_brings_the_family_in(tray: Tray) -> None:
    p = tray.p
    other = Family.objects.create(name="Carver household")
    from earlyhelp.people.models import FamilyMember, Relationship

    FamilyMember.objects.create(family=other, person=p.stranger, relationship=Relationship.MOTHER)
    Involvement.objects.create(
        organisation=p.midwifery,
        practitioner=p.maya,
        person=p.stranger,
        service="Antenatal care",
        started_on=tray.today - datetime.timedelta(days=1),
    )
    names = [r.family.name for r in selectors.tray_families(viewer=p.maya, owner=p.maya).rows]
    assert "Carver household" in names


def test_actions_are_open_ones_soonest_first_with_overdue_tagged(tray: Tray) -> None:
    p = tray.p
    page = selectors.tray_actions(viewer=p.maya, owner=p.maya)
    assert [r.action for r in page.rows] == [tray.overdue_action, tray.later_action]
    assert [(r.overdue, r.days_overdue) for r in page.rows] == [(True, 5), (False, 0)]


def test_reviews_due_are_the_plans_maya_leads(tray: Tray) -> None:
    p = tray.p
    [row] = selectors.tray_reviews(viewer=p.maya, owner=p.maya).rows
    assert row.plan == tray.plan and row.overdue and row.days_overdue == 2
    # Hana's plans are not Maya's: without the lead, nothing is due for her.
    TeamAroundFamilyMember.objects.filter(practitioner=p.maya).update(is_lead_professional=False)
    assert selectors.tray_reviews(viewer=p.maya, owner=p.maya).rows == []


def test_owen_left_the_team_so_his_tray_lists_nothing_of_the_ashworths(tray: Tray) -> None:
    """His old action is still his, but the policy gives him no route to the family."""
    p = tray.p
    assert selectors.tray_families(viewer=p.owen, owner=p.owen).rows == []
    assert selectors.tray_actions(viewer=p.owen, owner=p.owen).rows == []
    # The same action is listed once he has a reason to see the family again.
    member(p.ashworth, p.owen)
    assert [r.action for r in selectors.tray_actions(viewer=p.owen, owner=p.owen).rows] == [
        tray.owen_action
    ]


def test_a_manager_sees_a_colleagues_tray_only_through_their_own_policy(tray: Tray) -> None:
    p = tray.p
    names = [r.family.name for r in selectors.tray_families(viewer=tray.mo, owner=p.maya).rows]
    # Midwifery works with the Ashworths; only Maya (by the team around it) with the Brooks.
    assert names == ["Ashworth household"]


def test_every_list_is_recorded_as_a_look(tray: Tray) -> None:
    p = tray.p
    selectors.tray_families(viewer=p.maya, owner=p.maya)
    selectors.tray_actions(viewer=p.maya, owner=p.maya)
    selectors.tray_reviews(viewer=tray.mo, owner=p.maya)
    looks = AccessEvent.objects.filter(action=AccessAction.LIST).order_by("id")
    assert [(e.actor_id, e.object_type, e.detail) for e in looks] == [
        (p.maya.pk, "people.family", "own work tray: families: 2 shown"),
        (p.maya.pk, "plans.planaction", "own work tray: actions: 2 shown"),
        (tray.mo.pk, "plans.plan", f"work tray of user {p.maya.pk}: reviews due: 1 shown"),
    ]


def test_pages_follow_on_without_offset_or_count(tray: Tray) -> None:
    p = tray.p
    for n in range(23):
        member(Family.objects.create(name=f"Family {n:02d}"), p.maya)
    expected = sorted(
        ["Ashworth household", "Brook household", *(f"Family {n:02d}" for n in range(23))]
    )
    seen: list[str] = []
    after = None
    with CaptureQueriesContext(connection) as queries:
        while True:
            page = selectors.tray_families(viewer=p.maya, owner=p.maya, after=after, limit=10)
            seen += [r.family.name for r in page.rows]
            if page.next_after is None:
                break
            after = page.next_after
    assert seen == expected
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql
    assert "COUNT(" not in sql.replace('COUNT("PLANS_PLANACTION"."ID")', "")


def test_a_cursor_outside_the_owners_list_starts_from_the_top(tray: Tray) -> None:
    p = tray.p
    stranger_family = Family.objects.create(name="Zz household")
    page = selectors.tray_families(viewer=p.maya, owner=p.maya, after=str(stranger_family.pk))
    assert page.rows[0].family.name == "Ashworth household"
    for nonsense in ("x", "-1", "2026-13-01.4", "9" * 40):
        assert selectors.tray_actions(viewer=p.maya, owner=p.maya, after=nonsense).rows


def test_action_pages_follow_on_by_due_date(tray: Tray) -> None:
    p = tray.p
    first = selectors.tray_actions(viewer=p.maya, owner=p.maya, limit=1)
    assert [r.action for r in first.rows] == [tray.overdue_action]
    assert first.next_after is not None
    second = selectors.tray_actions(viewer=p.maya, owner=p.maya, after=first.next_after, limit=1)
    assert [r.action for r in second.rows] == [tray.later_action]
    assert second.next_after is None


def test_team_overview_shows_the_managers_team_with_capped_figures(tray: Tray) -> None:
    p = tray.p
    now = timezone.now()
    Alert.objects.create(
        recipient=p.maya, kind="x", title="Old", created_at=now - datetime.timedelta(days=3)
    )
    Alert.objects.create(recipient=p.maya, kind="x", title="New", created_at=now)
    families = Family.objects.bulk_create([Family(name=f"F{n}") for n in range(101)])
    TeamAroundFamilyMember.objects.bulk_create(
        [
            TeamAroundFamilyMember(
                family=f, practitioner=p.maya, organisation=p.midwifery, joined_on=tray.today
            )
            for f in families
        ]
    )
    page = selectors.team_overview(actor=tray.mo)
    by_name = {r.user.full_name: r for r in page.rows}
    assert set(by_name) == {"Maya Midwife", "Mo Manager"}  # not Owen, not the police
    maya = by_name["Maya Midwife"]
    assert maya.caseload == "over 100"
    assert (maya.leading, maya.overdue_actions, maya.overdue_reviews, maya.stale_alerts) == (
        "1",
        "1",
        "1",
        "1",
    )
    # Each figure is the person's own: Mo leads nothing and owns nothing.
    mo = by_name["Mo Manager"]
    assert (mo.caseload, mo.leading, mo.overdue_actions, mo.overdue_reviews, mo.stale_alerts) == (
        "0",
        "0",
        "0",
        "0",
        "0",
    )


def test_only_team_managers_have_a_team_view(tray: Tray) -> None:
    p = tray.p
    for outsider in (p.maya, p.owen, p.fatima, p.sam, p.bea):
        with pytest.raises(NotFoundOrForbidden):
            selectors.team_overview(actor=outsider)
    assert selectors.team_member_get(actor=tray.mo, user_id=p.maya.pk) == p.maya
    with pytest.raises(NotFoundOrForbidden):
        selectors.team_member_get(actor=tray.pat, user_id=p.maya.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.team_member_get(actor=tray.mo, user_id=p.owen.pk)
    assert AccessEvent.objects.filter(action=AccessAction.DENIED, actor=tray.pat).exists()


def test_board_analyst_and_administrator_have_no_tray(tray: Tray) -> None:
    for persona in (tray.p.sam, tray.p.bea):
        with pytest.raises(NotFoundOrForbidden):
            selectors.tray_require(actor=persona)
        assert selectors.tray_families(viewer=persona, owner=persona).rows == []
