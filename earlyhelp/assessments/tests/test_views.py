"""The assessment pages as personas: Maya starts and contributes, Hana (a health visitor from
another agency) contributes, each sees the other's need-to-know contribution only as the
policy allows, and Owen, Sam and Bea get 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from conftest import Partnership, sign_in
from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    Contribution,
    ContributionDraft,
)
from earlyhelp.assessments.tests.conftest import subject_of
from earlyhelp.sharing.models import Consent, ConsentGiver, InformationCategory

pytestmark = pytest.mark.django_db

MENTAL_HEALTH_NOTE = "Chloe described low mood since she moved out of the family home"


def _detail(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def test_maya_starts_from_the_family_page(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    family_page = client.get(f"/people/families/{partnership.ashworth.pk}/").content.decode()
    start = f"/assessments/families/{partnership.ashworth.pk}/start/"
    assert f'href="{start}"' in family_page
    # Bad input: the GOV.UK error summary, nothing saved.
    response = client.post(start, {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Select who in the family agreed to the assessment" in body
    assert not Assessment.objects.exists()
    response = client.post(
        start,
        {
            "agreed_by": str(partnership.chloe.pk),
            "agreed_on_day": "2",
            "agreed_on_month": "11",
            "agreed_on_year": "2026",
        },
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(assessment)
    page = client.get(_detail(assessment)).content.decode()
    # Prompts the assessment raises itself, with their rule ids.
    for text in ("R-WT-9", "also a child in their own right", "R-EHA-5", "R-LON-3", "R-FNP-2"):
        assert text in page, text
    family_page = client.get(f"/people/families/{partnership.ashworth.pk}/").content.decode()
    assert "Current assessment" in family_page
    assert "Draft" in family_page


def _contribute(client: Client, assessment: Assessment, **fields: str) -> Any:
    return client.post(f"/assessments/{assessment.pk}/contributions/new/", fields)


def test_maya_contributes_and_a_draft_is_deleted_when_saved(
    partnership: Partnership, started: Assessment
) -> None:
    client = sign_in(Client(), partnership.maya)
    chloe = subject_of(started, partnership.chloe)
    autosave = f"/assessments/{started.pk}/drafts/new/"
    assert client.post(autosave, {"strengths": "Half typed"}).status_code == 200
    form = client.get(f"/assessments/{started.pk}/contributions/new/").content.decode()
    assert "Half typed" in form
    assert "Your draft has been restored" in form
    response = _contribute(
        client,
        started,
        subject=str(chloe.pk),
        dimension="basic_care",
        strengths="Half typed, now finished",
        need="Needs a cot",
        need_outcome="housing",
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(started) + "?saved=new"
    assert not ContributionDraft.objects.exists()
    contribution = Contribution.objects.get()
    assert (contribution.domain, contribution.practitioner) == (
        "parenting_capacity",
        partnership.maya,
    )
    page = client.get(_detail(started) + "?saved=new").content.decode()
    assert "Half typed, now finished" in page
    assert "Secure housing" in page
    assert f'data-autosave-saved="earlyhelp-draft:{partnership.maya.pk}:{started.pk}:new"' in page


def test_a_contribution_with_problems_shows_the_error_summary(
    partnership: Partnership, started: Assessment
) -> None:
    client = sign_in(Client(), partnership.maya)
    response = _contribute(client, started, dimension="housing", need="Arrears")
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Select who in the family the contribution is about" in body
    assert "Select the Supporting Families headline outcome this need is about" in body
    assert not Contribution.objects.exists()


def _mental_health_note(hana: User, started: Assessment, p: Partnership) -> Contribution:
    client = sign_in(Client(), hana)
    response = _contribute(
        client,
        started,
        subject=str(subject_of(started, p.chloe).pk),
        dimension="emotional_warmth",
        strengths="Warm with the bump",
        need=MENTAL_HEALTH_NOTE,
        need_outcome="health",
        category="mental_health",
    )
    assert response.status_code == 302
    return Contribution.objects.get(need=MENTAL_HEALTH_NOTE)


def test_a_contributor_from_another_agency_sees_only_what_the_policy_allows(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    """R-IS-4, R-IS-12: Hana's mental-health note is hers; Maya sees who holds it until a
    consent covering her agency and the category is in force."""
    note = _mental_health_note(hana, started, partnership)
    hana_page = sign_in(Client(), hana).get(_detail(started)).content.decode()
    assert MENTAL_HEALTH_NOTE in hana_page
    maya = sign_in(Client(), partnership.maya)
    page = maya.get(_detail(started)).content.decode()
    assert MENTAL_HEALTH_NOTE not in page
    assert "Held by Wyvern Health Visiting: ask the lead professional" in page
    # Not through the change page either, nor the API-style read.
    assert maya.get(f"/assessments/contributions/{note.pk}/change/").status_code == 404
    consent = Consent.objects.create(
        family=partnership.ashworth,
        given_by=partnership.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        competence_judgement="Understands",
        purpose="Antenatal support",
        starts_on=datetime.date(2026, 11, 1),
        recorded_by=hana,
    )
    consent.covers_people.add(partnership.chloe)
    consent.categories.add(InformationCategory.objects.get(code="mental_health"))
    consent.organisations.add(partnership.midwifery)
    page = maya.get(_detail(started)).content.decode()
    assert MENTAL_HEALTH_NOTE in page
    # Readable, but still Hana's agency's to change.
    assert f"/assessments/contributions/{note.pk}/change/" not in page
    response = maya.get(f"/assessments/contributions/{note.pk}/change/")
    assert response.status_code == 302


def test_hana_changes_her_contribution_and_a_stale_version_keeps_her_text(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    note = _mental_health_note(hana, started, partnership)
    client = sign_in(Client(), hana)
    url = f"/assessments/contributions/{note.pk}/change/"
    form = {
        "subject": str(note.subject_id),
        "dimension": "emotional_warmth",
        "strengths": "Changed after a visit",
        "need": MENTAL_HEALTH_NOTE,
        "need_outcome": "health",
        "category": "mental_health",
        "version": "1",
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "strengths": "My later words"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this" in body
    assert "My later words" in body
    note.refresh_from_db()
    assert note.strengths == "Changed after a visit"


def test_voice_and_care_experience(partnership: Partnership, started: Assessment) -> None:
    client = sign_in(Client(), partnership.maya)
    chloe = subject_of(started, partnership.chloe)
    response = client.post(
        f"/assessments/subjects/{chloe.pk}/change/",
        {
            "voice": "I want to finish college",
            "care_experienced": "on",
            "responsible_local_authority": "Mercia",
            "personal_adviser": "Pat Adviser",
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(_detail(started)).content.decode()
    assert "I want to finish college" in page
    assert "Care-experienced" in page
    assert "Pat Adviser" in page
    assert "R-CL-4" in page


def test_care_detail_is_a_flag_for_another_agency(
    partnership: Partnership, started: Assessment, hana: User
) -> None:
    """R-IS-12: the flag for all; authority and adviser only by the need-to-know rule."""
    chloe = subject_of(started, partnership.chloe)
    sign_in(Client(), partnership.maya).post(
        f"/assessments/subjects/{chloe.pk}/change/",
        {
            "care_experienced": "on",
            "responsible_local_authority": "Mercia",
            "personal_adviser": "Pat Adviser",
            "version": "1",
        },
    )
    page = sign_in(Client(), hana).get(_detail(started)).content.decode()
    assert "Care-experienced: yes, ask the lead professional" in page
    assert "Pat Adviser" not in page


def test_complete_and_sign_off_pages(partnership: Partnership, started: Assessment) -> None:
    client = sign_in(Client(), partnership.maya)
    response = client.post(f"/assessments/{started.pk}/complete/", {"version": "1"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == AssessmentStatus.COMPLETED
    response = client.post(f"/assessments/{started.pk}/sign-off/", {"version": "2"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "It cannot be signed off until it records" in body
    assert "Unborn baby Ashworth: child&#x27;s developmental needs" in body
    started.refresh_from_db()
    assert started.status == AssessmentStatus.COMPLETED


def test_clock_page(partnership: Partnership, started: Assessment) -> None:
    client = sign_in(Client(), partnership.maya)
    url = f"/assessments/{started.pk}/clock/"
    response = client.post(url, {"version": "1", "started_on_day": "31", "started_on_month": "2"})
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        url,
        {
            "version": "1",
            "started_on_day": "2",
            "started_on_month": "11",
            "started_on_year": "2026",
        },
    )
    assert response.status_code == 302
    page = client.get(_detail(started)).content.decode()
    assert "Due by 7 January 2027" in page


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(partnership: Partnership, started: Assessment, persona: str) -> None:
    client = sign_in(Client(), getattr(partnership, persona))
    chloe = subject_of(started, partnership.chloe)
    for url in (
        _detail(started),
        f"/assessments/{started.pk}/contributions/new/",
        f"/assessments/{started.pk}/drafts/new/",
        f"/assessments/subjects/{chloe.pk}/change/",
        f"/assessments/families/{partnership.ashworth.pk}/start/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/assessments/{started.pk}/drafts/new/", {"strengths": "x"}).status_code == 404
    )
    assert not ContributionDraft.objects.exists()


def test_autosave_after_the_session_ended_is_sent_to_sign_in(
    partnership: Partnership, started: Assessment
) -> None:
    """What the browser sees when the session has gone: a redirect to sign in, never a save."""
    client = sign_in(Client(), partnership.maya)
    client.logout()
    response = client.post(f"/assessments/{started.pk}/drafts/new/", {"strengths": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert not ContributionDraft.objects.exists()
