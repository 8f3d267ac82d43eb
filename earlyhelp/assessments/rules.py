"""Pure rules of the whole-family early-help assessment. No ORM, no request; "today" passed in.

- The assessment framework's three domains and their dimensions, as a table with sources
  (R-EHA-1), and the Supporting Families headline outcomes each need is tagged with (R-SF-1).
- Who the assessment covers and which domains each subject needs (R-WT-4, R-WT-9).
- The 45-working-day clock when a statutory assessment follows (R-TIME-2).
- The prompts the assessment raises itself: young parents (R-WT-9), care-experienced parents
  (R-CL-1, R-CL-4), safer sleep (R-EHA-5), Family Nurse Partnership (R-FNP-1, R-FNP-2),
  pre-birth assessment and its timing (R-LON-4, R-LON-5), both prospective parents (R-LON-6),
  a mother aged 19 or under (R-LON-3).
- What stops a sign-off (R-WT-4, R-EHA-1, R-EHA-5, R-TIME-2).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from earlyhelp.core.rules import working_days_after
from earlyhelp.people.rules import ADULT_AGE, YOUNG_PARENT_AGE, age_on

# --- The assessment framework (R-EHA-1) -----------------------------------------------------


class Domain(StrEnum):
    CHILD_DEVELOPMENT = "child_development"
    PARENTING_CAPACITY = "parenting_capacity"
    FAMILY_ENVIRONMENT = "family_environment"


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    domain: Domain
    source: str


@dataclass(frozen=True)
class DomainInfo:
    domain: Domain
    name: str
    source: str


# Source codes are those of RULES.md (section 6): S53 child's developmental needs, S54
# parenting capacity, S55 and S56 family and environmental factors. "Identity" is in the
# usual triangle but was not confirmed in S53 (U in RULES.md).
DOMAINS: tuple[DomainInfo, ...] = (
    DomainInfo(Domain.CHILD_DEVELOPMENT, "Child's developmental needs", "S53"),
    DomainInfo(Domain.PARENTING_CAPACITY, "Parenting capacity", "S54"),
    DomainInfo(Domain.FAMILY_ENVIRONMENT, "Family and environmental factors", "S55, S56"),
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("health", "Health", Domain.CHILD_DEVELOPMENT, "S53"),
    Dimension("education", "Education", Domain.CHILD_DEVELOPMENT, "S53"),
    Dimension(
        "emotional_behavioural",
        "Emotional and behavioural development",
        Domain.CHILD_DEVELOPMENT,
        "S53",
    ),
    Dimension(
        "family_social_relationships",
        "Family and social relationships",
        Domain.CHILD_DEVELOPMENT,
        "S53",
    ),
    Dimension("social_presentation", "Social presentation", Domain.CHILD_DEVELOPMENT, "S53"),
    Dimension("self_care", "Self-care skills", Domain.CHILD_DEVELOPMENT, "S53"),
    Dimension("identity", "Identity", Domain.CHILD_DEVELOPMENT, "S53 (U)"),
    Dimension("basic_care", "Basic care", Domain.PARENTING_CAPACITY, "S54"),
    Dimension("ensuring_safety", "Ensuring safety", Domain.PARENTING_CAPACITY, "S54"),
    Dimension("emotional_warmth", "Emotional warmth", Domain.PARENTING_CAPACITY, "S54"),
    Dimension("stimulation", "Stimulation", Domain.PARENTING_CAPACITY, "S54"),
    Dimension("guidance_boundaries", "Guidance and boundaries", Domain.PARENTING_CAPACITY, "S54"),
    Dimension("stability", "Stability", Domain.PARENTING_CAPACITY, "S54"),
    Dimension(
        "family_history_functioning",
        "Family history and functioning",
        Domain.FAMILY_ENVIRONMENT,
        "S55",
    ),
    Dimension("wider_family", "Wider family", Domain.FAMILY_ENVIRONMENT, "S55"),
    Dimension("housing", "Housing", Domain.FAMILY_ENVIRONMENT, "S55"),
    Dimension("employment", "Employment", Domain.FAMILY_ENVIRONMENT, "S55"),
    Dimension("income", "Income", Domain.FAMILY_ENVIRONMENT, "S55"),
    Dimension(
        "social_integration", "Family's social integration", Domain.FAMILY_ENVIRONMENT, "S56"
    ),
    Dimension("community_resources", "Community resources", Domain.FAMILY_ENVIRONMENT, "S56"),
)

DIMENSION_BY_CODE = {d.code: d for d in DIMENSIONS}
DOMAIN_NAMES = {d.domain: d.name for d in DOMAINS}


def dimension_problem(domain: str, dimension: str) -> str | None:
    """A dimension must be one of the table's, and belong to the domain chosen (R-EHA-1)."""
    if domain not in Domain.__members__.values():
        return "Select a domain of the assessment framework"
    found = DIMENSION_BY_CODE.get(dimension)
    if found is None:
        return "Select a dimension of the assessment framework"
    if found.domain != domain:
        return f"{found.name} is not a dimension of {DOMAIN_NAMES[Domain(domain)].lower()}"
    return None


