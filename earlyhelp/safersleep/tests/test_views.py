"""Safer-sleep pages as personas: Maya records, Harry from housing records a move and an
observation, Hana the health visitor finds the task; Owen, Sam and Bea get 404."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from conftest import sign_in
from earlyhelp.alerts.models import Alert
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.safersleep.rules import RISK_FIELDS, ContactKind
from earlyhelp.safersleep.tests.conftest import SaferSleepPeople

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _assessment_form(s: SaferSleepPeople, **changes: str) -> dict[str, str]:
    data = {
        "person": str(s.p.unborn.pk),
        "contact": "antenatal",
        **_date("assessed_on", TODAY),
        **dict.fromkeys(RISK_FIELDS, "no"),
        "sleeping_arrangements": "Moses basket in the parents' room",
        "conversation": "Talked through back to sleep and a clear cot",
        "action_plan": "",
    }
    data.update(changes)
    return data


def family_page(client: Client, s: SaferSleepPeople) -> str:
    response = client.get(f"/people/families/{s.p.ashworth.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_maya_records_a_red_flag_with_a_plan_and_the_alert_goes_out_r_ss_3(
    safer: SaferSleepPeople,
) -> None:
    client = sign_in(Client(), safer.p.maya)
    url = f"/safersleep/families/{safer.p.ashworth.pk}/assessments/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, _assessment_form(safer, sofa_or_chair_sleeping="yes"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter the action plan" in body
    assert not SaferSleepAssessment.objects.exists()
    response = client.post(
        url,
        _assessment_form(
            safer,
            sofa_or_chair_sleeping="yes",
            action_plan="Cot from the baby bank; HV visit Monday",
            equipment="cot",
        ),
    )
    assert response.status_code == 302
    assessment = SaferSleepAssessment.objects.get()
    assert assessment.red_flag and assessment.equipment == ["cot"]
    assert set(Alert.objects.values_list("recipient__email", flat=True)) == {
        "hana@hv.example",
        "lee@earlyhelp.example",
    }
    page = family_page(client, safer)
    assert "Red flag" in page
    detail = client.get(f"/safersleep/assessments/{assessment.pk}/").content.decode()
    assert "The baby sleeps on a sofa or armchair" in detail
    assert "Cot from the baby bank" in detail


def test_empty_submission_shows_the_error_summary_not_a_500(safer: SaferSleepPeople) -> None:
    client = sign_in(Client(), safer.p.maya)
    pk = safer.p.ashworth.pk
    for url in (
        f"/safersleep/families/{pk}/assessments/new/",
        f"/safersleep/families/{pk}/observations/new/",
        f"/safersleep/families/{pk}/disruptions/new/",
    ):
        response = client.post(url, {"assessed_on_day": "31", "assessed_on_month": "2"})
        assert response.status_code == 200, url
        assert "govuk-error-summary" in response.content.decode(), url


def test_housing_officer_records_a_move_and_the_health_visitor_sees_the_task_r_ss_1_r_ss_4(
    safer: SaferSleepPeople,
) -> None:
    harry = sign_in(Client(), safer.harry)
    response = harry.post(
        f"/safersleep/families/{safer.p.ashworth.pk}/disruptions/new/",
        {"kind": "house_move", **_date("occurred_on", TODAY), "details": "Moved to Mill Lane"},
    )
    assert response.status_code == 302
    assert DisruptionOfRoutine.objects.get().source_organisation == safer.housing
    task = ReassessmentTask.objects.get()
    hana = sign_in(Client(), safer.hana)
    page = family_page(hana, safer)
    assert "Safer-sleep reassessments to do" in page
    assert "Record the reassessment" in page
    assert f"?person={task.person_id}&amp;contact=reassessment" in page
    assert Alert.objects.filter(recipient=safer.hana, kind="safer_sleep_reassessment").exists()


def test_police_officer_who_can_see_the_family_records_an_observation_r_ss_4(
    safer: SaferSleepPeople,
) -> None:
    from earlyhelp.people.models import Involvement

    Involvement.objects.create(
        organisation=safer.p.police,
        practitioner=safer.p.owen,
        family=safer.p.ashworth,
        service="Domestic abuse call",
        started_on=TODAY,
    )
    owen = sign_in(Client(), safer.p.owen)
    response = owen.post(
        f"/safersleep/families/{safer.p.ashworth.pk}/observations/new/",
        {
            "person": str(safer.p.unborn.pk),
            **_date("assessed_on", TODAY),
            "seen": ["loose_bedding"],
        },
    )
    assert response.status_code == 302
    observation = SaferSleepAssessment.objects.get()
    assert observation.is_observation and observation.loose_bedding is True
    assert observation.bed_sharing is None  # not seen is not "no"


def test_completing_the_antenatal_contact_without_safer_sleep_is_refused_r_ss_1(
    safer: SaferSleepPeople,
) -> None:
    contact = HealthVisitingContact.objects.get(person=safer.p.unborn, kind=ContactKind.ANTENATAL)
    hana = sign_in(Client(), safer.hana)
    url = f"/safersleep/contacts/{contact.pk}/complete/"
    response = hana.post(
        url, {**_date("completed_on", TODAY), "in_home": "yes", "version": contact.version}
    )
    assert response.status_code == 200
    assert "Record a safer-sleep assessment at this contact first" in response.content.decode()
    contact.refresh_from_db()
    assert contact.completed_on is None
    # A stale version is reported, not applied.
    response = hana.post(url, {**_date("completed_on", TODAY), "version": "99"})
    assert "Someone else changed this record" in response.content.decode()


def test_the_family_page_shows_reviews_with_overdue_tags_r_hcp_1(safer: SaferSleepPeople) -> None:
    HealthVisitingContact.objects.filter(kind=ContactKind.ANTENATAL).update(
        due_from=TODAY - datetime.timedelta(days=30), due_by=TODAY - datetime.timedelta(days=1)
    )
    page = family_page(sign_in(Client(), safer.p.maya), safer)
    assert "Health visiting reviews: Unborn baby Ashworth" in page
    assert 'govuk-tag--red">Overdue' in page
    assert "Antenatal contact (from 28 weeks of pregnancy)" in page


def test_header_shows_vulnerability_flags_without_detail_r_ss_5(safer: SaferSleepPeople) -> None:
    from earlyhelp.sharing.models import InformationCategory, InformationItem

    InformationItem.objects.create(
        person=safer.p.chloe,
        category=InformationCategory.objects.get(code="domestic_abuse"),
        summary="Incident on 3 November",
        detail="Partner threatened her",
        source_organisation=safer.p.police,
        recorded_by=safer.p.owen,
    )
    page = family_page(sign_in(Client(), safer.harry), safer)
    assert 'id="family-vulnerabilities"' in page
    assert ">Domestic abuse</strong>" in page
    assert "Partner threatened her" not in page


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404_and_the_refusal_is_recorded(
    persona: str, safer: SaferSleepPeople
) -> None:
    assessment = SaferSleepAssessment.objects.create(
        family=safer.p.ashworth,
        person=safer.p.unborn,
        contact="antenatal",
        assessed_on=TODAY,
        source_organisation=safer.p.midwifery,
        recorded_by=safer.p.maya,
    )
    client = sign_in(Client(), getattr(safer.p, persona))
    assert client.get(f"/safersleep/assessments/{assessment.pk}/").status_code == 404
    response = client.post(
        f"/safersleep/families/{safer.p.ashworth.pk}/disruptions/new/",
        {"kind": "house_move", **_date("occurred_on", TODAY)},
    )
    assert response.status_code == 404
    assert not DisruptionOfRoutine.objects.exists()
    assert AccessEvent.objects.filter(
        actor=getattr(safer.p, persona), action=AccessAction.DENIED
    ).exists()
