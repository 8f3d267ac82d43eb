"""A practitioner's work tray and their team manager's view, in Chromium (issue 5 item 6).

Lee, the Ashworths' lead professional, opens the work tray from the navigation: the family is
in "My families" with Lee as lead, the action Lee owns is past its due date and tagged
overdue, and its link leads to the action. Lee's team manager sees Lee's overdue action in
the team view and opens Lee's tray read-only, where only families the manager may see are
listed: none, as the manager has no route to the Ashworths. Every page is checked with axe.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Partnership, journey_team, make_user
from earlyhelp.accounts.models import Role, Team
from earlyhelp.plans import services
from earlyhelp.plans.models import PlanAction, TeamAroundFamilyMember
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTION = "Apply for a cot through the family support fund"


def test_work_tray_and_team_view(live_server, page: Page, partnership: Partnership) -> None:  # type: ignore[no-untyped-def]
    p = partnership
    base = live_server.url
    _hana, lee, _harry = journey_team(p)
    manager = make_user(
        "mo@earlyhelp.example",
        "Mo Manager",
        Team.objects.get(name="Family support"),
        Role.TEAM_MANAGER,
    )
    today = timezone.localdate()
    plan = services.plan_start(actor=lee, family=p.ashworth, family_words="A safe place to sleep")
    member = TeamAroundFamilyMember.objects.get(practitioner=lee, family=p.ashworth)
    action = services.action_add(
        actor=lee,
        plan=plan,
        version=plan.version,
        description=ACTION,
        owner=str(member.pk),
        due_on=today + datetime.timedelta(days=7),
    )
    # Three days late: the service refuses a due date in the past, so time moves on here.
    PlanAction.objects.filter(pk=action.pk).update(due_on=today - datetime.timedelta(days=3))

    sign_in(page, base, lee)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Work tray").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work tray")
    families = page.get_by_role("table", name="Families")
    expect(families).to_contain_text(p.ashworth.name)
    actions = page.get_by_role("table", name="Actions, soonest due first")
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text("Overdue by 3 days")
    assert_accessible(page)
    actions.get_by_role("link", name=ACTION).click()
    expect(page).to_have_url(f"{base}/plans/actions/{action.pk}/")

    page.context.clear_cookies()
    sign_in(page, base, manager)
    page.goto(f"{base}/worktray/team/")
    row = page.get_by_role("row", name="Lee Lead")
    expect(row).to_contain_text("1")
    assert_accessible(page)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work tray: Lee Lead")
    # The manager has no route to the Ashworths (R-IS-4): the count shows Lee's load, the
    # drill-down lists only families the manager may see.
    expect(page.get_by_text("No open actions to show.")).to_be_visible()
    expect(page.get_by_text(ACTION)).to_have_count(0)
    assert_accessible(page)
