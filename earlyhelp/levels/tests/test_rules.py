"""The level suggestion, the step direction, what a decision needs, and framework checks:
table-driven, no database (R-LON-1, R-LON-2, R-WT-2, and the young-parent and unborn
indicators of R-LON-3 to R-LON-6 in the example framework)."""

from __future__ import annotations

from typing import Any

import pytest

from earlyhelp.levels import rules
from earlyhelp.levels.document import (
    EXAMPLE_PATH,
    ThresholdDocument,
    document_parse,
    document_read,
)
from earlyhelp.levels.rules import (
    CumulativeRule,
    Direction,
    FrameworkRules,
    IndicatorRule,
    LevelRule,
    ReasonKind,
)

LEVELS = (
    LevelRule("universal", 1, "Universal"),
    LevelRule("additional", 2, "Additional"),
    LevelRule("targeted", 3, "Targeted"),
    LevelRule("specialist", 4, "Specialist"),
)


def _i(code: str, domain: str, level: str, **kw: Any) -> IndicatorRule:
    return IndicatorRule(code=code, domain=domain, level=level, text=f"text of {code}", **kw)


INDICATORS = {
    i.code: i
    for i in (
        _i("S1", "PC", "universal"),
        _i("A1", "CD", "additional", escalates_to=("T1",)),
        _i("A2", "PC", "additional"),
        _i("A3", "FE", "additional"),
        _i("A4", "FE", "additional"),
        _i("A5", "FE", "additional"),
        _i("T1", "CD", "targeted", implies=("A1",)),
        _i("T2", "PC", "targeted"),
        _i("T3", "FE", "targeted"),
        _i("F3", "PC", "targeted", sets_level=False),  # care-experienced: a flag
        _i("X4", "FE", "specialist", implies=("T3",)),
        _i("D2", "PC", "additional", in_use=False),
    )
}
CUMULATIVE = CumulativeRule(
    enabled=True, min_indicators=3, min_domains=2, from_level="additional", up_to_level="specialist"
)
FRAMEWORK = FrameworkRules(levels=LEVELS, indicators=INDICATORS, cumulative=CUMULATIVE)


@pytest.mark.parametrize(
    ("recorded", "level", "deciding", "cumulative"),
    [
        # R-LON-1: the highest level among the indicators.
        (["A1"], "additional", ("A1",), False),
        (["A1", "T2"], "targeted", ("T2",), False),
        (["S1", "A2", "X4"], "specialist", ("X4",), False),
        # Only strengths: universal.
        (["S1"], "universal", ("S1",), False),
        # A flag alone never sets the level (LEVELS_OF_NEED.md s5: care leaver status).
        (["F3"], "universal", (), False),
        (["F3", "A1"], "additional", ("A1",), False),
        # Cumulative concern [KT-TC, SUR]: 3 at one level from 2+ domains: one step up.
        (["A1", "A2", "A3"], "targeted", ("A1", "A2", "A3"), True),
        (["T1", "T2", "T3"], "specialist", ("T1", "T2", "T3"), True),
        # ...but not from a single domain,
        (["A3", "A4", "A5"], "additional", ("A3", "A4", "A5"), False),
        # nor with only two,
        (["A1", "A2"], "additional", ("A1", "A2"), False),
        # nor above the rule's ceiling (the top level has no next level),
        (["X4", "T1", "T2"], "specialist", ("X4",), False),
        # nor counting an implied indicator twice (T1 implies A1: A1 is not counted).
        (["T1", "A2", "A3"], "targeted", ("T1",), False),
        # Implied indicators count towards the highest level: X4 implies T3.
        (["X4"], "specialist", ("X4",), False),
    ],
)
def test_level_suggestion(
    recorded: list[str], level: str, deciding: tuple[str, ...], cumulative: bool
) -> None:
    """R-LON-1: the suggestion and the indicators that led to it."""
    suggestion = rules.level_suggest(FRAMEWORK, recorded)
    assert suggestion.level.code == level
    assert suggestion.deciding == deciding
    assert suggestion.cumulative is cumulative
    assert (ReasonKind.CUMULATIVE in {r.kind for r in suggestion.reasons}) is cumulative


