"""The whole journey across the front door, the assessment, levels of need and safer sleep,
in Chromium, each persona signed in on their own device, with axe on each new page.

- Maya, the community midwife, asks the front door for support for Chloe, 17 and pregnant
  (R-WT-3, R-WT-9).
- Fatima, at the front door, decides early help within one working day (R-TIME-1), by
  keyboard alone.
- Lee, the early help practitioner and the family's lead professional, starts the
  whole-family assessment with Chloe's agreement (R-WT-3, R-WT-4).
- Hana, the health visitor (her agency works with the family), and Harry, a housing officer
  (his agency works with Chloe: the involvement route of the sharing policy), each contribute;
  each contribution is attributed to its practitioner and agency (R-EHA-1, R-SF-1).
- Lee ticks the indicators, sees the suggested level with exactly which indicators led to it,
  and decides it with a rationale under the framework in force (R-LON-1).
- Maya records the antenatal safer-sleep assessment: sofa sleeping is a red flag, so the
  health visitor and the lead professional are alerted: each finds the alert under "Alerts";
  Hana follows it to the family and acknowledges it (R-SS-2, R-SS-3).
- Harry records Chloe's move (R-SS-4); Hana finds the alert to reassess under "Alerts" and the
  safer-sleep reassessment on the family page (R-SS-1).
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import Partnership, journey_team
from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Assessment, Contribution
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.levels.models import LevelDecision
from earlyhelp.safersleep.models import ReassessmentTask, SaferSleepAssessment
from earlyhelp.safersleep.rules import RISK_QUESTIONS
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in
from tests.e2e.test_sharing_journeys import _choose_radio, _tab_to, _type_into

pytestmark = pytest.mark.django_db(transaction=True)

CONCERN = (
    "Chloe is 17 and 24 weeks pregnant. She has been sofa-surfing since October and has "
    "missed two antenatal appointments."
)
REASONS = (
    "Chloe agrees to early help: a family support worker will visit with the midwife this "
    "week, and housing options are asked to see her."
)
HANA_STRENGTHS = "Chloe keeps her antenatal contacts and has asked about feeding classes."
HARRY_NEED = "Sofa-surfing at a friend's flat: no tenancy and nowhere safe for a cot."
RATIONALE = (
    "Three agencies see needs in three domains: a team around the family with Lee as lead "
    "professional, review in six weeks."
)


def _device(browser: Browser, base: str, user: User) -> Page:
    """A tablet of the persona's own, signed in."""
    page = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    sign_in(page, base, user)
    return page


def _family_page(page: Page, base: str, p: Partnership) -> None:
    page.goto(f"{base}/people/families/{p.ashworth.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")


def _alerts_page(page: Page, base: str) -> None:
    """Through the navigation, as a practitioner would: "Alerts" with the open count."""
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts")


def _contribute(
    page: Page, *, dimension: str, strengths: str = "", need: str = "", outcome: str = ""
) -> None:
    page.get_by_role("link", name="Open the early help assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early help assessment")
    page.get_by_role("link", name="Add a contribution").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a contribution")
    page.get_by_role("radio", name="Chloe Ashworth").check()
    page.get_by_label("Which part of the assessment?").select_option(dimension)
    if strengths:
        page.get_by_role("textbox", name="Strengths").fill(strengths)
    if need:
        page.get_by_role("textbox", name="Need (optional)").fill(need)
        page.get_by_label("Supporting Families headline outcome").select_option(outcome)
    page.get_by_role("button", name="Save contribution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early help assessment")
    expect(page.get_by_text("Contribution saved")).to_be_visible()