# --- Supporting Families headline outcomes (R-SF-1, S35) --------------------------------------


class HeadlineOutcome(StrEnum):
    GOOD_EDUCATION = "good_education"
    EARLY_YEARS = "early_years"
    HEALTH = "health"
    SUBSTANCE_USE = "substance_use"
    FAMILY_RELATIONSHIPS = "family_relationships"
    SAFE_FROM_ABUSE = "safe_from_abuse"
    CRIME = "crime"
    DOMESTIC_ABUSE = "domestic_abuse"
    HOUSING = "housing"
    FINANCIAL_STABILITY = "financial_stability"


HEADLINE_OUTCOMES: dict[HeadlineOutcome, str] = {
    HeadlineOutcome.GOOD_EDUCATION: "Good education",
    HeadlineOutcome.EARLY_YEARS: "Good early years development",
    HeadlineOutcome.HEALTH: "Improved mental and physical health",
    HeadlineOutcome.SUBSTANCE_USE: "Better managed substance use",
    HeadlineOutcome.FAMILY_RELATIONSHIPS: "Improved family relationships",
    HeadlineOutcome.SAFE_FROM_ABUSE: "Children safe from abuse and exploitation",
    HeadlineOutcome.CRIME: "Families diverted from crime",
    HeadlineOutcome.DOMESTIC_ABUSE: "Safe from domestic abuse",
    HeadlineOutcome.HOUSING: "Secure housing",
    HeadlineOutcome.FINANCIAL_STABILITY: "Financial stability",
}


def need_problem(need: str, outcome: str) -> str | None:
    """R-SF-1: every need is tagged with exactly one headline outcome; no tag without a need."""
    if need.strip() and outcome not in HeadlineOutcome.__members__.values():
        return "Select the Supporting Families headline outcome this need is about"
    if not need.strip() and outcome:
        return "Describe the need, or do not select an outcome"
    return None


# --- Who the assessment covers (R-WT-4) -------------------------------------------------------


class SubjectRole(StrEnum):
    CHILD = "child"
    UNBORN_BABY = "unborn_baby"
    MOTHER = "mother"
    FATHER = "father"
    PARTNER = "partner"


# Family relationships (people.models.Relationship values) and the subject each becomes.
# A sibling in the household is a child of the family; grandparents and other carers are
# not subjects of the assessment (R-WT-4 names children, the unborn baby, parents and partners).
SUBJECT_ROLE_BY_RELATIONSHIP: dict[str, SubjectRole] = {
    "child": SubjectRole.CHILD,
    "sibling": SubjectRole.CHILD,
    "unborn_baby": SubjectRole.UNBORN_BABY,
    "mother": SubjectRole.MOTHER,
    "father": SubjectRole.FATHER,
    "partner_of_parent": SubjectRole.PARTNER,
}
PARENT_ROLES = frozenset({SubjectRole.MOTHER, SubjectRole.FATHER, SubjectRole.PARTNER})

# A child's own words are asked for from this age (R-EHA-1 "where old enough"; a local
# setting, D): younger children's voice is recorded by observation, not required.
VOICE_FROM_AGE = 5