def test_cumulative_rule_off_means_highest_only() -> None:
    """R-LON-1: the cumulative step is the framework's choice, not the code's."""
    off = FrameworkRules(
        levels=LEVELS,
        indicators=INDICATORS,
        cumulative=CumulativeRule(False, 3, 2, "additional", "specialist"),
    )
    assert rules.level_suggest(off, ["A1", "A2", "A3"]).level.code == "additional"


def test_cumulative_rule_from_level_excludes_strengths() -> None:
    """Universal indicators are strengths: they never accumulate (from_level: additional)."""
    many_strengths = {
        **INDICATORS,
        "S2": _i("S2", "CD", "universal"),
        "S3": _i("S3", "FE", "universal"),
    }
    framework = FrameworkRules(LEVELS, many_strengths, CUMULATIVE)
    assert rules.level_suggest(framework, ["S1", "S2", "S3"]).level.code == "universal"


def test_reasons_explain_exactly_which_indicators() -> None:
    """R-LON-1: each reason names the indicators it rests on."""
    suggestion = rules.level_suggest(FRAMEWORK, ["X4", "S1", "F3", "A1"])
    by_kind = {r.kind: r for r in suggestion.reasons}
    assert by_kind[ReasonKind.HIGHEST].codes == ("X4",)
    assert "Specialist" in by_kind[ReasonKind.HIGHEST].text
    assert by_kind[ReasonKind.IMPLIED].codes == ("T3", "X4")
    assert by_kind[ReasonKind.STRENGTH].codes == ("S1",)
    assert by_kind[ReasonKind.FLAG].codes == ("F3",)
    # A1 escalates to T1, which is not recorded: what to watch for.
    assert by_kind[ReasonKind.WATCH].codes == ("A1", "T1")
    assert suggestion.implied_by == {"T3": "X4"}
    assert suggestion.considered == ("A1", "F3", "S1", "T3", "X4")


@pytest.mark.parametrize(
    ("previous", "decided", "direction"),
    [
        (None, 2, Direction.FIRST),
        (2, 3, Direction.UP),
        (3, 2, Direction.DOWN),
        (4, 1, Direction.DOWN),
        (2, 2, Direction.SAME),
    ],
)
def test_step_direction(previous: int | None, decided: int, direction: Direction) -> None:
    """R-LON-2: step up or down compared with the family's previous decision."""
    assert rules.step_direction(previous, decided) == direction
    assert rules.needs_handover(direction) is (direction in {Direction.UP, Direction.DOWN})


ADDITIONAL, TARGETED = LEVELS[1], LEVELS[2]


@pytest.mark.parametrize(
    ("decided", "rationale", "direction", "handover", "receiver", "expected"),
    [
        # R-LON-1: the rationale is always required...
        (ADDITIONAL, "", Direction.FIRST, "", False, {"rationale": "Enter the rationale"}),
        # ...and says so clearly when the decision differs from the suggestion.
        (TARGETED, " ", Direction.FIRST, "", False, {"rationale": "differs from the suggestion"}),
        (TARGETED, "Escalating worries", Direction.FIRST, "", False, {}),
        (None, "Because", Direction.FIRST, "", False, {"decided_level": "Select the level"}),
        # R-LON-2: a step up or down needs the handover and the receiving practitioner.
        (
            TARGETED,
            "Worse",
            Direction.UP,
            "",
            False,
            {"handover": "stepping up", "receiving_practitioner": "takes over"},
        ),
        (ADDITIONAL, "Better", Direction.DOWN, "Plan ended", False, {"receiving_practitioner": ""}),
        (ADDITIONAL, "Better", Direction.DOWN, "Plan ended", True, {}),
        (ADDITIONAL, "Same", Direction.SAME, "", False, {}),
    ],
)
def test_decision_problems(
    decided: LevelRule | None,
    rationale: str,
    direction: Direction,
    handover: str,
    receiver: bool,
    expected: dict[str, str],
) -> None:
    """R-LON-1 and R-LON-2: what a decision lacks, by field."""
    problems = rules.decision_problems(
        suggested=ADDITIONAL,
        decided=decided,
        rationale=rationale,
        direction=direction,
        handover=handover,
        has_receiving_practitioner=receiver,
    )
    assert set(problems) == set(expected)
    for field, words in expected.items():
        assert words in problems[field][0]


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"A": ["B"], "B": []}, []),
        ({"A": ["A"]}, [["A", "A"]]),
        ({"A": ["B"], "B": ["C"], "C": ["A"]}, [["A", "B", "C", "A"]]),
        ({"B": ["C"], "C": ["B"], "A": ["B"]}, [["B", "C", "B"]]),
        ({"A": ["B", "C"], "B": ["D"], "C": ["D"], "D": []}, []),  # a diamond is no cycle
        ({"A": ["Z"]}, []),  # unknown targets are reported elsewhere
    ],
)
def test_find_cycles(graph: dict[str, list[str]], cycles: list[list[str]]) -> None:
    """R-WT-2: a threshold document whose indicators imply each other in a circle is refused."""
    assert rules.find_cycles(graph) == cycles


