"""Table-driven tests of the assessment's pure rules, each citing its rule id."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.assessments import rules
from earlyhelp.assessments.rules import Domain, Situation, Subject, SubjectRole
from earlyhelp.core.calendar import bank_holidays

TODAY = datetime.date(2026, 11, 26)
D = datetime.date


def mother(age_years: int = 17, **fields: object) -> Subject:
    born = D(TODAY.year - age_years, 1, 1)
    if (born.month, born.day) > (TODAY.month, TODAY.day):  # pragma: no cover - 1 January
        born = D(born.year - 1, born.month, born.day)
    return Subject(
        person_id=1,
        name="Chloe Ashworth",
        role=SubjectRole.MOTHER,
        date_of_birth=born,
        **fields,  # type: ignore[arg-type]
    )


def father(age_years: int = 19, role: SubjectRole = SubjectRole.FATHER) -> Subject:
    return Subject(
        person_id=2, name="Jordan Pike", role=role, date_of_birth=D(TODAY.year - age_years, 1, 1)
    )


DUE = D(2027, 3, 1)


def unborn(expected: datetime.date = DUE) -> Subject:
    return Subject(
        person_id=3,
        name="Unborn baby Ashworth",
        role=SubjectRole.UNBORN_BABY,
        is_unborn=True,
        expected_date_of_delivery=expected,
    )


def baby(born: datetime.date) -> Subject:
    return Subject(
        person_id=3, name="Ava Ashworth", role=SubjectRole.UNBORN_BABY, date_of_birth=born
    )


def rule_ids(prompts: list[rules.Prompt]) -> set[str]:
    return {p.rule for p in prompts}


# --- R-EHA-1: the framework table --------------------------------------------------------------


def test_every_domain_has_dimensions_with_sources() -> None:
    """R-EHA-1: three domains, each with its dimensions, each row with a source."""
    assert {d.domain for d in rules.DOMAINS} == set(Domain)
    for info in rules.DOMAINS:
        assert [d for d in rules.DIMENSIONS if d.domain == info.domain], info
    assert all(d.source.startswith("S5") for d in rules.DIMENSIONS)
    assert len(rules.DIMENSION_BY_CODE) == len(rules.DIMENSIONS)


@pytest.mark.parametrize(
    ("domain", "dimension", "expected"),
    [
        ("child_development", "health", None),
        ("parenting_capacity", "ensuring_safety", None),
        ("family_environment", "housing", None),
        (
            "family_environment",
            "health",
            "Health is not a dimension of family and environmental factors",
        ),
        ("parenting", "health", "Select a domain of the assessment framework"),
        ("child_development", "", "Select a dimension of the assessment framework"),
    ],
)
def test_dimension_belongs_to_its_domain(domain: str, dimension: str, expected: str | None) -> None:
    """R-EHA-1."""
    assert rules.dimension_problem(domain, dimension) == expected


# --- R-SF-1: headline outcomes ------------------------------------------------------------------


def test_ten_headline_outcomes() -> None:
    """R-SF-1: the ten Supporting Families headlines."""
    assert len(rules.HEADLINE_OUTCOMES) == 10
    assert rules.HEADLINE_OUTCOMES[rules.HeadlineOutcome.HOUSING] == "Secure housing"


@pytest.mark.parametrize(
    ("need", "outcome", "ok"),
    [
        ("Rent arrears", "housing", True),
        ("Rent arrears", "", False),
        ("Rent arrears", "not_a_headline", False),
        ("", "", True),
        ("", "housing", False),
        ("   ", "", True),
    ],
)
def test_each_need_has_one_headline(need: str, outcome: str, ok: bool) -> None:
    """R-SF-1: each need is tagged with exactly one headline outcome."""
    assert (rules.need_problem(need, outcome) is None) is ok


# --- R-WT-4, R-WT-9: required domains and voice --------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (unborn(), (Domain.CHILD_DEVELOPMENT,)),
        (baby(D(2026, 10, 1)), (Domain.CHILD_DEVELOPMENT,)),
        (mother(17), (Domain.CHILD_DEVELOPMENT, Domain.PARENTING_CAPACITY)),
        (mother(18), (Domain.PARENTING_CAPACITY,)),
        (father(19), (Domain.PARENTING_CAPACITY,)),
        (father(24, SubjectRole.PARTNER), (Domain.PARENTING_CAPACITY,)),
    ],
)
def test_required_domains(subject: Subject, expected: tuple[Domain, ...]) -> None:
    """R-WT-4 (all members), R-WT-9 (a parent under 18 is also a child), R-LON-6 (partners)."""
    assert rules.required_domains(subject, TODAY) == expected


@pytest.mark.parametrize(
    ("subject", "needed"),
    [
        (mother(17), True),
        (father(30, SubjectRole.PARTNER), True),
        (unborn(), False),
        (baby(D(2026, 1, 1)), False),
        (
            Subject(person_id=9, name="Mia", role=SubjectRole.CHILD, date_of_birth=D(2020, 1, 1)),
            True,
        ),
        (
            Subject(person_id=9, name="Leo", role=SubjectRole.CHILD, date_of_birth=D(2022, 1, 1)),
            False,
        ),
    ],
)
def test_voice_of_parents_and_children_old_enough(subject: Subject, needed: bool) -> None:
    """R-EHA-1: the voice of each parent and of the child where old enough (5, a local setting)."""
    assert rules.voice_needed(subject, TODAY) is needed


# --- R-TIME-2: the 45-working-day clock -----------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "due"),
    [
        # 45 working days over Christmas and New Year: 25, 26 December and 1 January are out.
        (D(2026, 12, 1), D(2027, 2, 5)),
        # Over Easter 2027 (Good Friday 26 March, Easter Monday 29 March) and May Day (3 May).
        (D(2027, 3, 15), D(2027, 5, 20)),
        # Across 29 February 2028.
        (D(2028, 2, 1), D(2028, 4, 4)),
    ],
)
def test_statutory_clock_counts_working_days(started: datetime.date, due: datetime.date) -> None:
    """R-TIME-2: at most 45 working days from the referral, England and Wales bank holidays out."""
    assert rules.statutory_assessment_due_on(started, holidays=bank_holidays()) == due


@pytest.mark.parametrize(
    ("due", "today", "finished", "overdue"),
    [
        (None, D(2027, 5, 1), None, False),
        (D(2027, 2, 5), D(2027, 2, 5), None, False),
        (D(2027, 2, 5), D(2027, 2, 6), None, True),
        (D(2027, 2, 5), D(2027, 3, 1), D(2027, 2, 4), False),
        (D(2027, 2, 5), D(2027, 3, 1), D(2027, 2, 8), True),
    ],
)
def test_overdue_is_derived(
    due: datetime.date | None, today: datetime.date, finished: datetime.date | None, overdue: bool
) -> None:
    """R-TIME-2: overdue is worked out from the stored due date, never stored."""
    assert rules.is_overdue(due, today=today, finished_on=finished) is overdue


@pytest.mark.parametrize(
    ("due", "on", "reason", "ok"),
    [
        (None, D(2027, 5, 1), "", True),
        (D(2027, 2, 5), D(2027, 2, 5), "", True),
        (D(2027, 2, 5), D(2027, 2, 8), "", False),
        (D(2027, 2, 5), D(2027, 2, 8), "  ", False),
        (D(2027, 2, 5), D(2027, 2, 8), "Waiting for the father's interview", True),
    ],
)
def test_going_past_45_days_needs_a_reason(
    due: datetime.date | None, on: datetime.date, reason: str, ok: bool
) -> None:
    """R-TIME-2: going past 45 working days requires a recorded reason."""
    assert (rules.overdue_reason_problem(due, on=on, reason=reason) is None) is ok


# --- Pregnancy arithmetic and FNP (R-FNP-1, R-FNP-2) ----------------------------------------------


@pytest.mark.parametrize(
    ("expected", "today", "weeks"),
    [
        (D(2027, 3, 1), D(2026, 5, 25), 0),
        (D(2027, 3, 1), D(2026, 11, 26), 26),
        (D(2027, 3, 1), D(2027, 3, 1), 40),
        # Leap year: 29 February 2028 inside the pregnancy.
        (D(2028, 6, 1), D(2028, 3, 1), 26),
    ],
)
def test_gestation_from_the_due_date(
    expected: datetime.date, today: datetime.date, weeks: int
) -> None:
    """R-FNP-1, R-LON-5: the last period is the due date minus 280 days."""
    assert rules.gestation_weeks(expected, today) == weeks


@pytest.mark.parametrize(
    ("mother_born", "expected", "first", "catchment", "today", "eligible"),
    [
        # 17 at the last period, first baby, 10 weeks: eligible.
        (D(2009, 5, 14), D(2027, 6, 1), True, True, D(2026, 11, 10), True),
        # 19 at the last period (20 by the birth): still eligible.
        (D(2006, 10, 1), D(2027, 6, 1), True, True, D(2026, 11, 10), True),
        # 20 at the last period: not eligible.
        (D(2005, 8, 1), D(2027, 6, 1), True, True, D(2026, 11, 10), False),
        # Second baby.
        (D(2009, 5, 14), D(2027, 6, 1), False, True, D(2026, 11, 10), False),
        # Outside the catchment.
        (D(2009, 5, 14), D(2027, 6, 1), True, False, D(2026, 11, 10), False),
        # 28 weeks exactly: still in time; 29 weeks: too late.
        (D(2009, 5, 14), D(2027, 3, 1), True, True, D(2026, 12, 7), True),
        (D(2009, 5, 14), D(2027, 3, 1), True, True, D(2026, 12, 14), False),
        # Mother's birthday falls on the last period: 20 that day.
        (D(2006, 8, 25), D(2027, 6, 1), True, True, D(2026, 11, 10), False),
        # Age unknown.
        (None, D(2027, 6, 1), True, True, D(2026, 11, 10), False),
    ],
)
def test_family_nurse_partnership_eligibility(
    mother_born: datetime.date | None,
    expected: datetime.date,
    first: bool,
    catchment: bool,
    today: datetime.date,
    eligible: bool,
) -> None:
    """R-FNP-1: first baby, 19 or under at the last period, by 28 weeks, in catchment."""
    assert (
        rules.family_nurse_partnership_eligible(
            mother_date_of_birth=mother_born,
            expected_date_of_delivery=expected,
            first_baby=first,
            in_catchment=catchment,
            today=today,
        )
        is eligible
    )


@pytest.mark.parametrize(
    ("today", "involved", "expected_rules"),
    [
        (D(2026, 9, 1), False, {"R-FNP-1"}),  # 13 weeks: eligible, refer by 24 weeks
        (D(2026, 11, 20), False, {"R-FNP-2"}),  # 25 weeks, no FNP: alert
        (D(2026, 11, 20), True, set()),  # 25 weeks, FNP involved
        (D(2026, 12, 21), False, set()),  # 30 weeks: past recruitment
    ],
)
def test_family_nurse_partnership_prompts(
    today: datetime.date, involved: bool, expected_rules: set[str]
) -> None:
    """R-FNP-1 eligibility prompt, R-FNP-2 no FNP referral by 24 weeks."""
    situation = Situation(
        subjects=(mother(17), unborn(D(2027, 3, 1))),
        today=today,
        family_nurse_partnership_involved=involved,
    )
    assert rule_ids(rules.family_nurse_partnership_prompts(situation)) == expected_rules


# --- R-WT-9, R-LON-3: young parents -------------------------------------------------------------


@pytest.mark.parametrize(
    ("subjects", "titles"),
    [
        ((mother(17),), ["Chloe Ashworth is 17: also a child in their own right"]),
        ((mother(19),), ["Chloe Ashworth is a young parent (19)"]),
        ((mother(20),), []),
        ((mother(25), father(16)), ["Jordan Pike is 16: also a child in their own right"]),
    ],
)
def test_young_parent_prompts(subjects: tuple[Subject, ...], titles: list[str]) -> None:
    """R-WT-9: a parent under 20 is prompted; under 18, also as a child."""
    situation = Situation(subjects=subjects, today=TODAY)
    assert [p.title for p in rules.young_parent_prompts(situation)] == titles


@pytest.mark.parametrize(
    ("subjects", "prompted"),
    [
        ((mother(19), unborn()), True),
        ((mother(17), unborn()), True),
        ((mother(20), unborn()), False),
        ((mother(17),), False),  # not pregnant
    ],
)
def test_mother_nineteen_or_under_in_pregnancy(
    subjects: tuple[Subject, ...], prompted: bool
) -> None:
    """R-LON-3: a pregnancy with a mother aged 19 or under prompts an early help assessment."""
    situation = Situation(subjects=subjects, today=TODAY)
    assert ("R-LON-3" in rule_ids(rules.young_mother_prompts(situation))) is prompted


# --- R-CL-1, R-CL-4: care-experienced parents ----------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected_rules", "action_titles"),
    [
        (mother(20), set(), []),
        (
            mother(20, care_experienced=True),
            {"R-CL-1", "R-CL-4"},
            [
                "Chloe Ashworth is care-experienced: record the responsible local authority and "
                "the personal adviser"
            ],
        ),
        (
            mother(
                20,
                care_experienced=True,
                responsible_local_authority="Wyvern",
                personal_adviser="Pat Adviser",
            ),
            {"R-CL-4"},
            [],
        ),
    ],
)
def test_care_experienced_parent(
    subject: Subject, expected_rules: set[str], action_titles: list[str]
) -> None:
    """R-CL-1 (authority and personal adviser recorded), R-CL-4 (needs and a support plan)."""
    prompts = rules.care_experienced_prompts(Situation(subjects=(subject,), today=TODAY))
    assert rule_ids(prompts) == expected_rules
    assert [p.title for p in prompts if p.kind == "action"] == action_titles
    for prompt in prompts:
        if prompt.rule == "R-CL-4":
            assert "not on its own a reason to refer" in prompt.text


# --- R-EHA-5: safer sleep ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subjects", "recorded", "prompted"),
    [
        ((mother(17), unborn()), False, True),
        ((mother(17), unborn()), True, False),
        ((mother(17), baby(D(2026, 1, 1))), False, True),  # 10 months old
        ((mother(17), baby(D(2025, 11, 26))), False, False),  # 12 months old today
        ((mother(17),), False, False),
    ],
)
def test_safer_sleep_needed_with_pregnancy_or_infant(
    subjects: tuple[Subject, ...], recorded: bool, prompted: bool
) -> None:
    """R-EHA-5: a pregnancy or an infant under 12 months: sleeping arrangements and advice."""
    situation = Situation(subjects=subjects, today=TODAY, safer_sleep_recorded=recorded)
    assert bool(rules.safer_sleep_prompts(situation)) is prompted


# --- R-LON-4, R-LON-5: pre-birth assessment -----------------------------------------------------


@pytest.mark.parametrize(
    ("subjects", "categories", "reasons"),
    [
        ((mother(17), unborn()), frozenset(), ["Chloe Ashworth is under 18"]),
        ((mother(20), unborn()), frozenset(), []),
        (
            (mother(20, care_experienced=True), unborn()),
            frozenset(),
            ["Chloe Ashworth is care-experienced"],
        ),
        ((mother(20), unborn()), frozenset({"domestic_abuse"}), ["domestic abuse is recorded"]),
        ((mother(20), unborn()), frozenset({"sexual_health"}), []),
    ],
)
def test_pre_birth_assessment_reasons(
    subjects: tuple[Subject, ...], categories: frozenset[str], reasons: list[str]
) -> None:
    """R-LON-4: reasons to consider (not automatically make) a pre-birth assessment."""
    situation = Situation(subjects=subjects, today=TODAY, categories=categories)
    assert rules.pre_birth_reasons(situation) == reasons


@pytest.mark.parametrize(
    ("today", "fragment"),
    [
        (D(2026, 7, 1), "refer between 12 and 16 weeks (17 August to 14 September 2026)"),
        (D(2026, 11, 26), "at 26 weeks: past the usual 12 to 16 weeks"),
    ],
)
def test_pre_birth_timing(today: datetime.date, fragment: str) -> None:
    """R-LON-5: referral at 12 to 16 weeks, a conference by 34 weeks (here 18 January 2027)."""
    situation = Situation(subjects=(mother(16), unborn(D(2027, 3, 1))), today=today)
    timing = [p for p in rules.pre_birth_prompts(situation) if p.rule == "R-LON-5"]
    assert len(timing) == 1
    assert fragment in timing[0].text
    assert "by 34 weeks (18 January 2027)" in timing[0].text


# --- R-LON-6: both prospective parents ---------------------------------------------------------


@pytest.mark.parametrize(
    ("subjects", "recorded", "titles"),
    [
        (
            (mother(17), unborn()),
            frozenset(),
            [
                "The baby's father is not recorded",
                "Assess Chloe Ashworth",
            ],
        ),
        (
            (mother(17), father(24, SubjectRole.PARTNER), unborn()),
            frozenset({(1, Domain.PARENTING_CAPACITY)}),
            [
                "The baby's father is not recorded",
                "Assess Jordan Pike, a partner who is not the father",
            ],
        ),
        (
            (mother(17), father(19), unborn()),
            frozenset({(1, Domain.PARENTING_CAPACITY), (2, Domain.PARENTING_CAPACITY)}),
            [],
        ),
        ((mother(17), father(19)), frozenset(), []),  # no pregnancy: not this rule
    ],
)
def test_both_prospective_parents_assessed(
    subjects: tuple[Subject, ...], recorded: frozenset[tuple[int, str]], titles: list[str]
) -> None:
    """R-LON-6: both prospective parents, including a partner who is not the father."""
    situation = Situation(subjects=subjects, today=TODAY, recorded=recorded)
    assert [p.title for p in rules.prospective_parents_prompts(situation)] == titles


# --- Sign-off -------------------------------------------------------------------------------------

WHOLE = frozenset(
    {
        (1, Domain.CHILD_DEVELOPMENT),
        (1, Domain.PARENTING_CAPACITY),
        (2, Domain.PARENTING_CAPACITY),
        (3, Domain.CHILD_DEVELOPMENT),
        (3, Domain.FAMILY_ENVIRONMENT),
    }
)


def _voiced(subject: Subject) -> Subject:
    return Subject(**{**subject.__dict__, "voice": "In my own words"})


@pytest.mark.parametrize(
    ("recorded", "safer_sleep", "voices", "missing"),
    [
        (WHOLE, True, True, []),
        (
            WHOLE - {(1, Domain.CHILD_DEVELOPMENT)},
            True,
            True,
            ["Chloe Ashworth: child's developmental needs"],
        ),
        (
            WHOLE - {(3, Domain.FAMILY_ENVIRONMENT)},
            True,
            True,
            ["The family: family and environmental factors"],
        ),
        (
            WHOLE,
            False,
            True,
            ["The family: sleeping arrangements and the safer-sleep advice given"],
        ),
        (
            WHOLE,
            True,
            False,
            [
                "Chloe Ashworth: their voice, in their own words",
                "Jordan Pike: their voice, in their own words",
            ],
        ),
    ],
)
def test_missing_for_sign_off(
    recorded: frozenset[tuple[int, str]], safer_sleep: bool, voices: bool, missing: list[str]
) -> None:
    """R-WT-4, R-WT-9, R-EHA-1, R-EHA-5: every missing piece is listed."""
    people: tuple[Subject, ...] = (mother(17), father(19), unborn())
    if voices:
        people = tuple(_voiced(s) if s.is_parent() else s for s in people)
    situation = Situation(
        subjects=people, today=TODAY, recorded=recorded, safer_sleep_recorded=safer_sleep
    )
    assert rules.missing_for_sign_off(situation) == missing


def test_unborn_baby_born_mid_assessment_still_needs_safer_sleep() -> None:
    """R-EHA-5 and R-WT-4: the same subject, now a baby under 12 months: still a child whose
    development is assessed, and safer sleep is still needed; the pregnancy prompts stop."""
    before = Situation(subjects=(mother(17), unborn(D(2026, 12, 1))), today=TODAY)
    after = Situation(subjects=(mother(17), baby(D(2026, 11, 20))), today=TODAY)
    for situation in (before, after):
        assert rules.safer_sleep_needed(situation)
        assert rules.required_domains(situation.subjects[1], TODAY) == (Domain.CHILD_DEVELOPMENT,)
    assert rule_ids(rules.assessment_prompts(before)) >= {"R-LON-3", "R-LON-4", "R-LON-6"}
    assert not rule_ids(rules.assessment_prompts(after)) & {"R-LON-3", "R-LON-4", "R-LON-6"}


def test_actions_come_before_questions() -> None:
    prompts = rules.assessment_prompts(Situation(subjects=(mother(17), unborn()), today=TODAY))
    kinds = [p.kind for p in prompts]
    assert kinds == sorted(kinds, key=lambda k: k != "action")
    assert "action" in kinds and "consider" in kinds