@dataclass(frozen=True)
class Subject:
    """What the rules need to know about one person the assessment covers."""

    person_id: int
    name: str
    role: SubjectRole
    date_of_birth: datetime.date | None = None
    is_unborn: bool = False
    expected_date_of_delivery: datetime.date | None = None
    care_experienced: bool = False
    responsible_local_authority: str = ""
    personal_adviser: str = ""
    voice: str = ""

    def age(self, today: datetime.date) -> int | None:
        if self.is_unborn or self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, today)

    def is_parent(self) -> bool:
        return self.role in PARENT_ROLES

    def is_child(self, today: datetime.date) -> bool:
        """R-WT-9: the unborn baby, every child, and a parent under 18."""
        if self.role in (SubjectRole.CHILD, SubjectRole.UNBORN_BABY) or self.is_unborn:
            return True
        age = self.age(today)
        return age is not None and age < ADULT_AGE


def required_domains(subject: Subject, today: datetime.date) -> tuple[Domain, ...]:
    """The domains a subject must have a contribution in before sign-off.

    Children and the unborn baby: their developmental needs. Parents and partners: their
    parenting capacity (R-WT-4, R-LON-6), and a parent under 18 is also a child (R-WT-9).
    Family and environmental factors are the family's, asked once for the whole family.
    """
    needed: list[Domain] = []
    if subject.is_child(today):
        needed.append(Domain.CHILD_DEVELOPMENT)
    if subject.is_parent():
        needed.append(Domain.PARENTING_CAPACITY)
    return tuple(needed)


def voice_needed(subject: Subject, today: datetime.date) -> bool:
    """R-EHA-1: the voice of each parent, and of each child old enough to give it."""
    if subject.is_parent():
        return True
    age = subject.age(today)
    return age is not None and age >= VOICE_FROM_AGE


# --- The 45-working-day clock (R-TIME-2) ------------------------------------------------------

STATUTORY_ASSESSMENT_WORKING_DAYS = 45


def statutory_assessment_due_on(
    started_on: datetime.date, *, holidays: Collection[datetime.date]
) -> datetime.date:
    """R-TIME-2: at most 45 working days from the referral (bank holidays do not count)."""
    return working_days_after(started_on, STATUTORY_ASSESSMENT_WORKING_DAYS, holidays=holidays)


def is_overdue(
    due_on: datetime.date | None, *, today: datetime.date, finished_on: datetime.date | None
) -> bool:
    """Past the due date and not finished by it (R-TIME-2). No clock: never overdue."""
    if due_on is None:
        return False
    if finished_on is not None:
        return finished_on > due_on
    return today > due_on


def overdue_reason_problem(
    due_on: datetime.date | None, *, on: datetime.date, reason: str
) -> str | None:
    """R-TIME-2: going past the 45 working days needs a recorded reason."""
    if due_on is not None and on > due_on and not reason.strip():
        return (
            f"The assessment was due by {due_on:%-d %B %Y}: record why it has taken longer "
            "than 45 working days"
        )
    return None


# --- Pregnancy arithmetic (R-FNP-1, R-LON-5) --------------------------------------------------

PREGNANCY_DAYS = 280


def last_menstrual_period(expected_date_of_delivery: datetime.date) -> datetime.date:
    """Naegele's rule backwards: the due date is 280 days after the last period."""
    return expected_date_of_delivery - datetime.timedelta(days=PREGNANCY_DAYS)


def gestation_weeks(expected_date_of_delivery: datetime.date, today: datetime.date) -> int:
    """Completed weeks of pregnancy today (from the last period)."""
    return (today - last_menstrual_period(expected_date_of_delivery)).days // 7


def pregnancy_week_date(expected_date_of_delivery: datetime.date, week: int) -> datetime.date:
    """The day a pregnancy reaches ``week`` completed weeks."""
    return last_menstrual_period(expected_date_of_delivery) + datetime.timedelta(weeks=week)


# --- Prompts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    rule: str
    title: str
    text: str
    # "action": something is missing or due; "consider": a question for the practitioner.
    kind: str = "consider"


