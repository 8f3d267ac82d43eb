"""Housing rules, table-driven, no database (R-HOU-1 to R-HOU-9, R-CL-3, R-CL-5)."""

from __future__ import annotations

import datetime
import json

import pytest

from earlyhelp.housing import rules
from earlyhelp.housing.policy import (
    EXAMPLE_PATH,
    SCHEMA_PATH,
    PriorityPolicyDocument,
    document_json_schema,
    document_read,
)
from earlyhelp.housing.rules import Member

D = datetime.date
POLICY = PriorityPolicyDocument.model_validate_json(EXAMPLE_PATH.read_text("utf-8"))


def test_schema_file_agrees_with_the_policy_model() -> None:
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == document_json_schema()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"parent_under_age": 40}, "parent_under_age"),
        ({"unknown_key": 1}, "unknown_key"),
        ({"vulnerabilities": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]}, "unique"),
        ({"home_authorities": []}, "home_authorities"),
    ],
)
def test_a_bad_policy_file_is_refused_with_its_reason(
    change: dict[str, object], problem: str
) -> None:
    raw = json.loads(EXAMPLE_PATH.read_text("utf-8"))
    raw.update(change)
    document, _, problems = document_read(json.dumps(raw))
    assert document is None
    assert any(problem in p for p in problems), problems


def _household(
    parent_dob: D | None, *children: D | None, unborn_due: D | None = None
) -> list[Member]:
    members = [Member("Zara", True, parent_dob)]
    members += [Member(f"Child {i}", False, dob) for i, dob in enumerate(children, 1)]
    if unborn_due:
        members.append(Member("Unborn baby", False, None, is_unborn=True, expected_on=unborn_due))
    return members


@pytest.mark.parametrize(
    ("case", "members", "pregnant", "vulnerabilities", "on", "priority"),
    [
        # R-HOU-1: a parent under 20 with a child under 2, vulnerable
        (
            "19 with a 3-month-old",
            _household(D(2007, 6, 1), D(2026, 8, 20)),
            False,
            ["care_leaver"],
            D(2026, 11, 26),
            True,
        ),
        # a parent turning 20: the day before the birthday, then on it
        (
            "the day before turning 20",
            _household(D(2006, 11, 27), D(2026, 8, 20)),
            False,
            ["care_leaver"],
            D(2026, 11, 26),
            True,
        ),
        (
            "on the 20th birthday",
            _household(D(2006, 11, 26), D(2026, 8, 20)),
            False,
            ["care_leaver"],
            D(2026, 11, 26),
            False,
        ),
        # the child's second birthday ends it
        (
            "child the day before 2",
            _household(D(2008, 1, 1), D(2024, 11, 27)),
            False,
            ["other"],
            D(2026, 11, 26),
            True,
        ),
        (
            "child on the 2nd birthday",
            _household(D(2008, 1, 1), D(2024, 11, 26)),
            False,
            ["other"],
            D(2026, 11, 26),
            False,
        ),
        # an unborn baby, or a recorded pregnancy, counts
        (
            "unborn baby",
            _household(D(2009, 5, 14), unborn_due=D(2027, 3, 1)),
            False,
            ["mental_health"],
            D(2026, 11, 26),
            True,
        ),
        ("pregnant", _household(D(2009, 5, 14)), True, ["mental_health"], D(2026, 11, 26), True),
        # a baby born during the case: unborn before the birth, a baby after
        (
            "baby born after the date: unborn then",
            _household(D(2008, 1, 1), D(2026, 12, 10)),
            False,
            ["other"],
            D(2026, 11, 26),
            True,
        ),
        (
            "the same before the birth, pregnancy not counting",
            _household(D(2008, 1, 1), D(2026, 12, 10)),
            False,
            ["other"],
            D(2026, 11, 26),
            "no pregnancy",
        ),
        (
            "the same baby after the birth",
            _household(D(2008, 1, 1), D(2026, 12, 10)),
            False,
            ["other"],
            D(2026, 12, 10),
            True,
        ),
        # vulnerability required; an unknown code does not count
        (
            "not vulnerable",
            _household(D(2007, 6, 1), D(2026, 8, 20)),
            False,
            [],
            D(2026, 11, 26),
            False,
        ),
        (
            "unknown vulnerability",
            _household(D(2007, 6, 1), D(2026, 8, 20)),
            False,
            ["made_up"],
            D(2026, 11, 26),
            False,
        ),
        (
            "no parent date of birth",
            _household(None, D(2026, 8, 20)),
            False,
            ["other"],
            D(2026, 11, 26),
            False,
        ),
    ],
)
def test_young_parent_priority(
    case: str,
    members: list[Member],
    pregnant: bool,
    vulnerabilities: list[str],
    on: D,
    priority: bool | str,
) -> None:
    """R-HOU-1: the decision, the in-area requirement and an explanation naming the policy."""
    policy = POLICY
    if priority == "no pregnancy":
        policy, priority = POLICY.model_copy(update={"pregnancy_counts": False}), False
    decision = rules.young_parent_priority(
        members=members, pregnant=pregnant, vulnerabilities=vulnerabilities, policy=policy, on=on
    )
    assert decision.young_parent_priority is priority, (case, decision.explanation)
    assert decision.in_area_required is priority
    assert decision.policy_version == "2026.1"
    assert "version 2026.1" in decision.explanation
    assert decision.explanation.startswith("Young-parent" if priority else "No young-parent")


