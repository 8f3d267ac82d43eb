"""Information held about a person: recorded through the service, shown in full only on a
need-to-know basis, otherwise as a flag or not at all (R-IS-4, R-IS-12); a confidential
referrer is redacted for everyone but the recording agency and in the API (R-IS-5).

Owen's police agency is involved with Jordan (so he sees the Ashworth family) but has no
sharing basis for any category; Maya's midwifery agency records what it knows about Chloe.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.people.models import Involvement
from earlyhelp.sharing.models import (
    Consent,
    ConsentGiver,
    Disclosure,
    DisclosureKind,
    InformationCategory,
    InformationItem,
    SharingDecision,
)
from earlyhelp.sharing.selectors.information import CONFIDENTIAL_REFERRER, person_information
from earlyhelp.sharing.services.information import information_record

pytestmark = pytest.mark.django_db

CATEGORY_CODES = [
    "care_history",
    "mental_health",
    "sexual_health",
    "domestic_abuse",
    "criminal_intelligence",
    "substance_use",
]


def category(code: str) -> InformationCategory:
    return InformationCategory.objects.get(code=code)


def involve_police_with_jordan(p: Any) -> None:
    Involvement.objects.create(
        organisation=p.police,
        person=p.jordan,
        service="Domestic abuse notification",
        started_on=timezone.localdate() - datetime.timedelta(days=7),
    )


def record(p: Any, code: str | None, **fields: Any) -> InformationItem:
    values: dict[str, Any] = {
        "summary": f"Summary about {code or 'general'}",
        "detail": f"Detail about {code or 'general'}",
    }
    values.update(fields)
    return information_record(
        actor=p.maya,
        person=p.chloe,
        category=category(code) if code else None,
        **values,
    )


def page(client: Any, person_pk: int) -> str:
    response = client.get(reverse("people:person_detail", args=[person_pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# Recording


def test_midwife_records_what_her_agency_knows_with_an_audit_event(partnership) -> None:
    p = partnership
    item = record(p, "care_history", referrer="School nurse")
    assert item.source_organisation == p.midwifery
    assert item.recorded_by == p.maya
    event = AuditEvent.objects.get(action="information.record")
    assert event.object_id == str(item.pk)
    assert event.actor == p.maya
    # The audit log names the category, never what is known.
    assert "Care history" in event.summary
    assert "Detail about" not in event.summary + str(event.changes)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"summary": "  "}, "summary", "Enter a summary"),
        ({"summary": "x" * 201}, "summary", "200 characters or fewer"),
        ({"referrer": "", "referrer_confidential": True}, "referrer", "Enter who told you"),
    ],
)
def test_bad_input_is_a_message_on_the_field_and_nothing_is_saved(
    partnership, fields, field, message
) -> None:
    with pytest.raises(ValidationProblem) as raised:
        record(partnership, None, **fields)
    assert any(message in m for m in raised.value.errors[field])
    assert not InformationItem.objects.exists()
    assert not AuditEvent.objects.filter(action="information.record").exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_nobody_records_about_someone_they_may_not_see(partnership, persona) -> None:
    with pytest.raises(NotFoundOrForbidden):
        information_record(
            actor=getattr(partnership, persona), person=partnership.chloe, summary="Known"
        )
    assert not InformationItem.objects.exists()


# Detail or flag, category by category


@pytest.mark.parametrize("code", CATEGORY_CODES)
def test_without_a_basis_only_the_flag_is_shown_once(partnership, as_persona, code) -> None:
    p = partnership
    involve_police_with_jordan(p)
    record(p, code)
    record(p, code, summary="Second item", detail="Second detail")
    flag = category(code).flag_text
    shown = person_information(actor=p.owen, person=p.chloe)
    assert shown.items == []
    assert shown.flags == ([flag] if flag else [])
    body = page(as_persona(p.owen), p.chloe.pk)
    assert "Summary about" not in body and "Detail about" not in body
    assert "Second item" not in body and "Second detail" not in body
    if flag:
        assert body.count(flag) == 1
    else:
        assert "Care-experienced" not in body and "Domestic abuse is known" not in body


@pytest.mark.parametrize("code", CATEGORY_CODES)
def test_the_recording_agency_reads_its_own_information_in_full(
    partnership, as_persona, code
) -> None:
    p = partnership
    record(p, code)
    shown = person_information(actor=p.maya, person=p.chloe)
    assert [i.summary for i in shown.items] == [f"Summary about {code}"]
    assert shown.flags == []
    body = page(as_persona(p.maya), p.chloe.pk)
    assert f"Summary about {code}" in body and f"Detail about {code}" in body


def test_general_information_is_read_by_everyone_who_sees_the_person(partnership) -> None:
    p = partnership
    involve_police_with_jordan(p)
    record(p, None)
    shown = person_information(actor=p.owen, person=p.chloe)
    assert [i.summary for i in shown.items] == ["Summary about general"]
    assert shown.flags == []


def consent_for_police(p: Any, *codes: str, **fields: Any) -> Consent:
    values: dict[str, Any] = {
        "family": p.ashworth,
        "given_by": p.chloe,
        "giver_kind": ConsentGiver.YOUNG_PERSON,
        "competence_judgement": "Understands what will be shared and why",
        "purpose": "Keeping Chloe and the baby safe",
        "starts_on": timezone.localdate() - datetime.timedelta(days=1),
        "recorded_by": p.maya,
    }
    values.update(fields)
    consent = Consent.objects.create(**values)
    consent.covers_people.add(p.chloe)
    consent.organisations.add(p.police)
    consent.categories.add(*[category(c) for c in codes])
    return consent


def test_consent_covering_a_needed_category_shows_the_detail_and_drops_the_flag(
    partnership,
) -> None:
    p = partnership
    involve_police_with_jordan(p)
    record(p, "domestic_abuse")
    record(p, "care_history")
    consent_for_police(p, "domestic_abuse", "care_history")
    shown = person_information(actor=p.owen, person=p.chloe)
    # Police need domestic abuse detail; they do not need care history, whatever the consent.
    assert [i.category_code for i in shown.items] == ["domestic_abuse"]
    assert shown.flags == [category("care_history").flag_text]


def test_withdrawn_or_expired_consent_shows_only_the_flag_again(partnership) -> None:
    p = partnership
    involve_police_with_jordan(p)
    record(p, "domestic_abuse")
    consent = consent_for_police(p, "domestic_abuse")
    assert person_information(actor=p.owen, person=p.chloe).items
    consent.withdrawn_at = timezone.now()
    consent.save()
    shown = person_information(actor=p.owen, person=p.chloe)
    assert shown.items == []
    assert shown.flags == [category("domestic_abuse").flag_text]


def test_a_decision_to_share_a_category_shows_its_detail(partnership) -> None:
    p = partnership
    involve_police_with_jordan(p)
    record(p, "criminal_intelligence")
    decision = SharingDecision.objects.create(
        family=p.ashworth,
        share=True,
        what="Intelligence about risk to the baby",
        purpose="Protect the unborn baby",
        no_consent_reason="would_prejudice_protection",
        lawful_basis="dpa_part3_sch8_para4",
        reasons="Asking would alert the person posing the risk",
        decided_by=p.maya,
    )
    decision.recipients.add(p.police)
    decision.about_people.add(p.chloe)
    decision.categories.add(category("criminal_intelligence"))
    shown = person_information(actor=p.owen, person=p.chloe)
    assert [i.category_code for i in shown.items] == ["criminal_intelligence"]


# Confidential referrers (R-IS-5)


@pytest.fixture
def health_visitor(partnership) -> Any:
    """Hana, a health visitor: her agency works with the family and has consent for care
    history, so she reads Maya's item in full, but did not record it."""
    p = partnership
    agency = Organisation.objects.create(
        name="Wyvern Community Health",
        agency_type=AgencyType.HEALTH_VISITING,
        local_authority="Wyvern",
    )
    team = Team.objects.create(organisation=agency, name="Health visitors")
    hana = make_user("hana@health.example", "Hana Visitor", team, Role.PRACTITIONER)
    Involvement.objects.create(
        organisation=agency,
        family=p.ashworth,
        service="Health visiting",
        started_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    consent = consent_for_police(p, "care_history")
    consent.organisations.add(agency)
    return hana


def test_confidential_referrer_is_named_only_to_the_recording_agency(
    partnership, health_visitor, as_persona
) -> None:
    p = partnership
    record(p, "care_history", referrer="Aunt Sue Ashworth", referrer_confidential=True)
    mine = person_information(actor=p.maya, person=p.chloe).items[0]
    theirs = person_information(actor=health_visitor, person=p.chloe).items[0]
    assert (mine.referrer, mine.referrer_redacted) == ("Aunt Sue Ashworth", False)
    assert (theirs.referrer, theirs.referrer_redacted) == (CONFIDENTIAL_REFERRER, True)
    assert "Aunt Sue" in page(as_persona(p.maya), p.chloe.pk)
    body = page(as_persona(health_visitor), p.chloe.pk)
    assert "Detail about care_history" in body
    assert CONFIDENTIAL_REFERRER in body
    assert "Aunt Sue" not in body


def test_confidential_referrer_is_redacted_in_anything_exported(partnership) -> None:
    p = partnership
    record(p, "care_history", referrer="Aunt Sue Ashworth", referrer_confidential=True)
    exported = person_information(actor=p.maya, person=p.chloe, exported=True).items[0]
    assert exported.referrer == CONFIDENTIAL_REFERRER
    response = bearer_client(p.maya).get(f"/api/v1/people/{p.chloe.pk}/information")
    assert response.status_code == 200
    assert "Aunt Sue" not in response.content.decode()
    assert response.json()["items"][0]["referrer"] == CONFIDENTIAL_REFERRER
    # A partner system's read is a disclosure (R-IS-1).
    disclosure = Disclosure.objects.get()
    assert disclosure.kind == DisclosureKind.API_READ
    assert disclosure.recipient == "Test client"
    assert disclosure.person_id_ref == p.chloe.pk
    assert "Aunt Sue" not in disclosure.what


def test_a_referrer_who_is_not_confidential_is_shown_to_everyone_who_reads_the_item(
    partnership, health_visitor
) -> None:
    p = partnership
    record(p, "care_history", referrer="Wyvern Academy")
    theirs = person_information(actor=health_visitor, person=p.chloe).items[0]
    assert theirs.referrer == "Wyvern Academy"


# The page


def test_recording_on_the_page(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    url = reverse("sharing:information_add", args=[p.chloe.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "category": "care_history",
            "summary": "Looked after by Wyvern Council until 16",
            "detail": "Placed with foster carers 2019 to 2025",
            "referrer": "Leaving care team",
            "referrer_confidential": "yes",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[p.chloe.pk])
    item = InformationItem.objects.get()
    assert item.category == category("care_history")
    assert item.referrer_confidential
    assert "Looked after by Wyvern Council" in page(client, p.chloe.pk)


def test_an_empty_submission_shows_errors_on_the_fields(partnership, as_persona) -> None:
    p = partnership
    url = reverse("sharing:information_add", args=[p.chloe.pk])
    response = as_persona(p.maya).post(url, {"category": "general", "summary": ""})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert '<a href="#id_summary">Enter a summary of what your agency knows</a>' in body
    assert 'id="id_summary-error"' in body
    assert not InformationItem.objects.exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_the_page_is_not_found_for_those_who_may_not_see_the_person(
    partnership, as_persona, persona
) -> None:
    p = partnership
    client = as_persona(getattr(p, persona))
    url = reverse("sharing:information_add", args=[p.chloe.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"category": "general", "summary": "x"}).status_code == 404
    assert not InformationItem.objects.exists()
    assert AccessEvent.objects.filter(
        actor=getattr(p, persona), action=AccessAction.DENIED
    ).exists()


def test_viewing_the_person_page_writes_one_access_event(partnership, as_persona) -> None:
    p = partnership
    record(p, "care_history")
    record(p, None)
    page(as_persona(p.maya), p.chloe.pk)
    assert AccessEvent.objects.filter(actor=p.maya, action=AccessAction.VIEW).count() == 1


# The API


def test_api_records_and_lists_with_flags(partnership) -> None:
    p = partnership
    involve_police_with_jordan(p)
    response = bearer_client(p.maya).post(
        f"/api/v1/people/{p.chloe.pk}/information",
        {"summary": "Care leaver", "detail": "Personal adviser named", "category": "care_history"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["category"] == "care_history"
    owen = bearer_client(p.owen).get(f"/api/v1/people/{p.chloe.pk}/information").json()
    assert owen == {"items": [], "flags": [category("care_history").flag_text]}


def test_api_bad_category_and_missing_person(partnership) -> None:
    p = partnership
    client = bearer_client(p.maya)
    body = problem(
        client.post(
            f"/api/v1/people/{p.chloe.pk}/information",
            {"summary": "Known", "category": "horoscope"},
            content_type="application/json",
        ),
        422,
    )
    assert "category" in body["errors"]
    problem(client.get(f"/api/v1/people/{p.stranger.pk}/information"), 404)
    problem(bearer_client(p.owen).get(f"/api/v1/people/{p.chloe.pk}/information"), 404)
