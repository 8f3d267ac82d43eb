"""The people pages, as the personas use them."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.people import rules, services
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    Relationship,
)
from earlyhelp.people.services import DUPLICATE_NHS_NUMBER

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    # The pages use the real date, so the tests' dates are relative to it.
    return timezone.localdate()


def date_fields(name: str, day: object, month: object, year: object) -> dict[str, str]:
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def date_of(name: str, value: datetime.date) -> dict[str, str]:
    return date_fields(name, value.day, value.month, value.year)


def rows_saved() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Family.objects.count(),
        FamilyMember.objects.count(),
        Involvement.objects.count(),
        Address.objects.count(),
        AuditEvent.objects.count(),
    )


def field_error(body: str, field_id: str) -> str:
    """The text of a field's GOV.UK error message, or "" when it has none."""
    match = re.search(
        rf'<p id="{field_id}-error" class="govuk-error-message">(.*?)</p>', body, re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def assert_shows_error(response: Any, field: str, message: str, *, on_field: bool = True) -> None:
    """The page is shown again with the error summary linking to the field, and the message
    on the field itself (not for errors about the whole form)."""
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error: " in body
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    link = rf'<a href="#id_{field}(_\d)?">[^<]*{re.escape(message)}'
    assert re.search(link, summary.group(0)), summary.group(0)
    if on_field:
        assert message in field_error(body, f"id_{field}")


# Who sees what


def test_involved_midwife_sees_the_family_and_each_member(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    response = client.get(reverse("people:family_detail", args=[p.ashworth.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Ashworth household", "Chloe Ashworth", "Jordan Pike", "Mother", "Father"):
        assert text in body
    due = p.unborn.expected_date_of_delivery
    assert f"Unborn, due {due.day} {due:%B %Y}" in body
    assert "Wyvern Hospitals Midwifery" in body
    assert "Antenatal care" in body
    for person in (p.chloe, p.jordan, p.unborn):
        response = client.get(reverse("people:person_detail", args=[person.pk]))
        assert response.status_code == 200
        assert person.display_name in response.content.decode()
    views = AccessEvent.objects.filter(actor=p.maya, action=AccessAction.VIEW)
    assert views.count() == 4
    assert set(views.values_list("route", flat=True)) == {"involvement"}
    assert set(views.values_list("object_type", "object_id")) == {
        ("people.family", str(p.ashworth.pk)),
        ("people.person", str(p.chloe.pk)),
        ("people.person", str(p.jordan.pk)),
        ("people.person", str(p.unborn.pk)),
    }


def test_person_page_shows_age_addresses_and_involvement(partnership, as_persona) -> None:
    p = partnership
    Address.objects.create(
        person=p.chloe,
        line_1="1 Mill Lane",
        town="Wyvern",
        postcode="LS1 4AP",
        local_authority="Wyvern",
        moved_in_on=datetime.date(2025, 1, 10),
    )
    Person.objects.filter(pk=p.chloe.pk).update(nhs_number="9434765919")
    response = as_persona(p.maya).get(reverse("people:person_detail", args=[p.chloe.pk]))
    body = response.content.decode()
    assert "943 476 5919" in body
    assert "1 Mill Lane" in body
    assert "LS1 4AP" in body
    age = rules.age_on(p.chloe.date_of_birth, today())
    assert re.search(rf"Age</dt>\s*<dd[^>]*>\s*{age}\s*</dd>", body)
    assert "Ashworth household" in body


def test_a_parent_under_18_is_shown_as_a_child_in_their_own_right(partnership, as_persona) -> None:
    """R-WT-9: a parent under 18 is also a child."""
    p = partnership
    sixteen = today().replace(year=today().year - 16, day=1)
    Person.objects.filter(pk=p.chloe.pk).update(date_of_birth=sixteen)
    Person.objects.filter(pk=p.jordan.pk).update(date_of_birth=datetime.date(2000, 1, 1))
    client = as_persona(p.maya)
    tag = "Also a child in their own right"
    assert tag in client.get(reverse("people:person_detail", args=[p.chloe.pk])).content.decode()
    assert (
        tag not in client.get(reverse("people:person_detail", args=[p.jordan.pk])).content.decode()
    )
    family_page = client.get(reverse("people:family_detail", args=[p.ashworth.pk])).content.decode()
    assert family_page.count(tag) == 1


def person_and_family_pages(p: Any) -> list[str]:
    midwives = Involvement.objects.get(organisation=p.midwifery)
    return [
        reverse("people:person_detail", args=[p.chloe.pk]),
        reverse("people:person_edit", args=[p.chloe.pk]),
        reverse("people:record_birth", args=[p.unborn.pk]),
        reverse("people:address_add", args=[p.chloe.pk]),
        reverse("people:involvement_add", kwargs={"person_pk": p.chloe.pk}),
        reverse("people:family_detail", args=[p.ashworth.pk]),
        reverse("people:member_add", args=[p.ashworth.pk]),
        reverse("people:involvement_add", kwargs={"family_pk": p.ashworth.pk}),
        reverse("people:involvement_end", args=[midwives.pk]),
    ]


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_others_get_404_on_every_person_and_family_page(partnership, as_persona, persona) -> None:
    p = partnership
    user = getattr(p, persona)
    client = as_persona(user)
    pages = person_and_family_pages(p)
    read_only = {
        reverse("people:person_detail", args=[p.chloe.pk]),
        reverse("people:family_detail", args=[p.ashworth.pk]),
    }
    before = rows_saved()
    forms = [url for url in pages if url not in read_only]
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in forms:
        assert client.post(url, {"given_name": "X", "version": "1"}).status_code == 404, url
    assert rows_saved() == before
    denied = AccessEvent.objects.filter(actor=user, action=AccessAction.DENIED)
    assert denied.count() == len(pages) + len(forms)
    assert not AccessEvent.objects.filter(actor=user, action=AccessAction.VIEW).exists()
    assert {"people.person", "people.family", "people.involvement"} == set(
        denied.values_list("object_type", flat=True)
    )


@pytest.mark.parametrize("persona", ["sam", "bea"])
def test_roles_without_family_records_get_404_on_every_people_page(
    partnership, as_persona, persona
) -> None:
    client = as_persona(getattr(partnership, persona))
    for name in ("people:search", "people:family_list", "people:family_create"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.post(reverse("people:family_create"), {"name": "X"}).status_code == 404
    assert not Family.objects.filter(name="X").exists()
    # Nor does the menu offer them.
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("people:search") not in home


def test_missing_and_forbidden_look_the_same(partnership, as_persona) -> None:
    client = as_persona(partnership.owen)
    missing = client.get(reverse("people:person_detail", args=[999999]))
    # An id too large for the database is missing too, not an error.
    assert client.get("/people/99999999999999999999999/").status_code == 404
    forbidden = client.get(reverse("people:person_detail", args=[partnership.chloe.pk]))
    assert missing.status_code == forbidden.status_code == 404

    def without_nonce(response: Any) -> str:
        # The CSP nonce differs on every response, whatever the page.
        return re.sub(r'nonce="[^"]*"', "", response.content.decode())

    assert without_nonce(missing) == without_nonce(forbidden)
    assert "Page not found" in without_nonce(missing)
    refused = AccessEvent.objects.filter(actor=partnership.owen, action=AccessAction.DENIED)
    assert {"999999", str(partnership.chloe.pk)} <= set(refused.values_list("object_id", flat=True))


def test_pages_need_sign_in(partnership, client, settings) -> None:
    settings.LOGIN_URL = "/account/sign-in/"
    for url in [
        reverse("people:search"),
        reverse("people:family_list"),
        *person_and_family_pages(partnership),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/sign-in/"), url
    assert not AccessEvent.objects.exists()


def test_family_list_shows_visible_families_50_a_page(partnership, as_persona) -> None:
    p = partnership
    for number in range(60):
        services.family_create(actor=p.fatima, name=f"Family {number:02d}")
    client = as_persona(p.fatima)
    first = client.get(reverse("people:family_list")).content.decode()
    after = re.search(r"\?after=(\d+)&amp;page=2", first)
    assert after
    second = client.get(
        reverse("people:family_list"), {"after": after.group(1), "page": "2"}
    ).content.decode()
    assert first.count('<th scope="row"') == 50
    assert second.count('<th scope="row"') == 11
    assert "Ashworth household" in first
    assert "Chloe Ashworth" in first
    assert 'rel="next"' in first
    # A page number that is not a page shows a page, never an error.
    assert client.get(reverse("people:family_list"), {"page": "x"}).status_code == 200
    assert AccessEvent.objects.filter(actor=p.fatima, action=AccessAction.LIST).count() == 3
    # The midwife's list holds only the family her agency works with.
    mine = as_persona(p.maya).get(reverse("people:family_list")).content.decode()
    assert "Ashworth household" in mine
    assert "Family 00" not in mine


# Searching


def test_search_page_finds_and_links_to_visible_people(partnership, as_persona) -> None:
    p = partnership
    services.search_names_add(["CHLOE", "ASHWORTH"])
    Person.objects.filter(pk=p.chloe.pk).update(nhs_number="9434765919")
    response = as_persona(p.maya).get(reverse("people:search"), {"name": "Chloe Ashwerth"})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("people:person_detail", args=[p.chloe.pk]) in body
    assert "14 May 2009" in body
    assert "943 476 5919" in body
    assert "Leah" not in body
    assert "There may be a record" not in body
    assert AccessEvent.objects.filter(actor=p.maya, action=AccessAction.SEARCH).count() == 1


def test_search_page_first_visit_shows_an_empty_form(partnership, as_persona) -> None:
    response = as_persona(partnership.maya).get(reverse("people:search"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in body
    assert reverse("people:family_create") in body


def test_empty_search_shows_the_error_summary(partnership, as_persona) -> None:
    response = as_persona(partnership.maya).get(
        reverse("people:search"), {"name": "", "postcode": " "}
    )
    message = "Enter a name, date of birth, NHS number or postcode to search"
    assert_shows_error(response, "name", message, on_field=False)
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("query", "field_id", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"postcode": "LS1"}, "postcode", "Enter a full UK postcode"),
        ({"name": "!!"}, "name", "Name must include at least one letter"),
        (date_fields("date_of_birth", 31, 2, 2026), "date_of_birth", "must be a real date"),
        (date_fields("date_of_birth", "ab", "cd", "efgh"), "date_of_birth", "must be a real date"),
        (date_fields("date_of_birth", 14, "", 2009), "date_of_birth", "must include a month"),
    ],
)
def test_search_page_bad_input_shows_the_error_summary(
    partnership, as_persona, query, field_id, message
) -> None:
    response = as_persona(partnership.maya).get(reverse("people:search"), query)
    assert_shows_error(response, field_id, message)
    assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()


# Recording a family


def family_form(**changes: str) -> dict[str, str]:
    due = today() + datetime.timedelta(days=120)
    data = {
        "name": "Brennan household",
        "relationship": "mother",
        "given_name": "Amber",
        "family_name": "Brennan",
        **date_fields("date_of_birth", 15, 3, 2009),
        "nhs_number": "999 000 0018",
        "expecting": "yes",
        **date_of("expected_date_of_delivery", due),
    }
    data.update(changes)
    return data


def test_record_a_family_with_an_unborn_baby(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    response = client.post(reverse("people:family_create"), family_form())
    family = Family.objects.get(name="Brennan household")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:family_detail", args=[family.pk])
    members = {m.relationship: m.person for m in family.members.all()}
    assert set(members) == {Relationship.MOTHER, Relationship.UNBORN_BABY}
    mother, baby = members[Relationship.MOTHER], members[Relationship.UNBORN_BABY]
    assert (mother.display_name, mother.date_of_birth, mother.nhs_number) == (
        "Amber Brennan",
        datetime.date(2009, 3, 15),
        "9990000018",
    )
    assert baby.is_unborn
    assert baby.expected_date_of_delivery == today() + datetime.timedelta(days=120)
    assert Involvement.objects.get(family=family).organisation == p.midwifery
    page = client.get(response["Location"]).content.decode()
    assert "Brennan household has been recorded" in page
    assert "Unborn baby Brennan" in page


def test_record_a_family_without_a_baby(partnership, as_persona) -> None:
    response = as_persona(partnership.owen).post(
        reverse("people:family_create"), family_form(expecting="no")
    )
    assert response.status_code == 302
    family = Family.objects.get(name="Brennan household")
    assert [m.relationship for m in family.members.all()] == [Relationship.MOTHER]


def future_date_of_birth() -> dict[str, str]:
    return date_of("date_of_birth", today() + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"nhs_number": "12345"}, "nhs_number", "Enter a valid NHS number"),
        (future_date_of_birth(), "date_of_birth", "Date of birth must be today or in the past"),
        (
            date_fields("date_of_birth", 31, 2, 2026),
            "date_of_birth",
            "Date of birth must be a real date",
        ),
        (
            date_fields("date_of_birth", "fif", "teen", "2009"),
            "date_of_birth",
            "Date of birth must be a real date",
        ),
        (date_fields("date_of_birth", 15, 3, 9), "date_of_birth", "Year must include 4 numbers"),
        (date_fields("date_of_birth", "", "", ""), "date_of_birth", "Enter a date of birth"),
        (
            date_of("expected_date_of_delivery", today() - datetime.timedelta(days=1)),
            "expected_date_of_delivery",
            "Expected date of delivery must be today or in the future",
        ),
        (
            date_of("expected_date_of_delivery", rules.add_months(today(), 11)),
            "expected_date_of_delivery",
            "Expected date of delivery must be within 10 months from today",
        ),
        (
            date_fields("expected_date_of_delivery", "", "", ""),
            "expected_date_of_delivery",
            "Enter the expected date of delivery",
        ),
        ({"name": ""}, "name", "Enter a name for the family"),
        ({"family_name": ""}, "family_name", "Enter a family name"),
        ({"relationship": "landlord"}, "relationship", "Select how they are related"),
        ({"expecting": ""}, "expecting", "Select yes if there is an unborn baby"),
    ],
)
def test_record_a_family_bad_input_saves_nothing(
    partnership, as_persona, changes, field_id, message
) -> None:
    before = rows_saved()
    response = as_persona(partnership.maya).post(
        reverse("people:family_create"), family_form(**changes)
    )
    assert_shows_error(response, field_id, message)
    assert rows_saved() == before


@pytest.mark.parametrize(
    ("day", "month", "year", "anchor", "boxes_in_error"),
    [
        ("14", "", "2009", "#id_date_of_birth_1", ["month"]),
        ("", "", "2009", "#id_date_of_birth_0", ["day", "month"]),
        ("14", "5", "09", "#id_date_of_birth_2", ["year"]),
        ("31", "2", "2026", "#id_date_of_birth_0", ["day", "month", "year"]),
    ],
)
def test_date_errors_point_at_the_boxes_concerned(
    partnership, as_persona, day, month, year, anchor, boxes_in_error
) -> None:
    response = as_persona(partnership.maya).post(
        reverse("people:family_create"),
        family_form(**date_fields("date_of_birth", day, month, year)),
    )
    body = response.content.decode()
    assert f'<a href="{anchor}">' in body
    for box in ("day", "month", "year"):
        in_error = re.search(
            rf'class="([^"]*)" id="id_date_of_birth_\d" name="date_of_birth_{box}"', body
        )
        assert in_error
        assert ("govuk-input--error" in in_error.group(1)) is (box in boxes_in_error), box


def test_record_a_family_shows_every_problem_at_once(partnership, as_persona) -> None:
    changes = {
        "nhs_number": "9434765918",
        **date_of("expected_date_of_delivery", today() - datetime.timedelta(days=1)),
    }
    before = rows_saved()
    response = as_persona(partnership.maya).post(
        reverse("people:family_create"), family_form(**changes)
    )
    body = response.content.decode()
    assert "Enter a valid NHS number" in field_error(body, "id_nhs_number")
    assert "today or in the future" in field_error(body, "id_expected_date_of_delivery")
    assert rows_saved() == before


def test_record_a_family_keeps_what_was_typed(partnership, as_persona) -> None:
    response = as_persona(partnership.maya).post(
        reverse("people:family_create"), family_form(nhs_number="9434765918")
    )
    body = response.content.decode()
    assert 'value="Amber"' in body
    assert 'value="9434765918"' in body
    assert 'name="date_of_birth_year" type="text" inputmode="numeric" value="2009"' in body


def test_record_a_family_with_a_number_already_recorded_saves_nothing(
    partnership, as_persona
) -> None:
    Person.objects.filter(pk=partnership.stranger.pk).update(nhs_number="9990000018")
    before = rows_saved()
    response = as_persona(partnership.maya).post(
        reverse("people:family_create"), family_form(not_a_duplicate="yes")
    )
    assert_shows_error(response, "nhs_number", DUPLICATE_NHS_NUMBER)
    assert rows_saved() == before


def test_likely_duplicate_is_shown_before_saving(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    chloe_again = family_form(
        name="Ashworth flat",
        given_name="Chloe",
        family_name="Ashworth",
        nhs_number="",
        **date_fields("date_of_birth", 14, 5, 2009),
    )
    before = rows_saved()
    response = client.post(reverse("people:family_create"), chloe_again)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be recorded" in body
    assert reverse("people:person_detail", args=[p.chloe.pk]) in body
    assert "None of these is the same person" in body
    assert "There is a problem" not in body  # a warning, not yet an error
    assert rows_saved() == before
    shown = AccessEvent.objects.get(actor=p.maya, action=AccessAction.SEARCH)
    assert shown.detail == "likely duplicates -> 1 shown"

    # Submitting again without saying they are someone else is an error on the checkbox.
    response = client.post(
        reverse("people:family_create"), {**chloe_again, "duplicates_shown": "yes"}
    )
    assert_shows_error(response, "not_a_duplicate", "None of these is the same person")
    assert rows_saved() == before

    response = client.post(
        reverse("people:family_create"), {**chloe_again, "not_a_duplicate": "yes"}
    )
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Chloe", family_name="Ashworth").count() == 2


def test_likely_duplicate_the_user_cannot_see_is_only_a_note(partnership, as_persona) -> None:
    p = partnership
    response = as_persona(p.owen).post(
        reverse("people:family_create"),
        family_form(
            given_name="Chloe",
            family_name="Ashworth",
            nhs_number="",
            **date_fields("date_of_birth", 14, 5, 2009),
        ),
    )
    body = response.content.decode()
    assert "There may be a record for this person that you do not have access to" in body
    assert reverse("people:person_detail", args=[p.chloe.pk]) not in body
    assert reverse("people:family_detail", args=[p.ashworth.pk]) not in body
    assert "Chloe Ashworth" not in body
    assert not Family.objects.filter(name="Brennan household").exists()


# Adding someone to a family


def test_add_a_child_to_a_family(partnership, as_persona) -> None:
    p = partnership
    response = as_persona(p.maya).post(
        reverse("people:member_add", args=[p.ashworth.pk]),
        {
            "relationship": "child",
            "given_name": "Mia",
            "family_name": "Ashworth",
            "sex": "female",
            **date_of("date_of_birth", today() - datetime.timedelta(days=400)),
        },
    )
    assert response.status_code == 302
    mia = Person.objects.get(given_name="Mia")
    assert FamilyMember.objects.get(person=mia).relationship == Relationship.CHILD


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (future_date_of_birth(), "date_of_birth", "must be today or in the past"),
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"sex": ""}, "sex", "Select their sex"),
        (
            {"relationship": "unborn_baby", "given_name": ""},
            "date_of_birth",
            "An unborn baby has an expected date of delivery",
        ),
    ],
)
def test_add_to_a_family_bad_input_saves_nothing(
    partnership, as_persona, changes, field_id, message
) -> None:
    p = partnership
    data = {
        "relationship": "child",
        "given_name": "Mia",
        "family_name": "Ashworth",
        "sex": "female",
        **date_of("date_of_birth", today() - datetime.timedelta(days=400)),
        **changes,
    }
    before = rows_saved()
    response = as_persona(p.maya).post(reverse("people:member_add", args=[p.ashworth.pk]), data)
    assert_shows_error(response, field_id, message)
    assert rows_saved() == before


# Recording the birth


def test_record_the_birth_on_the_page(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    url = reverse("people:record_birth", args=[p.unborn.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **date_of("date_of_birth", today()),
            "given_name": "Rosie",
            "sex": "female",
            "nhs_number": "999 000 0026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[p.unborn.pk])
    baby = Person.objects.get(pk=p.unborn.pk)
    assert (baby.is_unborn, baby.date_of_birth, baby.given_name) == (False, today(), "Rosie")
    assert FamilyMember.objects.get(person=baby).relationship == Relationship.CHILD
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Birth recorded" in page
    assert "Rosie Ashworth" in page
    # Recording it again is not offered.
    again = client.get(url)
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (future_date_of_birth(), "date_of_birth", "Date of birth must be today or in the past"),
        (date_fields("date_of_birth", 31, 2, 2026), "date_of_birth", "must be a real date"),
        (
            date_fields("date_of_birth", "", "", ""),
            "date_of_birth",
            "Enter the baby's date of birth",
        ),
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"given_name": ""}, "given_name", "Enter a given name"),
    ],
)
def test_record_the_birth_bad_input_changes_nothing(
    partnership, as_persona, changes, field_id, message
) -> None:
    p = partnership
    data = {**date_of("date_of_birth", today()), "given_name": "Rosie", "sex": "female", **changes}
    before = rows_saved()
    response = as_persona(p.maya).post(reverse("people:record_birth", args=[p.unborn.pk]), data)
    assert_shows_error(response, field_id, message)
    assert rows_saved() == before
    assert Person.objects.get(pk=p.unborn.pk).is_unborn


