"""Housing as a safeguarding partner, in Chromium (issue 6).

Harry, the housing officer, opens a homelessness case for Zara, 19, and her 3-month-old Ava:
the young-parent priority and the in-area requirement are decided and explained (R-HOU-1).
He records an out-of-area offer and is stopped: it waits for a suitability assessment and a
senior housing manager's approval (R-HOU-2). Sunita, the senior housing manager, is refused
until the suitability is recorded, then approves. The notice to the receiving authority is
produced with its 14-day deadline (R-HOU-3); Lee (the team around the family) and Hana (the
health visitor) are alerted, and Hana finds the safer-sleep reassessment task on the family
page (R-SS-1). Bad input shows the GOV.UK error summary. Every page is checked with axe.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.housing.models import Placement, PlacementStatus
from earlyhelp.housing.tests.personas import FACTORS, WHY, housing_setup
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "distance_from_district": "Distance from the authority's district",
    "disruption_to_work_care_education": "Disruption to employment",
    "access_to_medical_and_support": "Access to medical facilities",
    "local_services_and_transport": "Local services, amenities and transport",
}


@pytest.fixture(autouse=True)
def seeded_categories(transactional_db: None) -> None:
    """The information categories (a transactional test empties migration data)."""
    importlib.import_module("earlyhelp.sharing.migrations.0002_seed_information_categories").seed(
        apps, None
    )


def _another_browser(page: Page) -> Page:
    """Each persona in their own browser: nobody signs in twice within one code's minute."""
    browser = page.context.browser
    assert browser is not None
    return browser.new_context().new_page()


def test_out_of_area_offer_for_a_young_parent(live_server, page: Page, partnership) -> None:  # type: ignore[no-untyped-def]
    h = housing_setup(partnership)
    base = live_server.url
    start = timezone.localdate() + datetime.timedelta(days=2)

    # 1. Harry opens the case: the priority decided and explained.
    sign_in(page, base, h.harry)
    page.goto(f"{base}/housing/families/{h.brook.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing")
    assert_accessible(page)
    page.get_by_role("link", name="Open a housing case").click()
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Zara Brook").check()
    page.get_by_label("Homelessness case (Part 7)").check()
    page.get_by_label("Homeless now or threatened with homelessness").check()
    page.get_by_label("No family or other support nearby").check()
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_text("Housing case opened and the priority decided")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Young-parent priority")
    expect(main).to_contain_text("To be housed in the area")
    expect(main).to_contain_text("Zara Brook is 19")
    expect(main).to_contain_text("version 2026.1")
    assert_accessible(page)

    # 2. Bad input, then the out-of-area offer: it waits.
    page.get_by_role("link", name="Record a placement").click()
    assert_accessible(page)
    page.get_by_label("Self-contained temporary accommodation").check()
    fill_date(page, "Start date", start.day, start.month, start.year)
    yesterday = start - datetime.timedelta(days=1)
    fill_date(page, "End date (optional)", yesterday.day, yesterday.month, yesterday.year)
    page.get_by_role("button", name="Record placement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the first line of the address")
    expect(summary).to_contain_text("Enter the local authority")
    expect(summary).to_contain_text("The end date must be")
    assert_accessible(page)
    assert not Placement.objects.exists()
    page.get_by_label("Address line 1").fill("4 Canal Row")
    page.get_by_label("Town or city").fill("Barton")
    page.get_by_label("Local authority").fill("Borsetshire")
    page.get_by_role("group", name="End date (optional)").get_by_label("Day").fill("")
    page.get_by_role("group", name="End date (optional)").get_by_label("Month").fill("")
    page.get_by_role("group", name="End date (optional)").get_by_label("Year").fill("")
    page.get_by_label("Section 188(1)", exact=False).check()
    page.get_by_role("button", name="Record placement").click()
    expect(main).to_contain_text("Waiting for suitability and approval")
    expect(main).not_to_contain_text("Notice to Borsetshire")
    placement = Placement.objects.get()
    assert placement.status == PlacementStatus.AWAITING_APPROVAL

    # 3. Sunita cannot approve before the suitability is recorded.
    harry = page
    page = _another_browser(harry)
    sign_in(page, base, h.sunita)
    page.goto(f"{base}/housing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing work tray")
    assert_accessible(page)
    page.get_by_role("link", name="Approve the placement for Brook household").click()
    page.get_by_label("Why do you approve this placement outside the area?").fill("No unit here")
    page.get_by_role("button", name="Approve placement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "record the suitability assessment"
    )
    assert_accessible(page)

    # 4. Harry records the suitability; a general shortage is refused first.
    sunita, page = page, harry
    page.goto(f"{base}/housing/placements/{placement.pk}/suitability/")
    for code, label in LABELS.items():
        page.get_by_label(label, exact=False).fill(FACTORS[code])
    page.get_by_label("Why was nothing nearer available?").fill("General shortage")
    page.get_by_role("button", name="Save suitability assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a general shortage")
    assert_accessible(page)
    page.get_by_label("Why was nothing nearer available?").fill(WHY)
    page.get_by_role("button", name="Save suitability assessment").click()
    expect(page.get_by_text("Suitability assessment recorded")).to_be_visible()

    # 5. Sunita approves: the notice is produced with its deadline.
    page = sunita
    page.goto(f"{base}/housing/placements/{placement.pk}/approval/")
    expect(page.get_by_role("main")).to_contain_text(WHY)
    page.get_by_label("Why do you approve this placement outside the area?").fill(
        "No safe in-area unit with space for a cot this week"
    )
    page.get_by_role("button", name="Approve placement").click()
    expect(page.get_by_text("Placement approved: the notice is ready to send")).to_be_visible()
    due = start + datetime.timedelta(days=14)
    expect(page.get_by_role("main")).to_contain_text(f"Due by {due.day} {due:%B %Y}")
    page.get_by_role("link", name="Notice letter").click()
    letter = page.get_by_role("main")
    expect(letter).to_contain_text("section 208")
    expect(letter).to_contain_text("4 Canal Row")
    expect(letter).to_contain_text("Ava Brook")
    expect(letter).to_contain_text("Section 188(1)")
    assert_accessible(page)

    # 6. Hana: alerted, and the safer-sleep reassessment task is on the family page.
    page = _another_browser(harry)
    sign_in(page, base, h.hana)
    page.goto(f"{base}/alerts/")
    expect(page.get_by_role("main")).to_contain_text("Placed out of the area: Brook household")
    expect(page.get_by_role("main")).to_contain_text("Reassess safer sleep: Brook household")
    assert_accessible(page)
    page.goto(f"{base}/people/families/{h.brook.pk}/")
    reassessments = page.locator("#safer-sleep-reassessments")
    expect(reassessments).to_contain_text("Ava Brook")
    expect(page.locator("#housing")).to_contain_text("Outside the area")
    assert_accessible(page)

    # 7. Lee, the lead professional, is alerted too.
    page = _another_browser(harry)
    sign_in(page, base, h.lee)
    page.goto(f"{base}/alerts/")
    expect(page.get_by_role("main")).to_contain_text("Placed out of the area: Brook household")


