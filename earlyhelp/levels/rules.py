"""Pure rules for levels of need: the suggestion and its reasons, the step direction, what a
decision needs, and whether a threshold document holds together. No ORM, no request.

The suggestion (R-LON-1: indicators support the decision, they never set it) is exactly:

1. The indicators considered are those recorded plus every indicator they ``imply``,
   followed transitively; each implied one names the recorded indicator that brought it in.
2. Flags (``sets_level: false``, for example care-experienced status: "flag, do not
   auto-escalate", LEVELS_OF_NEED.md section 5) are listed but never set the level.
3. The suggested level is the highest level among the considered indicators that set a
   level; they are its reasons. With none, the lowest level (universal) is suggested.
4. Cumulative concern (LEVELS_OF_NEED.md section 5: "it is usually a combination of factors,
   not one, that sets the level" [KT-TC]; "indicators from lower levels can together justify
   a higher level" [SUR]): when the framework's rule is enabled, and at least
   ``min_indicators`` indicators recorded directly (implied ones are not counted twice) at
   the highest level, from at least ``min_domains`` domains, and that level is at or above
   ``from_level`` and below ``up_to_level``, the next level up is suggested instead. It is
   one step, never more.
5. Indicators at the lowest level recorded with higher ones are listed as strengths, which
   "can mitigate" [SUR]: they do not lower the suggestion; the practitioner weighs them.
6. For each considered indicator, the ``escalates_to`` indicators not already considered
   are listed as what to watch for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from earlyhelp.levels.document import ThresholdDocument


@dataclass(frozen=True)
class LevelRule:
    code: str
    rank: int
    name: str


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    domain: str
    level: str
    text: str = ""
    sets_level: bool = True
    in_use: bool = True
    implies: tuple[str, ...] = ()
    escalates_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class CumulativeRule:
    enabled: bool
    min_indicators: int
    min_domains: int
    from_level: str
    up_to_level: str


@dataclass(frozen=True)
class FrameworkRules:
    """What the suggestion needs from one framework version."""

    levels: tuple[LevelRule, ...]
    indicators: Mapping[str, IndicatorRule]
    cumulative: CumulativeRule

    def level(self, code: str) -> LevelRule:
        return next(level for level in self.levels if level.code == code)

    def level_at(self, rank: int) -> LevelRule:
        return next(level for level in self.levels if level.rank == rank)

    @property
    def lowest(self) -> LevelRule:
        return min(self.levels, key=lambda level: level.rank)

    def rank_of(self, indicator: str) -> int:
        return self.level(self.indicators[indicator].level).rank


class ReasonKind(StrEnum):
    HIGHEST = "highest"
    IMPLIED = "implied"
    CUMULATIVE = "cumulative"
    NONE = "none"
    FLAG = "flag"
    STRENGTH = "strength"
    WATCH = "watch"


@dataclass(frozen=True)
class Reason:
    """One line of the explanation, with the indicators it rests on."""

    kind: ReasonKind
    text: str
    codes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"kind": str(self.kind), "text": self.text, "codes": list(self.codes)}


@dataclass(frozen=True)
class Suggestion:
    level: LevelRule
    reasons: tuple[Reason, ...]
    # The indicators that led to the suggested level.
    deciding: tuple[str, ...]
    # Recorded and implied indicators; implied ones map to the indicator that implied them.
    considered: tuple[str, ...]
    implied_by: Mapping[str, str] = field(default_factory=dict)
    cumulative: bool = False


def _describe(rules: FrameworkRules, codes: Iterable[str]) -> str:
    return "; ".join(f"{c} ({rules.indicators[c].text})" for c in codes)


def indicator_problems(rules: FrameworkRules, codes: Iterable[str]) -> list[str]:
    """Codes that are not indicators of this framework, or not in use (derived, off)."""
    problems: list[str] = []
    wanted = list(dict.fromkeys(codes))
    unknown = [c for c in wanted if c not in rules.indicators]
    if unknown:
        problems.append(f"Unknown indicators: {', '.join(unknown)}")
    unused = [c for c in wanted if c in rules.indicators and not rules.indicators[c].in_use]
    if unused:
        problems.append(
            f"Indicators not in use in this framework (not agreed locally): {', '.join(unused)}"
        )
    return problems


def implied_closure(rules: FrameworkRules, recorded: Iterable[str]) -> dict[str, str]:
    """Every indicator implied (transitively) by the recorded ones and not itself recorded,
    mapped to the recorded indicator that implies it (the first, in code order)."""
    direct = sorted(set(recorded))
    implied: dict[str, str] = {}
    for origin in direct:
        queue = list(rules.indicators[origin].implies)
        while queue:
            code = queue.pop(0)
            if code in direct or code in implied:
                continue
            implied[code] = origin
            queue.extend(rules.indicators[code].implies)
    return implied


def level_suggest(rules: FrameworkRules, recorded: Iterable[str]) -> Suggestion:
    """R-LON-1: the level the indicators suggest, and exactly why (see the module docstring).

    The codes must be indicators of the framework (``indicator_problems`` says which are not).
    """
    direct = sorted(set(recorded))
    implied_by = implied_closure(rules, direct)
    considered = sorted({*direct, *implied_by})
    setting = [c for c in considered if rules.indicators[c].sets_level]
    flags = [c for c in considered if not rules.indicators[c].sets_level]
    reasons: list[Reason] = []
    lowest = rules.lowest
    cumulative = False
    if not setting:
        level = lowest
        deciding: list[str] = []
        reasons.append(
            Reason(
                ReasonKind.NONE,
                f"No indicator that sets a level was recorded: the lowest level, {level.name}",
            )
        )
    else:
        highest = max(rules.rank_of(c) for c in setting)
        level = rules.level_at(highest)
        deciding = [c for c in setting if rules.rank_of(c) == highest]
        reasons.append(
            Reason(
                ReasonKind.HIGHEST,
                f"The highest level among the indicators is {level.name}: "
                f"{_describe(rules, deciding)}",
                tuple(deciding),
            )
        )
        rule = rules.cumulative
        at_level = [c for c in deciding if c in direct]
        domains = sorted({rules.indicators[c].domain for c in at_level})
        if (
            rule.enabled
            and rules.level(rule.from_level).rank <= highest < rules.level(rule.up_to_level).rank
            and len(at_level) >= rule.min_indicators
            and len(domains) >= rule.min_domains
        ):
            cumulative = True
            level = rules.level_at(highest + 1)
            reasons.append(
                Reason(
                    ReasonKind.CUMULATIVE,
                    f"{len(at_level)} indicators at {rules.level_at(highest).name} across "
                    f"{len(domains)} domains ({', '.join(domains)}) together suggest the next "
                    f"level up, {level.name} (cumulative concern: at least "
                    f"{rule.min_indicators} indicators from at least {rule.min_domains} "
                    "domains)",
                    tuple(at_level),
                )
            )
            deciding = at_level
        strengths = [c for c in direct if rules.rank_of(c) == lowest.rank]
        if strengths and highest > lowest.rank:
            reasons.append(
                Reason(
                    ReasonKind.STRENGTH,
                    "Strengths recorded, which may mitigate the concerns (weigh them in your "
                    f"judgement; they do not change the suggestion): {_describe(rules, strengths)}",
                    tuple(strengths),
                )
            )
    for code, origin in sorted(implied_by.items()):
        reasons.append(
            Reason(
                ReasonKind.IMPLIED,
                f"{code} ({rules.indicators[code].text}) is considered too, because "
                f"{origin} implies it",
                (code, origin),
            )
        )
    for code in flags:
        reasons.append(
            Reason(
                ReasonKind.FLAG,
                f"{code} ({rules.indicators[code].text}) is a flag: it prompts consideration "
                "but does not set the level on its own",
                (code,),
            )
        )
    considered_set = set(considered)
    for code in considered:
        for target in rules.indicators[code].escalates_to:
            if target not in considered_set:
                reasons.append(
                    Reason(
                        ReasonKind.WATCH,
                        f"If {code} persists or worsens, consider {target} "
                        f"({rules.indicators[target].text}; "
                        f"{rules.level(rules.indicators[target].level).name})",
                        (code, target),
                    )
                )
    return Suggestion(
        level=level,
        reasons=tuple(reasons),
        deciding=tuple(deciding),
        considered=tuple(considered),
        implied_by=implied_by,
        cumulative=cumulative,
    )


# --- Step up and step down (R-LON-2) --------------------------------------------------------


class Direction(StrEnum):
    FIRST = "first"
    UP = "up"
    DOWN = "down"
    SAME = "same"


DIRECTION_LABELS = {
    Direction.FIRST: "First decision",
    Direction.UP: "Step up",
    Direction.DOWN: "Step down",
    Direction.SAME: "Same level",
}


def step_direction(previous_rank: int | None, decided_rank: int) -> Direction:
    """R-LON-2: compared with the family's previous decision (by rank, across versions)."""
    if previous_rank is None:
        return Direction.FIRST
    if decided_rank > previous_rank:
        return Direction.UP
    if decided_rank < previous_rank:
        return Direction.DOWN
    return Direction.SAME


