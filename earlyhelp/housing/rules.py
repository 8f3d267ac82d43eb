"""Housing as a safeguarding partner: pure rules, no database, "today" passed in.

Each rule cites the product rules (docs/rules/housing.md): R-HOU-1 to R-HOU-9, R-CL-3, R-CL-5.
The partnership's young-parent priority is data (``housing.policy``); the statutory limits
(6 weeks of bed and breakfast, 14 days for the notice, 56 days for a duty to refer) are law
and are constants here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from earlyhelp.housing.policy import PriorityPolicyDocument
from earlyhelp.people.rules import add_months, age_on

Errors = dict[str, list[str]]

ADULT_AGE = 18
MIN_APPLICANT_AGE = 16  # a housing application or referral is for someone 16 or over
BED_AND_BREAKFAST_MAX_DAYS = 6 * 7  # R-HOU-4: six weeks at most
BED_AND_BREAKFAST_WARNING_DAYS = 7  # escalate in the last week
NOTICE_DAYS = 14  # R-HOU-3: the s208 notice in writing within 14 days of the placement
DUTY_TO_REFER_DAYS = 56  # R-HOU-9: threatened with homelessness within 56 days
MIN_REASON_LENGTH = 20
GENERAL_SHORTAGE_WORDS = frozenset(
    {"shortage", "general shortage", "no properties", "nothing available", "none available"}
)


class PlacementType(StrEnum):
    SOCIAL_TENANCY = "social_tenancy"
    PRIVATE_TENANCY = "private_tenancy"
    TEMPORARY = "temporary"
    SUPPORTED = "supported"
    HOSTEL = "hostel"
    BED_AND_BREAKFAST = "bed_and_breakfast"


PLACEMENT_TYPE_LABELS: dict[str, str] = {
    PlacementType.SOCIAL_TENANCY: "Social housing tenancy",
    PlacementType.PRIVATE_TENANCY: "Private rented tenancy",
    PlacementType.TEMPORARY: "Self-contained temporary accommodation",
    PlacementType.SUPPORTED: "Supported accommodation for young parents",
    PlacementType.HOSTEL: "Hostel or refuge",
    PlacementType.BED_AND_BREAKFAST: "Bed and breakfast (shared facilities)",
}
TENANCY_TYPES = frozenset({PlacementType.SOCIAL_TENANCY, PlacementType.PRIVATE_TENANCY})


class PriorityNeed(StrEnum):
    """R-HOU-5: the priority-need flags."""

    PREGNANT = "pregnant"
    DEPENDENT_CHILDREN = "dependent_children"
    AGED_16_17 = "aged_16_17"
    CARE_LEAVER_18_20 = "care_leaver_18_20"
    VULNERABLE = "vulnerable"


PRIORITY_NEED_LABELS: dict[str, str] = {
    PriorityNeed.PREGNANT: "Pregnant",
    PriorityNeed.DEPENDENT_CHILDREN: "Dependent children",
    PriorityNeed.AGED_16_17: "Aged 16 or 17 (not a relevant child, not owed section 20)",
    PriorityNeed.CARE_LEAVER_18_20: "Care leaver aged 18 to 20",
    PriorityNeed.VULNERABLE: "Vulnerable",
}

# R-HOU-2: the 2012 Order (article 2) location factors a suitability assessment records.
LOCATION_FACTORS: dict[str, str] = {
    "distance_from_district": "Distance from the authority's district",
    "disruption_to_work_care_education": (
        "Disruption to employment, caring responsibilities or education"
    ),
    "access_to_medical_and_support": (
        "Access to medical facilities and the support used now and essential (midwife, "
        "health visitor, Family Nurse Partnership, GP, substance service)"
    ),
    "local_services_and_transport": "Local services, amenities and transport",
}

# R-HOU-8: the risk to the child, recorded apart from the risk to the tenancy.
RISK_LEVELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}


# --- Household ages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person in the household as the rules need them."""

    name: str
    is_parent: bool
    date_of_birth: datetime.date | None
    is_unborn: bool = False
    expected_on: datetime.date | None = None


@dataclass(frozen=True)
class MemberAge:
    member: Member
    age: int | None  # None: unborn (or not yet born on the date)
    months: int | None  # completed months, for babies

    @property
    def label(self) -> str:
        if self.age is None:
            due = self.member.expected_on
            return f"unborn, due {due:%d %B %Y}" if due else "unborn"
        if self.age == 0 and self.months is not None:
            return f"{self.months} month{'s' if self.months != 1 else ''}"
        return f"{self.age}"


def completed_months(date_of_birth: datetime.date, on: datetime.date) -> int:
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if add_months(date_of_birth, months) > on:
        months -= 1
    return max(months, 0)