@dataclass(frozen=True)
class Situation:
    """Everything the prompts look at, read from the database by the selector."""

    subjects: tuple[Subject, ...]
    today: datetime.date
    # (person id, domain) of every contribution recorded, readable or not.
    recorded: frozenset[tuple[int, str]] = frozenset()
    # A family and environment contribution records sleeping arrangements and advice.
    safer_sleep_recorded: bool = False
    # An organisation of type family_nurse_partnership is involved with the family or a member.
    family_nurse_partnership_involved: bool = False
    # The mother lives inside the partnership area (the FNP catchment).
    mother_in_catchment: bool = True
    # Need-to-know categories of contributions (domestic_abuse, mental_health, ...).
    categories: frozenset[str] = frozenset()
    # Children of the family born before this pregnancy (first baby or not).
    earlier_births: int = 0


FNP_MAX_AGE_AT_LMP = 19
FNP_RECRUIT_BY_WEEK = 28
FNP_REFERRAL_BY_WEEK = 24
PBA_REFERRAL_WEEKS = (12, 16)
PBA_CONFERENCE_BY_WEEK = 34
INFANT_MONTHS = 12

# R-LON-4: need-to-know categories that count as a reason to consider a pre-birth assessment.
PBA_CATEGORIES = {
    "domestic_abuse": "domestic abuse",
    "mental_health": "mental health affecting parenting",
    "substance_use": "substance misuse",
}


def _unborn(situation: Situation) -> list[Subject]:
    return [s for s in situation.subjects if s.is_unborn]


def _mothers(situation: Situation) -> list[Subject]:
    return [s for s in situation.subjects if s.role == SubjectRole.MOTHER]


def _parents(situation: Situation) -> list[Subject]:
    return [s for s in situation.subjects if s.is_parent()]


def is_infant(subject: Subject, today: datetime.date) -> bool:
    age = subject.age(today)
    return age is not None and age < 1


def safer_sleep_needed(situation: Situation) -> bool:
    """R-EHA-5: any pregnancy, or an infant under 12 months."""
    return any(s.is_unborn or is_infant(s, situation.today) for s in situation.subjects)


def young_parent_prompts(situation: Situation) -> list[Prompt]:
    """R-WT-9: a parent under 20 is a young parent; under 18 they are also a child."""
    prompts = []
    for parent in _parents(situation):
        age = parent.age(situation.today)
        if age is None or age >= YOUNG_PARENT_AGE:
            continue
        if age < ADULT_AGE:
            prompts.append(
                Prompt(
                    "R-WT-9",
                    f"{parent.name} is {age}: also a child in their own right",
                    f"Assess {parent.name}'s own developmental needs as a child, as well as "
                    "their parenting.",
                    "action",
                )
            )
        else:
            prompts.append(
                Prompt(
                    "R-WT-9",
                    f"{parent.name} is a young parent ({age})",
                    "Think about their age, support network and education or work.",
                )
            )
    return prompts


def care_experienced_prompts(situation: Situation) -> list[Prompt]:
    """R-CL-1 (record the responsible authority and personal adviser) and R-CL-4 (consider
    the parent's needs and a support plan, not an automatic pre-birth referral)."""
    prompts = []
    for parent in _parents(situation):
        if not parent.care_experienced:
            continue
        missing = [
            label
            for label, value in (
                ("the responsible local authority", parent.responsible_local_authority),
                ("the personal adviser", parent.personal_adviser),
            )
            if not value.strip()
        ]
        if missing:
            prompts.append(
                Prompt(
                    "R-CL-1",
                    f"{parent.name} is care-experienced: record {' and '.join(missing)}",
                    "Care leavers aged 21 to 25 can ask for a personal adviser, an assessment "
                    "and a pathway plan.",
                    "action",
                )
            )
        prompts.append(
            Prompt(
                "R-CL-4",
                f"{parent.name} is care-experienced: consider their needs and a support plan",
                "Being care-experienced is not on its own a reason to refer for a pre-birth "
                "assessment. Record your rationale, and include fathers.",
            )
        )
    return prompts


def safer_sleep_prompts(situation: Situation) -> list[Prompt]:
    """R-EHA-5: with a pregnancy or an infant under 12 months, the family and environment
    domain records the sleeping arrangements and the safer-sleep advice given."""
    if not safer_sleep_needed(situation) or situation.safer_sleep_recorded:
        return []
    return [
        Prompt(
            "R-EHA-5",
            "Record the sleeping arrangements and the safer-sleep advice given",
            "There is a pregnancy or a baby under 12 months: a family and environmental "
            "factors contribution must record where the baby sleeps (or will sleep) and the "
            "safer-sleep advice given. Sign-off needs it.",
            "action",
        )
    ]


