"""What the assessments app adds to the fictional demo partnership (earlyhelp.core.demo).

About a quarter of the demo families with a named practitioner have an early-help
assessment, with contributions from two or three of the agencies working with them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from earlyhelp.assessments import rules
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubject,
    Contribution,
)
from earlyhelp.people.models import FamilyMember, Involvement

SHARE = 0.25

STRENGTHS = [
    "Keeps antenatal and health appointments",
    "Warm and responsive with the baby",
    "Supported by their own mother, who lives nearby",
    "Has a tenancy and a settled home",
    "Wants to go back to college after the birth",
]
NEEDS = [
    ("Rent arrears since the move", rules.HeadlineOutcome.FINANCIAL_STABILITY),
    ("Low mood, not yet seen by the GP", rules.HeadlineOutcome.HEALTH),
    (
        "Arguments between the parents in front of the baby",
        rules.HeadlineOutcome.FAMILY_RELATIONSHIPS,
    ),
    ("Not in education, employment or training", rules.HeadlineOutcome.GOOD_EDUCATION),
    ("Temporary accommodation, may move out of area", rules.HeadlineOutcome.HOUSING),
]
SLEEP = (
    "A cot in the parents' room; the baby sometimes falls asleep on the sofa with dad",
    "Talked through back to sleep, own cot and never the sofa; dad agreed to move the baby",
)


def _domain_for(subject: AssessmentSubject, today: datetime.date) -> rules.Domain:
    if subject.role in rules.PARENT_ROLES:
        return rules.Domain.PARENTING_CAPACITY
    return rules.Domain.CHILD_DEVELOPMENT


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
    workers: dict[int, dict[int, int]] = defaultdict(dict)  # family -> organisation -> user
    member_family = dict(
        FamilyMember.objects.filter(left_on__isnull=True).values_list("person_id", "family_id")
    )
    for involvement in Involvement.objects.filter(
        practitioner__isnull=False, ended_on__isnull=True
    ).order_by("id"):
        family_id = involvement.family_id or member_family.get(involvement.person_id or 0)
        if family_id is not None and involvement.practitioner_id is not None:
            workers[family_id].setdefault(involvement.organisation_id, involvement.practitioner_id)
    members: dict[int, list[FamilyMember]] = defaultdict(list)
    for member in (
        FamilyMember.objects.filter(left_on__isnull=True).select_related("person").order_by("id")
    ):
        members[member.family_id].append(member)
    now = timezone.now()
    for family_id in sorted(workers):
        if rng.random() >= SHARE:
            continue
        family_members = [
            m for m in members[family_id] if m.relationship in rules.SUBJECT_ROLE_BY_RELATIONSHIP
        ]
        agreeing = [m for m in family_members if not m.person.is_unborn]
        if not agreeing:
            continue
        agencies = sorted(workers[family_id].items())
        agencies = rng.sample(agencies, k=min(len(agencies), rng.choice((2, 3))))
        status = rng.choice(
            [AssessmentStatus.DRAFT, AssessmentStatus.DRAFT, AssessmentStatus.COMPLETED]
        )
        started_at = now - datetime.timedelta(days=rng.randint(3, 60))
        lead_user = agencies[0][1]
        assessment = Assessment.objects.create(
            family_id=family_id,
            agreed_by=agreeing[0].person,
            agreed_on=timezone.localdate(started_at),
            agreement_note="Agreed at a home visit",
            started_by_id=lead_user,
            started_at=started_at,
            status=status,
            completed_by_id=lead_user if status == AssessmentStatus.COMPLETED else None,
            completed_at=now if status == AssessmentStatus.COMPLETED else None,
        )
        subjects = AssessmentSubject.objects.bulk_create(
            [
                AssessmentSubject(
                    assessment=assessment,
                    person=m.person,
                    relationship=m.relationship,
                    role=rules.SUBJECT_ROLE_BY_RELATIONSHIP[m.relationship],
                    voice=(
                        "I want my baby to have a better start than I had"
                        if m.relationship == "mother"
                        else ""
                    ),
                )
                for m in family_members
            ]
        )
        contributions = []
        for organisation_id, user_id in agencies:
            for _ in range(rng.randint(1, 2)):
                subject = rng.choice(subjects)
                domain = _domain_for(subject, today)
                dimension = rng.choice([d for d in rules.DIMENSIONS if d.domain == domain])
                need, outcome = rng.choice(NEEDS) if rng.random() < 0.6 else ("", "")
                contributions.append(
                    Contribution(
                        assessment=assessment,
                        subject=subject,
                        person=subject.person,
                        domain=domain,
                        dimension=dimension.code,
                        strengths=rng.choice(STRENGTHS),
                        need=need,
                        need_outcome=outcome,
                        source_organisation_id=organisation_id,
                        practitioner_id=user_id,
                        created_at=started_at,
                        updated_at=started_at,
                    )
                )
        # The family and environment domain, with safer sleep where there is a baby (R-EHA-5).
        organisation_id, user_id = agencies[-1]
        contributions.append(
            Contribution(
                assessment=assessment,
                subject=subjects[0],
                person=subjects[0].person,
                domain=rules.Domain.FAMILY_ENVIRONMENT,
                dimension="housing",
                strengths=rng.choice(STRENGTHS),
                sleeping_arrangements=SLEEP[0],
                safer_sleep_advice=SLEEP[1],
                source_organisation_id=organisation_id,
                practitioner_id=user_id,
                created_at=started_at,
                updated_at=started_at,
            )
        )
        Contribution.objects.bulk_create(contributions)
