"""records.rules, table by table, without a database."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.records import rules
from earlyhelp.records.rules import (
    CONFIDENTIAL_REFERRER,
    THIRD_PARTY,
    ChildWishes,
    Competence,
    ExemptionKind,
    Outcome,
    RecordClass,
    Redactor,
    RequesterRelationship,
    RetentionDecision,
    RetentionFacts,
    RetentionTrigger,
    RuleInForce,
)

D = datetime.date
PR = RequesterRelationship.PARENTAL_RESPONSIBILITY
SELF = RequesterRelationship.SELF
REP = RequesterRelationship.REPRESENTATIVE


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 9, 3), D(2026, 10, 3)),  # the ICO's own example: 3 September -> 3 October
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2027, 1, 29), D(2027, 2, 28)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 8, 31), D(2026, 9, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),  # over the year end
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2026, 2, 28), D(2026, 3, 28)),
    ],
)
def test_subject_access_due_one_calendar_month_later(received: D, due: D) -> None:
    """R-SAR-1: respond within one calendar month."""
    assert rules.subject_access_due_on(received) == due


@pytest.mark.parametrize(
    ("today", "sent", "overdue"),
    [
        (D(2026, 10, 2), None, False),
        (D(2026, 10, 3), None, False),  # the due day itself is still in time
        (D(2026, 10, 4), None, True),
        (D(2026, 12, 1), D(2026, 10, 5), False),  # answered (late): no longer overdue
    ],
)
def test_overdue_is_derived_from_the_stored_due_date(
    today: D, sent: D | None, overdue: bool
) -> None:
    assert (
        rules.subject_access_is_overdue(due_on=D(2026, 10, 3), response_sent_on=sent, today=today)
        is overdue
    )


@pytest.mark.parametrize(
    ("born", "unborn", "on", "child"),
    [
        (D(2009, 5, 14), False, D(2027, 5, 13), True),
        (D(2009, 5, 14), False, D(2027, 5, 14), False),  # 18th birthday
        (None, True, D(2026, 11, 26), True),
        (D(1990, 1, 1), False, D(2026, 11, 26), False),
    ],
)
def test_subject_is_child(born: D | None, unborn: bool, on: D, child: bool) -> None:
    assert rules.subject_is_child(date_of_birth=born, is_unborn=unborn, on=on) is child


COMPETENT, NOT_COMPETENT = Competence.COMPETENT, Competence.NOT_COMPETENT


@pytest.mark.parametrize(
    ("relationship", "child", "unborn", "competence", "judgement", "wishes", "fields"),
    [
        # Adults asking for their own, or through a representative: no competence check.
        (SELF, False, False, "", "", "", set()),
        (REP, False, False, "", "", "", set()),
        # A parent cannot ask for an adult's data.
        (PR, False, False, "", "", "", {"requester_relationship"}),
        ("friend", False, False, "", "", "", {"requester_relationship"}),
        # R-SAR-4: a child's request needs the competence check and how it was judged.
        (SELF, True, False, "", "", "", {"competence", "competence_judgement"}),
        (SELF, True, False, COMPETENT, "Spoke to her", "", set()),
        (SELF, True, False, NOT_COMPETENT, "Aged 6", "", {"competence"}),
        # A parent asking for a competent young person's data: their wishes are needed.
        (PR, True, False, COMPETENT, "Understands", "", {"child_wishes"}),
        (PR, True, False, COMPETENT, "Understands", ChildWishes.OBJECTS, set()),
        (PR, True, False, NOT_COMPETENT, "Aged 4", "", set()),
        # An unborn baby: never competent, never asks.
        (PR, True, True, NOT_COMPETENT, "Unborn", "", set()),
        (PR, True, True, COMPETENT, "Unborn", "", {"competence"}),
        (SELF, True, True, NOT_COMPETENT, "Unborn", "", {"requester_relationship"}),
    ],
)
def test_subject_access_request_problems(
    relationship: str,
    child: bool,
    unborn: bool,
    competence: str,
    judgement: str,
    wishes: str,
    fields: set[str],
) -> None:
    """R-SAR-3, R-SAR-4."""
    problems = rules.subject_access_request_problems(
        relationship=relationship,
        subject_is_child=child,
        subject_is_unborn=unborn,
        competence=competence,
        competence_judgement=judgement,
        child_wishes=wishes,
    )
    assert set(problems) == fields


@pytest.mark.parametrize(
    ("relationship", "competence", "wishes", "wishes_exemptions", "refused"),
    [
        (SELF, COMPETENT, "", 0, False),
        (PR, NOT_COMPETENT, "", 0, False),
        (PR, COMPETENT, ChildWishes.AGREES, 0, False),
        (PR, COMPETENT, ChildWishes.OBJECTS, 0, True),
        (PR, COMPETENT, ChildWishes.OBJECTS, 3, True),
        (PR, COMPETENT, ChildWishes.AGREES_IN_PART, 0, True),
        (PR, COMPETENT, ChildWishes.AGREES_IN_PART, 1, False),
    ],
)
def test_parent_request_and_the_young_persons_wishes(
    relationship: str, competence: str, wishes: str, wishes_exemptions: int, refused: bool
) -> None:
    """R-SAR-3: the data subject's wishes when a person with parental responsibility asks."""
    problem = rules.parent_request_problem(
        relationship=relationship,
        competence=competence,
        child_wishes=wishes,
        wishes_exemptions=wishes_exemptions,
    )
    assert bool(problem) is refused


