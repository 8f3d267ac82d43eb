"""What the chronology app adds to the fictional demo partnership (earlyhelp.core.demo).

For each demo family with a named practitioner working with it or a member: a few plausible
events from that practitioner's agency over the last year (attendances, missed appointments,
reviews, shares, the odd placement), about a member of the family; one family in ten has a
police domestic-abuse incident in the need-to-know category (R-IS-12), where police work
with the family. Other apps' services add their own entries as they record the demo (moves,
red flags, decisions). Deterministic given rng.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q

from earlyhelp.accounts.models import AgencyType
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.people.models import Family, FamilyMember, Involvement
from earlyhelp.sharing.models import InformationCategory

ENTRIES_PER_FAMILY = (2, 5)
DOMESTIC_ABUSE_SHARE = 0.1
EVENTS: list[tuple[EntryKind, str]] = [
    (EntryKind.ATTENDANCE, "Attended the appointment with {agency}"),
    (EntryKind.ATTENDANCE, "Home visit by {agency}: seen at home, engaged well"),
    (EntryKind.MISSED_APPOINTMENT, "Did not attend the appointment with {agency}; letter sent"),
    (EntryKind.MISSED_APPOINTMENT, "No answer at the planned home visit by {agency}"),
    (EntryKind.REVIEW, "Progress reviewed with the family by {agency}"),
    (EntryKind.SHARE, "{agency} shared an update with the team around the family"),
    (EntryKind.OTHER, "Phone call with {agency}: support with benefits discussed"),
]


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
    domestic_abuse = InformationCategory.objects.filter(code="domestic_abuse").first()
    involvements = (
        Involvement.objects.filter(practitioner__isnull=False, started_on__lte=today)
        .select_related("organisation", "practitioner")
        .order_by("id")
    )
    members: dict[int, list[int]] = {}
    for family_id, person_id in FamilyMember.objects.filter(left_on__isnull=True).values_list(
        "family_id", "person_id"
    ):
        members.setdefault(family_id, []).append(person_id)
    rows: list[ChronologyEntry] = []
    for family in Family.objects.order_by("pk"):
        people = members.get(family.pk, [])
        if not people:
            continue
        working = list(involvements.filter(Q(family=family) | Q(person_id__in=people)).distinct())
        if not working:
            continue
        for _ in range(rng.randint(*ENTRIES_PER_FAMILY)):
            involvement = rng.choice(working)
            kind, text = rng.choice(EVENTS)
            rows.append(
                _entry(
                    family,
                    rng.choice(people),
                    kind,
                    text.format(agency=involvement.organisation.name),
                    involvement,
                    _day(rng, involvement.started_on, today),
                )
            )
        police = [i for i in working if i.organisation.agency_type == AgencyType.POLICE]
        if police and domestic_abuse is not None and rng.random() < DOMESTIC_ABUSE_SHARE:
            involvement = police[0]
            rows.append(
                _entry(
                    family,
                    rng.choice(people),
                    EntryKind.INCIDENT,
                    "Police attended a report of domestic abuse at the home; "
                    "DASH risk assessment completed",
                    involvement,
                    _day(rng, involvement.started_on, today),
                    category=domestic_abuse,
                )
            )
    ChronologyEntry.objects.bulk_create(rows, batch_size=1000)


def _day(rng: random.Random, start: datetime.date, today: datetime.date) -> datetime.date:
    earliest = max(start, today - datetime.timedelta(days=365))
    return earliest + datetime.timedelta(days=rng.randint(0, max(0, (today - earliest).days)))


def _entry(
    family: Family,
    person_id: int,
    kind: EntryKind,
    summary: str,
    involvement: Involvement,
    occurred_on: datetime.date,
    *,
    category: InformationCategory | None = None,
) -> ChronologyEntry:
    assert involvement.practitioner is not None
    return ChronologyEntry(
        family=family,
        person_id=person_id,
        occurred_on=occurred_on,
        kind=kind,
        summary=summary,
        category=category,
        source_organisation=involvement.organisation,
        recorded_by=involvement.practitioner,
        source_type="people.involvement",
        source_id=str(involvement.pk),
    )
