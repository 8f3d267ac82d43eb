"""Levels of need as a practitioner decides them, in Chromium (R-LON-1, R-LON-2, R-WT-2).

Maya, the midwife, reads the partnership's threshold framework, opens the Ashworth family,
ticks the indicators that describe Chloe's situation, sees the suggested level with exactly
which indicators led to it, decides a different level with her rationale, and finds the
current level on the family page. Then she steps the family up, recording the handover and
the receiving practitioner. Every page is checked with axe.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from conftest import Partnership
from earlyhelp.levels.loading import example_framework_seed
from earlyhelp.levels.models import LevelDecision
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def seeded_framework(transactional_db: None) -> None:
    """The need-to-know categories and the example framework, as their migrations load them.

    A transactional test empties the database when it ends, migration data included.
    """
    importlib.import_module("earlyhelp.sharing.migrations.0002_seed_information_categories").seed(
        apps, None
    )
    example_framework_seed(apps.get_model)


def _indicator(page: Page, domain: str, text: str) -> None:
    page.get_by_role("group", name=domain).get_by_label(text).check()


def test_level_is_suggested_with_its_reasons_and_decided(
    live_server, page: Page, partnership: Partnership
) -> None:  # type: ignore[no-untyped-def]
    p = partnership
    base = live_server.url
    sign_in(page, base, p.maya)

    # The framework in force: version and sign-off.
    page.goto(f"{base}/levels/framework/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Levels of need for young parents (under 20) and their babies"
    )
    expect(page.get_by_role("main")).to_contain_text("2026.1")
    expect(page.get_by_role("main")).to_contain_text("Signed off by")
    assert_accessible(page)

    # The family page: no level yet.
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    expect(page.get_by_role("heading", name="Level of need")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("No level of need has been decided")
    page.get_by_role("link", name="Decide the level of need").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide the level of need")
    assert_accessible(page)

    # Nothing ticked: the GOV.UK error summary, not a 500.
    page.get_by_role("button", name="See the suggested level").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select at least one indicator")
    assert_accessible(page)

    # Three additional needs from three domains: cumulative concern suggests targeted.
    page.get_by_role("group", name="Who is the decision about?").get_by_label(
        "Chloe Ashworth"
    ).check()
    _indicator(
        page,
        "Child's developmental needs",
        "Teenage pregnancy or teenage parent needing targeted, low-level support",
    )
    _indicator(
        page, "Parenting capacity", "Young, inexperienced parent needing advice on parenting"
    )
    _indicator(
        page,
        "Family and environmental factors",
        "Limited family or friend support; new to the area, little community contact",
    )
    page.get_by_role("button", name="See the suggested level").click()
    expect(
        page.get_by_role("heading", name="Suggested level: Targeted: complex needs")
    ).to_be_visible()
    reasons = page.get_by_role("list", name="Suggested level: Targeted: complex needs")
    expect(reasons).to_contain_text("LON-CD-2-05")
    expect(reasons).to_contain_text("LON-PC-2-01")
    expect(reasons).to_contain_text("LON-FE-2-02")
    expect(reasons).to_contain_text("3 indicators at Additional needs: early help across 3 domains")
    assert_accessible(page)

    # Decide a different level without a rationale: the message says why it is needed.
    page.get_by_role("group", name="What level have you decided?").get_by_label(
        "Additional needs: early help"
    ).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "a decision that differs from the suggestion needs its rationale"
    )
    assert_accessible(page)
    page.get_by_label("Rationale").fill(
        "Chloe's aunt has moved in to help and the health visitor sees her weekly: "
        "single-agency early help for now, review in six weeks."
    )
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Level of need: Additional needs: early help"
    )
    expect(page.get_by_role("alert")).to_contain_text("Level of need recorded")
    expect(page.get_by_role("main")).to_contain_text("Differs from the suggested level")
    expect(page.get_by_role("main")).to_contain_text("Chloe's aunt has moved in")
    assert_accessible(page)
    decision = LevelDecision.objects.get()
    assert decision.decided_level.code == "additional"
    assert decision.suggested_level.code == "targeted"
    assert decision.framework.version == "2026.1"
    assert decision.person == p.chloe

    # The family page shows the current level, who decided it and when.
    page.get_by_role("link", name="Back to Ashworth household").click()
    panel = page.get_by_role("main")
    expect(panel).to_contain_text("Additional needs: early help")
    expect(panel).to_contain_text("Maya Midwife")

    # Step up: the handover and the receiving practitioner are recorded (R-LON-2).
    page.get_by_role("link", name="Decide the level of need").click()
    _indicator(
        page,
        "Family and environmental factors",
        "Chronic, serious or escalating domestic abuse; abuse during pregnancy",
    )
    page.get_by_role("button", name="See the suggested level").click()
    expect(
        page.get_by_role("heading", name="Suggested level: Specialist: statutory")
    ).to_be_visible()
    page.get_by_role("group", name="What level have you decided?").get_by_label(
        "Specialist: statutory"
    ).check()
    page.get_by_label("Rationale").fill("Chloe disclosed abuse during pregnancy today.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the handover")
    page.get_by_label("Handover").fill("Safety plan agreed with Chloe; MARAC referral made.")
    page.get_by_label("Receiving practitioner").select_option(label="Fatima Front")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Level of need: Specialist: statutory"
    )
    expect(page.get_by_role("main")).to_contain_text("Step up")
    expect(page.get_by_role("main")).to_contain_text("Fatima Front")
    assert_accessible(page)
    step = LevelDecision.objects.get(direction="up")
    assert step.receiving_practitioner == p.fatima