@pytest.mark.parametrize(
    ("kind", "relationship", "reason", "target", "fields"),
    [
        (ExemptionKind.SERIOUS_HARM, SELF, "Psychologist advised", True, set()),
        (ExemptionKind.SERIOUS_HARM, SELF, " ", True, {"reason"}),
        (ExemptionKind.SERIOUS_HARM, SELF, "Why", False, {"withheld"}),
        (ExemptionKind.DATA_SUBJECT_WISHES, PR, "She asked", True, set()),
        (ExemptionKind.DATA_SUBJECT_WISHES, SELF, "She asked", True, {"kind"}),
        ("made_up", SELF, "Why", True, {"kind"}),
    ],
)
def test_exemption_problems(
    kind: str, relationship: str, reason: str, target: bool, fields: set[str]
) -> None:
    """R-SAR-3: each exemption says what it withholds and why."""
    problems = rules.exemption_problems(
        kind=kind, relationship=relationship, reason=reason, has_target=target
    )
    assert set(problems) == fields


@pytest.mark.parametrize(
    ("parent", "other", "own"),
    [
        ("mother", "child", True),
        ("father", "unborn_baby", True),
        ("mother", "sibling", False),
        ("partner_of_parent", "child", False),
        ("child", "mother", False),
    ],
)
def test_own_child(parent: str, other: str, own: bool) -> None:
    assert rules.is_own_child(parent_relationship=parent, other_relationship=other) is own


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jordan Pike shouted", f"{THIRD_PARTY} shouted"),
        ("jordan pike shouted", f"{THIRD_PARTY} shouted"),
        ("Jordan  Pike shouted", f"{THIRD_PARTY} shouted"),
        ("Chloe came with Jordan.", f"Chloe came with {THIRD_PARTY}."),
        ("Mr Pike rang", f"Mr {THIRD_PARTY} rang"),
        # The shared family name stays; the third party's full name still goes.
        (
            "Leah Ashworth will help the Ashworth family",
            f"{THIRD_PARTY} will help the Ashworth family",
        ),
        ("Leah will help", f"{THIRD_PARTY} will help"),
        # Whole words only.
        ("Jordanian food", "Jordanian food"),
        (
            "Sandra Neighbourly rang about Jordan",
            f"{CONFIDENTIAL_REFERRER} rang about {THIRD_PARTY}",
        ),
        ("Sandra said so", f"{CONFIDENTIAL_REFERRER} said so"),
        ("", ""),
    ],
)
def test_redactor(text: str, expected: str) -> None:
    """R-SAR-2, R-IS-5: third parties and confidential referrers, in free text."""
    redactor = Redactor(
        third_parties=["Jordan Pike", "Leah Ashworth"],
        confidential_referrers=["Sandra Neighbourly"],
        shown=["Chloe Ashworth", "Chloe Brennan"],
    )
    assert redactor.text(text) == expected


def test_redactor_counts_what_it_replaced() -> None:
    redactor = Redactor(
        third_parties=["Jordan Pike"], confidential_referrers=["Sandra Neighbourly"]
    )
    redactor.text("Jordan Pike and Jordan, said Sandra")
    assert redactor.counts == {THIRD_PARTY: 2, CONFIDENTIAL_REFERRER: 1}


def test_redactor_with_nobody_to_redact_changes_nothing() -> None:
    assert Redactor(third_parties=[]).text("Chloe came alone") == "Chloe came alone"


# --- Retention ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (D(2000, 3, 10), 25, D(2025, 3, 10)),
        (D(2008, 2, 29), 25, D(2033, 3, 1)),  # a 29 February birthday: 1 March, keeping longer
        (D(2008, 2, 29), 4, D(2012, 2, 29)),
        (D(1990, 12, 31), 75, D(2065, 12, 31)),
    ],
)
def test_add_years(start: D, years: int, end: D) -> None:
    assert rules.add_years(start, years) == end


