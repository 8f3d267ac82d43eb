"""Reading a chronology as the personas: the sharing policy first, then need-to-know (R-IS-12)."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.chronology import selectors
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.chronology.tests.conftest import INCIDENT_DETAIL, Entries
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people.models import Involvement

pytestmark = pytest.mark.django_db


def test_newest_first_and_a_category_without_basis_shows_only_who_holds_it_r_is_12(
    entries: Entries,
) -> None:
    p = entries.p
    page = selectors.family_chronology(actor=p.maya, family=p.ashworth)
    [incident, attendance] = page.entries
    assert incident.entry == entries.incident and incident.withheld
    assert incident.summary == ("Incident recorded by Wyvern Police: ask the lead professional")
    assert INCIDENT_DETAIL not in incident.summary
    assert not attendance.withheld
    assert attendance.summary == "Attended the 28-week antenatal appointment"
    assert page.next_after is None


def test_the_recording_agency_reads_its_own_entry_in_full(entries: Entries) -> None:
    p = entries.p
    Involvement.objects.create(
        organisation=p.police,
        practitioner=p.owen,
        family=p.ashworth,
        service="Domestic abuse safeguarding",
        started_on=datetime.date(2026, 11, 10),
    )
    [incident, _] = selectors.family_chronology(actor=p.owen, family=p.ashworth).entries
    assert not incident.withheld
    assert incident.summary == INCIDENT_DETAIL


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_reach_nothing(entries: Entries, persona: str) -> None:
    actor = getattr(entries.p, persona)
    with pytest.raises(NotFoundOrForbidden):
        selectors.family_chronology(actor=actor, family=entries.p.ashworth)
    with pytest.raises(NotFoundOrForbidden):
        selectors.person_chronology(actor=actor, person=entries.p.chloe)
    with pytest.raises(NotFoundOrForbidden):
        selectors.family_for_chronology(actor=actor, family_id=entries.p.ashworth.pk)
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == 1


def test_the_front_door_sees_every_family_but_not_the_police_detail(entries: Entries) -> None:
    p = entries.p
    [incident, _] = selectors.family_chronology(actor=p.fatima, family=p.ashworth).entries
    assert incident.withheld


def test_keyset_pages_follow_on_without_repeats(entries: Entries) -> None:
    p = entries.p
    for day in range(1, 6):
        chronology_record(
            actor=p.maya,
            family=p.ashworth,
            occurred_on=datetime.date(2026, 11, 2),  # same day: the id breaks the tie
            kind=EntryKind.ATTENDANCE,
            summary=f"Visit {day}",
        )
    seen: list[int] = []
    after = None
    while True:
        page = selectors.family_chronology(actor=p.maya, family=p.ashworth, after=after, limit=3)
        seen.extend(shown.entry.pk for shown in page.entries)
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == 7 and len(set(seen)) == 7
    everything = selectors.family_chronology(actor=p.maya, family=p.ashworth, limit=50)
    assert seen == [shown.entry.pk for shown in everything.entries]


def test_filters_by_kind_and_dates(entries: Entries) -> None:
    p = entries.p
    only_incidents = selectors.family_chronology(
        actor=p.maya, family=p.ashworth, filters=selectors.Filters(kinds=("incident",))
    )
    assert [s.entry for s in only_incidents.entries] == [entries.incident]
    early = selectors.family_chronology(
        actor=p.maya,
        family=p.ashworth,
        filters=selectors.Filters(date_to=datetime.date(2026, 11, 5)),
    )
    assert [s.entry for s in early.entries] == [entries.attendance]


def test_a_persons_chronology_holds_only_their_entries(entries: Entries) -> None:
    p = entries.p
    chronology_record(
        actor=p.maya,
        family=p.ashworth,
        person=p.jordan,
        occurred_on=datetime.date(2026, 11, 3),
        kind=EntryKind.ATTENDANCE,
        summary="Came to the scan",
    )
    page = selectors.person_chronology(actor=p.maya, person=p.chloe)
    assert {s.entry for s in page.entries} == {entries.attendance, entries.incident}


@pytest.mark.parametrize("after", ["", "nonsense", "2026-13-01.4", "2026-11-01.x"])
def test_an_unreadable_cursor_starts_from_the_newest(entries: Entries, after: str) -> None:
    page = selectors.family_chronology(actor=entries.p.maya, family=entries.p.ashworth, after=after)
    assert len(page.entries) == 2
