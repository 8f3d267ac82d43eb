"""Safer sleep as practitioners do it, in Chromium, with axe on every page.

- Maya, the midwife, records the antenatal safer-sleep assessment for the Ashworths' unborn
  baby: the baby will sleep on the sofa with Chloe. Without an action plan she is told what
  is missing; with one, the red flag alerts Hana (the health visitor) and Lee (the lead
  professional) at once (R-SS-3).
- Harry, a housing officer working with Chloe, records her move to temporary accommodation
  (R-SS-4); Hana then finds the safer-sleep reassessment on the family page (R-SS-1).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.people.models import Involvement
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.safersleep.models import ReassessmentTask, SaferSleepAssessment
from earlyhelp.safersleep.rules import RISK_QUESTIONS
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _people(p: Partnership) -> tuple[User, User, User]:
    """Hana the health visitor, Lee the lead professional, Harry from housing."""
    start = datetime.date(2026, 10, 1)
    hv = Organisation.objects.create(
        name="Wyvern Health Visiting", agency_type=AgencyType.HEALTH_VISITING, local_authority="W"
    )
    homes = Organisation.objects.create(
        name="Wyvern Homes", agency_type=AgencyType.HOUSING, local_authority="W"
    )
    hana = make_user(
        "hana@hv.example",
        "Hana Visitor",
        Team.objects.create(organisation=hv, name="Health visitors"),
        Role.PRACTITIONER,
    )
    lee = make_user(
        "lee@earlyhelp.example",
        "Lee Lead",
        Team.objects.create(organisation=p.early_help, name="Family support"),
        Role.PRACTITIONER,
    )
    harry = make_user(
        "harry@homes.example",
        "Harry Housing",
        Team.objects.create(organisation=homes, name="Housing options"),
        Role.HOUSING_OFFICER,
    )
    Involvement.objects.create(
        organisation=hv, practitioner=hana, family=p.ashworth, service="HCP", started_on=start
    )
    Involvement.objects.create(
        organisation=homes, practitioner=harry, person=p.chloe, service="Housing", started_on=start
    )
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=lee,
        organisation=p.early_help,
        is_lead_professional=True,
        joined_on=start,
    )
    return hana, lee, harry


def _sign_out(page: Page) -> None:
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()


def _family_page(page: Page, base_url: str, p: Partnership) -> None:
    page.goto(f"{base_url}/people/families/{p.ashworth.pk}/")
    expect(page.get_by_role("heading", name="Safer sleep")).to_be_visible()


def test_red_flag_alerts_and_a_move_recorded_by_housing_creates_the_reassessment(
    live_server, page: Page, partnership: Partnership
) -> None:
    p = partnership
    hana, lee, harry = _people(p)
    today = timezone.localdate()

    # 1. Maya records the antenatal assessment: sofa sleeping is a red flag (R-SS-3).
    sign_in(page, live_server.url, p.maya)
    _family_page(page, live_server.url, p)
    assert_accessible(page)
    page.get_by_role("link", name="Record a safer-sleep assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a safer-sleep assessment")
    assert_accessible(page)
    page.get_by_role("group", name="Which contact is this?").get_by_label(
        "Antenatal contact"
    ).check()
    fill_date(page, "Date", today.day, today.month, today.year)
    for name, (question, _seen) in RISK_QUESTIONS.items():
        answer = "Yes" if name in {"sofa_or_chair_sleeping", "parent_smokes"} else "No"
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label("Where and how does the baby sleep?").fill(
        "On the sofa with Chloe in the evenings; no cot yet"
    )
    page.get_by_label("The conversation about safer sleep").fill(
        "Explained the sofa risk and the Lullaby Trust advice; Chloe wants a cot"
    )
    page.get_by_role("button", name="Record safer sleep").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the action plan")
    assert_accessible(page)
    assert not SaferSleepAssessment.objects.exists()
    page.get_by_label("Action plan").fill("Cot from the baby bank by Friday; Hana visits Monday")
    page.get_by_label("Cot", exact=True).check()
    page.get_by_role("button", name="Record safer sleep").click()
    expect(
        page.get_by_text("the lead professional and health visitor have been alerted")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Safer-sleep assessments and observations")
    ).to_contain_text("Red flag")
    assert_accessible(page)
    assert set(
        Alert.objects.filter(kind="safer_sleep_red_flag").values_list("recipient", flat=True)
    ) == {
        hana.pk,
        lee.pk,
    }
    _sign_out(page)

    # 2. Harry, from housing, records Chloe's move (R-SS-4).
    sign_in(page, live_server.url, harry)
    _family_page(page, live_server.url, p)
    page.get_by_role("link", name="Record a disruption of routine, such as a move").click()
    assert_accessible(page)
    page.get_by_label("House move").check()
    fill_date(page, "When did it happen?", today.day, today.month, today.year)
    page.get_by_label("Details").fill("Moved to temporary accommodation at Mill Lane")
    page.get_by_role("button", name="Record the disruption").click()
    expect(page.get_by_text("asked to reassess safer sleep")).to_be_visible()
    task = ReassessmentTask.objects.get()
    assert set(task.assignees.all()) == {hana, lee}
    _sign_out(page)

    # 3. Hana finds the reassessment on the family page (R-SS-1).
    sign_in(page, live_server.url, hana)
    _family_page(page, live_server.url, p)
    tasks = page.get_by_role("table", name="Safer-sleep reassessments to do")
    expect(tasks).to_contain_text("House move")
    expect(tasks).to_contain_text("Hana Visitor")
    expect(tasks.get_by_role("link", name="Record the reassessment")).to_be_visible()
    # R-SS-5: the header shows the smoking Maya recorded, as a flag.
    expect(page.locator("#family-vulnerabilities")).to_have_text("Smoking")
    assert_accessible(page)
