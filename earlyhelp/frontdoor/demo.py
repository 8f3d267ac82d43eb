"""What the front door adds to the fictional demo partnership (earlyhelp.core.demo).

A realistic handful of requests for support, made through the services by practitioners
who work with each family: most decided (each route appears, one decided late), a few
waiting (received today, one acknowledged), and two overdue (R-TIME-1). The demo's front
door workers (partnership-wide: they see every family) can open and decide them.
Deterministic given rng and today.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.rules import is_working_day
from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.rules import Agreement, Circumstance, Route, Urgency
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship
from earlyhelp.sharing.models import InformationCategory


@dataclass(frozen=True)
class Story:
    concern: str
    family_knows: str
    agreement: Agreement
    urgency: Urgency
    route: Route
    reasons: str
    not_asked_reason: str = ""
    category: str = ""
    circumstances: tuple[Circumstance, ...] = field(default=())


STORIES = (
    Story(
        "{mother} is {age} and {weeks} weeks pregnant. She has been sofa-surfing since she left "
        "her mother's home and has missed two antenatal appointments.",
        "{mother} knows I am asking for help with housing and support in pregnancy.",
        Agreement.AGREES,
        Urgency.ROUTINE,
        Route.TEAM_AROUND_THE_FAMILY,
        "Housing, midwifery and early help all needed: a team around the family, with the "
        "specialist midwife as lead professional until the birth.",
    ),
    Story(
        "{mother} told me her partner checks her phone and stops her seeing friends. She is "
        "frightened of how he reacts when the baby cries.",
        "{mother} knows I am contacting the front door. Her partner does not.",
        Agreement.NOT_ASKED,
        Urgency.URGENT,
        Route.MASH,
        "Controlling behaviour with a baby in the household: MASH for a multi-agency "
        "domestic abuse risk assessment today.",
        not_asked_reason="Asking in front of her partner could increase the risk to her.",
        category="domestic_abuse",
        circumstances=(Circumstance.DOMESTIC_ABUSE,),
    ),
    Story(
        "Low mood since the birth. {mother} says she is not sleeping and has stopped going "
        "out; the baby is feeding well but she has nobody to help at home.",
        "{mother} asked me to find her some support and knows I am writing to you.",
        Agreement.AGREES,
        Urgency.ROUTINE,
        Route.EARLY_HELP,
        "Early help family support worker, with perinatal mental health already involved.",
        category="mental_health",
        circumstances=(Circumstance.ADULT_MENTAL_ILLNESS,),
    ),
    Story(
        "The family has been served notice on their privately rented flat and may be placed "
        "out of area. The baby is a few weeks old.",
        "The family know and agree; they are worried about losing their health visitor.",
        Agreement.AGREES,
        Urgency.ROUTINE,
        Route.ADVICE_UNIVERSAL,
        "Housing options already working with them; health visitor to carry on. Advice on "
        "safer sleep after the move given to the health visitor.",
    ),
    Story(
        "{mother} left care last year and has no contact with her personal adviser. She asked "
        "for help with money and a cot for the baby.",
        "{mother} knows and agrees.",
        Agreement.AGREES,
        Urgency.ROUTINE,
        Route.EARLY_HELP,
        "Early help, with the leaving care team asked to restore her personal adviser.",
    ),
    Story(
        "Bruising seen on the baby's upper arm at the home visit; the explanation given did "
        "not fit a baby who is not yet rolling.",
        "{mother} knows I am concerned and that I have to pass this on.",
        Agreement.DOES_NOT_AGREE,
        Urgency.IMMEDIATE,
        Route.CHILDRENS_SOCIAL_CARE,
        "Unexplained bruising on a non-mobile baby: referral to children's social care for a "
        "strategy discussion today.",
    ),
    Story(
        "The baby's father was released from prison last month and has moved back in. {mother} "
        "says he uses cannabis most days.",
        "{mother} knows and agrees to support for both of them.",
        Agreement.AGREES,
        Urgency.ROUTINE,
        Route.EARLY_HELP,
        "Early help, with the recovery service offered to the father.",
        circumstances=(Circumstance.PARENT_IN_CUSTODY, Circumstance.PARENTAL_SUBSTANCE_MISUSE),
    ),
)

# How the handful is laid out: most decided, a few waiting today, two overdue.
OVERDUE = 2
WAITING = 3
DECIDED = 9


def _london(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_days_before(day: datetime.date, n: int) -> datetime.date:
    holidays = bank_holidays()
    while n > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day, holidays=holidays):
            n -= 1
    return day


def _candidates(today: datetime.date) -> list[tuple[User, Family]]:
    """Practitioners named on a current involvement, with the family it gives them."""
    found: list[tuple[User, Family]] = []
    seen: set[int] = set()
    involvements = (
        Involvement.objects.filter(practitioner__isnull=False, started_on__lte=today)
        .exclude(ended_on__lt=today)
        .select_related("practitioner", "family", "person")
        .order_by("id")
    )
    for involvement in involvements:
        family = involvement.family
        if family is None and involvement.person_id is not None:
            member = (
                FamilyMember.objects.filter(person_id=involvement.person_id, left_on__isnull=True)
                .select_related("family")
                .first()
            )
            family = member.family if member else None
        if family is None or family.pk in seen or involvement.practitioner is None:
            continue
        seen.add(family.pk)
        found.append((involvement.practitioner, family))
    return found


def _mother_and_baby(family: Family) -> tuple[Person | None, Person | None]:
    mother = baby = None
    for member in FamilyMember.objects.filter(family=family, left_on__isnull=True).select_related(
        "person"
    ):
        if member.relationship == Relationship.MOTHER and mother is None:
            mother = member.person
        if member.relationship in {Relationship.UNBORN_BABY, Relationship.CHILD} and baby is None:
            baby = member.person
    return mother, baby


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
    front_door = list(
        User.objects.filter(memberships__role=Role.FRONT_DOOR, memberships__ended_on__isnull=True)
        .distinct()
        .order_by("id")
    )
    candidates = _candidates(today)
    if not front_door or not candidates:
        return
    rng.shuffle(candidates)
    categories = {c.code: c for c in InformationCategory.objects.all()}
    plan = ["overdue"] * OVERDUE + ["waiting"] * WAITING + ["decided"] * DECIDED
    for n, (kind, (practitioner, family)) in enumerate(zip(plan, candidates, strict=False)):
        story = STORIES[n % len(STORIES)]
        mother, baby = _mother_and_baby(family)
        name = mother.display_name if mother else "The mother"
        age = mother.age_on(today) if mother else None
        words = {"mother": name, "age": age or 18, "weeks": rng.randint(14, 34)}
        if kind == "overdue":
            received = _london(_working_days_before(today, rng.randint(3, 6)), 9 + n, 15)
        elif kind == "waiting":
            # Early this morning, and never in the future when the demo loads at dawn.
            received = min(_london(today, 7, 5 + 10 * n), timezone.now())
        else:
            received = _london(today - datetime.timedelta(days=rng.randint(7, 90)), 10, 30)
        try:
            made = services.request_for_support_make(
                actor=practitioner,
                family=family,
                about_person=baby if baby is not None and rng.random() < 0.6 else mother,
                concern=story.concern.format(**words),
                family_knows=story.family_knows.format(**words),
                agreement=story.agreement,
                not_asked_reason=story.not_asked_reason,
                urgency=story.urgency,
                circumstances=[c.value for c in story.circumstances],
                category=categories.get(story.category) if mother else None,
                sharing_basis_note=(
                    "Safeguarding: UK GDPR Art 6(1)(e), Art 9(2)(g), DPA 2018 Sch 1 para 18"
                    if story.agreement != Agreement.AGREES
                    else f"{name} agreed to this request being shared with the front door"
                ),
                now=received,
            )
        except (NotFoundOrForbidden, ValidationProblem):
            continue  # a practitioner who may not see the family: another one will
        worker = front_door[n % len(front_door)]
        if kind == "overdue" and n == 0:
            services.request_for_support_acknowledge(
                actor=worker,
                request_for_support=made,
                version=made.version,
                now=received + datetime.timedelta(hours=2),
            )
        elif kind == "decided":
            # One decided a day late: counted, not hidden.
            late = n == OVERDUE + WAITING
            decided_on = made.decision_due_on + datetime.timedelta(days=1 if late else 0)
            services.request_for_support_decide(
                actor=worker,
                request_for_support=made,
                route=story.route,
                reasons=story.reasons,
                family_agrees=story.route in {Route.EARLY_HELP, Route.TEAM_AROUND_THE_FAMILY},
                version=made.version,
                now=_london(decided_on, 11, rng.randint(0, 59)),
            )