def family_nurse_partnership_eligible(
    *,
    mother_date_of_birth: datetime.date | None,
    expected_date_of_delivery: datetime.date,
    first_baby: bool,
    in_catchment: bool,
    today: datetime.date,
) -> bool:
    """R-FNP-1: first baby, 19 or under at the last period, recruited by 28 weeks, in catchment.

    Earlier miscarriages, terminations, stillbirths or removals still count as a first baby
    (the caller counts only children born and in the family). Exceptions after 28 weeks are
    for the FNP team to make, not for this prompt.
    """
    if mother_date_of_birth is None or not first_baby or not in_catchment:
        return False
    lmp = last_menstrual_period(expected_date_of_delivery)
    if age_on(mother_date_of_birth, lmp) > FNP_MAX_AGE_AT_LMP:
        return False
    return gestation_weeks(expected_date_of_delivery, today) <= FNP_RECRUIT_BY_WEEK


def family_nurse_partnership_prompts(situation: Situation) -> list[Prompt]:
    """R-FNP-1 eligibility, and R-FNP-2: eligible with no FNP referral by 24 weeks."""
    prompts = []
    unborn = _unborn(situation)
    mothers = _mothers(situation)
    if not unborn or not mothers:
        return []
    baby, mother = unborn[0], mothers[0]
    if baby.expected_date_of_delivery is None:
        return []
    eligible = family_nurse_partnership_eligible(
        mother_date_of_birth=mother.date_of_birth,
        expected_date_of_delivery=baby.expected_date_of_delivery,
        first_baby=situation.earlier_births == 0,
        in_catchment=situation.mother_in_catchment,
        today=situation.today,
    )
    if not eligible:
        return []
    weeks = gestation_weeks(baby.expected_date_of_delivery, situation.today)
    if situation.family_nurse_partnership_involved:
        return []
    by = pregnancy_week_date(baby.expected_date_of_delivery, FNP_REFERRAL_BY_WEEK)
    if weeks >= FNP_REFERRAL_BY_WEEK:
        prompts.append(
            Prompt(
                "R-FNP-2",
                "No Family Nurse Partnership referral by 24 weeks",
                f"{mother.name} is eligible and the pregnancy is at {weeks} weeks, but the "
                "Family Nurse Partnership is not involved. Refer now: recruitment closes at "
                "28 weeks.",
                "action",
            )
        )
    else:
        prompts.append(
            Prompt(
                "R-FNP-1",
                f"{mother.name} is eligible for the Family Nurse Partnership",
                f"First baby, 19 or under at the start of the pregnancy. Refer by 24 weeks "
                f"({by:%-d %B %Y}).",
                "action",
            )
        )
    return prompts


def pre_birth_reasons(situation: Situation) -> list[str]:
    """R-LON-4: reasons on record to consider a pre-birth assessment (consideration only)."""
    reasons = []
    for parent in _parents(situation):
        age = parent.age(situation.today)
        if age is not None and age < ADULT_AGE:
            reasons.append(f"{parent.name} is under 18")
        if parent.care_experienced:
            reasons.append(f"{parent.name} is care-experienced")
    for code, label in PBA_CATEGORIES.items():
        if code in situation.categories:
            reasons.append(f"{label} is recorded")
    return reasons


def pre_birth_prompts(situation: Situation) -> list[Prompt]:
    """R-LON-4 (consider a pre-birth assessment) and R-LON-5 (its timing)."""
    unborn = _unborn(situation)
    reasons = pre_birth_reasons(situation)
    if not unborn or not reasons:
        return []
    prompts = [
        Prompt(
            "R-LON-4",
            "Consider a pre-birth assessment",
            "Because " + "; ".join(reasons) + ". Consider it and record your decision: "
            "this is not an automatic referral.",
        )
    ]
    expected = unborn[0].expected_date_of_delivery
    if expected is not None:
        weeks = gestation_weeks(expected, situation.today)
        start, end = (pregnancy_week_date(expected, w) for w in PBA_REFERRAL_WEEKS)
        conference = pregnancy_week_date(expected, PBA_CONFERENCE_BY_WEEK)
        if weeks < PBA_REFERRAL_WEEKS[1]:
            timing = (
                f"If you refer, refer between 12 and 16 weeks ({start:%-d %B} to {end:%-d %B %Y})."
            )
        else:
            timing = (
                f"The pregnancy is at {weeks} weeks: past the usual 12 to 16 weeks, so refer "
                "as soon as concerns are identified."
            )
        prompts.append(
            Prompt(
                "R-LON-5",
                "Pre-birth timing",
                f"{timing} A pre-birth child protection conference, if needed, is held by "
                f"34 weeks ({conference:%-d %B %Y}).",
            )
        )
    return prompts