def household_ages(members: Iterable[Member], on: datetime.date) -> list[MemberAge]:
    """Ages on the date. A baby born after the date was unborn then (a birth during the case
    changes the household from that day on); a birthday counts from its own day."""
    ages = []
    for m in members:
        if m.is_unborn or m.date_of_birth is None or m.date_of_birth > on:
            ages.append(MemberAge(m, None, None))
        else:
            ages.append(
                MemberAge(m, age_on(m.date_of_birth, on), completed_months(m.date_of_birth, on))
            )
    return ages


# --- Young-parent priority (R-HOU-1) and priority need (R-HOU-5) ------------------------------


@dataclass(frozen=True)
class PriorityDecision:
    young_parent_priority: bool
    in_area_required: bool
    explanation: str
    policy_version: str
    priority_needs: tuple[str, ...]


def _parent_age(ages: Sequence[MemberAge]) -> MemberAge | None:
    """The youngest parent born by the date (the applicant household's young parent)."""
    parents = [a for a in ages if a.member.is_parent and a.age is not None]
    return min(parents, key=lambda a: a.age or 0) if parents else None


def young_parent_priority(
    *,
    members: Sequence[Member],
    pregnant: bool,
    vulnerabilities: Sequence[str],
    policy: PriorityPolicyDocument,
    on: datetime.date,
    care_leaver: bool = False,
    relevant_child_or_owed_s20: bool = False,
) -> PriorityDecision:
    """R-HOU-1 (partnership policy, D): a parent under the policy's age (20) with a child
    under its age (2) or pregnant, who is vulnerable, has the young-parent priority and,
    if the policy says so, an in-area requirement. The explanation says why, in words a
    board member can check, and names the policy version. Also the R-HOU-5 flags."""
    ages = household_ages(members, on)
    parent = _parent_age(ages)
    young_children = [
        a
        for a in ages
        if not a.member.is_parent and a.age is not None and a.age < policy.child_under_age
    ]
    unborn = [a for a in ages if not a.member.is_parent and a.age is None]
    expecting = pregnant or bool(unborn)
    known = [c for c in vulnerabilities if policy.vulnerability(c) is not None]
    reasons: list[str] = []
    met = True
    if parent is None:
        met = False
        reasons.append("no parent's date of birth is recorded")
    elif parent.age is not None and parent.age < policy.parent_under_age:
        reasons.append(
            f"{parent.member.name} is {parent.age} on {on:%d %B %Y} "
            f"(under {policy.parent_under_age})"
        )
    else:
        met = False
        reasons.append(
            f"{parent.member.name} is {parent.age} on {on:%d %B %Y}, "
            f"not under {policy.parent_under_age}"
        )
    if young_children:
        names = ", ".join(f"{c.member.name} ({c.label})" for c in young_children)
        reasons.append(f"a child under {policy.child_under_age}: {names}")
    elif expecting and policy.pregnancy_counts:
        reasons.append("pregnant")
    else:
        met = False
        reasons.append(f"no child under {policy.child_under_age} and not pregnant")
    if policy.vulnerability_required:
        if known:
            # The count, not the names: a vulnerability may be need-to-know (R-IS-12).
            reasons.append(f"vulnerable ({len(known)} recorded)")
        else:
            met = False
            reasons.append("no vulnerability recorded")
    verdict = "Young-parent priority" if met else "No young-parent priority"
    in_area = met and policy.in_area_required
    explanation = (
        f"{verdict} under {policy.title} version {policy.version} (R-HOU-1): "
        + "; ".join(reasons)
        + (". Housed in the area unless a senior manager approves otherwise." if in_area else ".")
    )
    needs = priority_needs(
        parent_age=parent.age if parent else None,
        pregnant=expecting,
        dependent_children=any(
            a.age is not None and a.age < ADULT_AGE and not a.member.is_parent for a in ages
        ),
        care_leaver=care_leaver,
        vulnerable=bool(known),
        relevant_child_or_owed_s20=relevant_child_or_owed_s20,
    )
    return PriorityDecision(met, in_area, explanation, policy.version, needs)


def priority_needs(
    *,
    parent_age: int | None,
    pregnant: bool,
    dependent_children: bool,
    care_leaver: bool,
    vulnerable: bool,
    relevant_child_or_owed_s20: bool = False,
) -> tuple[str, ...]:
    """R-HOU-5: pregnant; dependent children; aged 16-17 (unless a relevant child or owed
    s20, when children's services house them); a care leaver aged 18-20; vulnerable."""
    flags: list[str] = []
    if pregnant:
        flags.append(PriorityNeed.PREGNANT)
    if dependent_children:
        flags.append(PriorityNeed.DEPENDENT_CHILDREN)
    if parent_age in (16, 17) and not relevant_child_or_owed_s20:
        flags.append(PriorityNeed.AGED_16_17)
    if care_leaver and parent_age is not None and 18 <= parent_age <= 20:
        flags.append(PriorityNeed.CARE_LEAVER_18_20)
    if vulnerable:
        flags.append(PriorityNeed.VULNERABLE)
    return tuple(flags)


