"""Subject access through the services: recording, exemptions and the response (R-SAR-1..4)."""

from __future__ import annotations

import datetime
import io
import json
import re
import zlib
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_person
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.people.models import FamilyMember, Relationship
from earlyhelp.records import services
from earlyhelp.records.models import SubjectAccessExport, SubjectAccessRequest
from earlyhelp.records.rules import (
    CONFIDENTIAL_REFERRER,
    THIRD_PARTY,
    ChildWishes,
    Competence,
    ExemptionKind,
    ExportSection,
    IdentifiedBy,
    ReceivedVia,
    RequesterRelationship,
)
from earlyhelp.records.tests.conftest import CONFIDENTIAL_REFERRER_NAME, needs_weasyprint
from earlyhelp.sharing.models import Disclosure, DisclosureKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
SELF = RequesterRelationship.SELF
PR = RequesterRelationship.PARENTAL_RESPONSIBILITY


def record(actor: Any, **overrides: Any) -> SubjectAccessRequest:
    values: dict[str, Any] = {
        "requester_name": "Chloe Ashworth",
        "requester_relationship": SELF,
        "received_via": ReceivedVia.EMAIL,
        "received_on": datetime.date(2026, 11, 2),
        "nhs_number": "943 476 5919",
        "competence": Competence.COMPETENT,
        "competence_judgement": "Met her with her family nurse; she explained what she wants",
        "today": TODAY,
    }
    values.update(overrides)
    return services.subject_access_request_record(actor=actor, **values)


def export_json(actor: Any, sar: SubjectAccessRequest) -> tuple[dict[str, Any], str]:
    file = services.subject_access_export(
        actor=actor, subject_access_request=sar, format="json", today=TODAY
    )
    text = file.content.decode()
    return json.loads(text), text


# Recording a request


def test_request_identified_by_nhs_number_is_due_a_month_later(iris, chloe_record) -> None:
    sar = record(iris)
    assert sar.person_id == sar.person_id_ref
    assert sar.identified_by == IdentifiedBy.NHS_NUMBER
    assert sar.due_on == datetime.date(2026, 12, 2)
    assert sar.subject_was_child  # Chloe is 17
    assert not sar.is_overdue(datetime.date(2026, 12, 2))
    assert sar.is_overdue(datetime.date(2026, 12, 3))
    event = AuditEvent.objects.get(action="subject_access_request.record")
    assert event.object_id == str(sar.pk)


def test_request_on_31_january_is_due_on_the_last_day_of_february(iris, chloe_record) -> None:
    sar = record(iris, received_on=datetime.date(2026, 1, 31))
    assert sar.due_on == datetime.date(2026, 2, 28)


def test_request_identified_by_exact_name_and_date_of_birth(iris, partnership) -> None:
    sar = record(
        iris,
        nhs_number="",
        given_name="chloe",
        family_name="ASHWORTH",
        date_of_birth=datetime.date(2009, 5, 14),
    )
    assert sar.person == partnership.chloe
    assert sar.identified_by == IdentifiedBy.NAME_AND_DATE_OF_BIRTH


def test_request_identified_by_a_previous_name(iris, chloe_record, partnership) -> None:
    sar = record(
        iris,
        nhs_number="",
        given_name="Chloe",
        family_name="Brennan",
        date_of_birth=datetime.date(2009, 5, 14),
    )
    assert sar.person == partnership.chloe


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"nhs_number": "999 000 0018"}, "nhs_number"),  # valid, but nobody has it
        ({"nhs_number": "1234567890"}, "nhs_number"),  # not a valid NHS number
        (
            {
                "nhs_number": "",
                "given_name": "Chloe",
                "family_name": "Ashworth",
                "date_of_birth": datetime.date(2009, 5, 15),  # one day out
            },
            "family_name",
        ),
        (
            {
                "nhs_number": "",
                "given_name": "Chloé",
                "family_name": "Ashwort",
                "date_of_birth": datetime.date(2009, 5, 14),
            },
            "family_name",
        ),
        ({"nhs_number": ""}, "date_of_birth"),
    ],
)
def test_a_person_who_cannot_be_identified_is_not_recorded(
    iris, chloe_record, identity: dict[str, Any], field: str
) -> None:
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationProblem) as problem:
        record(iris, **identity)
    assert field in problem.value.errors
    assert not SubjectAccessRequest.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_two_people_with_the_same_name_and_birthday_need_the_nhs_number(iris, partnership) -> None:
    make_person("Chloe", "Ashworth", date_of_birth=datetime.date(2009, 5, 14))
    with pytest.raises(ValidationProblem) as problem:
        record(
            iris,
            nhs_number="",
            given_name="Chloe",
            family_name="Ashworth",
            date_of_birth=datetime.date(2009, 5, 14),
        )
    assert "NHS number" in problem.value.errors["nhs_number"][0]
    assert not SubjectAccessRequest.objects.exists()


