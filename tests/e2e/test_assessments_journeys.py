"""The early-help assessment in Chromium: a session timeout in the middle of a long
contribution loses nothing.

Maya, the midwife, is writing a long contribution to the Ashworth family's assessment. The
draft saves itself as she types. Her session ends (the session row is gone, as after the idle
timeout); she keeps typing, is told she has been signed out and that her text is kept on
this device, signs in again, comes back to the same page, finds everything she typed, and
saves it. Every page is checked with axe.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from conftest import PASSWORD, Partnership
from earlyhelp.assessments import services
from earlyhelp.assessments.models import Contribution, ContributionDraft
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import next_code, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = (
    "Chloe keeps every antenatal appointment and has bought a cot. She talks warmly about "
    "the baby and has asked about breastfeeding classes at the family hub. "
)
AFTER = (
    "Her grandmother visits most days and helps with shopping; Chloe says she would ring her "
    "first if she felt low after the birth."
)


@pytest.fixture(autouse=True)
def seeded_categories(transactional_db: None) -> None:
    """The need-to-know categories as their migration seeds them (see the sharing journeys)."""
    migration = importlib.import_module(
        "earlyhelp.sharing.migrations.0002_seed_information_categories"
    )
    migration.seed(apps, None)


def test_a_session_timeout_mid_contribution_loses_nothing(
    live_server, page: Page, partnership: Partnership
) -> None:
    p = partnership
    base = live_server.url
    assessment = services.assessment_start(
        actor=p.maya,
        family=p.ashworth,
        agreed_by=p.chloe,
        agreed_on=datetime.date(2026, 11, 2),
    )
    sign_in(page, base, p.maya)
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    page.get_by_role("link", name="Open the early help assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early help assessment")
    expect(page.get_by_text("No Family Nurse Partnership referral by 24 weeks")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a contribution").first.click()
    form_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a contribution")
    assert_accessible(page)
    page.get_by_role("radio", name="Chloe Ashworth").check()
    page.get_by_label("Which part of the assessment?").select_option("basic_care")
    strengths = page.get_by_role("textbox", name="Strengths")
    strengths.press_sequentially(BEFORE, delay=5)
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Draft saved")
    draft = ContributionDraft.objects.get(user=p.maya)
    assert draft.data["strengths"] == BEFORE

    # The session ends on the server, as after the idle timeout. She keeps typing.
    Session.objects.all().delete()
    strengths.press_sequentially(AFTER, delay=5)
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("You have been signed out")
    expect(status).to_contain_text("kept on this device")
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.data["strengths"] == BEFORE  # the server has only what it had

    # Sign in again from the link; back on the same page, everything is there.
    banner.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address").fill(p.maya.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.locator("#code").fill(next_code(p.maya))  # her second sign-in within the minute
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(form_url)
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "What you typed before you were signed out has been restored"
    )
    expect(page.get_by_role("textbox", name="Strengths")).to_have_value(BEFORE + AFTER)
    expect(page.get_by_role("radio", name="Chloe Ashworth")).to_be_checked()
    expect(status).to_contain_text("Draft saved")
    draft.refresh_from_db()
    assert draft.data["strengths"] == BEFORE + AFTER
    assert_accessible(page)

    page.get_by_role("button", name="Save contribution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early help assessment")
    expect(page.get_by_text("Contribution saved")).to_be_visible()
    contribution = Contribution.objects.get(assessment=assessment)
    assert contribution.strengths == (BEFORE + AFTER).strip()
    assert contribution.practitioner == p.maya
    assert not ContributionDraft.objects.exists()
    # The browser's copy is gone too: a new contribution starts empty.
    stored = page.evaluate(
        f"window.localStorage.getItem('earlyhelp-draft:{p.maya.pk}:{assessment.pk}:new')"
    )
    assert stored is None
    page.get_by_role("link", name="Add a contribution").first.click()
    expect(page.get_by_role("textbox", name="Strengths")).to_have_value("")
    assert_accessible(page)