# --- Where: in the area or not (R-HOU-1, R-HOU-2) -----------------------------------------


def authority_key(name: str) -> str:
    return " ".join(name.casefold().split())


def in_area(local_authority: str, home_authorities: Iterable[str]) -> bool:
    """R-HOU-1: in the area means one of the partnership's own housing authorities, by its
    whole name (case and spacing aside): a neighbour whose name contains ours is outside."""
    key = authority_key(local_authority)
    return bool(key) and key in {authority_key(a) for a in home_authorities}


def needs_suitability_and_approval(*, in_area_required: bool, placement_in_area: bool) -> bool:
    """R-HOU-2: an out-of-area placement of a household with the in-area requirement needs a
    recorded suitability assessment and a senior housing manager's approval."""
    return in_area_required and not placement_in_area


# --- Safeguards: bed and breakfast, 16-17-year-olds, under-18 tenants -------------------------


@dataclass(frozen=True)
class BedAndBreakfastCountdown:
    limit_on: datetime.date
    days_left: int
    escalate: bool  # in the last week or past the limit
    over_limit: bool


def bed_and_breakfast_applies(*, pregnant: bool, has_children: bool) -> bool:
    """R-HOU-4: the 6-week limit is for households that are pregnant or have children."""
    return pregnant or has_children


def bed_and_breakfast_countdown(
    start_on: datetime.date, today: datetime.date
) -> BedAndBreakfastCountdown:
    """R-HOU-4: no more than 6 weeks; the last day is 42 days after the start, escalated in
    the last week and past it."""
    limit_on = start_on + datetime.timedelta(days=BED_AND_BREAKFAST_MAX_DAYS)
    days_left = (limit_on - today).days
    return BedAndBreakfastCountdown(
        limit_on=limit_on,
        days_left=days_left,
        escalate=days_left <= BED_AND_BREAKFAST_WARNING_DAYS,
        over_limit=days_left < 0,
    )


def is_16_or_17(age: int | None) -> bool:
    return age in (16, 17)


def children_act_assessment_first(*, age: int | None, homeless: bool) -> bool:
    """R-HOU-6: a homeless 16- or 17-year-old is first referred for a Children Act s17/s20
    assessment (s20 takes precedence, R (G) v Southwark 2009)."""
    return homeless and is_16_or_17(age)


def under_18_tenant(age: int | None) -> bool:
    """R-HOU-7: a tenant under 18 is flagged (a minor cannot hold a legal estate)."""
    return age is not None and age < ADULT_AGE


def tenancy_review_on(date_of_birth: datetime.date) -> datetime.date:
    """R-HOU-7: the tenancy held on trust for a minor is reviewed on their 18th birthday."""
    return add_months(date_of_birth, ADULT_AGE * 12)


def notice_due_on(start_on: datetime.date) -> datetime.date:
    """R-HOU-3: the s208 notice is sent in writing within 14 days of the placement."""
    return start_on + datetime.timedelta(days=NOTICE_DAYS)


# --- Problems with what was entered ------------------------------------------------------


def placement_problems(
    *,
    line_1: str,
    town: str,
    local_authority: str,
    placement_type: str,
    start_on: datetime.date | None,
    end_on: datetime.date | None,
    applicant_age: int | None,
    pregnant: bool,
    has_children: bool,
    no_alternative_reason: str,
    tenant_age: int | None,
    trustee: str,
) -> Errors:
    """A placement needs an address and an authority, a type, a start before any end;
    never bed and breakfast for a 16/17-year-old (R-HOU-4, R-HOU-6), and for a pregnant
    household or one with children only with the reason there is no alternative (R-HOU-4);
    an under-18 tenant needs an adult trustee or co-tenant (R-HOU-7)."""
    errors: Errors = {}
    if not line_1.strip():
        errors["line_1"] = ["Enter the first line of the address"]
    if not town.strip():
        errors["town"] = ["Enter the town"]
    if not local_authority.strip():
        errors["local_authority"] = ["Enter the local authority the address is in"]
    if placement_type not in PLACEMENT_TYPE_LABELS:
        errors["placement_type"] = ["Select the type of accommodation"]
    if start_on is None:
        errors["start_on"] = ["Enter the date the placement starts"]
    elif end_on is not None and end_on < start_on:
        errors["end_on"] = ["The end date must be the same as or after the start date"]
    if placement_type == PlacementType.BED_AND_BREAKFAST:
        if is_16_or_17(applicant_age):
            errors["placement_type"] = [
                "Bed and breakfast is never used for a 16- or 17-year-old: choose other "
                "accommodation (R-HOU-4)"
            ]
        elif bed_and_breakfast_applies(pregnant=pregnant, has_children=has_children) and (
            len(no_alternative_reason.strip()) < MIN_REASON_LENGTH
        ):
            errors["no_alternative_reason"] = [
                "Say why there is no alternative to bed and breakfast for a pregnant woman "
                "or a household with children (R-HOU-4)"
            ]
    if placement_type in TENANCY_TYPES and under_18_tenant(tenant_age) and not trustee.strip():
        errors["trustee"] = [
            "The tenant is under 18: name the adult trustee or co-tenant (R-HOU-7)"
        ]
    return errors


