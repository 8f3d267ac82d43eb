"""What the safersleep app adds to the fictional demo partnership (earlyhelp.core.demo).

For each demo family with an unborn baby or an infant under one: the five health visiting
reviews (R-HCP-1), most of those already due completed, the antenatal, new baby and 6-8
week ones with their safer-sleep assessment (R-SS-1), a few with a red flag and its plan
(R-SS-3); one family in eight has a disruption of routine with its reassessment task
(R-SS-1, R-SS-4). Everything goes through the services, as the practitioners involved, so the
demo's records, alerts and audit trail are those the service itself would write.
Deterministic given rng.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q

from earlyhelp.accounts.models import AgencyType, User
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.people.models import Family, Involvement, Person
from earlyhelp.safersleep import rules, services
from earlyhelp.safersleep.models import HealthVisitingContact

RECORDING_AGENCIES = (
    AgencyType.HEALTH_VISITING,
    AgencyType.FAMILY_NURSE_PARTNERSHIP,
    AgencyType.MIDWIFERY,
)
# Chances of each risk being present (U: illustrative, not measured).
RISK_CHANCES = {
    "smoking_in_pregnancy": 0.2,
    "parent_smokes": 0.3,
    "household_smokes": 0.2,
    "alcohol_two_units_or_more": 0.05,
    "drugs_or_drowsy_medication": 0.03,
    "bed_sharing": 0.15,
    "sofa_or_chair_sleeping": 0.03,
    "separate_room_under_six_months": 0.05,
    "prone_or_side_sleeping": 0.05,
    "loose_bedding": 0.1,
    "premature_or_low_birth_weight": 0.08,
    "parent_extremely_tired": 0.3,
}
# Share of assessments given a red-flag pattern, so that the demo has a few (U).
RED_FLAG_SHARE = 0.12
PLANS = [
    "Cot from the baby bank delivered this week; health visitor to check the sleep space",
    "Agreed the baby sleeps in the Moses basket, never on the sofa; follow-up visit in 7 days",
    "Smoking cessation referral made; no bed-sharing agreed; baby sleeping bag provided",
]
DISRUPTIONS = [
    rules.DisruptionKind.HOUSE_MOVE,
    rules.DisruptionKind.OUT_OF_AREA_PLACEMENT,
    rules.DisruptionKind.NEW_PARTNER,
    rules.DisruptionKind.ILLNESS,
    rules.DisruptionKind.HOLIDAY_OR_VISIT,
]


def _practitioner(family: Family, agencies: tuple[str, ...], today: datetime.date) -> User | None:
    """A named practitioner of one of these agencies working with the family or a member."""
    involvement = (
        Involvement.objects.filter(
            Q(family=family) | Q(person__family_members__family=family),
            Q(ended_on__isnull=True) | Q(ended_on__gte=today),
            organisation__agency_type__in=agencies,
            practitioner__isnull=False,
            started_on__lte=today,
        )
        .select_related("practitioner")
        .order_by("organisation__agency_type", "id")
        .first()
    )
    return involvement.practitioner if involvement else None


def _risks(rng: random.Random, baby: Person) -> rules.SleepRisks:
    chances = dict(RISK_CHANCES)
    if baby.is_unborn:
        chances["premature_or_low_birth_weight"] = 0.0
    risks = {name: rng.random() < p for name, p in chances.items()}
    if rng.random() < RED_FLAG_SHARE:
        # The red-flag patterns the review found: bed-sharing with a smoker, or the sofa.
        risks[rng.choice(["parent_smokes", "sofa_or_chair_sleeping"])] = True
        risks["bed_sharing"] = True
    return rules.SleepRisks(**risks)


def _assess(
    rng: random.Random,
    *,
    actor: User,
    family: Family,
    baby: Person,
    contact: HealthVisitingContact,
    on: datetime.date,
    today: datetime.date,
) -> None:
    risks = _risks(rng, baby)
    red = rules.is_red_flag(risks)
    services.safer_sleep_assessment_record(
        actor=actor,
        family=family,
        person=baby,
        contact=contact.kind,
        risks=risks,
        assessed_on=on,
        sleeping_arrangements=(
            "Sometimes on the sofa with mum in the evenings"
            if risks.sofa_or_chair_sleeping
            else "Moses basket next to the parents' bed"
        ),
        conversation="Went through back to sleep, a clear cot, a smoke-free home and temperature",
        action_plan=rng.choice(PLANS) if red else "",
        equipment=["cot", "sleeping_bag"] if red else [],
        complete_contact=True,
        in_home=rng.random() < 0.9,
        today=today,
    )


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
    for family in Family.objects.order_by("pk"):
        try:
            _family_add(rng, family, today)
        except (NotFoundOrForbidden, ValidationProblem):
            # A demo family whose practitioner cannot record (an involvement with a member
            # who has left): left without safer-sleep records; the service rolled back.
            continue


def _family_add(rng: random.Random, family: Family, today: datetime.date) -> None:
    babies = [
        b
        for b in services.babies(family)
        if rules.needs_reassessment(
            is_unborn=b.is_unborn, date_of_birth=b.date_of_birth, today=today
        )
    ]
    if not babies:
        return
    actor = _practitioner(family, RECORDING_AGENCIES, today)
    for baby in babies:
        # Tracked from the start: from the birth (or today, before it), so the demo has
        # reviews completed in the past and a few left overdue.
        start = baby.date_of_birth or today
        for contact in services.contacts_schedule(person=baby, today=start):
            if actor is None or contact.due_from > today or rng.random() > 0.85:
                continue
            on = min(contact.due_from + datetime.timedelta(days=rng.randint(0, 4)), today)
            if contact.kind in rules.SAFER_SLEEP_CONTACTS:
                _assess(
                    rng,
                    actor=actor,
                    family=family,
                    baby=baby,
                    contact=contact,
                    on=on,
                    today=today,
                )
            else:
                services.contact_complete(
                    actor=actor, contact=contact, completed_on=on, in_home=True, today=today
                )
    if actor is not None and rng.random() < 0.125:
        recorder = _practitioner(family, (AgencyType.HOUSING, AgencyType.POLICE), today) or actor
        services.disruption_record(
            actor=recorder,
            family=family,
            kind=rng.choice(DISRUPTIONS),
            occurred_on=today - datetime.timedelta(days=rng.randint(0, 20)),
            today=today,
        )