def needs_handover(direction: Direction) -> bool:
    """R-LON-2: stepping up or down hands the family over to a receiving practitioner."""
    return direction in {Direction.UP, Direction.DOWN}


def decision_problems(
    *,
    suggested: LevelRule,
    decided: LevelRule | None,
    rationale: str,
    direction: Direction | None,
    handover: str,
    has_receiving_practitioner: bool,
    previous: LevelRule | None = None,
) -> dict[str, list[str]]:
    """What a level decision lacks, by field (R-LON-1, R-LON-2). Writes nothing."""
    errors: dict[str, list[str]] = {}
    if decided is None:
        errors["decided_level"] = ["Select the level you have decided"]
    elif not rationale.strip():
        if decided.code != suggested.code:
            errors["rationale"] = [
                f"Enter why you decided {decided.name} when the suggested level is "
                f"{suggested.name}: a decision that differs from the suggestion needs its "
                "rationale"
            ]
        else:
            errors["rationale"] = ["Enter the rationale for your decision"]
    if decided is not None and direction is not None and needs_handover(direction):
        move = "up" if direction == Direction.UP else "down"
        start = f" from {previous.name}" if previous is not None else ""
        if not handover.strip():
            errors["handover"] = [
                f"Enter the handover: stepping {move}{start} to {decided.name} records what the "
                "receiving practitioner needs to know"
            ]
        if not has_receiving_practitioner:
            errors["receiving_practitioner"] = [
                f"Select the practitioner receiving the family: stepping {move} records who "
                "takes over"
            ]
    return errors


