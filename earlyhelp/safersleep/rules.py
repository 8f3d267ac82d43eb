"""Pure rules about safer sleep and health visiting contacts. No ORM, no request; "today" is
passed in. Each rule cites its id in /work/shared/product/RULES.md.

- R-SS-1: a safer-sleep assessment at the antenatal, new-birth and 6-8-week contacts, and
  again for an infant under one (or an unborn baby) after a disruption of routine.
- R-SS-2: the risk fields. R-SS-3: the red flag, which needs a plan.
- R-SS-4: any agency may record an observation or a disruption.
- R-HCP-1: the five mandated health visiting reviews, each with its window and overdue flag.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from enum import StrEnum

from django.db.models import TextChoices

from earlyhelp.people.rules import age_on

# --- Health visiting contacts (R-HCP-1) ---------------------------------------------------


class ContactKind(TextChoices):
    """The five mandated health visitor reviews of the Healthy Child Programme (R-HCP-1)."""

    ANTENATAL = "antenatal", "Antenatal contact (from 28 weeks of pregnancy)"
    NEW_BIRTH = "new_birth", "New baby review (10 to 14 days)"
    SIX_TO_EIGHT_WEEKS = "six_to_eight_weeks", "6 to 8 week review"
    NINE_TO_TWELVE_MONTHS = "nine_to_twelve_months", "9 to 12 month review"
    TWO_YEARS = "two_to_two_and_a_half_years", "2 to 2 and a half year review"


class AssessmentContact(TextChoices):
    """The contact a safer-sleep assessment was recorded at (R-SS-1)."""

    ANTENATAL = "antenatal", "Antenatal contact"
    NEW_BIRTH = "new_birth", "New baby review"
    SIX_TO_EIGHT_WEEKS = "six_to_eight_weeks", "6 to 8 week review"
    REASSESSMENT = "reassessment", "Reassessment after a disruption of routine"
    OTHER = "other", "Another contact"


# R-SS-1: completing one of these contacts needs a safer-sleep assessment recorded at it.
SAFER_SLEEP_CONTACTS = frozenset(
    {ContactKind.ANTENATAL, ContactKind.NEW_BIRTH, ContactKind.SIX_TO_EIGHT_WEEKS}
)
# R-HCP-2: the first three are best delivered in the home by the named health visitor.
HOME_VISIT_CONTACTS = SAFER_SLEEP_CONTACTS

# Weeks of pregnancy at the expected date of delivery, and when the antenatal contact opens.
FULL_TERM_WEEKS = 40
ANTENATAL_FROM_WEEKS = 28


@dataclass(frozen=True)
class Window:
    """When a contact is due: from and by, both days included."""

    due_from: datetime.date
    due_by: datetime.date


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The day a child born on ``day`` is ``months`` months old.

    A month without that day (29 February in a common year, 31 April...) rolls on to the 1st
    of the next month, as people.rules.age_on counts birthdays: a baby born on 29 February
    2024 is one year old on 1 March 2025.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return datetime.date(year, month, day.day)
    except ValueError:
        return datetime.date(year + month // 12, month % 12 + 1, 1)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def contact_windows(
    *, date_of_birth: datetime.date | None, expected_date_of_delivery: datetime.date | None
) -> dict[str, Window]:
    """R-HCP-1: each mandated review's window, from the birth (or, before it, the due date).

    - antenatal: from 28 weeks of pregnancy (12 weeks before the due date) to the due date;
      only while a due date is known (a child first recorded after birth has none);
    - new baby: 10 to 14 days old; 6 to 8 weeks: 42 to 56 days old;
    - 9 to 12 months: from 9 months old to the first birthday;
    - 2 to 2 and a half years: from the second birthday to 30 months old.
    Before the birth the later windows are provisional, from the due date; person_birth
    reschedules them from the date of birth (contact_rescheduled).
    """
    windows: dict[str, Window] = {}
    if expected_date_of_delivery is not None and date_of_birth is None:
        opens = expected_date_of_delivery - _days(7 * (FULL_TERM_WEEKS - ANTENATAL_FROM_WEEKS))
        windows[ContactKind.ANTENATAL] = Window(opens, expected_date_of_delivery)
    birth = date_of_birth or expected_date_of_delivery
    if birth is None:
        return windows
    windows[ContactKind.NEW_BIRTH] = Window(birth + _days(10), birth + _days(14))
    windows[ContactKind.SIX_TO_EIGHT_WEEKS] = Window(birth + _days(42), birth + _days(56))
    windows[ContactKind.NINE_TO_TWELVE_MONTHS] = Window(
        months_after(birth, 9), months_after(birth, 12)
    )
    windows[ContactKind.TWO_YEARS] = Window(months_after(birth, 24), months_after(birth, 30))
    return windows


def contacts_to_schedule(
    *,
    date_of_birth: datetime.date | None,
    expected_date_of_delivery: datetime.date | None,
    today: datetime.date,
) -> dict[str, Window]:
    """R-HCP-1: the reviews to track for a baby joining a family today.

    Every review of an unborn baby; for a child already born, those whose window has not
    closed (a review missed before the child was known here is not reported as overdue).
    """
    windows = contact_windows(
        date_of_birth=date_of_birth, expected_date_of_delivery=expected_date_of_delivery
    )
    if date_of_birth is None:
        return windows
    return {kind: w for kind, w in windows.items() if w.due_by >= today}


def contact_rescheduled(kind: str, window: Window, date_of_birth: datetime.date) -> Window:
    """R-HCP-1: a review's window once the baby is born.

    The antenatal contact keeps its window but closes the day before the birth; every later
    review is counted from the date of birth instead of the due date.
    """
    if kind == ContactKind.ANTENATAL:
        due_by = min(window.due_by, date_of_birth - _days(1))
        return Window(min(window.due_from, due_by), due_by)
    return contact_windows(date_of_birth=date_of_birth, expected_date_of_delivery=None)[kind]


class ContactStatus(StrEnum):
    COMPLETED = "Completed"
    OVERDUE = "Overdue"
    DUE = "Due now"
    NOT_YET_DUE = "Not yet due"


def contact_status(
    window: Window, completed_on: datetime.date | None, today: datetime.date
) -> ContactStatus:
    """R-HCP-1: derived on read from the stored window; overdue once the window has closed."""
    if completed_on is not None:
        return ContactStatus.COMPLETED
    if today > window.due_by:
        return ContactStatus.OVERDUE
    if today >= window.due_from:
        return ContactStatus.DUE
    return ContactStatus.NOT_YET_DUE


def contact_is_overdue(
    window: Window, completed_on: datetime.date | None, today: datetime.date
) -> bool:
    return contact_status(window, completed_on, today) is ContactStatus.OVERDUE


SAFER_SLEEP_NEEDED = (
    "Record a safer-sleep assessment at this contact first: it is mandatory at the antenatal, "
    "new baby and 6 to 8 week contacts"
)


def contact_completion_problem(kind: str, *, safer_sleep_recorded: bool) -> str | None:
    """R-SS-1: the antenatal, new-birth and 6-8-week contacts need a safer-sleep assessment.

    Refused rather than flagged: the assessment is a few questions asked during the same
    visit, and a contact counted as done without it would make the board's figure of infants
    assessed at each mandated contact (R-SS-6) untrue while the risk went unrecorded.
    """
    if kind in SAFER_SLEEP_CONTACTS and not safer_sleep_recorded:
        return SAFER_SLEEP_NEEDED
    return None


# --- The assessment (R-SS-2, R-SS-3) ------------------------------------------------------


@dataclass(frozen=True)
class SleepRisks:
    """R-SS-2: the risk fields. None: not asked (or, in an observation, not seen)."""

    smoking_in_pregnancy: bool | None = None
    parent_smokes: bool | None = None
    household_smokes: bool | None = None
    alcohol_two_units_or_more: bool | None = None
    drugs_or_drowsy_medication: bool | None = None
    bed_sharing: bool | None = None
    sofa_or_chair_sleeping: bool | None = None
    separate_room_under_six_months: bool | None = None
    prone_or_side_sleeping: bool | None = None
    loose_bedding: bool | None = None
    premature_or_low_birth_weight: bool | None = None
    parent_extremely_tired: bool | None = None

    @property
    def smoking(self) -> bool:
        return bool(self.smoking_in_pregnancy or self.parent_smokes or self.household_smokes)

    @property
    def substances(self) -> bool:
        return bool(self.alcohol_two_units_or_more or self.drugs_or_drowsy_medication)

    def unanswered(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is None]


RISK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SleepRisks))

# The question asked in a full assessment, and what an observer ticks (R-SS-2, R-SS-4).
RISK_QUESTIONS: dict[str, tuple[str, str]] = {
    "smoking_in_pregnancy": ("Did the mother smoke in pregnancy?", "Smoking in pregnancy"),
    "parent_smokes": ("Does a parent or carer smoke?", "A parent or carer smokes"),
    "household_smokes": (
        "Does anyone else in the household smoke?",
        "Someone smokes in the home",
    ),
    "alcohol_two_units_or_more": (
        "Does a carer drink 2 or more units of alcohol before sleeping with the baby nearby?",
        "Signs a carer had been drinking",
    ),
    "drugs_or_drowsy_medication": (
        "Does a carer take drugs or medication that makes them drowsy?",
        "Signs of drug use or drowsy medication",
    ),
    "bed_sharing": ("Does the baby share a bed with anyone?", "Baby shares a bed"),
    "sofa_or_chair_sleeping": (
        "Does the baby ever sleep on a sofa or armchair, alone or with an adult?",
        "Baby sleeps on a sofa or armchair",
    ),
    "separate_room_under_six_months": (
        "Does the baby (under 6 months) sleep in a separate room from the parents?",
        "Baby under 6 months sleeps in a separate room",
    ),
    "prone_or_side_sleeping": (
        "Is the baby put down to sleep on their front or side?",
        "Baby put down on their front or side",
    ),
    "loose_bedding": (
        "Are there loose bedding, pillows, bumpers or toys where the baby sleeps?",
        "Loose bedding, pillows or toys in the sleep space",
    ),
    "premature_or_low_birth_weight": (
        "Was the baby born before 37 weeks or weighing under 2.5 kg?",
        "Baby born early or small",
    ),
    "parent_extremely_tired": (
        "Is a parent or carer extremely tired?",
        "A parent or carer is extremely tired",
    ),
}


def red_flag_reasons(risks: SleepRisks) -> list[str]:
    """R-SS-3: why the arrangement is a red flag (empty: it is not).

    Any sofa or armchair sleeping; or bed-sharing together with smoking (in pregnancy, by a
    parent or in the household), 2 or more units of alcohol, drugs or drowsy medication, or
    a baby born premature or with a low birth weight. (An extremely tired parent is a risk
    field, R-SS-2, but not part of the red-flag rule as written.)
    """
    reasons: list[str] = []
    if risks.sofa_or_chair_sleeping:
        reasons.append("The baby sleeps on a sofa or armchair")
    if risks.bed_sharing:
        with_ = [
            text
            for present, text in (
                (risks.smoking, "a smoker"),
                (risks.alcohol_two_units_or_more, "2 or more units of alcohol"),
                (risks.drugs_or_drowsy_medication, "drugs or drowsy medication"),
                (risks.premature_or_low_birth_weight, "a premature or low birth weight baby"),
            )
            if present
        ]
        if with_:
            reasons.append(f"Bed-sharing with {', '.join(with_)}")
    return reasons


def is_red_flag(risks: SleepRisks) -> bool:
    """R-SS-3: sofa or chair sleeping, or bed-sharing with any of its aggravating risks."""
    return bool(red_flag_reasons(risks))


class Equipment(TextChoices):
    """What the action plan provides (R-SS-3: the plan includes equipment such as a cot)."""

    COT = "cot", "Cot"
    MOSES_BASKET = "moses_basket", "Moses basket or baby box"
    MATTRESS = "mattress", "Firm, flat mattress"
    SLEEPING_BAG = "sleeping_bag", "Baby sleeping bag"
    SMOKE_ALARM = "smoke_alarm", "Smoke alarm"
    OTHER = "other", "Other equipment"


ACTION_PLAN_NEEDED = (
    "Enter the action plan: the red flag needs a plan to make sleep safe, including any "
    "equipment such as a cot"
)
CONVERSATION_NEEDED = "Enter the conversation you had with the family about safer sleep"


def assessment_problems(
    *,
    risks: SleepRisks,
    observation: bool,
    sleeping_arrangements: str,
    conversation: str,
    action_plan: str,
    contact: str,
    assessed_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    """What is wrong with a safer-sleep record, by field (R-EHA-5, R-SS-2, R-SS-3, R-SS-4).

    A full assessment answers every risk question, records the sleeping arrangements and the
    conversation (the safer-sleep advice given, R-EHA-5). An observation by another agency
    (R-SS-4) records only what was seen. Either way a red flag needs the conversation and an
    action plan (R-SS-3).
    """
    errors: dict[str, list[str]] = {}
    if not observation:
        for name in risks.unanswered():
            errors[name] = [f"Answer: {RISK_QUESTIONS[name][0]}"]
        if not sleeping_arrangements.strip():
            errors["sleeping_arrangements"] = ["Enter where and how the baby sleeps"]
        if contact not in AssessmentContact.values:
            errors["contact"] = ["Select the contact this assessment was recorded at"]
    if assessed_on is None:
        errors["assessed_on"] = ["Enter the date of the assessment"]
    elif assessed_on > today:
        errors["assessed_on"] = ["The date of the assessment must be today or in the past"]
    red_flag = is_red_flag(risks)
    if (red_flag or not observation) and not conversation.strip():
        errors["conversation"] = [CONVERSATION_NEEDED]
    if red_flag and not action_plan.strip():
        errors["action_plan"] = [ACTION_PLAN_NEEDED]
    if (
        observation
        and not any(getattr(risks, n) for n in RISK_FIELDS)
        and not (conversation.strip() or sleeping_arrangements.strip())
    ):
        errors["__all__"] = ["Tick what you saw, or describe the sleeping arrangements"]
    return errors


# --- Disruption of routine (R-SS-1, R-SS-4) -----------------------------------------------


class DisruptionKind(TextChoices):
    HOUSE_MOVE = "house_move", "House move"
    OUT_OF_AREA_PLACEMENT = "out_of_area_placement", "Placement out of the area"
    NEW_PARTNER = "new_partner", "New partner in the household"
    DOMESTIC_ABUSE_INCIDENT = "domestic_abuse_incident", "Domestic abuse incident"
    RELAPSE = "relapse", "Relapse into drug or alcohol use"
    ILLNESS = "illness", "Illness of a parent or the baby"
    HOLIDAY_OR_VISIT = "holiday_or_visit", "Holiday or a stay away from home"
    OTHER = "other", "Other disruption of routine"


# The need-to-know category the kind itself reveals (R-IS-12): its detail is shown only to
# those the sharing policy allows; the reassessment task still reaches the health visitor.
DISRUPTION_CATEGORY: dict[str, str] = {
    DisruptionKind.DOMESTIC_ABUSE_INCIDENT: "domestic_abuse",
    DisruptionKind.RELAPSE: "substance_use",
}


def is_disruption(kind: str) -> bool:
    """R-SS-1: a move or out-of-area placement, a new partner, a domestic abuse incident, a
    relapse, illness, a holiday or visit, or another event the practitioner judges one."""
    return kind in DisruptionKind.values


# Disruptions that are also risk indicators: the team around the family is told at once
# (issue 5 item 5), each member reading the detail only as the sharing policy allows.
RISK_INDICATOR_DISRUPTIONS = frozenset(
    {DisruptionKind.DOMESTIC_ABUSE_INCIDENT, DisruptionKind.RELAPSE}
)


def disruption_category(kind: str) -> str | None:
    return DISRUPTION_CATEGORY.get(kind)


def disruption_problems(
    *, kind: str, occurred_on: datetime.date | None, today: datetime.date, details: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not is_disruption(kind):
        errors["kind"] = ["Select what happened"]
    if occurred_on is None:
        errors["occurred_on"] = ["Enter the date it happened"]
    elif occurred_on > today:
        errors["occurred_on"] = ["The date it happened must be today or in the past"]
    if kind == DisruptionKind.OTHER and not details.strip():
        errors["details"] = ["Describe the disruption of routine"]
    return errors


def needs_reassessment(
    *, is_unborn: bool, date_of_birth: datetime.date | None, today: datetime.date
) -> bool:
    """R-SS-1: who is reassessed after a disruption: an infant under one year old today, or
    an unborn baby.

    The unborn baby is included: the antenatal conversation planned where the baby would
    sleep in the old home, and a move or a new partner before the birth changes that plan
    (temporary accommodation often has no cot), so it is agreed again before the birth.
    """
    if is_unborn or date_of_birth is None:
        return is_unborn
    return age_on(date_of_birth, today) < 1


def who_must_reassess(
    *, health_visitor_ids: frozenset[int] | set[int], lead_professional_id: int | None
) -> frozenset[int]:
    """R-SS-1, R-SS-3, R-HCP-2: the family's named health visitor(s) and the lead professional.

    Both are told, and either may record the reassessment. Nobody (an empty set) means the
    task is shown as waiting for someone to take it on.
    """
    ids = set(health_visitor_ids)
    if lead_professional_id is not None:
        ids.add(lead_professional_id)
    return frozenset(ids)