def test_competence_check_is_required_for_a_child(iris, chloe_record) -> None:
    """R-SAR-4."""
    with pytest.raises(ValidationProblem) as problem:
        record(iris, competence="", competence_judgement="")
    assert set(problem.value.errors) == {"competence", "competence_judgement"}
    assert not SubjectAccessRequest.objects.exists()


def test_every_problem_is_reported_together(iris, chloe_record) -> None:
    with pytest.raises(ValidationProblem) as problem:
        record(iris, requester_name=" ", received_via="pigeon", received_on=TODAY.replace(day=27))
    assert {"requester_name", "received_via", "received_on"} <= set(problem.value.errors)


def test_a_parent_asking_for_a_competent_young_persons_data_records_their_wishes(
    iris, partnership, chloe_record
) -> None:
    """R-SAR-3, R-SAR-4: Chloe asks for her unborn baby's record; and a parent for Chloe's."""
    baby = record(
        iris,
        requester_name="Chloe Ashworth",
        requester_relationship=PR,
        nhs_number="",
        given_name="",
        family_name="Ashworth",
        date_of_birth=datetime.date(2027, 3, 1),
        competence=Competence.NOT_COMPETENT,
        competence_judgement="Not yet born",
    )
    assert baby.person == partnership.unborn
    # Chloe is on the record as the mother, so her own details are not third party to her.
    assert baby.requester_person == partnership.chloe
    with pytest.raises(ValidationProblem) as problem:
        record(iris, requester_name="Karen Ashworth", requester_relationship=PR)
    assert set(problem.value.errors) == {"child_wishes"}
    sar = record(
        iris,
        requester_name="Karen Ashworth",
        requester_relationship=PR,
        child_wishes=ChildWishes.OBJECTS,
    )
    assert sar.child_wishes == ChildWishes.OBJECTS
    assert sar.requester_person is None


def test_a_parent_cannot_ask_for_an_adults_data(iris, partnership) -> None:
    with pytest.raises(ValidationProblem) as problem:
        record(
            iris,
            requester_relationship=PR,
            nhs_number="",
            given_name="Jordan",
            family_name="Pike",
            date_of_birth=datetime.date(2007, 2, 2),
        )
    assert "requester_relationship" in problem.value.errors


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam", "bea"])
def test_only_the_information_governance_lead_records_requests(
    partnership, chloe_record, persona: str
) -> None:
    user = getattr(partnership, persona)
    with pytest.raises(NotFoundOrForbidden):
        record(user)
    assert not SubjectAccessRequest.objects.exists()
    refused = AccessEvent.objects.get(actor=user, action=AccessAction.DENIED)
    assert refused.object_type == "records.subjectaccessrequest"


# The response


def test_response_holds_everything_with_third_parties_redacted(
    iris, partnership, chloe_record
) -> None:
    """R-SAR-1, R-SAR-2, R-IS-5."""
    p = partnership
    sar = record(iris)
    data, text = export_json(iris, sar)
    person = data["person"]
    assert person["name"] == "Chloe Ashworth"
    assert person["nhs_number"] == "9434765919"
    assert data["previous_names"] == [{"given_name": "Chloe", "family_name": "Brennan"}]
    assert data["addresses"][0]["address"] == "12 Canal Street, Wyvern WY1 2AB"
    # Other family members are third parties; the father's name appears nowhere.
    members = data["families"][0]["members"]
    assert {m["relationship"]: m["name"] for m in members} == {
        "Father": THIRD_PARTY,
        "Unborn baby": "Unborn baby Ashworth",  # her own child: not a third party to her
    }
    assert "Jordan" not in text and "Pike" not in text
    partner_note = next(i for i in data["information"] if i["agency"] == p.midwifery.name)
    assert (
        partner_note["detail"]
        == f"Chloe came with {THIRD_PARTY}. Her mum may help after the birth."
    )
    # The confidential referrer is hidden, in the field and in the text.
    referral = next(i for i in data["information"] if i["agency"] == p.police.name)
    assert referral["told_us"] == CONFIDENTIAL_REFERRER
    assert referral["detail"] == (
        f"{CONFIDENTIAL_REFERRER} rang. She heard {THIRD_PARTY} shouting at Chloe."
    )
    assert CONFIDENTIAL_REFERRER_NAME.split()[0] not in text
    # Professionals are named (R-SAR-2).
    assert referral["recorded_by"] == "Owen Officer"
    assert data["agencies_involved"][0]["practitioner"] == "Maya Midwife"
    assert data["consents"][0]["given_by"] == "Chloe Ashworth"
    assert sorted(data["consents"][0]["covers"]) == ["Chloe Ashworth", "Unborn baby Ashworth"]
    decision = data["sharing_decisions"][0]
    assert sorted(decision["about"]) == sorted(["Chloe Ashworth", THIRD_PARTY])
    assert decision["what"] == f"Domestic abuse notification about {THIRD_PARTY}"
    assert data["information_that_left_the_service"][0]["to"] == p.midwifery.name


