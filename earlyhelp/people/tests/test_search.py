"""Finding a person (people.search), on SQLite here and with pg_trgm on PostgreSQL.

The suite runs a second time against PostgreSQL (scripts/test.sh), so the same tests cover
both ways of matching names with typos.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.people import services
from earlyhelp.people.models import Address, Person, Sex
from earlyhelp.people.search import SearchCriteria, person_search

pytestmark = pytest.mark.django_db

CHLOE_BORN = datetime.date(2009, 5, 14)


@pytest.fixture
def indexed(partnership):
    """The distinct-names table the fuzzy search reads, filled as the services would."""
    services.search_names_add(
        key
        for person in Person.objects.all()
        for key in (person.given_name_key, person.family_name_key)
    )
    return partnership


def found(actor, **criteria: object) -> list[Person]:
    return person_search(actor=actor, criteria=SearchCriteria(**criteria)).persons  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["Chloe Ashworth", "Chloe Ashwerth", "chloe ashworth", "Cloe Ashworth", "Chloé  Ashworth"],
)
def test_name_with_or_without_a_typo_finds_the_person(indexed, name: str) -> None:
    assert indexed.chloe in found(indexed.maya, name=name)


@pytest.mark.parametrize("name", ["Chloe Ashworth", "Chloe Ashwerth"])
def test_name_and_date_of_birth_find_only_that_person(indexed, name: str) -> None:
    assert found(indexed.maya, name=name, date_of_birth=CHLOE_BORN) == [indexed.chloe]


def test_family_name_alone_with_a_typo_finds_the_family(indexed) -> None:
    assert set(found(indexed.maya, name="Ashwerth")) == {indexed.chloe, indexed.unborn}


def test_date_of_birth_alone_finds_the_person(indexed) -> None:
    assert found(indexed.maya, date_of_birth=CHLOE_BORN) == [indexed.chloe]


def test_an_unborn_baby_is_found_by_the_expected_date(indexed) -> None:
    due = indexed.unborn.expected_date_of_delivery
    assert found(indexed.maya, date_of_birth=due) == [indexed.unborn]


def test_nhs_number_finds_exactly_one_person(indexed) -> None:
    Person.objects.filter(pk=indexed.jordan.pk).update(nhs_number="9434765919")
    assert found(indexed.maya, nhs_number="943 476 5919") == [indexed.jordan]
    assert found(indexed.maya, nhs_number="9990000018") == []


def test_postcode_finds_people_who_live_or_lived_there(indexed) -> None:
    Address.objects.create(
        person=indexed.chloe,
        line_1="1 Mill Lane",
        town="Wyvern",
        postcode="LS1 4AP",
        local_authority="Wyvern",
        moved_in_on=datetime.date(2025, 1, 1),
    )
    assert found(indexed.maya, postcode="ls14ap") == [indexed.chloe]
    assert found(indexed.maya, postcode="LS1 4AP", name="Pike") == []


def test_a_person_recorded_a_moment_ago_is_found_with_a_typo(indexed) -> None:
    amber = services.person_create(
        actor=indexed.maya,
        details=services.PersonDetails(
            given_name="Amber",
            family_name="Brennan",
            sex=Sex.FEMALE,
            date_of_birth=datetime.date(2009, 3, 15),
        ),
        family=indexed.ashworth,
        relationship="sibling",
    )
    assert found(indexed.maya, name="Amber Brenan") == [amber]


def test_results_hold_only_people_the_searcher_may_see(indexed) -> None:
    p = indexed
    # Leah Ashworth has the same family name but is not in a family the midwife works with.
    assert p.stranger not in found(p.maya, name="Ashworth")
    assert found(p.fatima, name="Leah Ashworth") == [p.stranger]
    for persona in (p.owen, p.sam, p.bea):
        assert found(persona, name="Ashworth") == []


def test_hidden_likely_match_is_reported_without_any_detail(indexed) -> None:
    result = person_search(
        actor=indexed.owen,
        criteria=SearchCriteria(name="Chloe Ashworth", date_of_birth=CHLOE_BORN),
    )
    assert result.persons == []
    assert result.match_not_visible is True


def test_visible_match_is_not_reported_as_hidden(indexed) -> None:
    result = person_search(
        actor=indexed.maya,
        criteria=SearchCriteria(name="Chloe Ashworth", date_of_birth=CHLOE_BORN),
    )
    assert (result.persons, result.match_not_visible) == ([indexed.chloe], False)


def test_a_common_name_alone_is_not_a_likely_hidden_match(indexed) -> None:
    result = person_search(actor=indexed.owen, criteria=SearchCriteria(name="Kim Ashworth"))
    assert result.match_not_visible is False


def test_search_page_for_an_outsider_says_a_record_may_exist_and_nothing_more(
    indexed, as_persona
) -> None:
    p = indexed
    response = as_persona(p.owen).get(
        reverse("people:search"),
        {
            "name": "Chloe Ashworth",
            "date_of_birth_day": "14",
            "date_of_birth_month": "5",
            "date_of_birth_year": "2009",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There may be a record for this person that you do not have access to" in body
    assert "Contact the front door to ask for access" in body
    assert "No one found" in body
    for detail in ("Ashworth household", "Jordan", "Leah", "Pike", "Mother"):
        assert detail not in body
    for person in Person.objects.all():
        assert reverse("people:person_detail", args=[person.pk]) not in body


def test_search_is_recorded(indexed) -> None:
    person_search(
        actor=indexed.maya, criteria=SearchCriteria(name="Chloe", date_of_birth=CHLOE_BORN)
    )
    event = AccessEvent.objects.get(action=AccessAction.SEARCH)
    assert event.actor == indexed.maya
    assert event.object_type == "people.person"
    assert "name=Chloe" in event.detail
    assert "dob=2009-05-14" in event.detail
    assert "1 shown" in event.detail


@pytest.mark.parametrize("name", ["", "   ", "!!", "2009"])
def test_a_search_without_anything_to_search_by_finds_nobody(indexed, name: str) -> None:
    result = person_search(actor=indexed.fatima, criteria=SearchCriteria(name=name))
    assert result.persons == []
    assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()
