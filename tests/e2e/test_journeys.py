"""The foundation's main journeys, as a practitioner does them, in Chromium with axe checks.

Maya, a community midwife whose team is involved with the Ashworth family, signs in with her
password and authenticator app, finds Chloe despite a typo, records a new family expecting a
baby, and records the birth.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from earlyhelp.people.models import FamilyMember, Person, Relationship
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def current_code(user) -> str:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def next_code(user) -> str:  # type: ignore[no-untyped-def]
    """The code for the next 30-second step: signing in twice within one step must not reuse
    a code (django-otp refuses replays), and the device accepts one step ahead."""
    device = TOTPDevice.objects.get(user=user)
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=1):06d}"
    )


def sign_in(page: Page, base_url: str, user, *, check_accessibility: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/account/sign-in/?next=/")
    if check_accessibility:
        assert_accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("code")
    if check_accessibility:
        assert_accessible(page)
    page.locator("#code").fill(current_code(user))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Welcome, {user.full_name}")


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def test_sign_in_with_password_and_authenticator_code(live_server, page: Page, partnership) -> None:
    sign_in(page, live_server.url, partnership.maya, check_accessibility=True)
    assert_accessible(page)
    # Signed in for real: a family record opens.
    page.goto(f"{live_server.url}/people/families/{partnership.ashworth.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ashworth household")


def test_a_wrong_code_is_refused_with_a_clear_message(live_server, page: Page, partnership) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("Email address").fill(partnership.maya.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    wrong = (int(current_code(partnership.maya)) + 1) % 1_000_000
    page.locator("#code").fill(f"{wrong:06d}")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_search_finds_a_person_despite_a_typo(live_server, page: Page, partnership) -> None:
    sign_in(page, live_server.url, partnership.maya)
    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_label("Name").fill("Chloe Ashwoth")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table")
    expect(results).to_contain_text("Chloe Ashworth")
    # Leah Ashworth is in no family Maya's team works with: never shown.
    expect(page.locator("main")).not_to_contain_text("Leah")
    assert_accessible(page)
    page.get_by_role("link", name="Chloe Ashworth").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chloe Ashworth")
    assert_accessible(page)


def test_search_by_keyboard_alone(live_server, page: Page, partnership) -> None:
    sign_in(page, live_server.url, partnership.maya)
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Name").focus()
    page.keyboard.type("Chloe Ashwoth")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Chloe Ashworth")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chloe Ashworth")


def test_record_a_family_with_an_unborn_baby_then_the_birth(
    live_server, page: Page, partnership
) -> None:
    today = timezone.localdate()
    due = today + datetime.timedelta(days=90)
    sign_in(page, live_server.url, partnership.maya)
    page.goto(f"{live_server.url}/people/families/new/")
    assert_accessible(page)

    # A first try with a mistake: the error summary names it and nothing is saved.
    page.get_by_label("Name for the family").fill("Brennan household")
    page.get_by_label("Mother", exact=True).check()
    page.get_by_label("Given name").fill("Kayleigh")
    page.get_by_label("Family name").fill("Brennan")
    fill_date(page, "Date of birth", 3, 4, today.year - 17)
    page.get_by_label("NHS number").fill("943 476 5918")  # wrong check digit
    page.get_by_label("Yes").check()
    fill_date(page, "Expected date of delivery", due.day, due.month, due.year)
    page.get_by_role("button", name="Record the family").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("NHS number")
    assert_accessible(page)
    assert not Person.objects.filter(family_name="Brennan").exists()

    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Record the family").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brennan household")
    expect(page.locator("main")).to_contain_text("Kayleigh Brennan")
    expect(page.locator("main")).to_contain_text("Unborn")
    assert_accessible(page)

    unborn = Person.objects.get(family_name="Brennan", is_unborn=True)
    page.get_by_role("link", name="Record the birth").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the birth")
    born = today - datetime.timedelta(days=1)
    fill_date(page, "Date of birth", born.day, born.month, born.year)
    page.get_by_label("Given name").fill("Mia")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Record the birth").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mia Brennan")
    assert_accessible(page)

    # The same record became the child, keeping its place in the family.
    child = Person.objects.get(pk=unborn.pk)
    assert not child.is_unborn and child.date_of_birth == born
    assert FamilyMember.objects.get(person=child).relationship == Relationship.CHILD


def test_signing_out_removes_drafts_kept_in_the_browser(
    live_server, page: Page, partnership
) -> None:
    sign_in(page, live_server.url, partnership.maya)
    page.evaluate(
        "() => { localStorage.setItem('earlyhelp-draft:1:2:x', '{}');"
        " localStorage.setItem('something-else', 'kept') }"
    )
    page.goto(f"{live_server.url}/account/sign-out/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('earlyhelp-draft:1:2:x')") is None
    assert page.evaluate("() => localStorage.getItem('something-else')") == "kept"