def test_explanation_never_names_a_need_to_know_vulnerability() -> None:
    decision = rules.young_parent_priority(
        members=_household(D(2007, 6, 1), D(2026, 8, 20)),
        pregnant=False,
        vulnerabilities=["mental_health", "domestic_abuse"],
        policy=POLICY,
        on=D(2026, 11, 26),
    )
    assert "vulnerable (2 recorded)" in decision.explanation
    assert "mental" not in decision.explanation.casefold()
    assert "abuse" not in decision.explanation.casefold()


def test_a_policy_without_the_in_area_requirement_gives_priority_only() -> None:
    policy = POLICY.model_copy(update={"in_area_required": False})
    decision = rules.young_parent_priority(
        members=_household(D(2007, 6, 1), D(2026, 8, 20)),
        pregnant=False,
        vulnerabilities=["other"],
        policy=policy,
        on=D(2026, 11, 26),
    )
    assert decision.young_parent_priority and not decision.in_area_required


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (D(2026, 8, 20), D(2026, 11, 19), "2 months"),
        (D(2026, 8, 20), D(2026, 11, 20), "3 months"),
        (D(2026, 10, 26), D(2026, 11, 26), "1 month"),
        (D(2009, 5, 14), D(2026, 5, 13), "16"),
        (D(2009, 5, 14), D(2026, 5, 14), "17"),
        (None, D(2026, 11, 26), "unborn, due 01 March 2027"),
    ],
)
def test_household_ages_on_the_boundary_days(dob: D | None, on: D, expected: str) -> None:
    member = Member("X", False, dob, is_unborn=dob is None, expected_on=D(2027, 3, 1))
    [age] = rules.household_ages([member], on)
    assert age.label == expected


@pytest.mark.parametrize(
    ("kw", "flags"),
    [
        ({"parent_age": 19, "pregnant": True}, {"pregnant"}),
        ({"parent_age": 17}, {"aged_16_17"}),
        ({"parent_age": 16, "relevant_child_or_owed_s20": True}, set()),
        ({"parent_age": 18, "care_leaver": True}, {"care_leaver_18_20"}),
        ({"parent_age": 20, "care_leaver": True}, {"care_leaver_18_20"}),
        ({"parent_age": 21, "care_leaver": True}, set()),
        (
            {"parent_age": 25, "dependent_children": True, "vulnerable": True},
            {"dependent_children", "vulnerable"},
        ),
    ],
)
def test_priority_need_flags(kw: dict[str, object], flags: set[str]) -> None:
    """R-HOU-5."""
    args: dict[str, object] = {
        "parent_age": None,
        "pregnant": False,
        "dependent_children": False,
        "care_leaver": False,
        "vulnerable": False,
    }
    args.update(kw)
    assert set(rules.priority_needs(**args)) == flags  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("authority", "inside"),
    [
        ("Wyvern", True),
        ("  wyvern ", True),
        ("WYVERN", True),
        ("Wyvern Vale", True),
        ("Wyvern Valley", False),  # a neighbour whose name contains ours
        ("North Wyvern", False),
        ("Borsetshire", False),
        ("", False),
    ],
)
def test_in_area_boundary(authority: str, inside: bool) -> None:
    """R-HOU-1: in the area is the partnership's own authority, by its whole name."""
    assert rules.in_area(authority, POLICY.home_authorities) is inside


