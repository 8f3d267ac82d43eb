"""The information governance pages, as the lead uses them, in Chromium with axe checks.

Iris, the information governance lead, records Chloe's own subject access request, sees when
the response is due and downloads it as JSON: everything held about Chloe, with a confidential
referrer and other people redacted. Nobody else reaches these pages.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Partnership, make_user
from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.records.models import SubjectAccessExport, SubjectAccessRequest
from earlyhelp.records.rules import CONFIDENTIAL_REFERRER, THIRD_PARTY, subject_access_due_on
from earlyhelp.sharing.models import Disclosure, DisclosureKind, InformationItem
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CHLOE_NHS_NUMBER = "9434765919"
NEIGHBOUR = "Sandra Neighbourly"


def _ig_lead(partnership: Partnership) -> User:
    governance = Team.objects.create(
        organisation=partnership.council, name="Information governance"
    )
    return make_user("iris@council.example", "Iris Governance", governance, Role.IG_LEAD)


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_record_a_subject_access_request_and_download_the_response(
    live_server, page: Page, partnership
) -> None:
    p = partnership
    base = live_server.url
    iris = _ig_lead(p)
    p.chloe.nhs_number = CHLOE_NHS_NUMBER
    p.chloe.save(update_fields=["nhs_number"])
    InformationItem.objects.create(
        person=p.chloe,
        summary="Neighbour worried about shouting at night",
        detail=f"{NEIGHBOUR} rang. She heard Jordan Pike shouting at Chloe.",
        source_organisation=p.police,
        recorded_by=p.owen,
        referrer=NEIGHBOUR,
        referrer_confidential=True,
    )
    today = timezone.localdate()
    due = subject_access_due_on(today)

    sign_in(page, base, iris)
    page.goto(f"{base}/records/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Information governance")
    expect(page.get_by_role("main")).to_contain_text("0 open")
    assert_accessible(page)

    page.get_by_role("link", name="Record a subject access request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a subject access request")
    assert_accessible(page)

    # First without the competence check that a child's request needs: nothing is saved.
    page.get_by_label("Name of the person asking").fill("Chloe Ashworth")
    page.get_by_label("The person themselves").check()
    page.get_by_role("group", name="How did the request arrive?").get_by_label("Email").check()
    fill_date(page, "Date the request arrived", today.day, today.month, today.year)
    page.get_by_label("NHS number of the person the request is about").fill("943 476 5919")
    page.get_by_role("button", name="Record the request").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select whether they understand the request well enough")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    assert not SubjectAccessRequest.objects.exists()

    page.get_by_label("Yes, they understand the request and what it means").check()
    page.get_by_label("How did you judge their understanding?").fill(
        "Chloe is 17 and made the request herself by email; she explained what she wants"
    )
    page.get_by_role("button", name="Record the request").click()

    sar = SubjectAccessRequest.objects.get()
    assert (sar.person, sar.due_on) == (p.chloe, due)
    expect(page.get_by_role("heading", level=1)).to_contain_text(sar.reference)
    expect(page.get_by_role("alert")).to_contain_text(f"The response is due by {_long_date(due)}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Response due")
    expect(main).to_contain_text(_long_date(due))
    expect(main).to_contain_text("Chloe Ashworth, born 14 May 2009")
    assert_accessible(page)

    # The response as JSON: a real download, everything held, redacted.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as JSON").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    text = Path(download.path()).read_text(encoding="utf-8")
    response = json.loads(text)
    assert response["about_this_response"]["reference"] == sar.reference
    assert response["about_this_response"]["response_due_on"] == due.isoformat()
    assert response["person"]["name"] == "Chloe Ashworth"
    assert response["person"]["nhs_number"] == CHLOE_NHS_NUMBER
    [item] = response["information"]
    assert item["summary"] == "Neighbour worried about shouting at night"
    assert item["told_us"] == CONFIDENTIAL_REFERRER
    assert NEIGHBOUR not in text
    assert "Jordan Pike" not in text and THIRD_PARTY in item["detail"]
    # The download is a disclosure, logged as one.
    assert SubjectAccessExport.objects.filter(request=sar, format="json").count() == 1
    assert Disclosure.objects.filter(
        kind=DisclosureKind.SUBJECT_ACCESS, person_id_ref=p.chloe.pk
    ).exists()

    # The page lists the response prepared.
    page.reload()
    expect(
        page.get_by_role("table", name="Responses prepared, and what each withheld")
    ).to_be_visible()
    assert_accessible(page)

    # The list of requests, and the start page, show it open and when it is due.
    page.get_by_role("link", name="Subject access requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access requests")
    requests = page.get_by_role("table", name="Subject access requests, open first")
    row = requests.get_by_role("row").filter(has_text=sar.reference)
    expect(row).to_contain_text("Chloe Ashworth")
    expect(row).to_contain_text(f"{due.day} {due:%b %Y}")
    expect(row).to_contain_text("Open")
    assert_accessible(page)
    page.get_by_role("link", name="Information governance").click()
    expect(page.get_by_role("main")).to_contain_text("1 open")


def test_the_records_pages_are_not_found_for_a_practitioner(
    live_server, page: Page, partnership
) -> None:
    sign_in(page, live_server.url, partnership.owen)
    page.goto(f"{live_server.url}/records/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Subject access requests")
    assert_accessible(page)