# --- Framework checks on documents (R-WT-2) -------------------------------------------------


def minimal_document(**changes: Any) -> dict[str, Any]:
    """A small, valid threshold document as JSON data; ``changes`` replace top-level keys."""
    document: dict[str, Any] = {
        "partnership": "Test partnership",
        "version": "1",
        "title": "Test levels",
        "in_force_from": "2025-01-01",
        "sources": [{"code": "SRC", "title": "A source"}],
        "levels": [
            {"code": "universal", "rank": 1, "name": "Universal"},
            {"code": "additional", "rank": 2, "name": "Additional"},
            {"code": "targeted", "rank": 3, "name": "Targeted"},
        ],
        "domains": [{"code": "PC", "name": "Parenting capacity"}],
        "indicators": [
            {
                "code": "I-1",
                "domain": "PC",
                "level": "universal",
                "text": "Fine",
                "sources": ["SRC"],
            },
            {"code": "I-2", "domain": "PC", "level": "additional", "text": "Some needs"},
            {"code": "I-3", "domain": "PC", "level": "targeted", "text": "More needs"},
        ],
        "cumulative": {"from_level": "additional", "up_to_level": "targeted"},
    }
    document.update(changes)
    return document


def _problems(raw: dict[str, Any]) -> list[str]:
    document = ThresholdDocument.model_validate(raw)
    return rules.framework_problems(document, category_codes={"mental_health"})


def _with_indicator(**fields: Any) -> dict[str, Any]:
    base = minimal_document()
    base["indicators"] = [*base["indicators"], {"domain": "PC", "text": "x", **fields}]
    return base


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            _with_indicator(code="I-4", level="additional", implies=["I-9"]),
            "implies an unknown indicator: I-9",
        ),
        (
            _with_indicator(code="I-4", level="additional", escalates_to=["NOPE"]),
            "escalates to an unknown indicator: NOPE",
        ),
        (_with_indicator(code="I-1", level="additional"), "Duplicate indicator code: I-1"),
        (
            _with_indicator(code="I-4", level="severe"),
            "Bad level: indicator I-4 names an unknown level",
        ),
        (_with_indicator(code="I-4", level="targeted", domain="XX"), "unknown domain: XX"),
        (_with_indicator(code="I-4", level="targeted", sources=["NOPE"]), "unknown source: NOPE"),
        (
            _with_indicator(code="I-4", level="targeted", category="astrology"),
            "unknown information category: astrology",
        ),
        (
            _with_indicator(code="I-4", level="targeted", escalates_to=["I-2"]),
            "Bad level: indicator I-4 (targeted) escalates to I-2 (additional)",
        ),
        (
            minimal_document(
                levels=[
                    {"code": "universal", "rank": 1, "name": "U"},
                    {"code": "additional", "rank": 3, "name": "A"},
                    {"code": "targeted", "rank": 3, "name": "T"},
                ]
            ),
            "Bad level ranks",
        ),
        (
            minimal_document(cumulative={"from_level": "additional", "up_to_level": "statutory"}),
            "up_to_level is an unknown level: statutory",
        ),
    ],
)
def test_framework_problems(raw: dict[str, Any], message: str) -> None:
    """R-WT-2: each kind of bad document is refused with a clear message."""
    problems = _problems(raw)
    assert any(message in p for p in problems), problems