def facts(**overrides: object) -> RetentionFacts:
    values: dict[str, object] = {
        "person_id": 1,
        "date_of_birth": D(2000, 3, 10),
        "expected_date_of_delivery": None,
        "first_known_on": D(2012, 1, 1),
        "last_involvement_ended_on": D(2016, 6, 30),
        "last_action_on": D(2017, 1, 15),
    }
    values.update(overrides)
    return RetentionFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("trigger", "overrides", "expected"),
    [
        (RetentionTrigger.DATE_OF_BIRTH, {}, D(2000, 3, 10)),
        (
            RetentionTrigger.DATE_OF_BIRTH,
            {"date_of_birth": None, "expected_date_of_delivery": D(2027, 3, 1)},
            D(2027, 3, 1),
        ),
        (RetentionTrigger.LAST_INVOLVEMENT_ENDED, {}, D(2016, 6, 30)),
        # Never involved: counts from when the record was made (first known).
        (
            RetentionTrigger.LAST_INVOLVEMENT_ENDED,
            {"last_involvement_ended_on": None},
            D(2012, 1, 1),
        ),
        (RetentionTrigger.LAST_ACTION, {}, D(2017, 1, 15)),
    ],
)
def test_trigger_dates(trigger: str, overrides: dict[str, object], expected: D) -> None:
    """R-RET-1: a period counts from the date of birth, the last involvement or last action."""
    assert rules.trigger_date(facts(**overrides), trigger) == expected


@pytest.mark.parametrize(
    ("overrides", "classes"),
    [
        ({}, [RecordClass.KNOWN_AS_CHILD]),
        ({"first_known_on": D(2018, 3, 10)}, [RecordClass.ADULT]),  # 18th birthday
        ({"first_known_on": D(2018, 3, 9)}, [RecordClass.KNOWN_AS_CHILD]),
        (
            {"date_of_birth": None, "expected_date_of_delivery": D(2027, 3, 1)},
            [RecordClass.KNOWN_AS_CHILD],
        ),
        (
            {"care_history_recorded": True, "childrens_social_care_involved": True},
            [
                RecordClass.CARE_EXPERIENCED,
                RecordClass.CHILDRENS_SOCIAL_CARE,
                RecordClass.KNOWN_AS_CHILD,
            ],
        ),
    ],
)
def test_record_classes(overrides: dict[str, object], classes: list[str]) -> None:
    assert rules.record_classes(facts(**overrides)) == classes


RULES: dict[str, RuleInForce] = {
    RecordClass.CARE_EXPERIENCED: RuleInForce(
        1, RecordClass.CARE_EXPERIENCED, RetentionTrigger.DATE_OF_BIRTH, 75, 1, "care"
    ),
    RecordClass.CHILDRENS_SOCIAL_CARE: RuleInForce(
        2, RecordClass.CHILDRENS_SOCIAL_CARE, RetentionTrigger.LAST_ACTION, 35, 1, "cp"
    ),
    RecordClass.KNOWN_AS_CHILD: RuleInForce(
        3, RecordClass.KNOWN_AS_CHILD, RetentionTrigger.DATE_OF_BIRTH, 25, 1, "minors"
    ),
}


