"""The chronology over the API: the same selectors as the pages (R-IS-12)."""

from __future__ import annotations

import pytest

from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.chronology.tests.conftest import INCIDENT_DETAIL, Entries

pytestmark = pytest.mark.django_db


def test_the_family_chronology_withholds_what_the_caller_has_no_basis_for(
    entries: Entries,
) -> None:
    client = bearer_client(entries.p.maya, scopes=[Scope.ASSESSMENTS_READ])
    response = client.get(f"/api/v1/families/{entries.p.ashworth.pk}/chronology")
    assert response.status_code == 200
    incident, attendance = response.json()["items"]
    assert incident["withheld"] is True
    assert incident["category_code"] is None
    assert INCIDENT_DETAIL not in response.content.decode()
    assert attendance["summary"] == "Attended the 28-week antenatal appointment"


def test_keyset_after_and_filters(entries: Entries) -> None:
    client = bearer_client(entries.p.maya)
    url = f"/api/v1/people/{entries.p.chloe.pk}/chronology"
    first = client.get(url, {"limit": 1}).json()
    assert [item["id"] for item in first["items"]] == [entries.incident.pk]
    second = client.get(url, {"limit": 1, "after": first["next_after"]}).json()
    assert [item["id"] for item in second["items"]] == [entries.attendance.pk]
    assert second["next_after"] is None
    only = client.get(url, {"kind": "attendance"}).json()
    assert [item["id"] for item in only["items"]] == [entries.attendance.pk]


def test_bad_query_is_a_problem_not_a_500(entries: Entries) -> None:
    client = bearer_client(entries.p.maya)
    url = f"/api/v1/families/{entries.p.ashworth.pk}/chronology"
    problem(client.get(url, {"date_from": "31/02/2026"}), 422)
    problem(client.get(url, {"limit": 0}), 422)


def test_outsiders_get_404_and_scopes_are_enforced(entries: Entries) -> None:
    url = f"/api/v1/families/{entries.p.ashworth.pk}/chronology"
    problem(bearer_client(entries.p.owen).get(url), 404)
    problem(bearer_client(entries.p.maya, scopes=[Scope.PEOPLE_READ]).get(url), 403)
