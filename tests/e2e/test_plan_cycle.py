"""See, plan, do, review as a practitioner does it, in Chromium (issue 5).

Maya, the midwife, forms the team around the Ashworth family with Hana, the health visitor
(helper pages for joining the team), and is named lead professional with the family's say
(R-WT-5). She starts the plan in the family's words with two needs and an action for each,
and agrees it: with no date typed, the first review is due six weeks on, the interval for
the family's targeted level of need (R-WT-6, R-EHA-2, R-EHA-3). She marks her action done.
At the first review she records progress for every need, the family's view and "continue"
(a review with nothing filled in shows the GOV.UK error summary); at the second she steps the
family down to early help, handing over to Hana (R-LON-2); at the third she closes the plan
with a reason and an outcome for every need (R-EHA-4). The family page then shows the
Supporting Families outcome, computed with its reasons (R-SF-2). Every page is checked
with axe.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.levels.loading import example_framework_seed
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.services import level_decision_record
from earlyhelp.people.models import Involvement
from earlyhelp.plans.models import Plan, PlanStatus
from earlyhelp.reviews.models import PlanClosure, PlanReview
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "A safe, settled home before the baby comes"
CHECKS = "The baby's health checks all on time"


@pytest.fixture(autouse=True)
def seeded_framework(transactional_db: None) -> None:
    """The need-to-know categories and the example framework, as their migrations load them.

    A transactional test empties the database when it ends, migration data included.
    """
    importlib.import_module("earlyhelp.sharing.migrations.0002_seed_information_categories").seed(
        apps, None
    )
    example_framework_seed(apps.get_model)


def _hana(p: Partnership) -> User:
    """Hana, a health visitor whose agency works with the family."""
    health_visiting = Organisation.objects.create(
        name="Wyvern Health Visiting",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    hana = make_user(
        "hana@hv.example",
        "Hana Visitor",
        Team.objects.create(organisation=health_visiting, name="Health visitors"),
        Role.PRACTITIONER,
    )
    Involvement.objects.create(
        organisation=health_visiting,
        practitioner=hana,
        family=p.ashworth,
        service="Healthy Child Programme",
        started_on=datetime.date(2026, 10, 1),
    )
    return hana


def _check(page: Page, group: str, label: str) -> None:
    page.get_by_role("group", name=group).get_by_label(label, exact=True).check()


def _progress(page: Page, today: datetime.date) -> None:
    fill_date(page, "When was the review held?", today.day, today.month, today.year)
    _check(page, f"Progress: {HOME}", "Better: positive change")
    _check(page, f"Progress: {CHECKS}", "The same: no change")
    page.get_by_label("What did the family say about how things are going?").fill(
        "Chloe says the flat viewing went well and she feels less alone"
    )


def test_see_plan_do_review_in_the_browser(
    live_server, page: Page, partnership: Partnership
) -> None:  # type: ignore[no-untyped-def]
    p = partnership
    base = live_server.url
    hana = _hana(p)
    today = timezone.localdate()
    level_decision_record(
        actor=p.maya,
        family=p.ashworth,
        indicator_codes=["LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"],
        decided_level_code="targeted",
        rationale="Needs in three domains: a team around the family",
    )
    sign_in(page, base, p.maya)

    # 1. The team is formed and Maya named lead professional with the family's say.
    page.goto(f"{base}/plans/families/{p.ashworth.pk}/team/")
    expect(page.get_by_role("main")).to_contain_text("This family has no lead professional")
    assert_accessible(page)
    for who in (
        "Maya Midwife (Wyvern Hospitals Midwifery)",
        "Hana Visitor (Wyvern Health Visiting)",
    ):
        page.get_by_role("link", name="Add a member").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a member to the team")
        assert_accessible(page)
        _check(page, "Who is joining the team?", who)
        page.get_by_role("button", name="Add to the team").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Team around the family")
    _check(page, "Who is the lead professional?", "Maya Midwife (Wyvern Hospitals Midwifery)")
    page.get_by_label("What did the family say about who their lead professional is?").fill(
        "Chloe asked for Maya: she has known her since booking"
    )
    page.get_by_role("button", name="Save lead professional").click()
    expect(page.get_by_role("main")).to_contain_text("Lead professional: Maya Midwife")
    assert_accessible(page)

    # 2. The plan in the family's words, two needs, an action for each, agreed.
    page.get_by_role("link", name="The family's plan").click()
    page.get_by_label("In the family's words, what do they want to change?").fill(
        "We want our own flat before the baby comes, and the baby to be healthy"
    )
    page.get_by_role("button", name="Start the plan").click()
    assert_accessible(page)
    for headline, description in (
        ("Secure housing", HOME),
        ("Good early years development", CHECKS),
    ):
        _check(page, "Supporting Families headline outcome", headline)
        page.get_by_label("What will be different for the family?").fill(description)
        page.get_by_role("button", name="Add outcome").click()
        expect(page.get_by_role("main")).to_contain_text(description)
    due = today + datetime.timedelta(days=14)
    for outcome, owner, what in (
        (HOME, "Maya Midwife (Wyvern Hospitals Midwifery)", "Ring the housing office with Chloe"),
        (CHECKS, "The family", "Chloe books the baby's first check"),
    ):
        page.get_by_role("link", name="Add an action").click()
        assert_accessible(page)
        page.get_by_label("What will be done?").fill(what)
        _check(page, "Who will do it?", owner)
        fill_date(page, "Due date", due.day, due.month, due.year)
        page.get_by_label("Which outcome is it for?").select_option(label=outcome)
        page.get_by_role("button", name="Add action").click()
        expect(page.get_by_role("main")).to_contain_text(what)
    page.get_by_role("button", name="Agree the plan").click()  # no date: from the level
    first_due = today + datetime.timedelta(weeks=6)
    expect(page.get_by_role("main")).to_contain_text(f"Review on {first_due:%-d %B %Y}")
    assert_accessible(page)

    # 3. Do: Maya marks her action done.
    page.get_by_role("link", name="Ring the housing office with Chloe").click()
    assert_accessible(page)
    _check(page, "Status", "Done")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("main")).to_contain_text("Action updated")

    # 4. Review: an empty form is the error summary; then progress, view, continue.
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    panel = page.get_by_role("region", name="Reviews of the plan")
    expect(panel).to_contain_text(f"Next review due {first_due:%-d %B %Y}")
    panel.get_by_role("link", name="Reviews of the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews of the plan")
    assert_accessible(page)
    page.get_by_role("link", name="Record a review").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the review was held")
    expect(summary).to_contain_text("Select whether things are better, the same or worse")
    expect(summary).to_contain_text("Select the decision")
    assert_accessible(page)
    assert not PlanReview.objects.exists()
    _progress(page, today)
    _check(page, "What was decided?", "Continue with the plan")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("main")).to_contain_text("Review recorded: continue with the plan")
    expect(page.get_by_role("heading", level=3)).to_contain_text("Continue with the plan")
    assert_accessible(page)

    # 5. Step down to early help, handed over to Hana (R-LON-2).
    page.get_by_role("link", name="Record a review").click()
    _progress(page, today)
    _check(page, "What was decided?", "Step down to a lower level of need")
    page.get_by_label("Why was this decided?").fill(
        "The flat is secured; health visiting can carry on as single-agency early help"
    )
    _check(page, "Which level of need does the family step to?", "Additional needs: early help")
    page.get_by_label("Who receives the family?").select_option(label="Hana Visitor")
    page.get_by_label("Handover").fill("Hana continues the visits; the tenancy starts Monday")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("main")).to_contain_text("Review recorded: step down")
    expect(page.get_by_role("main")).to_contain_text("handed over to Hana Visitor")
    assert_accessible(page)
    stepped = LevelDecision.objects.first()
    assert stepped is not None and stepped.direction == "down"
    assert stepped.receiving_practitioner == hana

    # 6. Close with a reason and an outcome for every need (R-EHA-4).
    page.get_by_role("link", name="Record a review").click()
    _progress(page, today)
    _check(page, "What was decided?", "Close the plan")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why the plan is closing")
    assert_accessible(page)
    assert not PlanClosure.objects.exists()
    _check(page, "Why is the plan closing?", "The family's outcomes were met")
    _check(page, f"Outcome at closure: {HOME}", "Achieved")
    _check(page, f"Outcome at closure: {CHECKS}", "Partly achieved")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", name="Closure")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The family's outcomes were met")
    assert_accessible(page)
    assert Plan.objects.get().status == PlanStatus.CLOSED

    # 7. The family page: the successful outcome, computed, with its reasons (R-SF-2).
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    panel = page.get_by_role("region", name="Reviews of the plan")
    expect(panel).to_contain_text("Not a successful outcome")
    expect(panel).to_contain_text("1 need not achieved at closure")
    expect(panel).to_contain_text("No whole-family assessment has been signed off")
    assert_accessible(page)
