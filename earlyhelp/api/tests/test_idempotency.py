"""Idempotency-Key on POST: a retry returns the first answer and writes nothing new."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from earlyhelp.api.models import IdempotencyRecord
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.people.models import Family, Person

pytestmark = pytest.mark.django_db

NEW_PERSON = {"given_name": "Kai", "family_name": "Doe", "date_of_birth": "2006-06-06"}


def post(
    client: Client, body: dict, key: str | None = "3f1c-retry-1", path: str = "/api/v1/people"
):  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def test_replay_creates_one_person_and_gives_the_same_answer(partnership) -> None:
    client = bearer_client(partnership.maya)
    first = post(client, NEW_PERSON)
    second = post(client, NEW_PERSON)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Person.objects.filter(family_name="Doe").count() == 1


def test_without_a_key_each_post_writes(partnership) -> None:
    client = bearer_client(partnership.maya)
    post(client, {"name": "Pike household"}, key=None, path="/api/v1/families")
    post(client, {"name": "Pike household"}, key=None, path="/api/v1/families")
    assert Family.objects.filter(name="Pike household").count() == 2


def test_same_key_with_a_different_request_is_refused(partnership) -> None:
    client = bearer_client(partnership.maya)
    post(client, NEW_PERSON)
    response = post(client, {**NEW_PERSON, "given_name": "Kim"})
    assert problem(response, 422)["type"] == "/api/v1/problems/idempotency-key-reused"
    assert not Person.objects.filter(given_name="Kim").exists()


def test_a_failed_request_does_not_use_up_the_key(partnership) -> None:
    client = bearer_client(partnership.maya)
    problem(post(client, {**NEW_PERSON, "nhs_number": "123"}), 422)
    problem(post(client, {**NEW_PERSON, "nhs_number": "123"}), 422)
    assert not IdempotencyRecord.objects.exists()
    corrected = post(client, NEW_PERSON, key="3f1c-retry-1")
    assert corrected.status_code == 201


def test_keys_belong_to_one_client(partnership) -> None:
    post(bearer_client(partnership.maya), NEW_PERSON)
    other = post(bearer_client(partnership.fatima), NEW_PERSON)
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Person.objects.filter(family_name="Doe").count() == 2


def test_keys_are_kept_for_a_day(partnership) -> None:
    client = bearer_client(partnership.maya)
    post(client, NEW_PERSON)
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = post(client, {**NEW_PERSON, "nhs_number": ""})
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "has space", "naïve"])
def test_malformed_key_is_400(partnership, key: str) -> None:
    response = post(bearer_client(partnership.maya), NEW_PERSON, key=key)
    problem(response, 400)
    assert not Person.objects.filter(family_name="Doe").exists()


def test_replay_still_needs_valid_credentials(partnership) -> None:
    from earlyhelp.api.models import ApiToken

    client = bearer_client(partnership.maya)
    post(client, NEW_PERSON)
    ApiToken.objects.update(revoked_at=timezone.now())
    problem(post(client, NEW_PERSON), 401)