def test_response_includes_who_looked_at_and_changed_the_record(iris, chloe_record) -> None:
    sar = record(iris)
    data, _ = export_json(iris, sar)
    looks = data["record_of_access"]["looks"]
    assert {(look["by"], look["record"]) for look in looks} == {
        ("Maya Midwife", "your record"),
        ("Maya Midwife", "your family's record"),
    }
    assert {look["allowed_because"] for look in looks} == {
        "Their agency is working with the family"
    }


def test_chronology_tells_the_story_in_date_order(iris, chloe_record) -> None:
    """R-SAR-4."""
    sar = record(iris)
    data, _ = export_json(iris, sar)
    dates = [entry["date"] for entry in data["chronology"]]
    assert dates == sorted(dates)
    story = [entry["what_happened"] for entry in data["chronology"]]
    assert story[0] == "Born"
    assert "Moved in to 12 Canal Street, Wyvern WY1 2AB" in story
    assert any(s.startswith("Wyvern Hospitals Midwifery (Antenatal care) started") for s in story)
    assert any("Neighbour worried" in s for s in story)


def test_export_writes_the_disclosure_log_and_the_access_log(iris, chloe_record) -> None:
    sar = record(iris)
    services.subject_access_export(actor=iris, subject_access_request=sar, format="json")
    disclosure = Disclosure.objects.get(kind=DisclosureKind.SUBJECT_ACCESS)
    assert disclosure.person_id_ref == sar.person_id
    assert disclosure.actor == iris
    assert "Chloe Ashworth" in disclosure.recipient
    event = AccessEvent.objects.get(actor=iris, action=AccessAction.EXPORT)
    assert (event.object_type, event.object_id) == ("people.person", str(sar.person_id))
    assert event.route == "subject_access"
    export = SubjectAccessExport.objects.get()
    assert export.disclosure_id_ref == disclosure.pk
    assert AuditEvent.objects.filter(action="subject_access_request.export").count() == 1


def test_exemptions_are_applied_and_recorded_with_what_and_why(
    iris, partnership, chloe_record
) -> None:
    """R-SAR-3: the serious harm test withholds an item; third parties are recorded too."""
    sar = record(iris)
    services.subject_access_exemption_record(
        actor=iris,
        subject_access_request=sar,
        kind=ExemptionKind.SERIOUS_HARM,
        reason="Her psychologist advised it would cause serious harm now",
        information_item=chloe_record.care_history,
    )
    services.subject_access_exemption_record(
        actor=iris,
        subject_access_request=sar,
        kind=ExemptionKind.SERIOUS_HARM,
        reason="Police advised",
        section=ExportSection.SHARING_DECISIONS,
    )
    data, text = export_json(iris, sar)
    assert "foster care" not in text
    assert data["sharing_decisions"] == []
    assert any("withheld under an exemption" in n for n in data["about_this_response"]["notes"])
    withheld = SubjectAccessExport.objects.get().withheld
    kinds = [w["exemption"] for w in withheld]
    assert kinds[:2] == [ExemptionKind.SERIOUS_HARM.label] * 2
    assert f"Information item {chloe_record.care_history.pk}" in withheld[0]["what"]
    assert withheld[0]["why"] == "Her psychologist advised it would cause serious harm now"
    assert "Third-party information" in kinds
    assert "Confidential referrer" in kinds
    # The reasons are for the record, not for the requester.
    assert "psychologist" not in text


def test_exemption_must_be_about_this_persons_information(iris, partnership, chloe_record) -> None:
    sar = record(iris)
    other = make_person("Ava", "Other", date_of_birth=datetime.date(2001, 1, 1))
    item = chloe_record.referral
    item.pk = None
    item.person = other
    item.save()
    with pytest.raises(ValidationProblem) as problem:
        services.subject_access_exemption_record(
            actor=iris,
            subject_access_request=sar,
            kind=ExemptionKind.SERIOUS_HARM,
            reason="x",
            information_item=item,
        )
    assert "withheld" in problem.value.errors
    assert not sar.exemptions.exists()


def test_nothing_goes_to_a_parent_when_the_young_person_objects(iris, chloe_record) -> None:
    """R-SAR-3: the data subject's wishes when a parent asks."""
    sar = record(
        iris,
        requester_name="Karen Ashworth",
        requester_relationship=PR,
        child_wishes=ChildWishes.OBJECTS,
    )
    with pytest.raises(ValidationProblem):
        services.subject_access_export(actor=iris, subject_access_request=sar, format="json")
    assert not Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).exists()
    assert not SubjectAccessExport.objects.exists()