@pytest.mark.parametrize(
    ("required", "inside", "needs"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_out_of_area_needs_suitability_and_approval(
    required: bool, inside: bool, needs: bool
) -> None:
    """R-HOU-2."""
    assert (
        rules.needs_suitability_and_approval(in_area_required=required, placement_in_area=inside)
        is needs
    )


@pytest.mark.parametrize(
    ("start", "today", "days_left", "escalate", "over"),
    [
        (D(2026, 10, 1), D(2026, 10, 1), 42, False, False),
        (D(2026, 10, 1), D(2026, 11, 4), 8, False, False),
        (D(2026, 10, 1), D(2026, 11, 5), 7, True, False),
        (D(2026, 10, 1), D(2026, 11, 12), 0, True, False),
        (D(2026, 10, 1), D(2026, 11, 13), -1, True, True),
    ],
)
def test_bed_and_breakfast_six_week_countdown(
    start: D, today: D, days_left: int, escalate: bool, over: bool
) -> None:
    """R-HOU-4: six weeks at most, escalated in the last week."""
    countdown = rules.bed_and_breakfast_countdown(start, today)
    assert countdown.limit_on == D(2026, 11, 12)
    assert (countdown.days_left, countdown.escalate, countdown.over_limit) == (
        days_left,
        escalate,
        over,
    )


@pytest.mark.parametrize(
    ("age", "homeless", "first"),
    [(15, True, False), (16, True, True), (17, True, True), (18, True, False), (17, False, False)],
)
def test_homeless_16_17_year_old_goes_to_children_act_assessment_first(
    age: int, homeless: bool, first: bool
) -> None:
    """R-HOU-6."""
    assert rules.children_act_assessment_first(age=age, homeless=homeless) is first


@pytest.mark.parametrize(
    ("dob", "review"),
    [(D(2009, 5, 14), D(2027, 5, 14)), (D(2008, 2, 29), D(2026, 2, 28))],
)
def test_under_18_tenant_review_at_18(dob: D, review: D) -> None:
    """R-HOU-7: the tenancy on trust is reviewed on the 18th birthday."""
    assert rules.tenancy_review_on(dob) == review
    assert rules.under_18_tenant(17) and not rules.under_18_tenant(18)


def test_notice_due_fourteen_days_after_the_placement() -> None:
    """R-HOU-3."""
    assert rules.notice_due_on(D(2026, 11, 26)) == D(2026, 12, 10)


GOOD_PLACEMENT: dict[str, object] = {
    "line_1": "4 Canal Row",
    "town": "Barton",
    "local_authority": "Borsetshire",
    "placement_type": "temporary",
    "start_on": D(2026, 12, 1),
    "end_on": None,
    "applicant_age": 19,
    "pregnant": False,
    "has_children": True,
    "no_alternative_reason": "",
    "tenant_age": 19,
    "trustee": "",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, None),
        ({"line_1": " "}, "line_1"),
        ({"town": ""}, "town"),
        ({"local_authority": ""}, "local_authority"),
        ({"placement_type": "tent"}, "placement_type"),
        ({"start_on": None}, "start_on"),
        ({"end_on": D(2026, 11, 30)}, "end_on"),
        ({"end_on": D(2026, 12, 1)}, None),
        # R-HOU-4 / R-HOU-6: never bed and breakfast for a 17-year-old, even with a reason
        (
            {
                "placement_type": "bed_and_breakfast",
                "applicant_age": 17,
                "no_alternative_reason": "Nothing else at all tonight in any district",
            },
            "placement_type",
        ),
        ({"placement_type": "bed_and_breakfast", "applicant_age": 16}, "placement_type"),
        ({"placement_type": "bed_and_breakfast"}, "no_alternative_reason"),
        (
            {
                "placement_type": "bed_and_breakfast",
                "no_alternative_reason": "Emergency tonight, refuge full, temporary block full",
            },
            None,
        ),
        ({"placement_type": "bed_and_breakfast", "has_children": False}, None),
        # R-HOU-7: an under-18 tenant needs a trustee or co-tenant
        ({"placement_type": "social_tenancy", "tenant_age": 17}, "trustee"),
        ({"placement_type": "social_tenancy", "tenant_age": 17, "trustee": "Jo Ashworth"}, None),
        ({"placement_type": "temporary", "tenant_age": 17}, None),
    ],
)
def test_placement_problems(change: dict[str, object], field: str | None) -> None:
    errors = rules.placement_problems(**{**GOOD_PLACEMENT, **change})  # type: ignore[arg-type]
    assert list(errors) == ([field] if field else [])