# --- Whether a threshold document holds together (R-WT-2) ----------------------------------


def find_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each cycle once, as a path that starts at its smallest code and returns to it.

    Edges to nodes outside the graph are ignored (they are reported as unknown elsewhere).
    """
    cycles: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if state.get(target) == 1:
                loop = path[path.index(target) :]
                start = loop.index(min(loop))
                ordered = loop[start:] + loop[:start]
                cycles.setdefault(tuple(ordered), [*ordered, ordered[0]])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return [cycles[key] for key in sorted(cycles)]


def _duplicates(codes: Iterable[object]) -> list[str]:
    seen: set[object] = set()
    repeated: list[str] = []
    for code in codes:
        if code in seen and str(code) not in repeated:
            repeated.append(str(code))
        seen.add(code)
    return repeated


def framework_problems(
    document: ThresholdDocument, *, category_codes: Iterable[str] | None = None
) -> list[str]:
    """Everything that stops a threshold document from being loaded, as clear messages.

    Duplicate codes; levels whose ranks are not 1, 2, 3...; indicators naming a domain,
    level, source, category or related indicator that does not exist; an escalation to a
    level that is not higher; cycles of ``implies`` or of ``escalates_to``; a cumulative rule
    naming levels that do not exist. The file is refused as a whole if any is found.
    """
    problems: list[str] = []
    for what, codes in (
        ("source", [s.code for s in document.sources]),
        ("level", [lv.code for lv in document.levels]),
        ("domain", [d.code for d in document.domains]),
        ("indicator", [i.code for i in document.indicators]),
    ):
        for code in _duplicates(codes):
            problems.append(f"Duplicate {what} code: {code}")
    ranks = sorted(lv.rank for lv in document.levels)
    if ranks != list(range(1, len(ranks) + 1)):
        problems.append(
            "Bad level ranks: the levels must be ranked 1, 2, 3... with no gaps or repeats "
            f"(found {', '.join(map(str, ranks))})"
        )
    sources = {s.code for s in document.sources}
    rank = {lv.code: lv.rank for lv in document.levels}
    domains = {d.code for d in document.domains}
    indicators = {i.code: i for i in document.indicators}
    categories = set(category_codes) if category_codes is not None else None
    for level in document.levels:
        for source in level.sources:
            if source not in sources:
                problems.append(f"Level {level.code} cites an unknown source: {source}")
    for item in document.indicators:
        if item.domain not in domains:
            problems.append(f"Indicator {item.code} names an unknown domain: {item.domain}")
        if item.level not in rank:
            problems.append(
                f"Bad level: indicator {item.code} names an unknown level: {item.level}"
            )
        for source in item.sources:
            if source not in sources:
                problems.append(f"Indicator {item.code} cites an unknown source: {source}")
        if categories is not None and item.category is not None and item.category not in categories:
            problems.append(
                f"Indicator {item.code} names an unknown information category: {item.category}"
            )
        for relation, targets in (("implies", item.implies), ("escalates to", item.escalates_to)):
            for target in targets:
                if target not in indicators:
                    problems.append(
                        f"Indicator {item.code} {relation} an unknown indicator: {target}"
                    )
        for target in item.escalates_to:
            other = indicators.get(target)
            if (
                other is not None
                and item.level in rank
                and other.level in rank
                and rank[other.level] <= rank[item.level]
            ):
                problems.append(
                    f"Bad level: indicator {item.code} ({item.level}) escalates to {target} "
                    f"({other.level}), which is not a higher level"
                )
    for relation, attribute in (("implies", "implies"), ("escalates to", "escalates_to")):
        graph = {code: list(getattr(i, attribute)) for code, i in indicators.items()}
        for cycle in find_cycles(graph):
            problems.append(f"Cycle: {f' {relation} '.join(cycle)}")
    rule = document.cumulative
    for name, code in (("from_level", rule.from_level), ("up_to_level", rule.up_to_level)):
        if code not in rank:
            problems.append(f"Bad level: the cumulative rule's {name} is an unknown level: {code}")
    if (
        rule.from_level in rank
        and rule.up_to_level in rank
        and (rank[rule.from_level] > rank[rule.up_to_level])
    ):
        problems.append("Bad level: the cumulative rule's from_level is above its up_to_level")
    return problems


def rules_from_document(document: ThresholdDocument) -> FrameworkRules:
    """The suggestion's view of a document that has no problems."""
    return FrameworkRules(
        levels=tuple(LevelRule(lv.code, lv.rank, lv.name) for lv in document.levels),
        indicators={
            i.code: IndicatorRule(
                code=i.code,
                domain=i.domain,
                level=i.level,
                text=i.text,
                sets_level=i.sets_level,
                in_use=document.derived_items_enabled or not i.derived,
                implies=tuple(i.implies),
                escalates_to=tuple(i.escalates_to),
            )
            for i in document.indicators
        },
        cumulative=CumulativeRule(
            enabled=document.cumulative.enabled,
            min_indicators=document.cumulative.min_indicators,
            min_domains=document.cumulative.min_domains,
            from_level=document.cumulative.from_level,
            up_to_level=document.cumulative.up_to_level,
        ),
    )


def is_in_force(in_force_from: datetime.date, today: datetime.date) -> bool:
    """A framework applies from its in-force date (R-WT-2)."""
    return in_force_from <= today
