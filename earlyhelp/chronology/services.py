"""Writing chronology entries, inside the transaction of the change they record.

``chronology_record`` does no access check of its own: its caller (a service of another app)
has already checked that the actor may make the change the entry records. There is no edit
service: the chronology is append-only in spirit.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models, transaction

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation
from earlyhelp.chronology.models import ChronologyEntry, EntryKind

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family, Person
    from earlyhelp.sharing.models import InformationCategory

SUMMARY_MAX = 300

# A disruption of routine (safersleep.rules.DisruptionKind) as a kind of chronology event.
DISRUPTION_KINDS: dict[str, EntryKind] = {
    "house_move": EntryKind.MOVE,
    "out_of_area_placement": EntryKind.PLACEMENT,
    "domestic_abuse_incident": EntryKind.INCIDENT,
    "relapse": EntryKind.INCIDENT,
}


def recording_organisation(actor: User) -> Organisation | None:
    """The agency the actor records for: their casework agency, else any agency they work in."""
    memberships = actor.active_memberships()
    for membership in memberships:
        if membership.role in CASEWORK_ROLES:
            return membership.team.organisation
    return memberships[0].team.organisation if memberships else None


def chronology_record(
    *,
    actor: User,
    family: Family,
    occurred_on: datetime.date,
    kind: EntryKind | str,
    summary: str,
    person: Person | None = None,
    category: InformationCategory | None = None,
    source: models.Model | None = None,
    source_organisation: Organisation | None = None,
) -> ChronologyEntry | None:
    """Add one entry to the family's chronology (and the person's, when given).

    Runs inside the caller's transaction. The entry's agency is the actor's (or the one
    given). An actor with no agency at all (which a write never has) records nothing, so
    that the change itself is never refused for the sake of its chronology.
    """
    organisation = source_organisation or recording_organisation(actor)
    if organisation is None:
        return None
    with transaction.atomic():
        return ChronologyEntry.objects.create(
            family=family,
            person=person,
            occurred_on=occurred_on,
            kind=EntryKind(kind),
            summary=" ".join(summary.split())[:SUMMARY_MAX],
            category=category,
            source_organisation=organisation,
            recorded_by=actor,
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
        )


def chronology_record_for_person(
    *,
    actor: User,
    person: Person,
    occurred_on: datetime.date,
    kind: EntryKind | str,
    summary: str,
    category: InformationCategory | None = None,
    source: models.Model | None = None,
    source_organisation: Organisation | None = None,
) -> list[ChronologyEntry]:
    """An event about one person (a birth, a move): one entry in each family they are part of.

    Like ``chronology_record``, inside the caller's transaction and with no check of its own.
    """
    from earlyhelp.people.models import Family

    families = Family.objects.filter(members__person=person, members__left_on__isnull=True)
    entries = []
    for family in families.distinct().order_by("pk"):
        entry = chronology_record(
            actor=actor,
            family=family,
            person=person,
            occurred_on=occurred_on,
            kind=kind,
            summary=summary,
            category=category,
            source=source,
            source_organisation=source_organisation,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def chronology_record_about(
    *,
    actor: User,
    subject: Family | Person,
    occurred_on: datetime.date,
    kind: EntryKind | str,
    summary: str,
    source: models.Model | None = None,
    source_organisation: Organisation | None = None,
) -> list[ChronologyEntry]:
    """An event about a family or a person (an involvement): ``chronology_record`` for a
    family, ``chronology_record_for_person`` for a person."""
    from earlyhelp.people.models import Family

    if isinstance(subject, Family):
        entry = chronology_record(
            actor=actor,
            family=subject,
            occurred_on=occurred_on,
            kind=kind,
            summary=summary,
            source=source,
            source_organisation=source_organisation,
        )
        return [entry] if entry is not None else []
    return chronology_record_for_person(
        actor=actor,
        person=subject,
        occurred_on=occurred_on,
        kind=kind,
        summary=summary,
        source=source,
        source_organisation=source_organisation,
    )