FACTORS = {code: "Considered for this household" for code in rules.LOCATION_FACTORS}


@pytest.mark.parametrize(
    ("factors", "why", "fields"),
    [
        (FACTORS, "The two in-area flats offered were up four flights with no lift", set()),
        (FACTORS, "General shortage", {"why_nothing_nearer"}),
        (FACTORS, "shortage.", {"why_nothing_nearer"}),
        (
            {**FACTORS, "distance_from_district": ""},
            "Both in-area units were unsafe for a baby",
            {"distance_from_district"},
        ),
        ({}, "", set(rules.LOCATION_FACTORS) | {"why_nothing_nearer"}),
    ],
)
def test_suitability_against_the_2012_order(
    factors: dict[str, str], why: str, fields: set[str]
) -> None:
    """R-HOU-2: every location factor, and why nothing nearer (not a general shortage)."""
    assert set(rules.suitability_problems(factors=factors, why_nothing_nearer=why)) == fields


@pytest.mark.parametrize(
    ("needs", "suitability", "approved", "stopped"),
    [
        (False, False, False, False),
        (True, False, False, True),
        (True, True, False, True),
        (True, False, True, True),
        (True, True, True, False),
    ],
)
def test_out_of_area_priority_is_stopped_until_suitability_and_approval(
    needs: bool, suitability: bool, approved: bool, stopped: bool
) -> None:
    """R-HOU-2."""
    errors = rules.confirmation_problems(
        needs_approval=needs, has_suitability=suitability, approved=approved
    )
    assert bool(errors) is stopped


@pytest.mark.parametrize(
    ("kw", "fields"),
    [
        ({}, set()),
        ({"consent": False}, {"consent"}),
        ({"chosen_authority": ""}, {"chosen_authority"}),
        ({"homeless_now": False, "homeless_on": D(2027, 1, 20)}, set()),  # 55 days
        ({"homeless_now": False, "homeless_on": D(2027, 1, 21)}, set()),  # 56 days
        ({"homeless_now": False, "homeless_on": D(2027, 1, 22)}, {"homeless_on"}),
        ({"homeless_now": False, "homeless_on": None}, {"homeless_on"}),
        ({"referred_on": D(2026, 11, 27)}, {"referred_on"}),
    ],
)
def test_duty_to_refer(kw: dict[str, object], fields: set[str]) -> None:
    """R-HOU-9: consent and the chosen authority; homeless within 56 days."""
    args: dict[str, object] = {
        "consent": True,
        "chosen_authority": "Wyvern",
        "homeless_now": True,
        "homeless_on": None,
        "referred_on": D(2026, 11, 26),
        "today": D(2026, 11, 26),
    }
    args.update(kw)
    assert set(rules.duty_to_refer_problems(**args)) == fields  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("care_leaver", "offer", "principles", "fields"),
    [
        (False, "", "", set()),
        (True, "", "", {"local_offer", "corporate_parenting"}),
        (True, "Wyvern local offer: setting-up-home grant", "", {"corporate_parenting"}),
        (True, "Offer", "Acted as a good parent would: kept her near her PA", set()),
    ],
)
def test_care_leaver_local_offer_and_corporate_parenting(
    care_leaver: bool, offer: str, principles: str, fields: set[str]
) -> None:
    """R-CL-3, R-CL-5."""
    errors = rules.care_leaver_problems(
        care_leaver=care_leaver, local_offer=offer, corporate_parenting=principles
    )
    assert set(errors) == fields


@pytest.mark.parametrize(
    ("child", "tenancy", "space", "fields"),
    [
        ("high", "low", "Cot in the bedroom", set()),
        ("", "low", "Cot", {"child_risk"}),
        ("high", "", "Cot", {"tenancy_risk"}),
        ("low", "low", " ", {"sleeping_space"}),
    ],
)
def test_risk_to_the_child_is_separate_from_tenancy_risk(
    child: str, tenancy: str, space: str, fields: set[str]
) -> None:
    """R-HOU-8."""
    errors = rules.risk_problems(child_risk=child, tenancy_risk=tenancy, sleeping_space=space)
    assert set(errors) == fields
