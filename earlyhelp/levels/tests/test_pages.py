"""Pages as personas: Maya the midwife decides the level for the Ashworth family (R-LON-1,
R-LON-2); Owen (police, not involved), Sam (system administrator) and Bea (board analyst)
get 404 on every family page; anyone signed in reads the framework (R-WT-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Partnership, sign_in
from earlyhelp.levels import services
from earlyhelp.levels.models import LevelDecision
from earlyhelp.levels.views import EDIT_CONFLICT, INDICATORS_CHANGED

pytestmark = pytest.mark.django_db


def _decide_url(p: Partnership) -> str:
    return f"/levels/families/{p.ashworth.pk}/decide/"


def _post(client: Client, p: Partnership, **data: Any) -> Any:
    return client.post(_decide_url(p), data)


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_framework_page_for_anyone_signed_in(partnership: Partnership) -> None:
    """R-WT-2: the framework with its version and sign-off; reference data, not personal."""
    for persona in ("maya", "owen", "sam", "bea"):
        response = sign_in(Client(), getattr(partnership, persona)).get("/levels/framework/")
        assert response.status_code == 200, persona
        body = _text(response)
        assert "Version" in body and "2026.1" in body
        assert "Signed off by" in body
        assert "Parent was previously looked after" in body
        assert "Flag: does not set the level" in body
        # R-LON-5: pre-birth timings as guidance on the pre-birth indicators.
        assert "between weeks 12 and 16" in body


def test_framework_page_needs_signing_in(client: Client) -> None:
    assert client.get("/levels/framework/").status_code == 302


def test_framework_unknown_version_is_404(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    assert client.get("/levels/framework/999999/").status_code == 404


def test_maya_sees_indicators_grouped_by_domain(partnership: Partnership) -> None:
    response = sign_in(Client(), partnership.maya).get(_decide_url(partnership))
    assert response.status_code == 200
    body = _text(response)
    for domain in (
        "Child&#x27;s developmental needs",
        "Parenting capacity",
        "Family and environmental",
    ):
        assert domain in body
    assert 'value="LON-PC-3-04"' in body
    # A derived item, not agreed locally, cannot be chosen.
    assert 'value="LON-PC-2-05"' not in body
    assert "Record the decision" not in body


def test_suggestion_with_its_reasons_then_a_decision(partnership: Partnership) -> None:
    """R-LON-1: the suggested level, exactly why, then the practitioner decides."""
    client = sign_in(Client(), partnership.maya)
    codes = ["LON-FE-2-01", "LON-PC-2-01", "LON-CD-2-02"]
    response = _post(client, partnership, indicators=codes, action="suggest")
    body = _text(response)
    assert "Suggested level: Targeted: complex needs" in body
    assert "3 indicators at Additional needs: early help across 3 domains" in body
    assert "Record the decision" in body
    response = _post(
        client,
        partnership,
        indicators=codes,
        suggested_for=",".join(sorted(codes)),
        action="decide",
        person=str(partnership.chloe.pk),
        decided_level="additional",
        rationale="Needs are emerging and Chloe's mother supports her well",
    )
    decision = LevelDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/levels/decisions/{decision.pk}/"
    assert decision.decided_level.code == "additional"
    assert decision.suggested_level.code == "targeted"
    assert decision.person == partnership.chloe
    detail = _text(client.get(response["Location"]))
    assert "Differs from the suggested level" in detail
    assert "Chloe&#x27;s mother supports her well" in detail
    family = _text(client.get(f"/people/families/{partnership.ashworth.pk}/"))
    assert "Level of need" in family and "Additional needs: early help" in family
    assert "Maya Midwife" in family


def test_differing_without_rationale_says_so(partnership: Partnership) -> None:
    """R-LON-1: a level that contradicts the suggestion without a rationale."""
    client = sign_in(Client(), partnership.maya)
    response = _post(
        client,
        partnership,
        indicators=["LON-PC-2-01"],
        suggested_for="LON-PC-2-01",
        action="decide",
        decided_level="targeted",
        rationale="",
    )
    assert response.status_code == 200
    body = _text(response)
    assert "govuk-error-summary" in body
    assert "a decision that differs from the suggestion needs its rationale" in body
    assert 'href="#id_rationale"' in body
    assert not LevelDecision.objects.exists()


def test_no_indicators_and_unknown_ones_are_errors_not_500(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    response = _post(client, partnership, action="suggest")
    assert response.status_code == 200
    assert "Select at least one indicator" in _text(response)
    assert 'href="#id_indicators_0"' in _text(response)
    response = _post(client, partnership, indicators=["LON-XX"], action="suggest")
    assert response.status_code == 200
    assert "Select from the list" in _text(response)
    response = _post(
        client,
        partnership,
        indicators=["LON-PC-2-01"],
        suggested_for="LON-PC-2-01",
        action="decide",
        decided_level="severe",
        person="999999",
        receiving_practitioner="nope",
        rationale="x" * 6000,
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in _text(response)
    assert not LevelDecision.objects.exists()


def test_indicators_changed_after_the_suggestion(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    response = _post(
        client,
        partnership,
        indicators=["LON-PC-2-01", "LON-FE-4-01"],
        suggested_for="LON-PC-2-01",
        action="decide",
        decided_level="additional",
        rationale="Because",
    )
    assert response.status_code == 200
    assert INDICATORS_CHANGED[:40] in _text(response).replace("&#x27;", "'")
    assert "Suggested level: Specialist: statutory" in _text(response)
    assert not LevelDecision.objects.exists()


def test_step_up_asks_for_the_handover(partnership: Partnership) -> None:
    """R-LON-2: stepping up records the handover and the receiving practitioner."""
    services.level_decision_record(
        actor=partnership.maya,
        family=partnership.ashworth,
        indicator_codes=["LON-PC-2-01"],
        decided_level_code="additional",
        rationale="First",
    )
    first = LevelDecision.objects.get()
    client = sign_in(Client(), partnership.maya)
    data = {
        "indicators": ["LON-FE-4-01"],
        "suggested_for": "LON-FE-4-01",
        "previous_decision": str(first.pk),
        "action": "decide",
        "decided_level": "specialist",
        "rationale": "Abuse during pregnancy",
    }
    body = _text(_post(client, partnership, **data))
    assert "Enter the handover" in body and "Select the practitioner receiving the family" in body
    response = _post(
        client,
        partnership,
        **data,
        handover="Safety plan agreed",
        receiving_practitioner=str(partnership.fatima.pk),
    )
    assert response.status_code == 302
    step = LevelDecision.objects.get(direction="up")
    assert step.receiving_practitioner == partnership.fatima
    assert step.handover == "Safety plan agreed"


def test_someone_else_deciding_meanwhile_is_shown(partnership: Partnership) -> None:
    client = sign_in(Client(), partnership.maya)
    services.level_decision_record(
        actor=partnership.fatima,
        family=partnership.ashworth,
        indicator_codes=["LON-PC-2-01"],
        decided_level_code="additional",
        rationale="Front door decided",
    )
    response = _post(
        client,
        partnership,
        indicators=["LON-PC-2-01"],
        suggested_for="LON-PC-2-01",
        previous_decision="",
        action="decide",
        decided_level="additional",
        rationale="Mine",
    )
    assert response.status_code == 200
    assert EDIT_CONFLICT[:40] in _text(response)
    assert LevelDecision.objects.count() == 1


def test_family_levels_page_lists_history(partnership: Partnership) -> None:
    for rationale in ("First look", "Reviewed"):
        services.level_decision_record(
            actor=partnership.maya,
            family=partnership.ashworth,
            indicator_codes=["LON-PC-2-01"],
            decided_level_code="additional",
            rationale=rationale,
        )
    body = _text(
        sign_in(Client(), partnership.maya).get(f"/levels/families/{partnership.ashworth.pk}/")
    )
    assert "Current level: Additional needs: early help" in body
    assert body.index("Reviewed") < body.index("First look")


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(partnership: Partnership, persona: str) -> None:
    decision = services.level_decision_record(
        actor=partnership.maya,
        family=partnership.ashworth,
        indicator_codes=["LON-PC-2-01"],
        decided_level_code="additional",
        rationale="First",
    )
    client = sign_in(Client(), getattr(partnership, persona))
    for url in (
        _decide_url(partnership),
        f"/levels/families/{partnership.ashworth.pk}/",
        f"/levels/decisions/{decision.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            _decide_url(partnership),
            {
                "indicators": ["LON-PC-2-01"],
                "suggested_for": "LON-PC-2-01",
                "action": "decide",
                "decided_level": "additional",
                "rationale": "x",
            },
        ).status_code
        == 404
    )
    assert LevelDecision.objects.count() == 1
