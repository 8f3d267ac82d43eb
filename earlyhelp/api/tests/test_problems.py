"""Every error is an RFC 9457 problem, and no input makes the API fail with a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from earlyhelp.api.tests.conftest import PROBLEM, bearer_client, problem
from earlyhelp.people.models import Family, Person

pytestmark = pytest.mark.django_db


def test_malformed_json_is_400(partnership) -> None:
    response = bearer_client(partnership.maya).post(
        "/api/v1/people", "{not json", content_type="application/json"
    )
    body = problem(response, 400)
    assert body["type"] == "/api/v1/problems/malformed-request"
    assert body["instance"] == "/api/v1/people"


def test_oversized_body_is_413_and_nothing_is_saved(partnership) -> None:
    before = Person.objects.count()
    big = json.dumps({"given_name": "A", "family_name": "B" * (1024 * 1024)})
    response = bearer_client(partnership.maya).post(
        "/api/v1/people", big, content_type="application/json"
    )
    problem(response, 413)
    assert Person.objects.count() == before


def test_oversized_body_without_credentials_is_still_a_problem(partnership) -> None:
    response = Client().post(
        "/api/v1/families", "x" * (1024 * 1024 + 1), content_type="application/json"
    )
    assert response["Content-Type"] == PROBLEM
    assert response.status_code in (401, 413)


def test_form_body_is_415(partnership) -> None:
    response = bearer_client(partnership.maya).post("/api/v1/families", {"name": "Pike"})
    problem(response, 415)
    assert not Family.objects.filter(name="Pike").exists()


def test_json_with_a_suffix_type_is_accepted(partnership) -> None:
    response = bearer_client(partnership.maya).post(
        "/api/v1/families", {"name": "Pike household"}, content_type="application/merge-patch+json"
    )
    assert response.status_code == 201


def test_unknown_url_is_a_404_problem(partnership) -> None:
    client = bearer_client(partnership.maya)
    for path in [
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/people/",
        "/api/v1/people/abc",
        "/api/v1/people/" + "9" * 40,
        "/api/v1/people/0",
    ]:
        problem(client.get(path), 404)
    # A POST to an unknown URL is a 404 problem too, not the CSRF failure page.
    problem(Client(enforce_csrf_checks=True).post("/api/v1/nothing", {}), 404)


def test_wrong_method_is_a_405_problem(partnership) -> None:
    response = bearer_client(partnership.maya).delete(f"/api/v1/people/{partnership.chloe.pk}")
    problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


def test_unexpected_error_is_a_500_problem_that_leaks_nothing(partnership, monkeypatch) -> None:
    from earlyhelp.people import selectors

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "person_get", broken)
    response = bearer_client(partnership.maya).get(f"/api/v1/people/{partnership.chloe.pk}")
    body = problem(response, 500)
    assert "hunter2" not in response.content.decode()
    assert body["type"] == "about:blank"


def test_unknown_fields_are_refused(partnership) -> None:
    response = bearer_client(partnership.maya).post(
        "/api/v1/families", {"name": "Pike household", "owner": 1}, content_type="application/json"
    )
    assert problem(response, 422)["errors"] == {"owner": ["This field is not part of the request"]}


def test_problem_type_pages_explain_the_problem(partnership) -> None:
    response = Client().get("/api/v1/problems/edit-conflict")
    assert response.status_code == 200
    assert "The record has changed since you read it" in response.content.decode()
    problem(Client().get("/api/v1/problems/no-such-problem"), 404)


# Bad values for each kind of field: none may reach the database or raise.
BAD_VALUES: list[Any] = [
    None,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 5000,
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    {"$gt": ""},
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    "<script>alert(1)</script>",
    "'; DROP TABLE people_person; --",
]

WRITES = [
    (
        "post",
        "/api/v1/people",
        {"given_name": "A", "family_name": "B", "date_of_birth": "2000-01-01"},
    ),
    ("patch", "/api/v1/people/{chloe}", {"version": 1}),
    (
        "post",
        "/api/v1/people/{unborn}/birth",
        {"date_of_birth": "2026-01-01", "given_name": "A", "sex": "female"},
    ),
    ("post", "/api/v1/families", {"name": "F"}),
    ("post", "/api/v1/families/{ashworth}/members", {"person_id": 1, "relationship": "child"}),
    ("post", "/api/v1/involvements", {"organisation_id": 1, "family_id": 1}),
    ("post", "/api/v1/involvements/1/end", {}),
]
FIELDS = {
    "/api/v1/people": [
        "given_name",
        "family_name",
        "sex",
        "date_of_birth",
        "is_unborn",
        "expected_date_of_delivery",
        "nhs_number",
        "family_id",
        "relationship",
    ],
    "/api/v1/people/{chloe}": ["version", "given_name", "nhs_number", "date_of_birth"],
    "/api/v1/people/{unborn}/birth": ["date_of_birth", "given_name", "sex", "nhs_number"],
    "/api/v1/families": ["name", "service"],
    "/api/v1/families/{ashworth}/members": ["person_id", "relationship"],
    "/api/v1/involvements": ["organisation_id", "family_id", "person_id", "service", "started_on"],
    "/api/v1/involvements/1/end": ["ended_on"],
}


@pytest.mark.parametrize(("method", "path", "valid"), WRITES, ids=[w[1] for w in WRITES])
def test_no_bad_input_makes_a_server_error(
    partnership, method: str, path: str, valid: dict
) -> None:
    p = partnership
    client = bearer_client(p.maya)
    url = path.format(chloe=p.chloe.pk, unborn=p.unborn.pk, ashworth=p.ashworth.pk)
    bodies: list[Any] = [[], "text", 1, None, [valid]]
    for name in FIELDS[path]:
        bodies += [{**valid, name: value} for value in BAD_VALUES]
    for body in bodies:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (body, response.content)
        if response.status_code >= 400:
            assert response["Content-Type"] == PROBLEM, (body, response.content)
    raw_bodies = [b"\xff\xfe", b"[" * 5000, b'{"a": NaN}', b"\x00"]
    for raw in raw_bodies:
        response = getattr(client, method)(url, raw, content_type="application/json")
        assert 400 <= response.status_code < 500, (raw, response.content)
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "query",
    [
        "name=%00",
        "name=%ED%A0%80",
        "name=" + "x" * 5000,
        "date_of_birth=0",
        "date_of_birth=2026-02-30",
        "nhs_number=%00",
        "postcode=%00%00",
        "limit=-1",
        "limit=99999999999999999999999",
        "name=!!",
        "nhs_number=abc",
        "postcode=ZZZZZZ",
    ],
)
def test_no_bad_search_makes_a_server_error(partnership, query: str) -> None:
    response = bearer_client(partnership.maya).get(f"/api/v1/people/search?{query}")
    assert response.status_code in (200, 422), response.content


@pytest.mark.parametrize(
    "query", ["limit=0", "offset=-1", "offset=1e3", "limit=abc", "offset=99999999999999999999"]
)
def test_bad_paging_is_422(partnership, query: str) -> None:
    problem(bearer_client(partnership.maya).get(f"/api/v1/people?{query}"), 422)


def test_error_outside_an_operation_is_a_500_problem_too(partnership, monkeypatch) -> None:
    from earlyhelp.api.api import api

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("secret")

    monkeypatch.setattr(api, "get_openapi_schema", broken)
    response = bearer_client(partnership.maya).get("/api/v1/openapi.json")
    problem(response, 500)
    assert "secret" not in response.content.decode()