def test_cycle_of_implications_is_refused() -> None:
    """R-WT-2: I-2 implies I-3 implies I-2."""
    raw = minimal_document()
    raw["indicators"][1]["implies"] = ["I-3"]
    raw["indicators"][2]["implies"] = ["I-2"]
    assert _problems(raw) == ["Cycle: I-2 implies I-3 implies I-2"]


def test_a_good_document_has_no_problems() -> None:
    assert _problems(minimal_document()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "one JSON object"),
        ('{"partnership": "X"}', "version: Field required"),
    ],
)
def test_shape_problems(text: str, message: str) -> None:
    document, _, problems = document_read(text)
    assert document is None
    assert any(message in p for p in problems), problems


def test_shape_problem_names_the_indicator() -> None:
    raw = minimal_document()
    raw["indicators"][1]["colour"] = "red"
    _, problems = document_parse(raw)
    assert problems == ["indicators[1] (I-2).colour: Extra inputs are not permitted"]


# --- The example framework shipped with the product -----------------------------------------


def _example() -> FrameworkRules:
    document, _, problems = document_read(EXAMPLE_PATH.read_text("utf-8"))
    assert document is not None, problems
    assert rules.framework_problems(document) == []
    return rules.rules_from_document(document)


def test_example_framework_has_four_levels_and_three_domains() -> None:
    example = _example()
    assert [lv.code for lv in example.levels] == [
        "universal",
        "additional",
        "targeted",
        "specialist",
    ]
    assert {i.domain for i in example.indicators.values()} == {"CD", "PC", "FE"}


@pytest.mark.parametrize(
    ("recorded", "level"),
    [
        # Age alone is not a need: a mature, supported young mother is universal (UTN).
        (["LON-PC-1-02"], "universal"),
        # R-LON-3: a mother of 19 or under is prompted an EHA; a prompt, not a level.
        (["LON-PC-2-06"], "universal"),
        # R-LON-4: parent under 18 prompts consideration of a pre-birth assessment (a flag).
        (["LON-PC-2-07", "LON-PC-2-01"], "additional"),
        # Care-experienced: flag, do not auto-escalate (LEVELS_OF_NEED.md s5).
        (["LON-PC-3-04"], "universal"),
        # Concealed pregnancy (HU-PB) is specialist and implies a pre-birth risk assessment.
        (["LON-PC-4-05"], "specialist"),
        # Pregnant teenager with serious concerns about her and the unborn baby (KT-3, WI-3).
        (["LON-CD-3-04"], "targeted"),
        # Domestic abuse, parental mental health and unsafe housing together (cumulative).
        (["LON-FE-3-01", "LON-PC-3-03", "LON-FE-3-02"], "specialist"),
    ],
)
def test_example_framework_young_parents_and_unborn(recorded: list[str], level: str) -> None:
    """R-LON-1, R-LON-3, R-LON-4, R-LON-6 as the example framework encodes them."""
    assert rules.level_suggest(_example(), recorded).level.code == level


def test_example_framework_prompts_both_prospective_parents() -> None:
    """R-LON-6: assessing both prospective parents is an indicator (a flag) for unborn babies."""
    both = _example().indicators["LON-PC-2-08"]
    assert "partner who is not the father" in both.text
    assert not both.sets_level


def test_example_concealed_pregnancy_implies_pre_birth_assessment() -> None:
    suggestion = rules.level_suggest(_example(), ["LON-PC-4-05"])
    assert suggestion.implied_by == {"LON-PC-3-01": "LON-PC-4-05"}


def test_example_derived_item_is_not_in_use() -> None:
    """Derived items stay off until a local partnership agrees them (LEVELS_OF_NEED.md)."""
    problems = rules.indicator_problems(_example(), ["LON-PC-2-05", "LON-XX-9"])
    assert problems == [
        "Unknown indicators: LON-XX-9",
        "Indicators not in use in this framework (not agreed locally): LON-PC-2-05",
    ]
