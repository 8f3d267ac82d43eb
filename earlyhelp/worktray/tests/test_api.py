"""Work trays over the API: the same selectors as the pages, the caller's own lists through
the sharing policy (R-IS-4), keyset pages, the team overview for managers only."""

from __future__ import annotations

import pytest

from earlyhelp.api.models import Scope
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.people.models import Family
from earlyhelp.worktray.tests.conftest import Tray, member

pytestmark = pytest.mark.django_db


def test_maya_reads_her_tray_over_the_api(tray: Tray) -> None:
    maya = bearer_client(tray.p.maya)
    families = maya.get("/api/v1/worktray/families").json()
    assert [f["family_name"] for f in families["items"]] == [
        "Ashworth household",
        "Brook household",
    ]
    ashworth = families["items"][0]
    assert ashworth["you_are_lead_professional"] and ashworth["review_overdue"]
    assert ashworth["overdue_actions"] == 2
    actions = maya.get("/api/v1/worktray/actions").json()
    assert [a["action_id"] for a in actions["items"]] == [
        tray.overdue_action.pk,
        tray.later_action.pk,
    ]
    assert [a["overdue"] for a in actions["items"]] == [True, False]
    reviews = maya.get("/api/v1/worktray/reviews").json()
    assert [(r["plan_id"], r["days_overdue"]) for r in reviews["items"]] == [(tray.plan.pk, 2)]


def test_pages_follow_on_with_after(tray: Tray) -> None:
    for n in range(4):
        member(Family.objects.create(name=f"Family {n}"), tray.p.maya)
    maya = bearer_client(tray.p.maya)
    seen: list[str] = []
    url = "/api/v1/worktray/families?limit=2"
    while True:
        body = maya.get(url).json()
        seen += [f["family_name"] for f in body["items"]]
        if body["next_after"] is None:
            break
        url = f"/api/v1/worktray/families?limit=2&after={body['next_after']}"
    assert seen == sorted(
        ["Ashworth household", "Brook household"] + [f"Family {n}" for n in range(4)]
    )
    problem(maya.get("/api/v1/worktray/actions?limit=0"), 422)


def test_owens_tray_over_the_api_has_nothing_of_the_ashworths(tray: Tray) -> None:
    owen = bearer_client(tray.p.owen)
    for what in ("families", "actions", "reviews"):
        response = owen.get(f"/api/v1/worktray/{what}")
        assert response.status_code == 200
        assert response.json()["items"] == []
        assert "Ashworth" not in response.content.decode()


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_analyst_and_administrator_get_404(tray: Tray, persona: str) -> None:
    client = bearer_client(getattr(tray.p, persona))
    for what in ("families", "actions", "reviews", "team"):
        problem(client.get(f"/api/v1/worktray/{what}"), 404)


def test_team_overview_for_the_manager_of_the_team_only(tray: Tray) -> None:
    mo = bearer_client(tray.mo).get("/api/v1/worktray/team").json()
    assert {m["name"] for m in mo["items"]} == {"Maya Midwife", "Mo Manager"}
    maya = next(m for m in mo["items"] if m["name"] == "Maya Midwife")
    assert (maya["caseload"], maya["lead_professional_for"], maya["overdue_actions"]) == (
        "2",
        "1",
        "1",
    )
    pat = bearer_client(tray.pat).get("/api/v1/worktray/team").json()
    assert {m["name"] for m in pat["items"]} == {"Owen Officer", "Pat Manager"}
    problem(bearer_client(tray.p.maya).get("/api/v1/worktray/team"), 404)


def test_the_scope_is_assessments_read(tray: Tray) -> None:
    wrong = bearer_client(tray.p.maya, scopes=[Scope.PEOPLE_READ])
    assert wrong.get("/api/v1/worktray/families").status_code == 403
    right = bearer_client(tray.p.maya, scopes=[Scope.ASSESSMENTS_READ])
    assert right.get("/api/v1/worktray/families").status_code == 200