def test_agreeing_in_part_needs_the_wishes_exemption_first(iris, chloe_record) -> None:
    sar = record(
        iris,
        requester_name="Karen Ashworth",
        requester_relationship=PR,
        child_wishes=ChildWishes.AGREES_IN_PART,
    )
    with pytest.raises(ValidationProblem):
        services.subject_access_export(actor=iris, subject_access_request=sar, format="json")
    services.subject_access_exemption_record(
        actor=iris,
        subject_access_request=sar,
        kind=ExemptionKind.DATA_SUBJECT_WISHES,
        reason="Chloe does not want her mother to read the police referral",
        information_item=chloe_record.referral,
    )
    data, text = export_json(iris, sar)
    assert "Neighbour worried" not in text
    # To the parent, even Chloe's partner and her baby are third parties unless the parent
    # is on the record: only Chloe is named.
    assert data["families"][0]["members"][0]["name"] == THIRD_PARTY


def test_response_sent_after_it_was_prepared(iris, chloe_record) -> None:
    sar = record(iris)
    with pytest.raises(ValidationProblem):
        services.subject_access_response_sent(
            actor=iris, subject_access_request=sar, sent_on=TODAY, today=TODAY
        )
    services.subject_access_export(actor=iris, subject_access_request=sar, format="json")
    services.subject_access_response_sent(
        actor=iris, subject_access_request=sar, sent_on=TODAY, today=TODAY
    )
    sar.refresh_from_db()
    assert sar.response_sent_on == TODAY
    assert not sar.is_overdue(datetime.date(2027, 6, 1))
    with pytest.raises(ValidationProblem):
        services.subject_access_response_sent(
            actor=iris, subject_access_request=sar, sent_on=TODAY, today=TODAY
        )


def test_only_the_information_governance_lead_exports(partnership, iris, chloe_record) -> None:
    sar = record(iris)
    with pytest.raises(NotFoundOrForbidden):
        services.subject_access_export(
            actor=partnership.maya, subject_access_request=sar, format="json"
        )
    assert not Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).exists()


def test_a_childs_own_children_are_named_to_them(iris, partnership, chloe_record) -> None:
    """R-SAR-2: the requester's own child is not a third party to them."""
    p = partnership
    born = make_person("Ava", "Ashworth", date_of_birth=datetime.date(2026, 3, 1))
    FamilyMember.objects.create(family=p.ashworth, person=born, relationship=Relationship.CHILD)
    sister = make_person("Mia", "Ashworth", date_of_birth=datetime.date(2012, 1, 1))
    FamilyMember.objects.create(family=p.ashworth, person=sister, relationship=Relationship.SIBLING)
    sar = record(iris)
    data, text = export_json(iris, sar)
    names = {m["relationship"]: m["name"] for m in data["families"][0]["members"]}
    assert names["Child"] == "Ava Ashworth"
    assert names["Sibling"] == THIRD_PARTY
    assert "Mia" not in text


# The PDF


@needs_weasyprint
def test_pdf_is_a_real_readable_document(iris, chloe_record) -> None:
    sar = record(iris)
    file = services.subject_access_export(
        actor=iris, subject_access_request=sar, format="pdf", today=TODAY
    )
    assert file.content_type == "application/pdf"
    assert file.content.startswith(b"%PDF-")
    assert file.content.rstrip().endswith(b"%%EOF")
    assert file.filename == f"subject-access-{sar.reference}-2026-11-26.pdf"
    try:
        from pypdf import PdfReader
    except ImportError:
        # No PDF reader installed: read the page tree from the (compressed) objects.
        objects = pdf_objects(file.content)
        pages = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", objects, re.S)
        assert pages, "no page tree"
        assert int(pages.group(1)) >= 2  # the story, the details and the record of access
        return
    reader = PdfReader(io.BytesIO(file.content))
    assert len(reader.pages) >= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Your information" in text
    assert "Jordan" not in text


def pdf_objects(pdf: bytes) -> bytes:
    """Every stream of the PDF inflated, with the file's plain parts, for searching."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@needs_weasyprint
def test_pdf_and_json_are_logged_alike(iris, chloe_record) -> None:
    sar = record(iris)
    services.subject_access_export(actor=iris, subject_access_request=sar, format="pdf")
    assert Disclosure.objects.filter(kind=DisclosureKind.SUBJECT_ACCESS).count() == 1
    assert SubjectAccessExport.objects.get().format == "pdf"
    assert timezone.localdate(SubjectAccessExport.objects.get().exported_at) == timezone.localdate()
