"""Chronology pages as the personas (R-IS-12): filters, bad dates, printing, the family panel."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import sign_in
from earlyhelp.chronology.tests.conftest import INCIDENT_DETAIL, Entries
from earlyhelp.core.models import AccessAction, AccessEvent

pytestmark = pytest.mark.django_db

WITHHELD = "Incident recorded by Wyvern Police: ask the lead professional"


def test_the_family_chronology_hides_the_police_detail_from_the_midwife(
    entries: Entries,
) -> None:
    client = sign_in(Client(), entries.p.maya)
    response = client.get(f"/chronology/families/{entries.p.ashworth.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert WITHHELD in body
    assert INCIDENT_DETAIL not in body
    assert "Attended the 28-week antenatal appointment" in body


def test_filter_by_kind(entries: Entries) -> None:
    client = sign_in(Client(), entries.p.maya)
    body = client.get(
        f"/chronology/families/{entries.p.ashworth.pk}/", {"kind": "attendance"}
    ).content.decode()
    assert "Attended the 28-week" in body
    assert WITHHELD not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
            "From must be a real date",
        ),
        (
            {"date_to_day": "1", "date_to_month": "", "date_to_year": "2026"},
            "To must include a month",
        ),
        (
            {
                "date_from_day": "2",
                "date_from_month": "11",
                "date_from_year": "2026",
                "date_to_day": "1",
                "date_to_month": "11",
                "date_to_year": "2026",
            },
            "To must be the same as or after From",
        ),
        ({"kind": "gossip"}, "Select kinds of event from the list"),
    ],
)
def test_bad_filters_show_the_error_summary_never_a_500(
    entries: Entries, query: dict[str, str], message: str
) -> None:
    client = sign_in(Client(), entries.p.maya)
    response = client.get(f"/chronology/families/{entries.p.ashworth.pk}/", query)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body


def test_the_persons_chronology(entries: Entries) -> None:
    client = sign_in(Client(), entries.p.maya)
    response = client.get(f"/chronology/people/{entries.p.chloe.pk}/")
    assert response.status_code == 200
    assert WITHHELD in response.content.decode()


def test_printing_is_recorded_as_an_export(entries: Entries) -> None:
    client = sign_in(Client(), entries.p.maya)
    response = client.get(f"/chronology/families/{entries.p.ashworth.pk}/print/")
    assert response.status_code == 200
    assert WITHHELD in response.content.decode()
    assert AccessEvent.objects.filter(
        action=AccessAction.EXPORT, object_id=str(entries.p.ashworth.pk), actor=entries.p.maya
    ).exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(entries: Entries, persona: str) -> None:
    client = sign_in(Client(), getattr(entries.p, persona))
    for url in (
        f"/chronology/families/{entries.p.ashworth.pk}/",
        f"/chronology/families/{entries.p.ashworth.pk}/print/",
        f"/chronology/people/{entries.p.chloe.pk}/",
    ):
        assert client.get(url).status_code == 404


def test_the_family_page_shows_the_latest_entries(entries: Entries) -> None:
    client = sign_in(Client(), entries.p.maya)
    body = client.get(f"/people/families/{entries.p.ashworth.pk}/").content.decode()
    assert WITHHELD in body
    assert INCIDENT_DETAIL not in body
    assert f"/chronology/families/{entries.p.ashworth.pk}/" in body


def test_the_pdf_is_recorded_as_an_export(entries: Entries) -> None:
    client = sign_in(Client(), entries.p.maya)
    response = client.get(f"/chronology/families/{entries.p.ashworth.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    events = AccessEvent.objects.filter(action=AccessAction.EXPORT, actor=entries.p.maya)
    assert events.filter(object_id=str(entries.p.ashworth.pk)).exists()


def test_what_goes_into_the_pdf_withholds_need_to_know(
    entries: Entries, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    made: list[str] = []
    real = weasyprint.HTML

    def capture(*, string: str, **kwargs: object) -> object:
        made.append(string)
        return real(string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    client = sign_in(Client(), entries.p.maya)
    assert client.get(f"/chronology/families/{entries.p.ashworth.pk}/pdf/").status_code == 200
    [html] = made
    assert WITHHELD in html
    assert INCIDENT_DETAIL not in html
    assert "Attended the 28-week antenatal appointment" in html
