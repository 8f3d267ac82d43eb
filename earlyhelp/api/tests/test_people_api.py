"""Every people operation as each persona: Maya (involved) succeeds; the others get 404s.

Each operation is a row: how to call it, and what each persona should get. A persona who
may not see the record gets the same 404 problem as for a record that does not exist.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import (
    Family,
    FamilyMember,
    Involvement,
    Person,
    Relationship,
)
from earlyhelp.people.services import search_names_add

pytestmark = pytest.mark.django_db


def grace(p: Any) -> Person:
    """Someone the midwives are involved with, not yet in the Ashworth family."""
    person = Person.objects.create(
        given_name="Grace",
        family_name="Ashworth",
        given_name_key="GRACE",
        family_name_key="ASHWORTH",
        date_of_birth=datetime.date(1975, 1, 1),
    )
    Involvement.objects.create(
        organisation=p.midwifery,
        person=person,
        service="Antenatal care",
        started_on=datetime.date(2026, 9, 1),
    )
    return person


@dataclass
class Op:
    name: str
    method: str
    path: Callable[[Any], str]
    body: Callable[[Any], dict[str, Any]] | None = None
    maya: int = 200
    # Statuses for the others; 404 unless the operation reaches no record of Maya's.
    others: dict[str, int] = field(default_factory=dict)


OPERATIONS = [
    Op("person_get", "get", lambda p: f"/api/v1/people/{p.chloe.pk}"),
    Op(
        "person_list",
        "get",
        lambda p: "/api/v1/people",
        others={"owen": 200, "sam": 200, "bea": 200},
    ),
    Op(
        "person_create",
        "post",
        lambda p: "/api/v1/people",
        lambda p: {
            "given_name": "Maureen",
            "family_name": "Ashworth",
            "date_of_birth": "1970-04-01",
            "family_id": p.ashworth.pk,
            "relationship": "grandparent",
        },
        maya=201,
    ),
    Op(
        "person_update",
        "patch",
        lambda p: f"/api/v1/people/{p.chloe.pk}",
        lambda p: {"version": 1, "first_language": "English"},
    ),
    Op(
        "person_record_birth",
        "post",
        lambda p: f"/api/v1/people/{p.unborn.pk}/birth",
        lambda p: {
            "date_of_birth": timezone.localdate().isoformat(),
            "given_name": "Ava",
            "sex": "female",
        },
    ),
    Op(
        "person_search",
        "get",
        lambda p: "/api/v1/people/search?name=Chloe+Ashworth",
        others={"owen": 200, "sam": 200, "bea": 200},
    ),
    Op(
        "family_list",
        "get",
        lambda p: "/api/v1/families",
        others={"owen": 200, "sam": 200, "bea": 200},
    ),
    Op("family_get", "get", lambda p: f"/api/v1/families/{p.ashworth.pk}"),
    Op(
        "family_create",
        "post",
        lambda p: "/api/v1/families",
        lambda p: {"name": "Pike household"},
        maya=201,
        # Owen's agency may record a family of its own; it then sees only that one.
        others={"owen": 201},
    ),
    Op(
        "family_member_add",
        "post",
        lambda p: f"/api/v1/families/{p.ashworth.pk}/members",
        lambda p: {"person_id": grace(p).pk, "relationship": "grandparent"},
        maya=201,
    ),
    Op(
        "family_involvement_list", "get", lambda p: f"/api/v1/families/{p.ashworth.pk}/involvements"
    ),
    Op(
        "involvement_start",
        "post",
        lambda p: "/api/v1/involvements",
        lambda p: {
            "organisation_id": p.midwifery.pk,
            "family_id": p.ashworth.pk,
            "service": "Postnatal care",
        },
        maya=201,
    ),
    Op(
        "involvement_end",
        "post",
        lambda p: f"/api/v1/involvements/{Involvement.objects.get(family=p.ashworth).pk}/end",
        lambda p: {},
    ),
]


def call(client: Client, op: Op, p: Any) -> Any:
    path = op.path(p)
    if op.body is None:
        return getattr(client, op.method)(path)
    return getattr(client, op.method)(path, op.body(p), content_type="application/json")


def test_every_operation_is_in_the_table() -> None:
    """Every operation of the people router is walked by the persona tests below."""
    from earlyhelp.people.api import router

    documented = [
        operation.view_func.__name__
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]
    assert sorted(documented) == sorted(op.name for op in OPERATIONS)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_involved_midwife_can(partnership, op: Op) -> None:
    response = call(bearer_client(partnership.maya), op, partnership)
    assert response.status_code == op.maya, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_others_get_not_found_or_nothing(partnership, op: Op, persona: str) -> None:
    p = partnership
    expected = op.others.get(persona, 404)
    response = call(bearer_client(getattr(p, persona)), op, p)
    if expected == 404:
        body = problem(response, 404)
        assert body["type"] == "about:blank"
        assert "Ashworth" not in response.content.decode()
    else:
        assert response.status_code == expected, response.content
    if op.name in {"person_list", "family_list"}:
        assert response.json()["count"] == 0
    if op.name == "person_search":
        assert response.json()["results"] == []
        assert response.json()["match_not_visible"] is True


def test_missing_and_forbidden_look_the_same(partnership) -> None:
    client = bearer_client(partnership.maya)
    forbidden = problem(client.get(f"/api/v1/people/{partnership.stranger.pk}"), 404)
    missing = problem(client.get("/api/v1/people/987654"), 404)
    forbidden.pop("instance")
    missing.pop("instance")
    assert forbidden == missing


def test_nothing_changes_for_a_refused_write(partnership) -> None:
    p = partnership
    client = bearer_client(p.owen)
    response = client.patch(
        f"/api/v1/people/{p.chloe.pk}",
        {"version": 1, "given_name": "Changed"},
        content_type="application/json",
    )
    problem(response, 404)
    p.chloe.refresh_from_db()
    assert p.chloe.given_name == "Chloe"
    assert p.chloe.version == 1


def test_person_shows_details_families_and_involvements(partnership) -> None:
    p = partnership
    body = bearer_client(p.maya).get(f"/api/v1/people/{p.chloe.pk}").json()
    assert body["display_name"] == "Chloe Ashworth"
    assert body["version"] == 1
    assert body["families"] == [
        {
            "family_id": p.ashworth.pk,
            "family_name": "Ashworth household",
            "relationship": "mother",
            "joined_on": None,
        }
    ]


def test_list_is_paged(partnership) -> None:
    client = bearer_client(partnership.maya)
    first = client.get("/api/v1/people?limit=2").json()
    second = client.get("/api/v1/people?limit=2&offset=2").json()
    assert first["count"] == second["count"] == 3
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 3
    problem(client.get("/api/v1/people?limit=101"), 422)


def test_create_an_unborn_baby_in_a_family_then_record_the_birth(partnership) -> None:
    p = partnership
    client = bearer_client(p.maya)
    due = timezone.localdate() + datetime.timedelta(days=90)
    created = client.post(
        "/api/v1/people",
        {
            "family_name": "Ashworth",
            "is_unborn": True,
            "expected_date_of_delivery": due.isoformat(),
            "family_id": p.ashworth.pk,
            "relationship": "unborn_baby",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    baby = created.json()
    assert baby["is_unborn"] is True
    assert baby["families"][0]["relationship"] == "unborn_baby"
    born = client.post(
        f"/api/v1/people/{baby['id']}/birth",
        {"date_of_birth": timezone.localdate().isoformat(), "given_name": "Ava", "sex": "female"},
        content_type="application/json",
    )
    assert born.status_code == 200, born.content
    assert born.json()["id"] == baby["id"]
    assert born.json()["is_unborn"] is False
    assert born.json()["families"][0]["relationship"] == "child"
    again = client.post(
        f"/api/v1/people/{baby['id']}/birth",
        {"date_of_birth": timezone.localdate().isoformat(), "given_name": "Ava", "sex": "female"},
        content_type="application/json",
    )
    assert problem(again, 422)["errors"] == {"__all__": ["This birth has already been recorded"]}


def test_person_created_outside_a_family_stays_visible_to_its_creator(partnership) -> None:
    client = bearer_client(partnership.owen)
    created = client.post(
        "/api/v1/people",
        {"given_name": "Kai", "family_name": "Doe", "date_of_birth": "2006-06-06", "sex": "male"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert client.get(f"/api/v1/people/{created.json()['id']}").status_code == 200
    assert (
        bearer_client(partnership.maya).get(f"/api/v1/people/{created.json()['id']}").status_code
        == 404
    )


def test_patch_changes_only_what_is_sent_and_moves_the_version_on(partnership) -> None:
    p = partnership
    client = bearer_client(p.maya)
    response = client.patch(
        f"/api/v1/people/{p.chloe.pk}",
        {"version": 1, "nhs_number": "943 476 5919"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["nhs_number"] == "9434765919"
    assert body["given_name"] == "Chloe"
    assert body["date_of_birth"] == "2009-05-14"
    assert body["version"] == 2


def test_stale_version_is_a_conflict_and_changes_nothing(partnership) -> None:
    p = partnership
    client = bearer_client(p.maya)
    first = client.patch(
        f"/api/v1/people/{p.chloe.pk}",
        {"version": 1, "ethnicity": "White British"},
        content_type="application/json",
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/api/v1/people/{p.chloe.pk}",
        {"version": 1, "ethnicity": "Mixed"},
        content_type="application/json",
    )
    body = problem(stale, 409)
    assert body["type"] == "/api/v1/problems/edit-conflict"
    p.chloe.refresh_from_db()
    assert (p.chloe.ethnicity, p.chloe.version) == ("White British", 2)


def test_patch_needs_a_version(partnership) -> None:
    response = bearer_client(partnership.maya).patch(
        f"/api/v1/people/{partnership.chloe.pk}",
        {"given_name": "C"},
        content_type="application/json",
    )
    assert problem(response, 422)["errors"] == {"version": ["This field is required"]}


def test_invalid_nhs_number_is_a_field_error_and_nothing_is_saved(partnership) -> None:
    before = Person.objects.count()
    response = bearer_client(partnership.maya).post(
        "/api/v1/people",
        {
            "given_name": "Test",
            "family_name": "Person",
            "date_of_birth": "2000-01-01",
            "nhs_number": "943 476 5918",
        },
        content_type="application/json",
    )
    body = problem(response, 422)
    assert body["type"] == "/api/v1/problems/validation-error"
    assert list(body["errors"]) == ["nhs_number"]
    assert "valid NHS number" in body["errors"]["nhs_number"][0]
    assert Person.objects.count() == before


def test_duplicate_nhs_number_is_refused(partnership) -> None:
    p = partnership
    Person.objects.filter(pk=p.stranger.pk).update(nhs_number="9434765919")
    response = bearer_client(p.maya).post(
        "/api/v1/people",
        {
            "given_name": "Leah",
            "family_name": "Ashworth",
            "date_of_birth": "2008-08-08",
            "nhs_number": "9434765919",
        },
        content_type="application/json",
    )
    body = problem(response, 422)
    assert "already recorded" in body["errors"]["nhs_number"][0]
    # The other record is not revealed.
    assert f"/people/{p.stranger.pk}" not in json.dumps(body)
    assert set(body) == {"type", "title", "status", "detail", "instance", "errors"}


def test_bad_dates_are_field_errors(partnership) -> None:
    client = bearer_client(partnership.maya)
    for value in ["2026-02-30", "01/02/2003", 20000101, "yesterday"]:
        response = client.post(
            "/api/v1/people",
            {"given_name": "A", "family_name": "B", "date_of_birth": value},
            content_type="application/json",
        )
        assert list(problem(response, 422)["errors"]) == ["date_of_birth"], value
    future = client.post(
        "/api/v1/people",
        {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"},
        content_type="application/json",
    )
    assert problem(future, 422)["errors"]["date_of_birth"] == [
        "Date of birth must be today or in the past"
    ]


def test_search_needs_something_to_search_for(partnership) -> None:
    response = bearer_client(partnership.maya).get("/api/v1/people/search")
    assert "__all__" in problem(response, 422)["errors"]


def test_search_finds_a_typo_and_says_when_a_match_is_hidden(partnership) -> None:
    search_names_add(
        [k for p in Person.objects.all() for k in (p.given_name_key, p.family_name_key)]
    )
    client = bearer_client(partnership.maya)
    body = client.get("/api/v1/people/search?name=Chloe+Ashwort").json()
    assert [r["display_name"] for r in body["results"]] == ["Chloe Ashworth"]
    hidden = client.get("/api/v1/people/search?name=Leah+Ashworth&date_of_birth=2008-08-08").json()
    assert hidden == {"results": [], "match_not_visible": True}


def test_family_member_add_twice_is_a_field_error(partnership) -> None:
    p = partnership
    response = bearer_client(p.maya).post(
        f"/api/v1/families/{p.ashworth.pk}/members",
        {"person_id": p.chloe.pk, "relationship": "mother"},
        content_type="application/json",
    )
    assert list(problem(response, 422)["errors"]) == ["person_id"]


def test_family_member_add_of_someone_hidden_is_not_found(partnership) -> None:
    p = partnership
    response = bearer_client(p.maya).post(
        f"/api/v1/families/{p.ashworth.pk}/members",
        {"person_id": p.stranger.pk, "relationship": "sibling"},
        content_type="application/json",
    )
    problem(response, 404)
    assert not FamilyMember.objects.filter(person=p.stranger).exists()


def test_involvement_for_another_agency_is_refused(partnership) -> None:
    p = partnership
    response = bearer_client(p.maya).post(
        "/api/v1/involvements",
        {"organisation_id": p.police.pk, "family_id": p.ashworth.pk, "service": "X"},
        content_type="application/json",
    )
    assert list(problem(response, 422)["errors"]) == ["organisation_id"]
    unknown = bearer_client(p.maya).post(
        "/api/v1/involvements",
        {"organisation_id": 99999, "family_id": p.ashworth.pk},
        content_type="application/json",
    )
    assert list(problem(unknown, 422)["errors"]) == ["organisation_id"]


def test_family_create_and_read_back(partnership) -> None:
    client = bearer_client(partnership.maya)
    created = client.post(
        "/api/v1/families",
        {"name": "Pike household", "service": "Antenatal care"},
        content_type="application/json",
    )
    assert created.status_code == 201
    family = created.json()
    assert family["name"] == "Pike household"
    assert family["involvements"][0]["organisation_name"] == "Wyvern Hospitals Midwifery"
    assert client.get(f"/api/v1/families/{family['id']}").json() == family
    assert Family.objects.filter(name="Pike household").count() == 1


def test_ending_an_involvement(partnership) -> None:
    p = partnership
    involvement = Involvement.objects.get(family=p.ashworth)
    response = bearer_client(p.maya).post(
        f"/api/v1/involvements/{involvement.pk}/end",
        {"ended_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ended_on"] == timezone.localdate().isoformat()
    without_body = bearer_client(p.fatima).post(
        f"/api/v1/involvements/{involvement.pk}/end", content_type="application/json"
    )
    # Fatima sees the family but the involvement is the midwives' to end.
    problem(without_body, 404)


def test_reads_are_recorded_with_the_client_label(partnership) -> None:
    p = partnership
    client = bearer_client(p.maya, label="Maternity system")
    client.get(f"/api/v1/people/{p.chloe.pk}")
    client.get("/api/v1/people")
    client.get("/api/v1/people/search?name=Chloe")
    client.get(f"/api/v1/families/{p.ashworth.pk}")
    events = AccessEvent.objects.filter(actor=p.maya).order_by("id")
    assert [(e.action, e.client) for e in events] == [
        (AccessAction.VIEW, "Maternity system"),
        (AccessAction.LIST, "Maternity system"),
        (AccessAction.SEARCH, "Maternity system"),
        (AccessAction.VIEW, "Maternity system"),
    ]
    assert events[0].object_id == str(p.chloe.pk)
    assert events[0].path == f"/api/v1/people/{p.chloe.pk}"


def test_refused_reads_are_recorded_too(partnership) -> None:
    p = partnership
    bearer_client(p.owen, label="Police records system").get(f"/api/v1/people/{p.chloe.pk}")
    event = AccessEvent.objects.get(actor=p.owen)
    assert (event.action, event.client, event.object_id) == (
        AccessAction.DENIED,
        "Police records system",
        str(p.chloe.pk),
    )


def test_relationships_are_listed_in_the_schema(partnership) -> None:
    schema = bearer_client(partnership.maya).get("/api/v1/openapi.json").json()
    member = schema["components"]["schemas"]["MemberIn"]["properties"]["relationship"]
    ref = member.get("$ref", "").rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["enum"]) == set(Relationship.values)


def test_a_partner_system_reading_a_record_is_a_disclosure(partnership) -> None:
    """R-IS-1: a read by a partner system over the API goes in the disclosure log."""
    from earlyhelp.sharing.models import Disclosure, DisclosureKind

    p = partnership
    client = bearer_client(p.maya, label="Maternity booking system")
    assert client.get(f"/api/v1/families/{p.ashworth.pk}").status_code == 200
    assert client.get(f"/api/v1/people/{p.chloe.pk}").status_code == 200
    reads = Disclosure.objects.filter(kind=DisclosureKind.API_READ)
    assert {(d.family_id_ref, d.person_id_ref) for d in reads} == {
        (p.ashworth.pk, None),
        (None, p.chloe.pk),
    }
    assert {d.recipient for d in reads} == {"Maternity booking system"}
    # A refused read discloses nothing.
    other = bearer_client(p.owen, label="Police system")
    assert other.get(f"/api/v1/families/{p.ashworth.pk}").status_code == 404
    assert not Disclosure.objects.filter(recipient="Police system").exists()