def test_record_the_birth_with_a_number_already_recorded(partnership, as_persona) -> None:
    p = partnership
    Person.objects.filter(pk=p.chloe.pk).update(nhs_number="9990000026")
    response = as_persona(p.maya).post(
        reverse("people:record_birth", args=[p.unborn.pk]),
        {
            **date_of("date_of_birth", today()),
            "given_name": "Rosie",
            "sex": "female",
            "nhs_number": "9990000026",
        },
    )
    assert_shows_error(response, "nhs_number", DUPLICATE_NHS_NUMBER)
    assert Person.objects.get(pk=p.unborn.pk).is_unborn


# Changing details


def edit_form(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "nhs_number": person.nhs_number or "",
        "nhs_number_source": "",
        "ethnicity": "",
        "first_language": "",
        "version": str(person.version),
    }
    if person.date_of_birth:
        data.update(date_of("date_of_birth", person.date_of_birth))
    data.update(changes)
    return data


def test_change_details(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    page = client.get(reverse("people:person_edit", args=[p.chloe.pk])).content.decode()
    assert 'name="version" value="1"' in page
    response = client.post(
        reverse("people:person_edit", args=[p.chloe.pk]),
        edit_form(p.chloe, first_language="Polish", nhs_number="943 476 5919"),
    )
    assert response.status_code == 302
    chloe = Person.objects.get(pk=p.chloe.pk)
    assert (chloe.first_language, chloe.nhs_number, chloe.version) == ("Polish", "9434765919", 2)


def test_edit_conflict_keeps_the_input_and_says_what_happened(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.maya)
    form = edit_form(p.chloe, first_language="Urdu")
    # Fatima saves a change after Maya opened the page.
    services.person_update(
        actor=p.fatima,
        person=p.chloe,
        details=services.PersonDetails(
            given_name="Chloe",
            family_name="Ashworth",
            sex="female",
            date_of_birth=p.chloe.date_of_birth,
            first_language="Polish",
        ),
        version=1,
    )
    response = client.post(reverse("people:person_edit", args=[p.chloe.pk]), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "Someone else changed this record while you were editing." in body
    assert "Check their changes and try again." in body
    assert 'value="Urdu"' in body  # what Maya typed
    assert "Polish" in body  # what Fatima saved
    chloe = Person.objects.get(pk=p.chloe.pk)
    assert (chloe.first_language, chloe.version) == ("Polish", 2)
    # Having checked, saving again applies Maya's change.
    assert 'name="version" value="2"' in body
    response = client.post(
        reverse("people:person_edit", args=[p.chloe.pk]), {**form, "version": "2"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=p.chloe.pk).first_language == "Urdu"


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"family_name": "  "}, "family_name", "Enter a family name"),
        (date_fields("date_of_birth", 31, 2, 2026), "date_of_birth", "must be a real date"),
        (future_date_of_birth(), "date_of_birth", "must be today or in the past"),
    ],
)
def test_change_details_bad_input_changes_nothing(
    partnership, as_persona, changes, field_id, message
) -> None:
    p = partnership
    before = rows_saved()
    response = as_persona(p.maya).post(
        reverse("people:person_edit", args=[p.chloe.pk]), edit_form(p.chloe, **changes)
    )
    assert_shows_error(response, field_id, message)
    assert rows_saved() == before
    assert Person.objects.get(pk=p.chloe.pk).version == 1


