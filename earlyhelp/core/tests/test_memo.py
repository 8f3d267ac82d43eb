"""The request memo: the family check is asked once per request, and asked again after any
change (every change writes an audit event). R-IS-13: withdrawal takes effect at once."""

from __future__ import annotations

from typing import Any

import pytest

from earlyhelp.core.audit import audit_record
from earlyhelp.core.memo import RequestMemoMiddleware, request_memo
from earlyhelp.sharing import policies

pytestmark = pytest.mark.django_db


def in_a_request(work: Any) -> Any:
    return RequestMemoMiddleware(lambda request: work())(object())


def test_outside_a_request_nothing_is_remembered(partnership) -> None:
    p = partnership
    assert request_memo() is None
    assert policies.family_routes(p.maya, p.ashworth) == [policies.Route.INVOLVEMENT]
    p.ashworth.involvements.update(ended_on="2026-09-02")
    assert policies.family_routes(p.maya, p.ashworth) == []


def test_within_a_request_the_answer_is_kept_until_a_change(partnership) -> None:
    p = partnership

    def work() -> list[list[policies.Route]]:
        first = policies.family_routes(p.maya, p.ashworth)
        # Changed behind the policy's back, without an audit event: still remembered.
        p.ashworth.involvements.update(ended_on="2026-09-02")
        kept = policies.family_routes(p.maya, p.ashworth)
        audit_record(actor=p.maya, action="involvement.end", obj=p.ashworth)
        after_change = policies.family_routes(p.maya, p.ashworth)
        return [first, kept, after_change]

    first, kept, after_change = in_a_request(work)
    assert first == kept == [policies.Route.INVOLVEMENT]
    assert after_change == []
    assert request_memo() is None  # dropped when the response leaves


def test_each_request_asks_afresh(partnership) -> None:
    p = partnership
    assert in_a_request(lambda: policies.family_routes(p.maya, p.ashworth))
    p.ashworth.involvements.update(ended_on="2026-09-02")
    assert in_a_request(lambda: policies.family_routes(p.maya, p.ashworth)) == []
