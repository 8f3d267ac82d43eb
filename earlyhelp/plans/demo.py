"""What the plans app adds to the fictional demo partnership (earlyhelp.core.demo).

Practitioners already working with a demo family join its team (the same people who see it
through their involvement), most teams have a lead professional chosen with the family, and
those families have a plan with an outcome (linked to a need from their assessment where
there is one) and two actions, some overdue.
"""

from __future__ import annotations

import datetime
import random

from earlyhelp.assessments.models import Contribution
from earlyhelp.people.models import Family, Involvement
from earlyhelp.plans.models import (
    ActionStatus,
    LeadProfessionalHandover,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    TeamAroundFamilyMember,
)

LEAD_SHARE = 0.7
FAMILY_VIEWS = [
    "Chose them: they already know the family",
    "Happy with this; asked for the same person at every visit",
    "Agreed at the first team meeting",
]
OUTCOMES = [
    ("housing", "A safe, settled home in the area before the baby is born"),
    ("early_years", "The baby's health checks all done on time"),
    ("financial_stability", "Benefits sorted and rent paid every month"),
]


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng.

    Draws from its own generator seeded from ``today`` so that the shared ``rng`` (and so
    every later app's demo records) is unchanged by this app.
    """
    own = random.Random(today.toordinal())
    working: dict[int, list[Involvement]] = {}
    for involvement in (
        Involvement.objects.filter(
            family__isnull=False, practitioner__isnull=False, started_on__lte=today
        )
        .exclude(ended_on__lt=today)
        .order_by("id")
    ):
        assert involvement.family_id is not None
        working.setdefault(involvement.family_id, []).append(involvement)
    for family in Family.objects.filter(pk__in=working).order_by("pk"):
        members: list[TeamAroundFamilyMember] = []
        seen: set[int] = set()
        for involvement in working[family.pk]:
            assert involvement.practitioner_id is not None
            if involvement.practitioner_id in seen:
                continue
            seen.add(involvement.practitioner_id)
            members.append(
                TeamAroundFamilyMember.objects.create(
                    family=family,
                    practitioner_id=involvement.practitioner_id,
                    organisation_id=involvement.organisation_id,
                    joined_on=involvement.started_on,
                )
            )
        if own.random() >= LEAD_SHARE:
            continue
        lead = members[0]
        TeamAroundFamilyMember.objects.filter(pk=lead.pk).update(is_lead_professional=True)
        LeadProfessionalHandover.objects.create(
            family=family,
            to_member=lead,
            family_view=own.choice(FAMILY_VIEWS),
            recorded_by_id=lead.practitioner_id,
        )
        agreed = own.random() < 0.5
        plan = Plan.objects.create(
            family=family,
            family_words="We want a safe home and a healthy baby, and to manage on our own",
            status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
            review_on=today + datetime.timedelta(weeks=6) if agreed else None,
            created_by_id=lead.practitioner_id,
        )
        headline, description = own.choice(OUTCOMES)
        # Linked to a need from the family's assessment where there is one anyone on the team
        # may read (no need-to-know category), taking its Supporting Families headline.
        need = (
            Contribution.objects.filter(assessment__family=family, category__isnull=True)
            .exclude(need="")
            .order_by("pk")
            .first()
        )
        if need is not None and need.need_outcome:
            headline = need.need_outcome
        outcome = PlanOutcome.objects.create(
            plan=plan, headline=headline, description=description, need=need
        )
        PlanAction.objects.create(
            plan=plan,
            outcome=outcome,
            description="Book and attend the next health check",
            owner_member=lead,
            due_on=today + datetime.timedelta(days=own.randint(-10, 30)),
            status=own.choice([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]),
            created_by_id=lead.practitioner_id,
        )
        PlanAction.objects.create(
            plan=plan,
            outcome=outcome,
            description="Ring the housing office about the application",
            owner_is_family=True,
            due_on=today + datetime.timedelta(days=own.randint(-5, 21)),
            created_by_id=lead.practitioner_id,
        )