def test_change_an_unborn_babys_expected_date(partnership, as_persona) -> None:
    p = partnership
    due = today() + datetime.timedelta(days=30)
    data = edit_form(p.unborn, **date_of("expected_date_of_delivery", due))
    response = as_persona(p.maya).post(reverse("people:person_edit", args=[p.unborn.pk]), data)
    assert response.status_code == 302
    assert Person.objects.get(pk=p.unborn.pk).expected_date_of_delivery == due


# Addresses


def address_form(**changes: str) -> dict[str, str]:
    return {
        "line_1": "1 Mill Lane",
        "town": "Wyvern",
        "postcode": "ls1 4ap",
        "local_authority": "Wyvern",
        "inside_partnership_area": "yes",
        "accommodation_type": "social_rent",
        **date_fields("moved_in_on", 1, 9, 2026),
        **changes,
    }


def test_add_an_address(partnership, as_persona) -> None:
    p = partnership
    response = as_persona(p.maya).post(
        reverse("people:address_add", args=[p.chloe.pk]), address_form()
    )
    assert response.status_code == 302
    address = Address.objects.get(person=p.chloe)
    assert (address.postcode, address.accommodation_type) == ("LS1 4AP", "social_rent")


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"postcode": "LS1"}, "postcode", "Enter a full UK postcode, like LS1 4AP"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a full UK postcode"),
        ({"line_1": ""}, "line_1", "Enter the first line of the address"),
        ({"accommodation_type": ""}, "accommodation_type", "Select the type of accommodation"),
        (date_fields("moved_in_on", 31, 2, 2026), "moved_in_on", "must be a real date"),
        (date_fields("moved_in_on", "", "", ""), "moved_in_on", "Enter the date they moved in"),
    ],
)
def test_add_an_address_bad_input_saves_nothing(
    partnership, as_persona, changes, field_id, message
) -> None:
    p = partnership
    before = rows_saved()
    response = as_persona(p.maya).post(
        reverse("people:address_add", args=[p.chloe.pk]), address_form(**changes)
    )
    assert_shows_error(response, field_id, message)
    assert rows_saved() == before