def prospective_parents_prompts(situation: Situation) -> list[Prompt]:
    """R-LON-6: assess both prospective parents, including a partner who is not the father;
    record the father even when he is not in a relationship with the mother."""
    if not _unborn(situation):
        return []
    prompts = []
    roles = {s.role for s in situation.subjects}
    if SubjectRole.FATHER not in roles:
        prompts.append(
            Prompt(
                "R-LON-6",
                "The baby's father is not recorded",
                "Record the father as a member of the family, even if he is not in a "
                "relationship with the mother, and assess him.",
                "action",
            )
        )
    for parent in _parents(situation):
        if (parent.person_id, Domain.PARENTING_CAPACITY) not in situation.recorded:
            who = "a partner who is not the father" if parent.role == SubjectRole.PARTNER else ""
            prompts.append(
                Prompt(
                    "R-LON-6",
                    f"Assess {parent.name}" + (f", {who}" if who else ""),
                    "Both prospective parents are assessed: add a parenting capacity "
                    f"contribution about {parent.name}.",
                    "action",
                )
            )
    return prompts


def young_mother_prompts(situation: Situation) -> list[Prompt]:
    """R-LON-3: a pregnancy with a mother aged 19 or under prompts an early-help assessment
    soon after midwife booking; this is that assessment."""
    if not _unborn(situation):
        return []
    prompts = []
    for mother in _mothers(situation):
        age = mother.age(situation.today)
        if age is not None and age <= FNP_MAX_AGE_AT_LMP:
            prompts.append(
                Prompt(
                    "R-LON-3",
                    f"{mother.name} is {age} and pregnant",
                    "Complete this early help assessment soon after midwife booking.",
                )
            )
    return prompts


def assessment_prompts(situation: Situation) -> list[Prompt]:
    """Every prompt, actions first, in the order the rules are listed above."""
    found = [
        *young_mother_prompts(situation),
        *young_parent_prompts(situation),
        *care_experienced_prompts(situation),
        *safer_sleep_prompts(situation),
        *family_nurse_partnership_prompts(situation),
        *pre_birth_prompts(situation),
        *prospective_parents_prompts(situation),
    ]
    return sorted(found, key=lambda p: p.kind != "action")


# --- What sign-off needs ----------------------------------------------------------------------


def missing_for_sign_off(situation: Situation) -> list[str]:
    """What stops sign-off, one message each (empty: ready).

    Each subject's required domains (R-WT-4, R-WT-9, R-LON-6), the family and environment
    domain once for the family (R-EHA-1), the voice of each parent and of each child old
    enough (R-EHA-1), and the sleeping arrangements and safer-sleep advice with a pregnancy
    or an infant (R-EHA-5).
    """
    missing = []
    today = situation.today
    for subject in situation.subjects:
        for domain in required_domains(subject, today):
            if (subject.person_id, domain) not in situation.recorded:
                missing.append(f"{subject.name}: {DOMAIN_NAMES[domain].lower()}")
        if voice_needed(subject, today) and not subject.voice.strip():
            missing.append(f"{subject.name}: their voice, in their own words")
    if not any(domain == Domain.FAMILY_ENVIRONMENT for _, domain in situation.recorded):
        missing.append(f"The family: {DOMAIN_NAMES[Domain.FAMILY_ENVIRONMENT].lower()}")
    if safer_sleep_needed(situation) and not situation.safer_sleep_recorded:
        missing.append("The family: sleeping arrangements and the safer-sleep advice given")
    return missing
