"""Other apps' services write the chronology as part of the change they record."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import Partnership
from earlyhelp.chronology import selectors
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.levels import services as levels_services
from earlyhelp.people import services as people_services
from earlyhelp.safersleep import services as safersleep_services
from earlyhelp.safersleep.rules import RISK_FIELDS, AssessmentContact, SleepRisks
from earlyhelp.safersleep.tests.conftest import SaferSleepPeople, safer  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_birth_is_in_the_babys_chronology(partnership: Partnership) -> None:
    p = partnership
    people_services.person_record_birth(
        actor=p.maya, person=p.unborn, date_of_birth=TODAY, given_name="Ava", sex="female"
    )
    entry = ChronologyEntry.objects.get(kind=EntryKind.BIRTH)
    assert (entry.family, entry.person, entry.occurred_on) == (p.ashworth, p.unborn, TODAY)
    assert entry.source_organisation == p.midwifery
    assert entry.source_type == "people.person"


def test_a_new_address_is_a_move(partnership: Partnership) -> None:
    p = partnership
    address = people_services.address_add(
        actor=p.maya,
        person=p.chloe,
        line_1="1 High Street",
        town="Wyvern",
        postcode="LS1 4AP",
        local_authority="Wyvern",
        moved_in_on=TODAY,
        inside_partnership_area=False,
    )
    entry = ChronologyEntry.objects.get(kind=EntryKind.MOVE)
    assert entry.summary == "Moved to a new address outside the partnership area"
    assert entry.source_id == str(address.pk)
    assert "High Street" not in entry.summary


def test_an_involvement_starting_and_ending(partnership: Partnership) -> None:
    p = partnership
    involvement = people_services.involvement_start(
        actor=p.maya,
        organisation=p.midwifery,
        service="Teenage pregnancy clinic",
        family=p.ashworth,
    )
    people_services.involvement_end(actor=p.maya, involvement=involvement)
    summaries = [
        s.summary for s in selectors.family_chronology(actor=p.maya, family=p.ashworth).entries
    ]
    assert sorted(summaries) == [
        "Wyvern Hospitals Midwifery started working with them: Teenage pregnancy clinic",
        "Wyvern Hospitals Midwifery stopped working with them: Teenage pregnancy clinic",
    ]


def test_a_domestic_abuse_disruption_is_need_to_know_for_other_agencies_r_is_12(
    safer: SaferSleepPeople,  # noqa: F811
) -> None:
    p = safer.p
    safersleep_services.disruption_record(
        actor=safer.harry,
        family=p.ashworth,
        kind="domestic_abuse_incident",
        occurred_on=TODAY,
        details="Partner assaulted Chloe",
        person=p.chloe,
    )
    entry = ChronologyEntry.objects.get()
    assert entry.kind == EntryKind.INCIDENT
    assert entry.category is not None and entry.category.code == "domestic_abuse"
    [shown] = selectors.family_chronology(actor=safer.hana, family=p.ashworth).entries
    assert shown.withheld
    assert shown.summary == "Incident recorded by Wyvern Homes: ask the lead professional"
    [own] = selectors.family_chronology(actor=safer.harry, family=p.ashworth).entries
    assert not own.withheld and "Domestic abuse" in own.summary


def test_a_house_move_disruption_is_a_move(safer: SaferSleepPeople) -> None:  # noqa: F811
    safersleep_services.disruption_record(
        actor=safer.harry, family=safer.p.ashworth, kind="house_move", occurred_on=TODAY
    )
    entry = ChronologyEntry.objects.get()
    assert (entry.kind, entry.category) == (EntryKind.MOVE, None)


def test_a_safer_sleep_red_flag_is_in_the_chronology_r_ss_3(
    safer: SaferSleepPeople,  # noqa: F811
) -> None:
    values = {name: False for name in RISK_FIELDS}
    values.update(bed_sharing=True, parent_smokes=True)
    safersleep_services.safer_sleep_assessment_record(
        actor=safer.p.maya,
        family=safer.p.ashworth,
        person=safer.p.unborn,
        risks=SleepRisks(**values),
        assessed_on=TODAY,
        contact=AssessmentContact.ANTENATAL,
        sleeping_arrangements="Sharing the parents' bed",
        conversation="Talked through the risks",
        action_plan="Cot from the baby bank on Friday",
        today=TODAY,
    )
    entry = ChronologyEntry.objects.get()
    assert (entry.kind, entry.person) == (EntryKind.ASSESSMENT, safer.p.unborn)
    assert "red flag" in entry.summary


def test_no_red_flag_no_entry(safer: SaferSleepPeople) -> None:  # noqa: F811
    safersleep_services.safer_sleep_assessment_record(
        actor=safer.p.maya,
        family=safer.p.ashworth,
        person=safer.p.unborn,
        risks=SleepRisks(**{name: False for name in RISK_FIELDS}),
        assessed_on=TODAY,
        contact=AssessmentContact.ANTENATAL,
        sleeping_arrangements="Moses basket",
        conversation="Lullaby Trust leaflet",
        today=TODAY,
    )
    assert not ChronologyEntry.objects.exists()


def test_a_level_decision_is_in_the_chronology(partnership: Partnership) -> None:
    p = partnership
    decision = levels_services.level_decision_record(
        actor=p.maya,
        family=p.ashworth,
        indicator_codes=["LON-PC-2-01"],
        decided_level_code="additional",
        rationale="Chloe wants help getting ready for the baby",
    )
    entry = ChronologyEntry.objects.get()
    assert entry.kind == EntryKind.DECISION
    assert entry.summary.startswith("Level of need decided: ")
    assert entry.source_id == str(decision.pk)


def test_a_front_door_decision_is_in_the_chronology(partnership: Partnership) -> None:
    from earlyhelp.frontdoor import services as frontdoor_services
    from earlyhelp.frontdoor.tests.factories import request_made

    p = partnership
    made = request_made(p)
    frontdoor_services.request_for_support_decide(
        actor=p.fatima,
        request_for_support=made,
        route="mash",
        reasons="Worries about the baby's safety after the incident",
        version=made.version,
    )
    entry = ChronologyEntry.objects.get(kind=EntryKind.DECISION)
    assert entry.family == p.ashworth
    assert entry.summary.startswith("Front door decision on a request for support: ")
    assert "incident" not in entry.summary
    assert entry.source_id == str(made.pk)


def test_an_assessment_sign_off_is_in_the_chronology(partnership: Partnership) -> None:
    from earlyhelp.assessments import services as assessment_services
    from earlyhelp.assessments.tests.conftest import AGREED_ON
    from earlyhelp.assessments.tests.test_services import make_whole

    p = partnership
    started = assessment_services.assessment_start(
        actor=p.maya,
        family=p.ashworth,
        agreed_by=p.chloe,
        agreed_on=AGREED_ON,
        agreement_note="Chloe agreed at her booking appointment",
    )
    make_whole(p, started)
    assessment_services.assessment_complete(actor=p.maya, assessment=started, version=1)
    started.refresh_from_db()
    assessment_services.assessment_sign_off(
        actor=p.fatima, assessment=started, version=started.version
    )
    entry = ChronologyEntry.objects.get(kind=EntryKind.ASSESSMENT)
    assert entry.summary == "Early help assessment signed off"
    assert entry.recorded_by == p.fatima