# Involvement


def test_record_and_end_your_agencys_involvement(partnership, as_persona) -> None:
    p = partnership
    client = as_persona(p.fatima)
    response = client.post(
        reverse("people:involvement_add", kwargs={"family_pk": p.ashworth.pk}),
        {"organisation": str(p.early_help.pk), "service": "Family support"},
    )
    assert response.status_code == 302
    involvement = Involvement.objects.get(organisation=p.early_help)
    assert (involvement.family, involvement.service) == (p.ashworth, "Family support")
    assert involvement.started_on == today()
    family_page = client.get(reverse("people:family_detail", args=[p.ashworth.pk])).content.decode()
    end_url = reverse("people:involvement_end", args=[involvement.pk])
    assert end_url in family_page
    # The midwives' involvement is theirs to end, not Fatima's.
    midwives = Involvement.objects.get(organisation=p.midwifery)
    assert reverse("people:involvement_end", args=[midwives.pk]) not in family_page
    assert client.get(reverse("people:involvement_end", args=[midwives.pk])).status_code == 404
    assert AccessEvent.objects.filter(
        actor=p.fatima, action=AccessAction.DENIED, object_id=str(midwives.pk)
    ).exists()
    response = client.post(end_url, {})
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == today()
    midwives.refresh_from_db()
    assert midwives.ended_on is None


