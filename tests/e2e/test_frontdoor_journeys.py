"""The front door, as practitioners use it, in Chromium with axe checks.

Maya, a community midwife, asks the front door for support for Chloe, who is 17 and
pregnant (R-WT-9: a parent who is also a child), recording what Chloe knows and agrees to
(R-WT-3). Fatima, a front door worker, finds the request in the queue and decides it within
one working day (R-TIME-1), and Maya sees the decision.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import Partnership
from earlyhelp.alerts.models import Alert
from earlyhelp.frontdoor.models import RequestForSupport
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CONCERN = (
    "Chloe is 17 and 24 weeks pregnant. She has been sofa-surfing since October and has "
    "missed two antenatal appointments."
)


def test_a_midwife_requests_support_and_the_front_door_decides_within_the_clock(
    live_server, page: Page, browser: Browser, partnership: Partnership
) -> None:
    p = partnership
    base = live_server.url
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    sign_in(page, base, p.maya)

    # From the family page.
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    expect(page.get_by_role("table", name="Requests for support")).to_contain_text(
        "No requests for support"
    )
    page.get_by_role("link", name="Request support from the front door").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request support")
    assert_accessible(page)

    # Nothing filled in: the GOV.UK error summary, focused, and nothing sent.
    page.get_by_role("button", name="Send the request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter what you are worried about")
    expect(summary).to_contain_text("Select whether the family agrees to the request")
    assert_accessible(page)
    assert not RequestForSupport.objects.exists()

    page.get_by_role("group", name="Who is it mainly about?").get_by_label(
        "Chloe Ashworth (mother)"
    ).check()
    page.get_by_label("What are you worried about?").fill(CONCERN)
    page.get_by_role("group", name="Does it include sensitive information?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("What does the family know about this request?").fill(
        "Chloe knows I am asking for help with somewhere to live and support with the baby."
    )
    page.get_by_label("Yes, the family knows and agrees").check()
    page.get_by_label("Routine: within one working day").check()
    page.get_by_label("Another basis: write it here").check()
    basis = page.get_by_label("The basis for sharing")
    expect(basis).to_be_visible()  # revealed under the answer
    basis.fill("Chloe agreed at her antenatal appointment today")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request for support")
    expect(page.get_by_role("alert")).to_contain_text("A decision is due by")
    expect(page.get_by_role("main")).to_contain_text("Waiting for the front door")
    assert_accessible(page)
    made = RequestForSupport.objects.get()
    assert made.about_person == p.chloe and made.requested_by == p.maya

    # The front door, on another tablet: the queue, the request, the decision.
    maya_page, page = page, browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    sign_in(page, base, p.fatima)
    page.goto(f"{base}/frontdoor/")
    queue = page.get_by_role("table", name="Requests waiting for a decision")
    expect(queue).to_contain_text("Ashworth household")
    expect(queue).not_to_contain_text("Overdue")
    assert_accessible(page)
    queue.get_by_role("link", name="Ashworth household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for support")
    expect(page.get_by_role("main")).to_contain_text(CONCERN)
    assert_accessible(page)
    page.get_by_role("link", name="Decide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on the request")
    assert_accessible(page)

    # No reasons: refused with a clear message.
    page.get_by_role("group", name="What is the response?").get_by_label(
        "Early help", exact=True
    ).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reasons for the decision"
    )
    assert_accessible(page)
    page.get_by_label("Reasons for the decision").fill(
        "Chloe agrees to early help: a family support worker will visit with the midwife "
        "this week, and housing options are asked to see her."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(page.get_by_role("main")).to_contain_text("Decided: Early help")
    assert_accessible(page)

    made.refresh_from_db()
    assert made.decided_by == p.fatima and made.route == "early_help"
    # Within the clock (R-TIME-1): decided no later than the due day.
    assert made.decided_at is not None
    assert timezone.localdate(made.decided_at) <= made.decision_due_on
    assert Alert.objects.filter(recipient=p.maya, kind="request_for_support.decided").exists()
    page.context.close()

    # Maya, still signed in, sees the decision on the family page.
    maya_page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    expect(maya_page.get_by_role("table", name="Requests for support")).to_contain_text(
        "Decided: Early help"
    )
    assert_accessible(maya_page)
