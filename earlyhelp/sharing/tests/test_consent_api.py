"""Consent, sharing decisions and advice over the API: the same services as the pages.

Rules: R-IS-1, R-IS-2, R-IS-3, R-IS-6, R-IS-9, R-IS-13, R-CW-3.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from conftest import Partnership
from earlyhelp.alerts.models import Alert
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.people.models import Family, FamilyMember, Relationship
from earlyhelp.sharing.models import (
    Consent,
    Disclosure,
    InformFamilyTask,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    SharingDecision,
)
from earlyhelp.sharing.tests.test_consent_services import (
    consent_for_police,
    days,
    make_ig_lead,
    saved_rows,
)

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def consent_body(p: Partnership, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_by_id": p.chloe.pk,
        "giver_kind": "young_person",
        "competence_judgement": "Understood and asked good questions",
        "covers_person_ids": [p.chloe.pk, p.unborn.pk],
        "category_codes": ["domestic_abuse"],
        "organisation_ids": [p.police.pk],
        "agency_types": ["health_visiting"],
        "purpose": "Keeping Chloe and the baby safe",
        "starts_on": days(0).isoformat(),
    }
    body.update(changes)
    return body


def decision_body(p: Partnership, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "share": True,
        "what": "Jordan's threats at the booking appointment",
        "purpose": "Protect Chloe and the baby",
        "reasons": "Risk of harm to an unborn baby",
        "about_person_ids": [p.chloe.pk, p.jordan.pk],
        "recipient_ids": [p.police.pk],
        "no_consent_reason": NoConsentReason.CANNOT_REASONABLY_BE_OBTAINED,
        "lawful_basis": LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    }
    body.update(changes)
    return body


def family_path(p: Partnership, tail: str) -> str:
    return f"/api/v1/families/{p.ashworth.pk}/{tail}"


def test_outsider_gets_404_on_every_operation_until_a_basis_covers_police(
    partnership: Partnership,
) -> None:
    p = partnership
    consent = consent_for_police(p, organisations=[p.early_help])
    owen = bearer_client(p.owen)
    before = saved_rows()
    calls = [
        lambda: owen.get(family_path(p, "consents")),
        lambda: post(owen, family_path(p, "consents"), consent_body(p)),
        lambda: owen.get(family_path(p, "sharing-decisions")),
        lambda: post(owen, family_path(p, "sharing-decisions"), decision_body(p)),
        lambda: post(owen, family_path(p, "advice-requests"), {"question": "Who is this?"}),
        lambda: post(owen, f"/api/v1/consents/{consent.pk}/withdraw", {}),
        lambda: owen.get("/api/v1/families/999999/consents"),
    ]
    for call in calls:
        problem(call(), 404)
    assert saved_rows() == before
    consent_for_police(p)
    assert owen.get(family_path(p, "consents")).status_code == 200


def test_consent_recorded_listed_and_withdrawn(partnership: Partnership) -> None:
    p = partnership
    maya, owen = bearer_client(p.maya), bearer_client(p.owen)
    response = post(maya, family_path(p, "consents"), consent_body(p))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "In force"
    assert body["covers_person_ids"] == sorted([p.chloe.pk, p.unborn.pk])
    assert body["agency_types"] == ["health_visiting"]
    assert body["category_codes"] == ["domestic_abuse"]
    listed = owen.get(family_path(p, "consents"))
    assert [c["id"] for c in listed.json()] == [body["id"]]

    withdrawn = post(maya, f"/api/v1/consents/{body['id']}/withdraw", {"note": "Chloe asked"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "Withdrawn"
    # R-IS-13: at once, from the very next request.
    problem(owen.get(family_path(p, "consents")), 404)
    again = problem(post(maya, f"/api/v1/consents/{body['id']}/withdraw", {}), 422)
    assert "__all__" in again["errors"]


@pytest.mark.parametrize(
    ("case", "changes", "field"),
    [
        ("expiry before start", {"expires_on": days(-1).isoformat()}, "expires_on"),
        ("no judgement", {"competence_judgement": ""}, "competence_judgement"),
        ("outsider gives it", {"given_by_id": "stranger"}, "given_by_id"),
        ("covers an outsider", {"covers_person_ids": "stranger"}, "covers_person_ids"),
        ("made-up category", {"category_codes": ["gossip"]}, "category_codes"),
        ("made-up agency", {"organisation_ids": [999999]}, "organisation_ids"),
        ("made-up agency type", {"agency_types": ["astrology"]}, "agency_types"),
        ("date as a number", {"starts_on": 20261126}, "starts_on"),
        ("unknown field", {"colour": "blue"}, "colour"),
        ("control characters", {"purpose": "a\x00b"}, "purpose"),
    ],
)
def test_bad_consent_is_a_422_and_saves_nothing(
    partnership: Partnership, case: str, changes: dict[str, Any], field: str
) -> None:
    p = partnership
    for name, value in list(changes.items()):
        if value == "stranger":
            changes[name] = p.stranger.pk if name == "given_by_id" else [p.stranger.pk]
    maya = bearer_client(p.maya)  # issuing a token is audited: before counting
    before = saved_rows()
    body = problem(post(maya, family_path(p, "consents"), consent_body(p, **changes)), 422)
    # A list item is named by its place, like "agency_types.0".
    assert any(name.split(".")[0] == field for name in body["errors"]), body
    assert saved_rows() == before


def test_share_without_consent_over_the_api(partnership: Partnership) -> None:
    p = partnership
    maya = bearer_client(p.maya, label="Maternity system")
    response = post(maya, family_path(p, "sharing-decisions"), decision_body(p))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["share"] is True and body["regime"] == "uk_gdpr"
    assert body["inform_family_task"]["assigned_to_name"] == "Maya Midwife"
    disclosure = Disclosure.objects.get(decision_id_ref=body["id"])
    assert disclosure.recipient == "Wyvern Police"
    assert disclosure.client == "Maternity system"
    listed = bearer_client(p.owen).get(family_path(p, "sharing-decisions"))
    assert [d["id"] for d in listed.json()] == [body["id"]]


@pytest.mark.parametrize(
    ("case", "changes", "fields"),
    [
        (
            "no reason, no basis",
            {"no_consent_reason": None, "lawful_basis": None},
            {"no_consent_reason", "lawful_basis"},
        ),
        ("Part 3 with a UK GDPR basis", {"regime": "dpa_part3"}, {"lawful_basis"}),
        (
            "not sharing without a reason",
            {"share": False, "no_consent_reason": None, "lawful_basis": None},
            {"not_sharing_reason"},
        ),
        ("consent of another family", {"consent_id": "other"}, {"consent_id"}),
        ("about an outsider", {"about_person_ids": "stranger"}, {"about_person_ids"}),
        ("to a made-up agency", {"recipient_ids": [999999]}, {"recipient_ids"}),
        ("made-up reason", {"no_consent_reason": "bored"}, {"no_consent_reason"}),
        ("share as text", {"share": "perhaps"}, {"share"}),
    ],
)
def test_bad_decision_is_a_422_and_saves_nothing(
    partnership: Partnership, case: str, changes: dict[str, Any], fields: set[str]
) -> None:
    p = partnership
    if changes.get("consent_id") == "other":
        other = Family.objects.create(name="Pike household")
        FamilyMember.objects.create(family=other, person=p.chloe, relationship=Relationship.MOTHER)
        changes["consent_id"] = consent_for_police(
            p, actor=p.fatima, family=other, covers_people=[p.chloe]
        ).pk
    if changes.get("about_person_ids") == "stranger":
        changes["about_person_ids"] = [p.stranger.pk]
    maya = bearer_client(p.maya)
    before = saved_rows()
    body = problem(
        post(maya, family_path(p, "sharing-decisions"), decision_body(p, **changes)), 422
    )
    assert set(body["errors"]) == fields, body
    assert saved_rows() == before


def test_share_with_consent_and_unsafe_to_tell(partnership: Partnership) -> None:
    p = partnership
    consent = consent_for_police(p)
    response = post(
        bearer_client(p.maya),
        family_path(p, "sharing-decisions"),
        decision_body(
            p,
            consent_id=consent.pk,
            about_person_ids=[p.chloe.pk],
            no_consent_reason=None,
            lawful_basis=None,
            unsafe_to_inform_reason="Jordan reads her messages",
        ),
    )
    assert response.status_code == 201, response.content
    assert response.json()["inform_family_task"] is None
    assert not InformFamilyTask.objects.exists()
    assert SharingDecision.objects.get().consent == consent


@override_settings(CWSA_S4_IN_FORCE=True)
def test_duty_to_share_over_the_api(partnership: Partnership) -> None:
    """R-CW-3: only "more detrimental to the child" justifies not sharing."""
    p = partnership
    maya = bearer_client(p.maya)
    not_sharing = {"share": False, "no_consent_reason": None, "lawful_basis": None}
    refused = post(
        maya,
        family_path(p, "sharing-decisions"),
        decision_body(p, **not_sharing, not_sharing_reason=NotSharingReason.NOT_NECESSARY),
    )
    assert "not_sharing_reason" in problem(refused, 422)["errors"]
    accepted = post(
        maya,
        family_path(p, "sharing-decisions"),
        decision_body(p, **not_sharing, not_sharing_reason=NotSharingReason.MORE_DETRIMENTAL),
    )
    assert accepted.status_code == 201, accepted.content


def test_police_decisions_default_to_part_3(partnership: Partnership) -> None:
    """R-IS-9."""
    p = partnership
    consent_for_police(p)
    response = post(
        bearer_client(p.owen),
        family_path(p, "sharing-decisions"),
        decision_body(p, recipient_ids=[p.midwifery.pk], lawful_basis=LawfulBasis.LAW_ENFORCEMENT),
    )
    assert response.status_code == 201, response.content
    assert response.json()["regime"] == "dpa_part3"


def test_asking_information_governance_over_the_api(partnership: Partnership) -> None:
    p = partnership
    ingrid = make_ig_lead(p)
    response = post(
        bearer_client(p.maya),
        family_path(p, "advice-requests"),
        {"question": "May I share with the GP?", "urgent": True},
    )
    assert response.status_code == 201, response.content
    assert response.json()["answered_at"] is None
    assert Alert.objects.filter(recipient=ingrid).count() == 1
    empty = problem(
        post(bearer_client(p.maya), family_path(p, "advice-requests"), {"question": ""}), 422
    )
    assert "question" in empty["errors"]


def test_sharing_operations_need_the_sharing_scopes(partnership: Partnership) -> None:
    p = partnership
    people_only = bearer_client(p.maya, scopes=[Scope.PEOPLE_READ, Scope.PEOPLE_WRITE])
    problem(people_only.get(family_path(p, "consents")), 403)
    problem(post(people_only, family_path(p, "sharing-decisions"), decision_body(p)), 403)
    read_only = bearer_client(p.maya, scopes=[Scope.SHARING_READ])
    assert read_only.get(family_path(p, "consents")).status_code == 200
    problem(post(read_only, family_path(p, "consents"), consent_body(p)), 403)
    assert not Consent.objects.exists()


def test_operations_are_in_the_api_description(partnership: Partnership) -> None:
    document = bearer_client(partnership.maya).get("/api/v1/openapi.json").json()
    ids = {
        details["operationId"]
        for operations in document["paths"].values()
        for details in operations.values()
    }
    assert {
        "consent_list",
        "consent_record",
        "consent_withdraw",
        "sharing_decision_list",
        "sharing_decision_record",
        "advice_request_ask",
    } <= ids


def test_one_request_reports_every_problem(partnership: Partnership) -> None:
    p = partnership
    maya = bearer_client(p.maya)
    before = saved_rows()
    body = problem(
        post(
            maya,
            family_path(p, "consents"),
            consent_body(
                p,
                given_by_id=p.stranger.pk,
                competence_judgement="",
                expires_on=days(-1).isoformat(),
                category_codes=["gossip"],
            ),
        ),
        422,
    )
    assert {"given_by_id", "expires_on", "category_codes"} <= set(body["errors"])
    decision = problem(
        post(
            maya,
            family_path(p, "sharing-decisions"),
            decision_body(p, recipient_ids=[999999], lawful_basis=None, reasons=""),
        ),
        422,
    )
    assert set(decision["errors"]) == {"recipient_ids", "lawful_basis", "reasons"}
    assert saved_rows() == before