def test_ending_the_last_involvement_goes_back_to_the_family_list(partnership, as_persona) -> None:
    p = partnership
    midwives = Involvement.objects.get(organisation=p.midwifery)
    url = reverse("people:involvement_end", args=[midwives.pk])
    # Access lasts to the end of the day it ends (sharing.policies); from yesterday, it is gone.
    response = as_persona(p.maya).post(
        url, date_of("ended_on", today() - datetime.timedelta(days=1))
    )
    assert response["Location"] == reverse("people:family_list")
    assert as_persona(p.maya).get(url).status_code == 404


def test_involvement_start_date_in_the_future_is_refused(partnership, as_persona) -> None:
    p = partnership
    before = rows_saved()
    response = as_persona(p.maya).post(
        reverse("people:involvement_add", kwargs={"person_pk": p.chloe.pk}),
        {
            "organisation": str(p.midwifery.pk),
            **date_of("started_on", today() + datetime.timedelta(days=2)),
        },
    )
    assert_shows_error(response, "started_on", "The start date must be today or in the past")
    assert rows_saved() == before


def test_no_other_agency_can_be_chosen(partnership, as_persona) -> None:
    p = partnership
    response = as_persona(p.maya).post(
        reverse("people:involvement_add", kwargs={"family_pk": p.ashworth.pk}),
        {"organisation": str(p.police.pk)},
    )
    assert response.status_code == 200
    assert "Select your agency" in response.content.decode()
    assert not Involvement.objects.filter(organisation=p.police).exists()


@pytest.mark.parametrize(
    ("url_name", "summary_text"),
    [
        ("people:family_create", "Enter a name for the family"),
        ("people:member_add", "Select how they are related to the family"),
        ("people:record_birth", "Enter the baby's date of birth"),
        ("people:address_add", "Enter the date they moved in"),
    ],
)
def test_an_empty_form_shows_what_is_missing(
    partnership, as_persona, url_name, summary_text
) -> None:
    p = partnership
    args = {
        "people:family_create": [],
        "people:member_add": [p.ashworth.pk],
        "people:record_birth": [p.unborn.pk],
        "people:address_add": [p.chloe.pk],
    }[url_name]
    before = rows_saved()
    response = as_persona(p.maya).post(reverse(url_name, args=args), {})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert summary_text in body
    assert rows_saved() == before
