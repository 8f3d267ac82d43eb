"""Public pages render with GOV.UK Frontend and pass axe in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_accessibility_statement_is_styled_and_accessible(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    # GOV.UK Frontend's stylesheet and fonts loaded: the heading uses its font stack.
    font = page.eval_on_selector("h1", "el => getComputedStyle(el).fontFamily")
    assert "GDS Transport" in font or "arial" in font.lower()
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert_accessible(page)


def test_skip_link_reaches_main_content_by_keyboard(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/accessibility/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