def test_the_whole_journey_from_the_request_to_the_safer_sleep_reassessment(
    live_server, page: Page, browser: Browser, partnership: Partnership
) -> None:
    p = partnership
    base = live_server.url
    hana, lee, harry = journey_team(p)
    today = timezone.localdate()
    devices: list[Page] = []

    # 1. Maya asks the front door for support for Chloe (R-WT-3, R-WT-9).
    maya = page
    maya.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    sign_in(maya, base, p.maya)
    _family_page(maya, base, p)
    assert_accessible(maya)
    maya.get_by_role("link", name="Request support from the front door").click()
    expect(maya.get_by_role("heading", level=1)).to_have_text("Request support")
    assert_accessible(maya)
    maya.get_by_role("group", name="Who is it mainly about?").get_by_label(
        "Chloe Ashworth (mother)"
    ).check()
    maya.get_by_label("What are you worried about?").fill(CONCERN)
    maya.get_by_role("group", name="Does it include sensitive information?").get_by_label(
        "No", exact=True
    ).check()
    maya.get_by_label("What does the family know about this request?").fill(
        "Chloe knows I am asking for help with somewhere to live and support with the baby."
    )
    maya.get_by_label("Yes, the family knows and agrees").check()
    maya.get_by_label("Routine: within one working day").check()
    maya.get_by_label("Another basis: write it here").check()
    maya.get_by_label("The basis for sharing").fill("Chloe agreed at her antenatal appointment")
    maya.get_by_role("button", name="Send the request").click()
    expect(maya.get_by_role("heading", level=1)).to_have_text("Request for support")
    expect(maya.get_by_role("main")).to_contain_text("Waiting for the front door")
    assert_accessible(maya)
    request_for_support = RequestForSupport.objects.get()
    assert request_for_support.about_person == p.chloe

    # 2. Fatima decides at the front door, by keyboard alone, within the clock (R-TIME-1).
    fatima = _device(browser, base, p.fatima)
    devices.append(fatima)
    fatima.goto(f"{base}/frontdoor/")
    queue = fatima.get_by_role("table", name="Requests waiting for a decision")
    expect(queue).to_contain_text("Ashworth household")
    expect(queue).not_to_contain_text("Overdue")
    assert_accessible(fatima)
    _tab_to(fatima, queue.get_by_role("link", name="Ashworth household"))
    fatima.keyboard.press("Enter")
    expect(fatima.get_by_role("heading", level=1)).to_have_text("Request for support")
    expect(fatima.get_by_role("main")).to_contain_text(CONCERN)
    _tab_to(fatima, fatima.get_by_role("link", name="Decide"))
    fatima.keyboard.press("Enter")
    expect(fatima.get_by_role("heading", level=1)).to_have_text("Decide on the request")
    assert_accessible(fatima)
    _choose_radio(
        fatima,
        fatima.get_by_role("group", name="What is the response?").get_by_label(
            "Early help", exact=True
        ),
    )
    _type_into(fatima, fatima.get_by_label("Reasons for the decision"), REASONS)
    _tab_to(fatima, fatima.get_by_role("button", name="Record the decision"))
    fatima.keyboard.press("Enter")
    expect(fatima.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(fatima.get_by_role("main")).to_contain_text("Decided: Early help")
    assert_accessible(fatima)
    request_for_support.refresh_from_db()
    assert request_for_support.route == "early_help"
    assert request_for_support.decided_by == p.fatima
    assert request_for_support.decided_at is not None
    assert timezone.localdate(request_for_support.decided_at) <= (
        request_for_support.decision_due_on
    )

    # 3. Lee, the lead professional, starts the whole-family assessment (R-WT-3, R-WT-4).
    lee_page = _device(browser, base, lee)
    devices.append(lee_page)
    _family_page(lee_page, base, p)
    expect(lee_page.get_by_role("table", name="Requests for support")).to_contain_text(
        "Decided: Early help"
    )
    lee_page.get_by_role("link", name="Start an early help assessment").click()
    expect(lee_page.get_by_role("heading", level=1)).to_have_text("Start an early help assessment")
    assert_accessible(lee_page)
    lee_page.get_by_label("Chloe Ashworth (mother)").check()
    fill_date(lee_page, "Date they agreed", today.day, today.month, today.year)
    lee_page.get_by_label("What the family agreed to (optional)").fill(
        "Midwifery, health visiting and housing contribute"
    )
    lee_page.get_by_role("button", name="Start the assessment").click()
    expect(lee_page.get_by_role("heading", level=1)).to_have_text("Early help assessment")
    main = lee_page.get_by_role("main")
    expect(main).to_contain_text("Also a child in their own right")  # R-WT-9
    expect(main).to_contain_text("Still needed before sign-off")
    assert_accessible(lee_page)
    assessment = Assessment.objects.get(family=p.ashworth)
    assert assessment.started_by == lee

    # 4. Hana (health visiting) and Harry (housing) each contribute.
    hana_page = _device(browser, base, hana)
    devices.append(hana_page)
    _family_page(hana_page, base, p)
    _contribute(hana_page, dimension="basic_care", strengths=HANA_STRENGTHS)
    assert_accessible(hana_page)

    harry_page = _device(browser, base, harry)
    devices.append(harry_page)
    _family_page(harry_page, base, p)
    _contribute(harry_page, dimension="housing", need=HARRY_NEED, outcome="housing")
    main = harry_page.get_by_role("main")
    expect(main).to_contain_text("Housing: Wyvern Homes")
    expect(main).to_contain_text("Secure housing")
    # Harry sees Hana's contribution: not need-to-know, so the policy lets him read it.
    expect(main).to_contain_text("Basic care: Wyvern Health Visiting")
    expect(main).to_contain_text(HANA_STRENGTHS)
    assert_accessible(harry_page)
    assert {
        (c.practitioner_id, c.source_organisation.name)
        for c in Contribution.objects.filter(assessment=assessment)
    } == {(hana.pk, "Wyvern Health Visiting"), (harry.pk, "Wyvern Homes")}

    # 5. Lee sees the suggested level with its reasons and decides it (R-LON-1).
    _family_page(lee_page, base, p)
    lee_page.get_by_role("link", name="Decide the level of need").click()
    expect(lee_page.get_by_role("heading", level=1)).to_have_text("Decide the level of need")
    assert_accessible(lee_page)
    lee_page.get_by_role("group", name="Who is the decision about?").get_by_label(
        "Chloe Ashworth"
    ).check()
    for domain, text in (
        (
            "Child's developmental needs",
            "Teenage pregnancy or teenage parent needing targeted, low-level support",
        ),
        ("Parenting capacity", "Young, inexperienced parent needing advice on parenting"),
        (
            "Family and environmental factors",
            "Limited family or friend support; new to the area, little community contact",
        ),
    ):
        lee_page.get_by_role("group", name=domain).get_by_label(text).check()
    lee_page.get_by_role("button", name="See the suggested level").click()
    suggested = "Suggested level: Targeted: complex needs"
    expect(lee_page.get_by_role("heading", name=suggested)).to_be_visible()
    reasons = lee_page.get_by_role("list", name=suggested)
    for code in ("LON-CD-2-05", "LON-PC-2-01", "LON-FE-2-02"):
        expect(reasons).to_contain_text(code)
    expect(reasons).to_contain_text("3 indicators at Additional needs: early help across 3 domains")
    assert_accessible(lee_page)
    lee_page.get_by_role("group", name="What level have you decided?").get_by_label(
        "Targeted: complex needs"
    ).check()
    lee_page.get_by_label("Rationale").fill(RATIONALE)
    lee_page.get_by_role("button", name="Record the decision").click()
    expect(lee_page.get_by_role("heading", level=1)).to_have_text(
        "Level of need: Targeted: complex needs"
    )
    expect(lee_page.get_by_role("alert")).to_contain_text("Level of need recorded")
    expect(lee_page.get_by_role("main")).to_contain_text(RATIONALE)
    assert_accessible(lee_page)
    decision = LevelDecision.objects.get(family=p.ashworth)
    assert (decision.suggested_level.code, decision.decided_level.code) == (
        "targeted",
        "targeted",
    )
    assert decision.decided_by == lee and decision.framework.version == "2026.1"

    # 6. Maya records the antenatal safer-sleep assessment: a red flag (R-SS-2, R-SS-3).
    _family_page(maya, base, p)
    maya.get_by_role("link", name="Record a safer-sleep assessment").click()
    expect(maya.get_by_role("heading", level=1)).to_have_text("Record a safer-sleep assessment")
    assert_accessible(maya)
    maya.get_by_role("group", name="Which contact is this?").get_by_label(
        "Antenatal contact"
    ).check()
    fill_date(maya, "Date", today.day, today.month, today.year)
    for name, (question, _seen) in RISK_QUESTIONS.items():
        answer = "Yes" if name == "sofa_or_chair_sleeping" else "No"
        maya.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    maya.get_by_label("Where and how does the baby sleep?").fill(
        "Chloe plans to sleep with the baby on her friend's sofa; no cot"
    )
    maya.get_by_label("The conversation about safer sleep").fill(
        "Explained the sofa risk and the Lullaby Trust advice; Chloe wants a cot"
    )
    maya.get_by_label("Action plan").fill("Cot from the baby bank by Friday; Hana visits Monday")
    maya.get_by_label("Cot", exact=True).check()
    maya.get_by_role("button", name="Record safer sleep").click()
    expect(
        maya.get_by_text("the lead professional and health visitor have been alerted")
    ).to_be_visible()
    assert_accessible(maya)
    red_flag = SaferSleepAssessment.objects.get(family=p.ashworth)
    assert red_flag.red_flag and red_flag.recorded_by == p.maya
    # Hana and Lee each find the red-flag alert under "Alerts" (R-SS-3); Hana follows it to
    # the family's safer sleep and acknowledges it.
    for device in (hana_page, lee_page):
        _alerts_page(device, base)
        expect(device.get_by_role("table", name="Open alerts")).to_contain_text(
            "Safer sleep red flag: Ashworth household"
        )
    assert_accessible(hana_page)
    hana_page.get_by_role(
        "link", name="Go to the record for Safer sleep red flag: Ashworth household"
    ).click()
    expect(hana_page).to_have_url(f"{base}/people/families/{p.ashworth.pk}/#safer-sleep")
    expect(
        hana_page.get_by_role("table", name="Safer-sleep assessments and observations")
    ).to_contain_text("Red flag")
    _alerts_page(hana_page, base)
    hana_page.get_by_role(
        "button", name="Acknowledge Safer sleep red flag: Ashworth household"
    ).click()
    expect(hana_page.get_by_role("alert")).to_contain_text("Alert acknowledged")
    expect(hana_page.get_by_text("You have no open alerts.")).to_be_visible()
    assert_accessible(hana_page)

    # 7. Harry records Chloe's move (R-SS-4); Hana has the reassessment to do (R-SS-1).
    _family_page(harry_page, base, p)
    harry_page.get_by_role("link", name="Record a disruption of routine, such as a move").click()
    assert_accessible(harry_page)
    harry_page.get_by_label("House move").check()
    fill_date(harry_page, "When did it happen?", today.day, today.month, today.year)
    harry_page.get_by_label("Details").fill("Moved to temporary accommodation at Mill Lane")
    harry_page.get_by_role("button", name="Record the disruption").click()
    expect(harry_page.get_by_text("asked to reassess safer sleep")).to_be_visible()
    assert_accessible(harry_page)
    task = ReassessmentTask.objects.get()
    assert task.person == p.unborn
    assert set(task.assignees.all()) == {hana, lee}
    _alerts_page(hana_page, base)
    expect(hana_page.get_by_role("table", name="Open alerts")).to_contain_text(
        "Reassess safer sleep: Ashworth household"
    )
    hana_page.get_by_role("link", name="All alerts, including acknowledged").click()
    every = hana_page.get_by_role("table", name="All alerts")
    expect(every).to_contain_text("Reassess safer sleep: Ashworth household")
    expect(every).to_contain_text("Acknowledged")
    assert_accessible(hana_page)

    _family_page(hana_page, base, p)
    tasks = hana_page.get_by_role("table", name="Safer-sleep reassessments to do")
    expect(tasks).to_contain_text("House move")
    expect(tasks).to_contain_text("Hana Visitor")
    expect(tasks.get_by_role("link", name="Record the reassessment")).to_be_visible()
    assert_accessible(hana_page)

    for device in devices:
        device.context.close()