def test_the_other_housing_pages_are_accessible(live_server, page: Page, partnership) -> None:  # type: ignore[no-untyped-def]
    """The risk to the child, the hand-over, the notice sent, duty to refer, deciding the
    priority again, the work tray with a countdown and an under-18 tenant, the board's
    figures: each as its persona, each checked with axe, bad input shown in the summary."""
    from earlyhelp.housing import services

    h = housing_setup(partnership)
    base = live_server.url
    today = timezone.localdate()
    case = services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="homelessness",
        homeless=True,
        vulnerabilities=["other"],
    )
    placement = services.placement_record(
        actor=h.harry,
        case=case,
        line_1="4 Canal Row",
        town="Barton",
        local_authority="Borsetshire",
        placement_type="temporary",
        start_on=today,
    )
    services.suitability_record(
        actor=h.harry, placement=placement, factors=FACTORS, why_nothing_nearer=WHY
    )
    services.placement_approve(actor=h.sunita, placement=placement, note="No unit in the area")
    chloe_case = services.housing_case_open(
        actor=h.harry,
        family=partnership.ashworth,
        person_id=partnership.chloe.pk,
        kind="application",
        vulnerabilities=["other"],
    )
    services.placement_record(
        actor=h.harry,
        case=chloe_case,
        line_1="2 Orchard Close",
        town="Wyvern",
        local_authority="Wyvern City",
        placement_type="social_tenancy",
        start_on=today,
        trustee="Jo Ashworth (aunt)",
    )

    sign_in(page, base, h.harry)
    for path, button, problem in [
        (f"/housing/cases/{case.pk}/child-impact/", "Save", "Select the risk to the child"),
        (
            f"/housing/placements/{placement.pk}/handovers/new/",
            "Record hand-over",
            "Select the service",
        ),
        (
            f"/housing/notices/{placement.notice.pk}/sent/",
            "Record as sent",
            "Enter the date the notice was sent",
        ),
        (
            f"/housing/families/{h.brook.pk}/duty-to-refer/",
            "Record referral",
            "needs the person's consent",
        ),
    ]:
        page.goto(f"{base}{path}")
        assert_accessible(page)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(problem)
        assert_accessible(page)
    page.goto(f"{base}/housing/cases/{case.pk}/priority-review/")
    assert_accessible(page)
    page.get_by_role("button", name="Decide again").click()
    expect(page.get_by_text("Priority decided again on today's household")).to_be_visible()
    page.goto(f"{base}/housing/")
    expect(page.get_by_role("main")).to_contain_text("Jo Ashworth (aunt)")
    assert_accessible(page)
    page.goto(f"{base}/housing/families/{partnership.ashworth.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Under 18")
    assert_accessible(page)

    bea = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    sign_in(bea, base, partnership.bea)
    bea.goto(f"{base}/housing/board/")
    expect(bea.get_by_role("heading", level=1)).to_contain_text("figures")
    assert_accessible(bea)
