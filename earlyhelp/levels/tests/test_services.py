"""Recording levels-of-need decisions through the service (R-LON-1, R-LON-2), and reading
them back through the selectors (the policy, need-to-know categories: R-IS-12)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessEvent, AuditEvent
from earlyhelp.levels import selectors, services
from earlyhelp.levels.document import EXAMPLE_PATH
from earlyhelp.levels.models import FrameworkImmutable, LevelDecision
from earlyhelp.people.models import Involvement

pytestmark = pytest.mark.django_db

ADDITIONAL = ["LON-PC-2-01"]  # young, inexperienced parent needing advice


def record(p: Partnership, actor: User | None = None, **kw: Any) -> LevelDecision:
    values: dict[str, Any] = {
        "indicator_codes": ADDITIONAL,
        "decided_level_code": "additional",
        "rationale": "Chloe wants help getting ready for the baby",
    }
    values.update(kw)
    return services.level_decision_record(actor=actor or p.maya, family=p.ashworth, **values)


def social_worker(p: Partnership) -> User:
    csc = Organisation.objects.create(
        name="Wyvern Children's Social Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        local_authority="Wyvern",
    )
    team = Team.objects.create(organisation=csc, name="Assessment")
    return make_user("sol@csc.example", "Sol Social Worker", team, Role.PRACTITIONER)


def test_first_decision_records_everything(partnership: Partnership) -> None:
    """R-LON-1: level, rationale, indicators, decision-maker, date and framework version."""
    decision = record(partnership, person=partnership.chloe)
    assert decision.decided_level.code == "additional"
    assert decision.suggested_level.code == "additional"
    assert decision.direction == "first"
    assert decision.decided_by == partnership.maya
    assert decision.decided_by_organisation == partnership.midwifery
    assert decision.decided_at is not None
    assert decision.framework.version == "2026.1"
    assert [i.indicator.code for i in decision.indicators.all()] == ["LON-PC-2-01"]
    assert decision.suggestion_reasons[0]["kind"] == "highest"
    assert "LON-PC-2-01" in decision.suggestion_reasons[0]["codes"]
    event = AuditEvent.objects.get(action="level_decision.record", object_id=str(decision.pk))
    assert "Additional" in event.summary
    assert event.changes["framework_version"] == "2026.1"


def test_implied_indicators_are_recorded_with_their_origin(partnership: Partnership) -> None:
    decision = record(
        partnership,
        indicator_codes=["LON-PC-4-05"],
        decided_level_code="specialist",
        rationale="Concealed pregnancy until 30 weeks",
    )
    rows = {i.indicator.code: i.implied_by for i in decision.indicators.all()}
    assert rows == {"LON-PC-4-05": "", "LON-PC-3-01": "LON-PC-4-05"}


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"rationale": " "}, "rationale", "Enter the rationale"),
        (
            {"decided_level_code": "targeted", "rationale": ""},
            "rationale",
            "differs from the suggestion",
        ),
        ({"indicator_codes": []}, "indicators", "Select at least one indicator"),
        ({"indicator_codes": ["LON-NOPE"]}, "indicators", "Unknown indicators: LON-NOPE"),
        ({"indicator_codes": ["LON-PC-2-05"]}, "indicators", "not in use"),
        ({"decided_level_code": "severe"}, "decided_level", "Select a level from this framework"),
        ({"decided_level_code": ""}, "decided_level", "Select the level you have decided"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_saved(
    partnership: Partnership, values: dict[str, Any], field: str, words: str
) -> None:
    """R-LON-1: a decision without reasons, or contradicting the suggestion without them."""
    with pytest.raises(ValidationProblem) as problem:
        record(partnership, **values)
    assert any(words in m for m in problem.value.errors[field]), problem.value.errors
    assert not LevelDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="level_decision.record").exists()


def test_person_must_be_a_member(partnership: Partnership) -> None:
    with pytest.raises(ValidationProblem) as problem:
        record(partnership, person=partnership.stranger)
    assert "person" in problem.value.errors


def test_step_up_needs_handover_and_receiving_practitioner(partnership: Partnership) -> None:
    """R-LON-2: stepping up records the handover and who receives the family."""
    first = record(partnership)
    sol = social_worker(partnership)
    with pytest.raises(ValidationProblem) as problem:
        record(
            partnership,
            indicator_codes=["LON-FE-4-01"],
            decided_level_code="specialist",
            rationale="Abuse during pregnancy",
        )
    assert set(problem.value.errors) == {"handover", "receiving_practitioner"}
    assert (
        "stepping up from Additional needs: early help to Specialist"
        in (problem.value.errors["handover"][0])
    )
    decision = record(
        partnership,
        indicator_codes=["LON-FE-4-01"],
        decided_level_code="specialist",
        rationale="Abuse during pregnancy",
        handover="Chloe disclosed abuse at the 28-week appointment; safety plan agreed",
        receiving_practitioner=sol,
    )
    assert decision.direction == "up"
    assert decision.previous == first
    assert decision.receiving_practitioner == sol
    alert = Alert.objects.get(recipient=sol)
    assert alert.kind == "levels.handover"
    assert f"/levels/decisions/{decision.pk}/" == alert.url


def test_step_down_records_the_handover(partnership: Partnership) -> None:
    record(
        partnership,
        indicator_codes=["LON-PC-3-02"],
        decided_level_code="targeted",
        rationale="Care inconsistent",
    )
    down = record(
        partnership,
        indicator_codes=["LON-PC-1-01"],
        decided_level_code="universal",
        rationale="Plan achieved",
        handover="Health visitor continues universal contacts",
        receiving_practitioner=partnership.maya,
    )
    assert down.direction == "down"
    assert down.handover == "Health visitor continues universal contacts"
    # The practitioner handing to themselves is not alerted.
    assert not Alert.objects.filter(kind="levels.handover").exists()


def test_same_level_needs_no_handover(partnership: Partnership) -> None:
    record(partnership)
    again = record(partnership, handover="ignored", receiving_practitioner=partnership.maya)
    assert again.direction == "same"
    assert again.handover == "" and again.receiving_practitioner is None


def test_receiving_practitioner_must_be_a_practitioner(partnership: Partnership) -> None:
    record(partnership)
    with pytest.raises(ValidationProblem) as problem:
        record(
            partnership,
            indicator_codes=["LON-PC-3-02"],
            decided_level_code="targeted",
            rationale="Worse",
            handover="Notes",
            receiving_practitioner=partnership.bea,
        )
    assert "receiving_practitioner" in problem.value.errors


def test_someone_else_deciding_first_is_a_conflict(partnership: Partnership) -> None:
    record(partnership)
    with pytest.raises(EditConflict):
        record(partnership, previous_decision_id=None, check_previous=True)
    assert LevelDecision.objects.count() == 1


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_cannot_decide_or_read(partnership: Partnership, persona: str) -> None:
    actor = getattr(partnership, persona)
    with pytest.raises(NotFoundOrForbidden):
        record(partnership, actor=actor)
    decision = record(partnership)
    with pytest.raises(NotFoundOrForbidden):
        selectors.level_decision_list(actor=actor, family=partnership.ashworth)
    with pytest.raises(NotFoundOrForbidden):
        selectors.level_decision_get(actor=actor, decision_id=decision.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.level_current(actor=actor, family=partnership.ashworth)
    assert AccessEvent.objects.filter(action="denied", object_id=str(decision.pk)).exists()


def test_front_door_may_decide(partnership: Partnership) -> None:
    """Any practitioner who can see the family (here by a partnership-wide role)."""
    decision = record(partnership, actor=partnership.fatima)
    assert decision.decided_by == partnership.fatima


def test_current_level_and_history(partnership: Partnership) -> None:
    first = record(partnership)
    second = record(partnership, rationale="Reviewed: still additional")
    history = selectors.level_decision_list(actor=partnership.maya, family=partnership.ashworth)
    assert history == [second, first]
    assert selectors.level_current(actor=partnership.maya, family=partnership.ashworth) == second


def test_a_decision_never_changes(partnership: Partnership) -> None:
    decision = record(partnership)
    decision.rationale = "Rewritten"
    with pytest.raises(FrameworkImmutable):
        decision.save()


def test_loading_a_new_framework_never_changes_past_decisions(partnership: Partnership) -> None:
    """R-LON-1 and the issue: changing the framework never changes past decisions."""
    old = record(partnership)
    raw = json.loads(EXAMPLE_PATH.read_text("utf-8"))
    raw.update(version="2027.1", in_force_from="2026-06-01")
    for level in raw["levels"]:
        if level["code"] == "additional":
            level["name"] = "Early help (single agency)"
    for item in raw["indicators"]:
        if item["code"] == "LON-PC-2-01":
            item["level"] = "targeted"
    new_framework = services.threshold_framework_load(
        text=json.dumps(raw),
        signed_off_by="Wyvern executive",
        signed_off_role="Safeguarding partners",
        signed_off_on=datetime.date(2026, 5, 1),
    )
    old.refresh_from_db()
    assert old.framework.version == "2026.1"
    assert old.decided_level.name == "Additional needs: early help"
    assert old.indicators.get().indicator.level.code == "additional"
    # New decisions use the new version, and its levels.
    new = record(
        partnership,
        decided_level_code="targeted",
        rationale="Same indicator, new rules",
        handover="Notes",
        receiving_practitioner=partnership.maya,
    )
    assert new.framework == new_framework
    assert new.suggested_level.code == "targeted"
    assert new.direction == "up"


def test_need_to_know_indicator_is_withheld(partnership: Partnership) -> None:
    """R-IS-12: an indicator in a category the reader may not see shows only who holds it,
    and the reasons and rationale resting on it are withheld."""
    decision = record(
        partnership,
        person=partnership.chloe,
        indicator_codes=["LON-PC-3-03", "LON-FE-2-01"],
        decided_level_code="targeted",
        rationale="Mental health affects care",
    )
    housing = Organisation.objects.create(
        name="Wyvern Housing", agency_type=AgencyType.HOUSING, local_authority="Wyvern"
    )
    team = Team.objects.create(organisation=housing, name="Tenancy")
    hana = make_user("hana@housing.example", "Hana Housing", team, Role.HOUSING_OFFICER)
    Involvement.objects.create(
        organisation=housing,
        family=partnership.ashworth,
        service="Tenancy",
        started_on=datetime.date(2026, 9, 1),
    )
    view = selectors.decision_view(hana, decision)
    readable = {s.row.indicator.code: s.readable for s in view.indicators}
    assert readable == {"LON-PC-3-03": False, "LON-FE-2-01": True}
    assert view.withheld_by == ["Wyvern Hospitals Midwifery"]
    assert not view.rationale_readable
    assert not next(r for r in view.reasons if r.kind == "highest").readable
    # The agency that recorded it reads everything.
    own = selectors.decision_view(partnership.maya, decision)
    assert all(s.readable for s in own.indicators) and own.rationale_readable
