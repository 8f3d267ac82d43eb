"""The board view in Chromium: Bea, the board analyst, reads the figures as charts with the
same figures in tables beside them, filters a period (and is told when it ends before it
starts), compares agencies and areas, and records the yearly self-assessment; Maya, the
midwife, lists the families she works with that a measure counts. Every page is checked
with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import Partnership
from earlyhelp.insights.services import figures_recompute
from earlyhelp.insights.tests.cohort import TODAY, cohort_build
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_analyst_reads_filters_and_compares(
    live_server,
    page: Page,
    partnership: Partnership,  # type: ignore[no-untyped-def]
) -> None:
    cohort_build(partnership)
    figures_recompute(today=TODAY)
    base = live_server.url
    sign_in(page, base, partnership.bea)

    page.goto(f"{base}/insights/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board insights")
    chart = page.get_by_role("img", name="Families with an early help assessment")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Families with an early help assessment by month")
    expect(table.get_by_role("row", name="November 2026")).to_contain_text("63%")
    expect(
        page.get_by_role("heading", name="Safer-sleep red flags with an action plan: fewer than 5")
    ).to_be_visible()
    assert_accessible(page)

    # A period that ends before it starts.
    page.get_by_label("From", exact=True).select_option(label="November 2026")
    page.get_by_label("To", exact=True).select_option(label="October 2026")
    page.get_by_role("button", name="Show figures").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end of the period must be the same as or after its start")
    assert_accessible(page)

    page.get_by_label("From", exact=True).select_option(label="October 2026")
    page.get_by_label("To", exact=True).select_option(label="November 2026")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    page.locator('a[href^="/insights/measures/coverage-assessment/?"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Families with an early help assessment"
    )
    expect(
        page.get_by_role("img", name="Families with an early help assessment by area")
    ).to_be_visible()
    areas = page.get_by_role("table", name="Families with an early help assessment by area")
    expect(areas.get_by_role("row", name="Wyvern")).to_contain_text("fewer than 5")
    assert_accessible(page)

    page.goto(f"{base}/insights/self-assessment/")
    page.get_by_role("button", name="Record the self-assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a rating for family voice")
    assert_accessible(page)
    for group in page.locator(".govuk-radios").all():
        group.get_by_label("Developing").check()
    for box in page.locator("textarea").all():
        box.fill("The young parents task group reviewed this in October.")
    page.get_by_role("button", name="Record the self-assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Self-assessment recorded")
    history = page.get_by_role("table", name="2026, recorded")
    expect(history.get_by_role("row", name="Family voice and experience")).to_contain_text(
        "Developing"
    )
    assert_accessible(page)


def test_midwife_lists_the_families_a_measure_counts(
    live_server,
    page: Page,
    partnership: Partnership,  # type: ignore[no-untyped-def]
) -> None:
    cohort_build(partnership)
    base = live_server.url
    sign_in(page, base, partnership.maya)
    page.goto(f"{base}/insights/measures/coverage-assessment/families/?month=2026-11")
    table = page.get_by_role("table", name="Families counted")
    expect(table.get_by_role("row", name="F1 household")).to_contain_text("1")
    expect(table).not_to_contain_text("F9 household")
    assert_accessible(page)