def _general_shortage_only(text: str) -> bool:
    words = " ".join(text.casefold().replace(".", " ").split())
    return words in GENERAL_SHORTAGE_WORDS or len(words) < MIN_REASON_LENGTH


def suitability_problems(*, factors: dict[str, str], why_nothing_nearer: str) -> Errors:
    """R-HOU-2: every 2012 Order location factor is addressed, and why nothing nearer was
    available, in terms of this household: a general shortage is not enough."""
    errors: Errors = {}
    for code, label in LOCATION_FACTORS.items():
        if not factors.get(code, "").strip():
            errors[code] = [f"Record the location factor: {label.lower()}"]
    if _general_shortage_only(why_nothing_nearer):
        errors["why_nothing_nearer"] = [
            "Explain why nothing nearer was available for this household: a general shortage "
            "is not enough (R-HOU-2)"
        ]
    return errors


def confirmation_problems(*, needs_approval: bool, has_suitability: bool, approved: bool) -> Errors:
    """R-HOU-2: an out-of-area placement of a priority household goes ahead only with the
    suitability assessment and a senior housing manager's approval."""
    if not needs_approval:
        return {}
    if not has_suitability:
        return {
            "__all__": [
                "This household must be housed in the area: record the suitability "
                "assessment against the 2012 Order's location factors first (R-HOU-2)"
            ]
        }
    if not approved:
        return {"__all__": ["A senior housing manager must approve this out-of-area placement"]}
    return {}


def duty_to_refer_problems(
    *,
    consent: bool,
    chosen_authority: str,
    homeless_now: bool,
    homeless_on: datetime.date | None,
    referred_on: datetime.date | None,
    today: datetime.date,
) -> Errors:
    """R-HOU-9: a referral needs the person's consent and the housing authority they chose;
    it is for someone homeless or threatened with homelessness within 56 days."""
    errors: Errors = {}
    if not consent:
        errors["consent"] = [
            "A duty-to-refer referral needs the person's consent: record that they agreed"
        ]
    if not chosen_authority.strip():
        errors["chosen_authority"] = ["Enter the housing authority the person chose"]
    if referred_on is None:
        errors["referred_on"] = ["Enter the date of the referral"]
    elif referred_on > today:
        errors["referred_on"] = ["The referral date must be today or in the past"]
    if not homeless_now:
        if homeless_on is None:
            errors["homeless_on"] = ["Enter the date they are likely to become homeless"]
        elif referred_on is not None and (homeless_on - referred_on).days > DUTY_TO_REFER_DAYS:
            errors["homeless_on"] = [
                "The duty to refer is for someone homeless within 56 days of the referral"
            ]
    return errors


def care_leaver_problems(
    *, care_leaver: bool, local_offer: str, corporate_parenting: str
) -> Errors:
    """R-CL-3, R-CL-5: for a care leaver, record the local offer used and how the corporate
    parenting principles were applied to the housing decision."""
    if not care_leaver:
        return {}
    errors: Errors = {}
    if not local_offer.strip():
        errors["local_offer"] = [
            "Record the care leavers' local offer that applies (accommodation, support) (R-CL-3)"
        ]
    if not corporate_parenting.strip():
        errors["corporate_parenting"] = [
            "Record how the corporate parenting principles were applied to this decision (R-CL-5)"
        ]
    return errors


def risk_problems(*, child_risk: str, tenancy_risk: str, sleeping_space: str) -> Errors:
    """R-HOU-8: the risk to the child is recorded, separately from the tenancy risk."""
    errors: Errors = {}
    if child_risk not in RISK_LEVELS:
        errors["child_risk"] = ["Select the risk to the child"]
    if tenancy_risk not in RISK_LEVELS:
        errors["tenancy_risk"] = ["Select the risk to the tenancy"]
    if not sleeping_space.strip():
        errors["sleeping_space"] = ["Describe where the baby will sleep and whether there is a cot"]
    return errors
