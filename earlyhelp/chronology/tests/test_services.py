"""Writing chronology entries through the service."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from conftest import Partnership
from earlyhelp.accounts.models import User
from earlyhelp.chronology.models import ChronologyEntry, EntryKind
from earlyhelp.chronology.services import chronology_record

pytestmark = pytest.mark.django_db


def test_an_entry_names_the_agency_and_person_who_recorded_it(partnership: Partnership) -> None:
    p = partnership
    entry = chronology_record(
        actor=p.maya,
        family=p.ashworth,
        person=p.chloe,
        occurred_on=datetime.date(2026, 11, 1),
        kind=EntryKind.ATTENDANCE,
        summary="  Attended   clinic\n with her mum ",
        source=p.chloe,
    )
    assert entry is not None
    entry.refresh_from_db()
    assert entry.source_organisation == p.midwifery
    assert entry.recorded_by == p.maya
    assert entry.summary == "Attended clinic with her mum"
    assert (entry.source_type, entry.source_id) == ("people.person", str(p.chloe.pk))


def test_an_unknown_kind_is_refused(partnership: Partnership) -> None:
    with pytest.raises(ValueError):
        chronology_record(
            actor=partnership.maya,
            family=partnership.ashworth,
            occurred_on=datetime.date(2026, 11, 1),
            kind="gossip",
            summary="Nothing",
        )
    assert not ChronologyEntry.objects.exists()


def test_an_actor_without_an_agency_records_nothing(partnership: Partnership) -> None:
    nobody = User.objects.create_user("nobody@example.org", "x" * 20, full_name="No Body")
    entry = chronology_record(
        actor=nobody,
        family=partnership.ashworth,
        occurred_on=datetime.date(2026, 11, 1),
        kind=EntryKind.OTHER,
        summary="Nothing",
    )
    assert entry is None
    assert not ChronologyEntry.objects.exists()


def test_the_entry_goes_with_the_callers_transaction(partnership: Partnership) -> None:
    p = partnership

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        chronology_record(
            actor=p.maya,
            family=p.ashworth,
            occurred_on=datetime.date(2026, 11, 1),
            kind=EntryKind.DECISION,
            summary="Step up",
        )
        raise Undone
    assert not ChronologyEntry.objects.exists()
