"""The OpenAPI document describes every operation fully, and the docs page works offline."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import PROBLEM, bearer_client, problem

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "patch", "put", "delete"}


@pytest.fixture
def schema(partnership) -> dict[str, Any]:
    response = bearer_client(partnership.bea, scopes=["search"]).get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, details)
        for path, item in schema["paths"].items()
        for method, details in item.items()
        if method in METHODS
    ]


def test_document_identifies_the_api(schema) -> None:
    assert schema["info"]["title"] == "Early Help Hub API"
    assert schema["info"]["version"] == "1"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    # Every router's operations are in the one document.
    from earlyhelp.alerts.api import router as alerts
    from earlyhelp.assessments.api import router as assessments
    from earlyhelp.chronology.api import router as chronology
    from earlyhelp.frontdoor.api import router as frontdoor
    from earlyhelp.housing.api import router as housing
    from earlyhelp.insights.api import router as insights
    from earlyhelp.levels.api import router as levels
    from earlyhelp.notifications.api import router as notifications
    from earlyhelp.people.api import router as people
    from earlyhelp.plans.api import router as plans
    from earlyhelp.records.api import router as records
    from earlyhelp.reviews.api import router as reviews
    from earlyhelp.safersleep.api import router as safersleep
    from earlyhelp.sharing.api.access import router as access
    from earlyhelp.sharing.api.consent import router as consent
    from earlyhelp.worktray.api import router as worktray

    expected = {
        operation.view_func.__name__
        for router in (
            people,
            records,
            access,
            consent,
            frontdoor,
            assessments,
            levels,
            safersleep,
            alerts,
            plans,
            chronology,
            reviews,
            notifications,
            worktray,
            housing,
            insights,
        )
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    assert {details["operationId"] for _, _, details in operations(schema)} == expected


def test_document_needs_credentials(partnership) -> None:
    problem(Client().get("/api/v1/openapi.json"), 401)
    assert sign_in(Client(), partnership.maya).get("/api/v1/openapi.json").status_code == 200


def test_every_operation_documents_its_answers(schema) -> None:
    for path, method, details in operations(schema):
        responses = details["responses"]
        successes = {s for s in responses if s.startswith("2")}
        assert len(successes) == 1, (path, method)
        assert {"401", "403", "404", "422", "429", "500"} <= set(responses), (path, method)
        if method in {"post", "patch"}:
            assert {"400", "413", "415"} <= set(responses), (path, method)
        for status, response in responses.items():
            assert response.get("description"), (path, method, status)
            content_types = set(response.get("content", {}))
            expected = {PROBLEM} if status >= "400" else {"application/json"}
            assert content_types == expected, (path, method, status)
        assert details.get("summary") and details.get("description"), (path, method)
        assert details["x-required-scope"] in set(Scope.values)
        assert {"BearerToken": [details["x-required-scope"]]} in details["security"]
        assert {"VerifiedSession": []} in details["security"]


def _body_fields(schema: dict[str, Any], details: dict[str, Any]) -> set[str]:
    body = details.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    if not ref:
        return set()
    return set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]].get("properties", {}))


def test_only_changes_made_from_a_version_can_conflict(schema) -> None:
    # A 409 means "someone changed this since you read it": only a change that says which
    # version it was made from can get one (optimistic versions; never a silent overwrite).
    conflicts = [(p, m, d) for p, m, d in operations(schema) if "409" in d["responses"]]
    assert ("/api/v1/people/{person_id}", "patch") in {(p, m) for p, m, _ in conflicts}
    for path, method, details in conflicts:
        assert method != "get", path
        # "current_decision_id": a level decision names the decision it follows (R-LON-2).
        made_from = {"version", "current_decision_id"}
        assert made_from & _body_fields(schema, details), (path, method)


def test_posts_document_the_idempotency_key(schema) -> None:
    for path, method, details in operations(schema):
        names = {p["name"] for p in details.get("parameters", [])}
        assert ("Idempotency-Key" in names) == (method == "post"), (path, method)


def test_every_documented_path_answers_401_without_credentials(schema) -> None:
    client = Client()
    for path, method, details in operations(schema):
        url = re.sub(r"\{[^}]+\}", "1", path)
        kwargs: dict[str, Any] = {}
        if "requestBody" in details:
            kwargs = {"data": "{}", "content_type": "application/json"}
        response = getattr(client, method)(url, **kwargs)
        problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer"), (path, method)


def test_docs_page_needs_a_signed_in_session(partnership) -> None:
    anonymous = Client().get("/api/v1/docs")
    assert anonymous.status_code == 302
    assert "next=/api/v1/docs" in anonymous["Location"]
    half = Client()
    half.force_login(partnership.maya)
    assert half.get("/api/v1/docs").status_code == 302
    # A token is for machines; the docs page is for people.
    assert bearer_client(partnership.maya).get("/api/v1/docs").status_code == 302


def test_docs_page_loads_only_local_files_with_the_csp_nonce(partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 2
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes
        src = re.search(r'src="([^"]+)"', attributes).group(1)  # type: ignore[union-attr]
        assert src.startswith("/"), src
    assert "http://" not in html and "https://" not in html
    assert "<script>" not in html and "style=" not in html
    for asset in re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset
    assert 'data-openapi-url="/api/v1/openapi.json"' in html


def test_docs_assets_are_only_swagger(partnership) -> None:
    problem(Client().get("/api/v1/docs/assets/..%2F..%2F__init__.py"), 404)
    problem(Client().get("/api/v1/docs/assets/redoc.standalone.js"), 404)
