"""Consent, emergency access and sharing decisions, as practitioners do them, in Chromium.

- Maya, the midwife, cannot read a domestic abuse service's note about Chloe (only its flag)
  until Chloe consents to her agency seeing it; when the consent is withdrawn the note is
  hidden again on the next page load.
- Owen, a police officer with no involvement, finds that a record may exist, opens emergency
  (break-glass) access with a reason, and sees the family; Iris, the information governance
  lead, reviews it and marks it justified.
- Maya records a decision to share without consent using the keyboard alone.

Every page is checked with axe.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.sharing.models import (
    BreakGlassGrant,
    BreakGlassReview,
    Consent,
    InformationCategory,
    InformationItem,
    LawfulBasis,
    NoConsentReason,
    SharingDecision,
)
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DA_FLAG = "Domestic abuse is known: speak to the lead professional before a home visit"
DA_SUMMARY = "Chloe disclosed controlling behaviour by her partner"
DA_DETAIL = "Chloe said her partner checks her phone and stops her seeing friends."
EMERGENCY_REASON = (
    "Chloe rang 999 saying she is frightened for her baby; I need to know who is involved now."
)


@pytest.fixture(autouse=True)
def seeded_categories(transactional_db: None) -> None:
    """The need-to-know categories as their migration seeds them.

    A transactional test empties the database when it ends, migration data included, so a
    browser test that runs after another one would find no categories. The seed is idempotent.
    """
    migration = importlib.import_module(
        "earlyhelp.sharing.migrations.0002_seed_information_categories"
    )
    migration.seed(apps, None)


def _family_url(base_url: str, partnership: Partnership) -> str:
    return f"{base_url}/people/families/{partnership.ashworth.pk}/"


def _members_link(page: Page, name: str) -> Locator:
    """A person's link in the family page's Members table (the consent table names them too)."""
    return page.get_by_role("table", name="Members").get_by_role("link", name=name)


def _information_held(page: Page) -> Locator:
    return page.get_by_role("main")


def _domestic_abuse_note(partnership: Partnership) -> InformationItem:
    """What a domestic abuse service knows about Chloe: a need-to-know category."""
    service = Organisation.objects.create(
        name="Wyvern Women's Aid",
        agency_type=AgencyType.DOMESTIC_ABUSE,
        local_authority="Wyvern",
    )
    outreach = Team.objects.create(organisation=service, name="Outreach")
    dana = make_user("dana@womensaid.example", "Dana Advocate", outreach, Role.PRACTITIONER)
    category = InformationCategory.objects.get(code="domestic_abuse")
    # The journey depends on the seeded rule: midwifery needs domestic abuse information.
    assert AgencyType.MIDWIFERY in category.needed_by_agency_types
    return InformationItem.objects.create(
        person=partnership.chloe,
        category=category,
        summary=DA_SUMMARY,
        detail=DA_DETAIL,
        source_organisation=service,
        recorded_by=dana,
    )


def _ig_lead(partnership: Partnership) -> User:
    governance = Team.objects.create(
        organisation=partnership.council, name="Information governance"
    )
    return make_user("iris@council.example", "Iris Governance", governance, Role.IG_LEAD)


def _sign_out(page: Page) -> None:
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()


def _expect_only_the_flag(page: Page) -> None:
    main = _information_held(page)
    expect(page.get_by_role("heading", name="Information held")).to_be_visible()
    expect(main).to_contain_text(DA_FLAG)
    expect(main).not_to_contain_text(DA_SUMMARY)
    expect(main).not_to_contain_text(DA_DETAIL)


# --- 1. Consent shows a hidden category; withdrawal hides it again -------------------------


def test_consent_reveals_a_need_to_know_category_and_withdrawal_hides_it(
    live_server, page: Page, partnership
) -> None:
    p = partnership
    _domestic_abuse_note(p)
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, base, p.maya)

    # Before consent: the flag at most, never the summary or the detail.
    page.goto(f"{base}/people/{p.chloe.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloe Ashworth")
    _expect_only_the_flag(page)
    assert_accessible(page)

    # Record consent through the page: Chloe, as a competent young person.
    page.get_by_role("link", name="Ashworth household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")
    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    assert_accessible(page)
    page.get_by_role("group", name="Who gave consent?").get_by_label("Chloe Ashworth").check()
    page.get_by_label("The young person, judged competent to decide").check()
    judgement = page.get_by_label("Why do you judge them able to decide for themselves?")
    expect(judgement).to_be_visible()  # revealed under the answer
    judgement.fill(
        "Chloe is 17. She explained back what will be shared, with the midwives, and why."
    )
    page.get_by_role("group", name="Whose information does it cover?").get_by_label(
        "Chloe Ashworth"
    ).check()
    page.get_by_role("group", name="Which sensitive information does it cover?").get_by_label(
        "Domestic abuse"
    ).check()
    page.get_by_role("group", name="Which agencies does it cover?").get_by_label(
        p.midwifery.name
    ).check()
    page.get_by_label("What is it for?").fill("Safe antenatal care and home visits")
    fill_date(page, "Date it starts", today.day, today.month, today.year)
    assert_accessible(page)  # with the competence question revealed
    page.get_by_role("button", name="Record consent").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent from Chloe Ashworth")
    expect(page.get_by_role("alert")).to_contain_text("Consent recorded")
    expect(page.get_by_role("main")).to_contain_text("In force")
    assert_accessible(page)
    consent = Consent.objects.get(family=p.ashworth)
    assert consent.withdrawn_at is None
    assert list(consent.categories.values_list("code", flat=True)) == ["domestic_abuse"]

    # With consent: the detail is there.
    page.get_by_role("link", name="Back to Ashworth household").click()
    _members_link(page, "Chloe Ashworth").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloe Ashworth")
    main = _information_held(page)
    expect(page.get_by_role("heading", name=DA_SUMMARY)).to_be_visible()
    expect(main).to_contain_text(DA_DETAIL)
    expect(main).to_contain_text("Wyvern Women's Aid")
    expect(main).not_to_contain_text(DA_FLAG)
    assert_accessible(page)

    # Withdraw the consent through the pages.
    page.get_by_role("link", name="Ashworth household").click()
    page.get_by_role("table", name="Consent").get_by_role("link", name="Chloe Ashworth").click()
    page.get_by_role("link", name="Withdraw consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Withdraw consent from Chloe Ashworth"
    )
    assert_accessible(page)
    page.get_by_label("Anything to note about the withdrawal? (optional)").fill(
        "Chloe phoned to say she no longer agrees"
    )
    page.get_by_role("button", name="Withdraw consent").click()
    # Maya is still involved with the family, so she lands on its page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")
    expect(page.get_by_role("alert")).to_contain_text("Consent withdrawn")
    expect(page.get_by_role("table", name="Consent")).to_contain_text("Withdrawn")
    assert_accessible(page)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == p.maya

    # On the next page load the detail is gone: the flag at most.
    _members_link(page, "Chloe Ashworth").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloe Ashworth")
    _expect_only_the_flag(page)
    expect(page.get_by_role("heading", name=DA_SUMMARY)).to_have_count(0)
    assert_accessible(page)


# --- 2. Break-glass: emergency access, then its review ------------------------------------


def test_break_glass_from_a_search_then_reviewed_by_information_governance(
    live_server, page: Page, partnership
) -> None:
    p = partnership
    base = live_server.url
    iris = _ig_lead(p)
    sign_in(page, base, p.owen)

    # Owen searches: Chloe exists, but he may not see her.
    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_label("Name").fill("Chloe Ashworth")
    fill_date(page, "Date of birth", 14, 5, 2009)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No one found")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        "There may be a record for this person that you do not have access to"
    )
    expect(main).not_to_contain_text("Ashworth household")
    expect(page.get_by_role("link", name="Chloe Ashworth")).to_have_count(0)
    assert_accessible(page)

    # Emergency access: first without a reason.
    page.get_by_role("link", name="use emergency access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access to a record")
    assert_accessible(page)
    page.get_by_label("Given name").fill("Chloe")
    page.get_by_label("Family name").fill("Ashworth")
    fill_date(page, "Date of birth", 14, 5, 2009)
    page.get_by_role("button", name="Open emergency access").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter why you need emergency access now")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    assert not BreakGlassGrant.objects.exists()

    # The error links to the field; then a real reason.
    summary.get_by_role("link", name="Enter why you need emergency access now").click()
    reason = page.get_by_label("Why do you need emergency access now?")
    expect(reason).to_be_focused()
    reason.fill(EMERGENCY_REASON)
    page.get_by_role("button", name="Open emergency access").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")
    expect(page.get_by_role("alert")).to_contain_text("Emergency access is open until")
    expect(page.get_by_role("main")).to_contain_text("You are using emergency access until")
    expect(_members_link(page, "Chloe Ashworth")).to_be_visible()
    assert_accessible(page)
    grant = BreakGlassGrant.objects.get()
    assert (grant.practitioner, grant.family, grant.review) == (p.owen, p.ashworth, "")

    # Iris, the information governance lead, reviews it.
    _sign_out(page)
    sign_in(page, base, iris)
    page.get_by_role("link", name="Break-glass reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Break-glass reviews")
    waiting = page.get_by_role("table", name="Waiting for review")
    expect(waiting).to_contain_text("Ashworth household")
    expect(waiting).to_contain_text("Waiting for review")
    assert_accessible(page)
    waiting.get_by_role("link", name="Owen Officer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access by Owen Officer")
    expect(page.get_by_role("main")).to_contain_text(EMERGENCY_REASON)
    # The family page Owen opened is listed among what he looked at.
    expect(page.get_by_role("table", name="What they looked at")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Was this use of emergency access justified?").get_by_label(
        "Justified", exact=True
    ).check()
    page.get_by_label("Note").fill("A 999 call from the mother: immediate risk, access was right")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Break-glass reviews")
    expect(page.get_by_role("alert")).to_contain_text(
        "Review of Owen Officer's emergency access saved"
    )
    expect(page.get_by_role("main")).to_contain_text(
        "Every use of emergency access has been reviewed."
    )
    reviewed = page.get_by_role("table", name="Reviewed recently")
    expect(reviewed).to_contain_text("Owen Officer")
    expect(reviewed).to_contain_text("Justified")
    assert_accessible(page)
    grant.refresh_from_db()
    assert (grant.review, grant.reviewed_by) == (BreakGlassReview.JUSTIFIED, iris)


# --- 3. A sharing decision with the keyboard alone ----------------------------------------

# More than enough Tab presses to cross any page here; reaching it means the control is not
# in the tab order (or not where the page says it is), and the test fails.
MAX_TABS = 200


def _is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def _tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    expect(target).to_be_visible()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if _is_focused(target):
            return
    pytest.fail(f"Tab never reached {target}")


def _choose_radio(page: Page, target: Locator) -> None:
    """Tab into the radio group, then arrow to the answer (which selects it)."""
    expect(target).to_be_visible()
    name = target.get_attribute("name")
    in_group = (
        "name => document.activeElement?.type === 'radio' && document.activeElement.name === name"
    )
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(in_group, name):
            break
    else:
        pytest.fail(f"Tab never reached the radios named {name}")
    for _ in range(20):
        if _is_focused(target):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail(f"The arrow keys never reached {target}")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def _tick(page: Page, target: Locator) -> None:
    _tab_to(page, target)
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def _type_into(page: Page, target: Locator, text: str) -> None:
    _tab_to(page, target)
    page.keyboard.type(text)
    expect(target).to_have_value(text)


def test_record_a_decision_to_share_without_consent_by_keyboard_alone(
    live_server, page: Page, partnership
) -> None:
    p = partnership
    base = live_server.url
    sign_in(page, base, p.maya)
    page.goto(_family_url(base, p))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")

    _tab_to(page, page.get_by_role("link", name="Record a decision to share or not to share"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a decision to share or not to share"
    )
    assert_accessible(page)

    _tick(
        page,
        page.get_by_role("group", name="Whose information is it?").get_by_label("Chloe Ashworth"),
    )
    _type_into(
        page,
        page.get_by_label("What information?"),
        "Chloe is 32 weeks pregnant and has missed two appointments",
    )
    _tick(page, page.get_by_role("group", name="Which agencies?").get_by_label(p.police.name))
    _type_into(
        page,
        page.get_by_label("What is it for?"),
        "A welfare check: the police can reach her tonight",
    )
    _choose_radio(page, page.get_by_label("Share without consent", exact=True))
    # The questions revealed under the answer follow it in the tab order.
    _choose_radio(page, page.get_by_label(NoConsentReason.WOULD_PREJUDICE_PROTECTION.label))
    _choose_radio(page, page.get_by_label(LawfulBasis.PUBLIC_TASK_SAFEGUARDING.label))
    _type_into(
        page,
        page.get_by_label("Reasons for your decision"),
        "Her partner controls her phone; asking her would alert him and put her at risk",
    )
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()  # tell the family: default
    assert_accessible(page)  # with the answers revealed
    _tab_to(page, page.get_by_role("button", name="Record the decision"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Decision to share")
    expect(page.get_by_role("alert")).to_contain_text("Decision to share recorded")
    main = page.get_by_role("main")
    expect(main).to_contain_text(NoConsentReason.WOULD_PREJUDICE_PROTECTION.label)
    expect(main).to_contain_text(LawfulBasis.PUBLIC_TASK_SAFEGUARDING.label)
    assert_accessible(page)
    decision = SharingDecision.objects.get(family=p.ashworth)
    assert decision.share and decision.consent is None
    assert decision.no_consent_reason == NoConsentReason.WOULD_PREJUDICE_PROTECTION
    assert decision.lawful_basis == LawfulBasis.PUBLIC_TASK_SAFEGUARDING
    assert list(decision.recipients.all()) == [p.police]

    # Back on the family page, by keyboard: the decision is listed, and a task to tell them.
    _tab_to(page, page.get_by_role("link", name="Back to Ashworth household"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashworth household")
    decisions = page.get_by_role("table", name="Decisions to share or not to share")
    expect(decisions).to_contain_text("Share without consent")
    expect(decisions).to_contain_text(p.police.name)
    expect(decisions).to_contain_text("Maya Midwife")
    expect(page.get_by_role("table", name="Tell the family")).to_contain_text(
        "A welfare check: the police can reach her tonight"
    )
    assert_accessible(page)
