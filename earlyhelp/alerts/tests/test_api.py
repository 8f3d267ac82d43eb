"""Your alerts over the API: the list (open or all, keyset pages) and acknowledging."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Partnership
from earlyhelp.alerts.tests.factories import RED_FLAG_TITLE, alert_for, alerts_for
from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem

pytestmark = pytest.mark.django_db

LIST = "/api/v1/alerts"


def _ack(client: Client, alert_id: int, body: object = None) -> Any:
    if body is None:  # no body at all
        return client.post(f"{LIST}/{alert_id}/acknowledge", content_type="application/json")
    return client.post(
        f"{LIST}/{alert_id}/acknowledge", data=json.dumps(body), content_type="application/json"
    )


def test_the_list_is_ones_own_open_alerts_newest_first(partnership: Partnership) -> None:
    older, newer = alerts_for(partnership.maya, 2)
    alert_for(partnership.owen, title="Owen's own alert")
    answer = bearer_client(partnership.maya).get(LIST).json()
    assert [a["id"] for a in answer["items"]] == [newer.pk, older.pk]
    assert answer["next_after"] is None
    item = answer["items"][0]
    assert item["title"] == "Alert 2" and item["kind"] == "safer_sleep_red_flag"
    assert item["url"] == "/people/families/1/#safer-sleep" and item["acknowledged_at"] is None
    assert "Owen" not in json.dumps(answer)


def test_acknowledging_over_the_api(partnership: Partnership) -> None:
    done, waiting = alerts_for(partnership.maya, 2)
    maya = bearer_client(partnership.maya)
    response = _ack(maya, done.pk)
    assert response.status_code == 200, response.content
    first = response.json()
    assert first["id"] == done.pk and first["acknowledged_at"] is not None
    again = _ack(maya, done.pk, {})
    assert again.json() == first
    assert [a["id"] for a in maya.get(LIST).json()["items"]] == [waiting.pk]
    everything = maya.get(LIST, {"open": "false"}).json()["items"]
    assert [(a["id"], a["acknowledged_at"] is None) for a in everything] == [
        (waiting.pk, True),
        (done.pk, False),
    ]


def test_keyset_pages(partnership: Partnership) -> None:
    made = alerts_for(partnership.maya, 5)
    maya = bearer_client(partnership.maya)
    seen, after = [], None
    while True:
        query = {"limit": 2} | ({"after": after} if after else {})
        answer = maya.get(LIST, query).json()
        seen += [a["id"] for a in answer["items"]]
        after = answer["next_after"]
        if after is None:
            break
    assert seen == [a.pk for a in reversed(made)]


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 101}, {"after": 0}, {"after": "x"}, {"open": "maybe"}]
)
def test_bad_parameters_are_a_422(query: dict[str, Any], partnership: Partnership) -> None:
    problem(bearer_client(partnership.maya).get(LIST, query), 422)


def test_someone_elses_alert_or_a_missing_one_is_a_404(partnership: Partnership) -> None:
    owens = alert_for(partnership.owen)
    maya = bearer_client(partnership.maya)
    problem(_ack(maya, owens.pk), 404)
    problem(_ack(maya, owens.pk + 1000), 404)
    owens.refresh_from_db()
    assert owens.acknowledged_at is None


def test_a_body_with_anything_in_it_is_refused(partnership: Partnership) -> None:
    alert = alert_for(partnership.maya)
    problem(_ack(bearer_client(partnership.maya), alert.pk, {"acknowledged_at": "yesterday"}), 422)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_scopes_people_read_to_list_and_people_write_to_acknowledge(
    partnership: Partnership,
) -> None:
    alert = alert_for(partnership.maya)
    reader = bearer_client(partnership.maya, [Scope.PEOPLE_READ.value])
    assert reader.get(LIST).json()["items"][0]["title"] == RED_FLAG_TITLE
    refused = problem(_ack(reader, alert.pk), 403)
    assert refused["type"] == "/api/v1/problems/missing-scope"
    other = bearer_client(partnership.maya, [Scope.ASSESSMENTS_READ.value])
    problem(other.get(LIST), 403)
    writer = bearer_client(partnership.maya, [Scope.PEOPLE_WRITE.value])
    assert _ack(writer, alert.pk).status_code == 200


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_administrator_and_analyst_have_no_alerts(persona: str, partnership: Partnership) -> None:
    user = getattr(partnership, persona)
    alert = alert_for(user)
    client = bearer_client(user)
    problem(client.get(LIST), 404)
    problem(_ack(client, alert.pk), 404)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