@pytest.mark.parametrize(
    ("overrides", "on", "outcome", "record_class", "destroy_from"),
    [
        # Minors' default: the 25th birthday, to the day.
        ({}, D(2025, 3, 9), Outcome.NOT_YET_DUE, RecordClass.KNOWN_AS_CHILD, D(2025, 3, 10)),
        ({}, D(2025, 3, 10), Outcome.DESTROY, RecordClass.KNOWN_AS_CHILD, D(2025, 3, 10)),
        # Care-experienced: the 75th birthday wins over the 25th.
        (
            {"care_history_recorded": True},
            D(2074, 3, 9),
            Outcome.NOT_YET_DUE,
            RecordClass.CARE_EXPERIENCED,
            D(2075, 3, 10),
        ),
        (
            {"care_history_recorded": True},
            D(2075, 3, 10),
            Outcome.DESTROY,
            RecordClass.CARE_EXPERIENCED,
            D(2075, 3, 10),
        ),
        # Children's social care: 35 years after the last action.
        (
            {"childrens_social_care_involved": True},
            D(2052, 1, 15),
            Outcome.DESTROY,
            RecordClass.CHILDRENS_SOCIAL_CARE,
            D(2052, 1, 15),
        ),
        (
            {"childrens_social_care_involved": True},
            D(2052, 1, 14),
            Outcome.NOT_YET_DUE,
            RecordClass.CHILDRENS_SOCIAL_CARE,
            D(2052, 1, 15),
        ),
        # Due, but protected (R-RET-2 and the open case).
        (
            {"legal_hold": True},
            D(2030, 1, 1),
            Outcome.LEGAL_HOLD,
            RecordClass.KNOWN_AS_CHILD,
            D(2025, 3, 10),
        ),
        (
            {"open_involvement": True},
            D(2030, 1, 1),
            Outcome.OPEN_INVOLVEMENT,
            RecordClass.KNOWN_AS_CHILD,
            D(2025, 3, 10),
        ),
        (
            {"open_subject_access_request": True},
            D(2030, 1, 1),
            Outcome.OPEN_SUBJECT_ACCESS,
            RecordClass.KNOWN_AS_CHILD,
            D(2025, 3, 10),
        ),
        # A hold on someone not yet due changes nothing.
        (
            {"legal_hold": True},
            D(2025, 3, 9),
            Outcome.NOT_YET_DUE,
            RecordClass.KNOWN_AS_CHILD,
            D(2025, 3, 10),
        ),
        # Adults known only as adults: no seeded rule, so kept.
        (
            {"first_known_on": D(2020, 1, 1)},
            D(2100, 1, 1),
            Outcome.NO_RULE,
            RecordClass.ADULT,
            None,
        ),
        # Unborn: counts from the expected date of delivery.
        (
            {"date_of_birth": None, "expected_date_of_delivery": D(2027, 3, 1)},
            D(2052, 3, 1),
            Outcome.DESTROY,
            RecordClass.KNOWN_AS_CHILD,
            D(2052, 3, 1),
        ),
    ],
)
def test_retention_decision(
    overrides: dict[str, object],
    on: D,
    outcome: str,
    record_class: str,
    destroy_from: D | None,
) -> None:
    """R-RET-1 (the longest period wins), R-RET-2 (a legal hold overrides destruction)."""
    decision = rules.retention_decision(facts(**overrides), RULES, on=on)
    assert (decision.outcome, decision.record_class, decision.destroy_from) == (
        outcome,
        record_class,
        destroy_from,
    )


def test_a_class_with_no_rule_keeps_the_record_even_if_another_class_is_due() -> None:
    no_care_rule: dict[str, RuleInForce] = {
        k: v for k, v in RULES.items() if k != RecordClass.CARE_EXPERIENCED
    }
    decision = rules.retention_decision(
        facts(care_history_recorded=True), no_care_rule, on=D(2100, 1, 1)
    )
    assert decision.outcome == Outcome.NO_RULE


def destroy(pid: int) -> RetentionDecision:
    return RetentionDecision(pid, Outcome.DESTROY, RecordClass.KNOWN_AS_CHILD)


def keep(pid: int) -> RetentionDecision:
    return RetentionDecision(pid, Outcome.NOT_YET_DUE, RecordClass.KNOWN_AS_CHILD)


@pytest.mark.parametrize(
    ("decisions", "members", "protected", "consents", "persons", "families"),
    [
        # Everyone in the family goes: so does the family.
        ([destroy(1), destroy(2)], {10: {1, 2}}, set(), [], [1, 2], {10}),
        # Someone stays: the family stays.
        ([destroy(1), keep(2)], {10: {1, 2}}, set(), [], [1], set()),
        # A family with its own hold or open involvement stays.
        ([destroy(1), destroy(2)], {10: {1, 2}}, {10}, [], [1, 2], set()),
        # Gave a consent for a family that stays: kept as its evidence.
        ([destroy(1), keep(2)], {10: {1, 2}}, set(), [(1, 10)], [], set()),
        # ... which can keep a second family too.
        (
            [destroy(1), keep(2), destroy(3)],
            {10: {1, 2}, 11: {1, 3}},
            set(),
            [(1, 10), (3, 11)],
            [],
            set(),
        ),
        # A consent for a family that goes with them is no reason to keep them.
        ([destroy(1), destroy(2)], {10: {1, 2}}, set(), [(1, 10)], [1, 2], {10}),
    ],
)
def test_retention_plan(
    decisions: list[RetentionDecision],
    members: dict[int, set[int]],
    protected: set[int],
    consents: list[tuple[int, int]],
    persons: list[int],
    families: set[int],
) -> None:
    plan = rules.retention_plan(
        {d.person_id: d for d in decisions},
        family_members=members,
        protected_families=protected,
        consents_given=consents,
    )
    assert plan.persons_to_destroy == persons
    assert plan.families_to_destroy == families
    for pid, decision in plan.decisions.items():
        if pid not in persons and decision.outcome != Outcome.NOT_YET_DUE:
            assert decision.outcome == Outcome.CONSENT_EVIDENCE


def test_exemption_kinds_cite_the_act() -> None:
    assert "Sch 3 Pt 3 para 7(2)" in ExemptionKind.SERIOUS_HARM.label
    assert "parental responsibility" in ExemptionKind.DATA_SUBJECT_WISHES.label
