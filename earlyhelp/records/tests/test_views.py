"""The information governance pages, as the personas use them."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import Person
from earlyhelp.records.models import LegalHold, RetentionReview, SubjectAccessRequest
from earlyhelp.records.rules import (
    Competence,
    ExemptionKind,
    ReceivedVia,
    RecordClass,
    RequesterRelationship,
    add_years,
    subject_access_due_on,
)
from earlyhelp.records.tests.conftest import needs_weasyprint
from earlyhelp.records.tests.test_retention import known_as_child
from earlyhelp.sharing.models import Disclosure, DisclosureKind

pytestmark = pytest.mark.django_db

OTHERS = ["maya", "owen", "fatima", "sam", "bea"]


def date_of(name: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def error_summary(response: Any) -> str:
    body = html.unescape(response.content.decode())
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0)))


def sar_form(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "requester_name": "Chloe Ashworth",
        "requester_relationship": RequesterRelationship.SELF,
        "received_via": ReceivedVia.LETTER,
        **date_of("received_on", today),
        "nhs_number": "943 476 5919",
        "competence": Competence.COMPETENT,
        "competence_judgement": "Spoke to her with her family nurse",
    }
    data.update(overrides)
    return data


@pytest.fixture
def sar(iris, chloe_record, as_persona) -> SubjectAccessRequest:
    response = as_persona(iris).post(reverse("records:sar_new"), sar_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return SubjectAccessRequest.objects.get()


def page_urls(sar: SubjectAccessRequest, hold: LegalHold, review: RetentionReview) -> list[str]:
    return [
        reverse("records:index"),
        reverse("records:sar_list"),
        reverse("records:sar_new"),
        reverse("records:sar_detail", args=[sar.pk]),
        reverse("records:sar_exemption_add", args=[sar.pk]),
        reverse("records:sar_response_sent", args=[sar.pk]),
        reverse("records:sar_download_pdf", args=[sar.pk]),
        reverse("records:sar_download_json", args=[sar.pk]),
        reverse("records:retention"),
        reverse("records:retention_review_detail", args=[review.pk]),
        reverse("records:retention_rule_change", args=[RecordClass.ADULT]),
        reverse("records:legal_hold_list"),
        reverse("records:legal_hold_new"),
        reverse("records:legal_hold_lift", args=[hold.pk]),
    ]


@pytest.fixture
def everything(iris, partnership, sar) -> list[str]:
    hold = LegalHold.objects.create(person=partnership.stranger, reason="Inquiry", placed_by=iris)
    review = RetentionReview.objects.create(
        review_date=timezone.localdate(), run_by=iris, confirmation_token="t"
    )
    return page_urls(sar, hold, review)


def test_information_governance_lead_reaches_every_page(iris, everything, as_persona) -> None:
    client = as_persona(iris)
    for url in everything:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_else_gets_404_and_the_refusal_is_recorded(
    partnership, everything, as_persona, persona: str
) -> None:
    user = getattr(partnership, persona)
    client = as_persona(user)
    for url in everything:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in {404, 405}, url
    assert AccessEvent.objects.filter(actor=user, action=AccessAction.DENIED).count() >= len(
        everything
    )
    assert not Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).exists()


def test_anonymous_visitors_are_sent_to_sign_in(everything) -> None:
    for url in everything:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/sign-in/")


def test_recording_a_request_shows_its_due_date(iris, sar, as_persona) -> None:
    assert sar.due_on == subject_access_due_on(sar.received_on)
    page = as_persona(iris).get(reverse("records:sar_detail", args=[sar.pk]))
    body = page.content.decode()
    assert sar.reference in body
    assert f"{sar.due_on:%-d %B %Y}" in body


def test_unidentifiable_person_shows_an_error_and_saves_nothing(
    iris, chloe_record, as_persona
) -> None:
    response = as_persona(iris).post(
        reverse("records:sar_new"),
        sar_form(
            nhs_number="",
            given_name="Nobody",
            family_name="Known",
            **date_of("date_of_birth", datetime.date(2001, 1, 1)),
        ),
    )
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert "request has not been recorded" in error_summary(response)
    assert 'href="#id_family_name"' in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_empty_form_lists_every_missing_answer(iris, as_persona) -> None:
    response = as_persona(iris).post(reverse("records:sar_new"), {})
    summary = error_summary(response)
    for message in (
        "Select who is asking",
        "Select how the request arrived",
        "Enter the date the request arrived",
    ):
        assert message in summary


def test_downloads_are_attachments_and_disclosures(iris, sar, as_persona) -> None:
    client = as_persona(iris)
    response = client.get(reverse("records:sar_download_json", args=[sar.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-SAR-')
    assert response["Cache-Control"] == "no-store"
    assert b'"record_of_access"' in response.content


@needs_weasyprint
def test_pdf_download(iris, sar, as_persona) -> None:
    client = as_persona(iris)
    client.get(reverse("records:sar_download_json", args=[sar.pk]))
    pdf = client.get(reverse("records:sar_download_pdf", args=[sar.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"].endswith('.pdf"')
    assert Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).count() == 2
    detail = client.get(reverse("records:sar_detail", args=[sar.pk])).content.decode()
    assert "Third-party information" in detail
    assert "Record that the response was sent" in detail


def test_recording_an_exemption(iris, sar, chloe_record, as_persona) -> None:
    client = as_persona(iris)
    url = reverse("records:sar_exemption_add", args=[sar.pk])
    response = client.post(
        url, {"kind": ExemptionKind.SERIOUS_HARM, "withheld": f"item:{chloe_record.referral.pk}"}
    )
    assert "Say why it is withheld" in error_summary(response)
    response = client.post(
        url,
        {
            "kind": ExemptionKind.SERIOUS_HARM,
            "withheld": f"item:{chloe_record.referral.pk}",
            "reason": "Police advised disclosure would put her at risk",
        },
    )
    assert response.status_code == 302
    assert sar.exemptions.get().information_item == chloe_record.referral


def test_parent_request_refused_when_the_young_person_objects(
    iris, chloe_record, as_persona
) -> None:
    client = as_persona(iris)
    client.post(
        reverse("records:sar_new"),
        sar_form(
            requester_name="Karen Ashworth",
            requester_relationship=RequesterRelationship.PARENTAL_RESPONSIBILITY,
            child_wishes="objects",
        ),
    )
    sar = SubjectAccessRequest.objects.get()
    response = client.get(reverse("records:sar_download_json", args=[sar.pk]))
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert "nothing can be sent to the parent" in error_summary(response)


def test_retention_dry_run_then_confirmed_destruction(iris, partnership, as_persona) -> None:
    old = known_as_child(partnership, "Amy", add_years(timezone.localdate(), -40))
    client = as_persona(iris)
    response = client.post(reverse("records:retention"), {})
    review = RetentionReview.objects.get()
    assert response["Location"] == reverse("records:retention_review_detail", args=[review.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Amy Oldfield" in page
    assert "Destroy these records" in page
    # The look at the list is recorded.
    assert AccessEvent.objects.filter(
        actor=iris, action=AccessAction.LIST, route="retention"
    ).exists()
    url = reverse("records:retention_review_detail", args=[review.pk])
    refused = client.post(url, {"confirmation_token": review.confirmation_token})
    assert "Confirm that you have checked the list" in error_summary(refused)
    assert Person.objects.filter(pk=old.pk).exists()
    done = client.post(url, {"confirmation_token": review.confirmation_token, "confirm": "yes"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=old.pk).exists()
    after = client.get(url).content.decode()
    assert "Amy" not in after
    assert f"Record {old.pk} (destroyed)" in after


def test_retention_page_shows_the_rules_and_examples(iris, as_persona) -> None:
    body = as_persona(iris).get(reverse("records:retention")).content.decode()
    assert "Example to configure" in body
    assert "No rule" in body  # adults known only as adults


def test_changing_a_rule_from_its_page(iris, as_persona) -> None:
    client = as_persona(iris)
    url = reverse("records:retention_rule_change", args=[RecordClass.ADULT])
    response = client.post(url, {"trigger": "last_involvement_ended", "period_years": "0"})
    assert "Enter a number of years from 1 to 150" in error_summary(response)
    response = client.post(
        url, {"trigger": "last_involvement_ended", "period_years": "6", "basis": "Board, 2026"}
    )
    assert response.status_code == 302
    assert (
        client.get(reverse("records:retention_rule_change", args=["nonsense"])).status_code == 404
    )


def test_placing_and_lifting_a_legal_hold(iris, partnership, as_persona) -> None:
    client = as_persona(iris)
    response = client.post(
        reverse("records:legal_hold_new"),
        {"family_number": str(partnership.ashworth.pk), "reason": "Inquiry"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.family == partnership.ashworth
    response = client.post(
        reverse("records:legal_hold_new"),
        {
            "given_name": "No",
            "family_name": "Body",
            **date_of("date_of_birth", datetime.date(2000, 1, 1)),
            "reason": "x",
        },
    )
    assert "so the legal hold has not been recorded" in error_summary(response)
    assert LegalHold.objects.count() == 1
    lift = reverse("records:legal_hold_lift", args=[hold.pk])
    assert "Say why the hold can be lifted" in error_summary(client.post(lift, {}))
    assert client.post(lift, {"lift_reason": "Inquiry closed"}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None
