"""Housing over the API, beyond the journey (tests/test_api_housing_journey.py): who reaches
housing work and board figures, need-to-know vulnerabilities, stale versions, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from earlyhelp.accounts.models import User
from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue
from earlyhelp.housing import services
from earlyhelp.housing.models import HousingCase
from earlyhelp.housing.tests.personas import TODAY, Housing

pytestmark = pytest.mark.django_db
READ, WRITE = Scope.ASSESSMENTS_READ.value, Scope.ASSESSMENTS_WRITE.value


def _client(user: User) -> Client:
    _, raw = api_token_issue(user=user, label="test", scopes=[READ, WRITE])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{url}", data=json.dumps(body), content_type="application/json")


def _case(h: Housing, vulnerabilities: list[str]) -> HousingCase:
    return services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="application",
        vulnerabilities=vulnerabilities,
        today=TODAY,
    )


@pytest.mark.parametrize(("persona", "status"), [("harry", 200), ("sunita", 200), ("hana", 404)])
def test_the_work_tray_is_for_housing_staff(housing: Housing, persona: str, status: int) -> None:
    assert _client(getattr(housing, persona)).get("/api/v1/housing/work-tray").status_code == (
        status
    )


@pytest.mark.parametrize(("persona", "status"), [("bea", 200), ("maya", 404), ("sam", 404)])
def test_board_figures_for_the_board_only(housing: Housing, persona: str, status: int) -> None:
    response = _client(getattr(housing.p, persona)).get("/api/v1/housing/board-figures")
    assert response.status_code == status
    if status == 200:
        assert response.json()[0]["version"] == "2026.1"


def test_need_to_know_vulnerabilities_are_held_by_over_the_api(housing: Housing) -> None:
    """R-IS-12: Hana sees who holds them; Harry's agency recorded them and reads them."""
    _case(housing, ["domestic_abuse"])
    url = f"/api/v1/families/{housing.brook.pk}/housing"
    [hana_case] = _client(housing.hana).get(url).json()["cases"]
    assert hana_case["vulnerabilities"] is None and hana_case["held_by"] == "Wyvern Homes"
    assert "abuse" not in json.dumps(hana_case).casefold()
    [harry_case] = _client(housing.harry).get(url).json()["cases"]
    assert harry_case["vulnerabilities"] == ["domestic_abuse"]
    assert [m["name"] for m in harry_case["household"]] == ["Zara Brook", "Ava Brook"]


def test_a_stale_version_is_a_conflict(housing: Housing) -> None:
    case = _case(housing, ["other"])
    harry = _client(housing.harry)
    url = f"/housing-cases/{case.pk}/priority-review"
    assert _post(harry, url, {"version": case.version}).status_code == 200
    response = _post(harry, url, {"version": case.version})
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_health_visitor_cannot_record_housing_work(housing: Housing) -> None:
    case = _case(housing, ["other"])
    body = {"sleeping_space": "Cot", "child_risk": "low", "tenancy_risk": "low"}
    assert (
        _post(_client(housing.hana), f"/housing-cases/{case.pk}/child-impact", body).status_code
        == 404
    )


def test_bed_and_breakfast_for_a_17_year_old_is_a_422(housing: Housing) -> None:
    p = housing.p
    case = services.housing_case_open(
        actor=housing.harry,
        family=p.ashworth,
        person_id=p.chloe.pk,
        kind="homelessness",
        homeless=True,
        children_act_referral_on=TODAY,
        vulnerabilities=["other"],
        today=TODAY,
    )
    response = _post(
        _client(housing.harry),
        f"/housing-cases/{case.pk}/placements",
        {
            "line_1": "The Grange Hotel",
            "town": "Wyvern",
            "local_authority": "Wyvern",
            "placement_type": "bed_and_breakfast",
            "start_on": TODAY.isoformat(),
            "no_alternative_reason": "Nothing else anywhere in the district tonight",
        },
    )
    assert response.status_code == 422
    assert "never used for a 16- or 17-year-old" in response.content.decode()


def test_problems_name_the_fields_of_the_body(housing: Housing) -> None:
    response = _post(
        _client(housing.harry),
        f"/families/{housing.brook.pk}/housing-cases",
        {"person_id": housing.ava.pk, "kind": "application"},
    )
    assert response.status_code == 422
    assert "person_id" in response.content.decode()
