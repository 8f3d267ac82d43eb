"""Housing pages as personas: who reaches housing work (HOUSING_STAFF rows of the access
matrix), the GOV.UK error summary on bad input (never a 500), the approval workflow, the
notice letter and its PDF, the family panel, and need-to-know vulnerabilities (R-IS-12)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from earlyhelp.housing import services
from earlyhelp.housing.models import HousingCase, Placement, PlacementStatus
from earlyhelp.housing.tests.access_matrix import HOUSING_STAFF, ROWS, records
from earlyhelp.housing.tests.personas import FACTORS, TODAY, WHY, Housing
from earlyhelp.people.models import FamilyMember

pytestmark = pytest.mark.django_db

STAFF_PAGES = sorted(k for k, v in ROWS.items() if v == HOUSING_STAFF)


def _fill(pattern: str, ids: dict[str, object]) -> str:
    import re

    return "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(ids[m.group(1)]), pattern)


def _ids(housing: Housing) -> dict[str, object]:
    ids = records(housing.p)
    # Harry works with Chloe: give the matrix case to him, so his agency sees it.
    HousingCase.objects.filter(pk=int(str(ids["housing_case_pk"]))).update(
        source_organisation=housing.homes, housing_officer=housing.harry
    )
    return {**ids, "family_pk": housing.p.ashworth.pk}


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea", "fatima"])
@pytest.mark.parametrize("pattern", STAFF_PAGES)
def test_housing_work_is_for_housing_staff_only(
    housing: Housing, pattern: str, persona: str
) -> None:
    """Maya sees the family but is not housing; Fatima sees every family but is not housing;
    Owen sees nothing; Sam and Bea never open family records."""
    url = _fill(pattern, _ids(housing))
    client = sign_in(Client(), getattr(housing.p, persona))
    assert client.get(url).status_code == 404, url
    assert client.post(url, {}).status_code in {404, 405}, url


@pytest.mark.parametrize("pattern", STAFF_PAGES)
def test_the_housing_officer_reaches_housing_work(housing: Housing, pattern: str) -> None:
    url = _fill(pattern, _ids(housing))
    response = sign_in(Client(), housing.harry).get(url)
    if pattern.endswith(".pdf"):
        assert response.status_code in {200, 302}  # 302: no PDF libraries on this server
    else:
        assert response.status_code == 200, url


def test_a_housing_officer_of_an_agency_not_involved_gets_404(housing: Housing) -> None:
    """The housing role is not a route to a family: the sharing policy still decides."""
    url = f"/housing/families/{housing.brook.pk}/cases/new/"
    # Harry's agency works with Zara; move that involvement away and he sees nothing.
    housing.zara.involvements.update(organisation=housing.p.police)
    assert sign_in(Client(), housing.harry).get(url).status_code == 404


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_opening_a_case_with_nothing_shows_the_error_summary(housing: Housing) -> None:
    client = sign_in(Client(), housing.harry)
    response = client.post(f"/housing/families/{housing.brook.pk}/cases/new/", {})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Select the parent the case is for" in body
    assert not HousingCase.objects.exists()


def test_the_placement_journey_through_the_pages(housing: Housing) -> None:
    """R-HOU-1 to R-HOU-3: open, stopped out of area, suitability, approval, notice."""
    h = housing
    harry = sign_in(Client(), h.harry)
    response = harry.post(
        f"/housing/families/{h.brook.pk}/cases/new/",
        {
            "person": h.zara.pk,
            "kind": "homelessness",
            "homeless": "yes",
            "vulnerabilities": ["no_family_support"],
        },
    )
    assert response.status_code == 302
    case = HousingCase.objects.get()
    assert case.young_parent_priority
    page = harry.get(f"/housing/families/{h.brook.pk}/").content.decode()
    assert "Young-parent priority" in page and "Zara Brook is 19" in page

    # Bad input: no address, no authority, end before start: the summary, nothing saved.
    bad = harry.post(
        f"/housing/cases/{case.pk}/placements/new/",
        {
            "placement_type": "temporary",
            **_date("start_on", datetime.date(2026, 12, 2)),
            **_date("end_on", datetime.date(2026, 12, 1)),
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in body
    for message in ("first line of the address", "local authority", "end date must be"):
        assert message in body
    assert not Placement.objects.exists()

    harry.post(
        f"/housing/cases/{case.pk}/placements/new/",
        {
            "line_1": "4 Canal Row",
            "town": "Barton",
            "local_authority": "Borsetshire",
            "placement_type": "temporary",
            "part7_function": "s188",
            **_date("start_on", datetime.date(2026, 12, 1)),
        },
    )
    placement = Placement.objects.get()
    assert placement.status == PlacementStatus.AWAITING_APPROVAL

    sunita = sign_in(Client(), h.sunita)
    stopped = sunita.post(f"/housing/placements/{placement.pk}/approval/", {"note": "OK"})
    assert "record the suitability assessment" in stopped.content.decode()
    harry.post(
        f"/housing/placements/{placement.pk}/suitability/",
        {**FACTORS, "why_nothing_nearer": WHY},
    )
    assert sunita.get("/housing/").status_code == 200
    assert "Borsetshire" in sunita.get("/housing/").content.decode()
    done = sunita.post(
        f"/housing/placements/{placement.pk}/approval/",
        {"note": "No safe in-area unit", "version": placement.version + 1},
    )
    assert done.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED
    notice = placement.notice
    letter = harry.get(f"/housing/notices/{notice.pk}/letter/").content.decode()
    assert "section 208" in letter and "4 Canal Row" in letter and "Ava Brook" in letter
    tray = harry.get("/housing/").content.decode()
    assert "Notices to receiving authorities not yet sent" in tray and "Brook household" in tray


def test_the_notice_pdf_is_a_pdf(housing: Housing) -> None:
    pytest.importorskip("weasyprint")
    ids = _ids(housing)
    response = sign_in(Client(), housing.harry).get(
        f"/housing/notices/{ids['housing_notice_pk']}/letter.pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_family_panel_shows_the_priority_and_placement(housing: Housing) -> None:
    h = housing
    case = services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="application",
        vulnerabilities=["other"],
        today=TODAY,
    )
    services.placement_record(
        actor=h.harry,
        case=case,
        line_1="9 Mill Lane",
        town="Wyvern",
        local_authority="Wyvern",
        placement_type="temporary",
        start_on=TODAY,
        today=TODAY,
    )
    body = sign_in(Client(), h.hana).get(f"/people/families/{h.brook.pk}/").content.decode()
    assert 'id="housing-panel-heading"' in body
    assert "Young-parent priority" in body and "9 Mill Lane" in body


def test_need_to_know_vulnerabilities_show_only_who_holds_them(housing: Housing) -> None:
    """R-IS-12: Hana (health visiting) sees that housing holds a mental-health vulnerability,
    not what it is; Harry's agency recorded it and reads it."""
    h = housing
    services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="application",
        vulnerabilities=["mental_health"],
        today=TODAY,
    )
    hana = sign_in(Client(), h.hana).get(f"/housing/families/{h.brook.pk}/").content.decode()
    assert "Held by Wyvern Homes: ask the lead professional" in hana
    assert "Mental health needs" not in hana
    harry = sign_in(Client(), h.harry).get(f"/housing/families/{h.brook.pk}/").content.decode()
    assert "Mental health needs" in harry
    assert "Household today" in harry and "Ava Brook (" in harry


def test_maya_refers_with_consent_and_is_told_when_it_is_missing(housing: Housing) -> None:
    """R-HOU-9 through the page."""
    p = housing.p
    maya = sign_in(Client(), p.maya)
    url = f"/housing/families/{p.ashworth.pk}/duty-to-refer/"
    data = {
        "person": p.chloe.pk,
        "chosen_authority": "Wyvern",
        "homeless_now": "yes",
        **_date("referred_on", TODAY),
    }
    refused = maya.post(url, data)
    assert "needs the person&#x27;s consent" in refused.content.decode()
    assert maya.post(url, {**data, "consent": "yes"}).status_code == 302
    assert FamilyMember.objects.filter(family=p.ashworth).exists()
    page = maya.get(f"/housing/families/{p.ashworth.pk}/").content.decode()
    assert "referred by Wyvern Hospitals Midwifery to Wyvern, with consent" in page


def test_opening_a_case_shows_what_the_shared_record_holds_as_the_officer_may_see_it(
    housing: Housing,
) -> None:
    """Vulnerabilities drawn from the shared record under the sharing policy (R-IS-12):
    CAMHS's need-to-know note is not named to Harry; his own agency's note is, and ticked."""
    from earlyhelp.accounts.models import AgencyType, Organisation
    from earlyhelp.sharing.models import InformationCategory, InformationItem

    h = housing
    camhs = Organisation.objects.create(
        name="Wyvern CAMHS", agency_type=AgencyType.CAMHS, local_authority="Wyvern"
    )
    InformationItem.objects.create(
        person=h.zara,
        category=InformationCategory.objects.get(code="substance_use"),
        summary="Seen by CAMHS",
        source_organisation=camhs,
        recorded_by=h.p.maya,
    )
    url = f"/housing/families/{h.brook.pk}/cases/new/"
    body = sign_in(Client(), h.harry).get(url).content.decode()
    assert "Wyvern CAMHS" not in body
    InformationItem.objects.create(
        person=h.zara,
        category=InformationCategory.objects.get(code="mental_health"),
        summary="Told us at interview",
        source_organisation=h.homes,
        recorded_by=h.harry,
    )
    body = sign_in(Client(), h.harry).get(url).content.decode()
    assert "Zara Brook: Mental health" in body and "recorded by Wyvern Homes" in body
    assert 'value="mental_health" checked' in body
    assert 'value="substance_use" checked' not in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bea", 200), ("maya", 404), ("owen", 404), ("sam", 404), ("fatima", 404)],
)
def test_board_figures_for_the_board_analyst_only(
    housing: Housing, persona: str, status: int
) -> None:
    """R-HOU-1: the board sees how the priority works, as counts (small numbers suppressed)."""
    assert sign_in(Client(), getattr(housing.p, persona)).get("/housing/board/").status_code == (
        status
    )


def test_board_figures_count_and_suppress(housing: Housing) -> None:
    from earlyhelp.housing.selectors import board_figures

    h = housing
    for _ in range(5):
        services.housing_case_open(
            actor=h.harry,
            family=h.brook,
            person_id=h.zara.pk,
            kind="application",
            vulnerabilities=["other"],
            today=TODAY,
        )
        HousingCase.objects.update(closed_on=TODAY)
    [policy] = board_figures(today=TODAY)
    figures = {f.code: f for f in policy.figures}
    assert (figures["priority_decisions"].numerator, figures["priority_decisions"].percent) == (
        5,
        100,
    )
    assert figures["notices_on_time"].denominator == 0  # zero is shown, not suppressed
    HousingCase.objects.filter(pk=HousingCase.objects.first().pk).update(  # type: ignore[union-attr]
        young_parent_priority=False
    )
    HousingCase.objects.filter(young_parent_priority=True).first().delete()  # type: ignore[union-attr]
    [policy] = board_figures(today=TODAY)
    hidden = {f.code: f for f in policy.figures}["priority_decisions"]
    assert hidden.suppressed and hidden.numerator == 0 and hidden.percent is None
    body = sign_in(Client(), h.p.bea).get("/housing/board/").content.decode()
    assert "fewer than 5" in body and "version 2026.1" in body


def test_the_navigation_item_is_for_housing_staff(housing: Housing) -> None:
    """earlyhelp/templates/housing/_navigation_item.html, for core/_navigation.html."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    for user, shown in ((housing.harry, True), (housing.sunita, True), (housing.hana, False)):
        request = RequestFactory().get("/housing/")
        request.user = user
        html = render_to_string("housing/_navigation_item.html", {"request": request})
        assert ('href="/housing/"' in html) is shown, user
        # And in the service navigation of every page.
        page = sign_in(Client(), user).get("/").content.decode()
        assert ('href="/housing/"' in page) is shown, user


def test_ending_a_bed_and_breakfast_stay_stops_its_countdown(housing: Housing) -> None:
    """R-HOU-4: the end recorded on the page; an end before the start is refused."""
    h = housing
    case = services.housing_case_open(
        actor=h.harry,
        family=h.brook,
        person_id=h.zara.pk,
        kind="homelessness",
        vulnerabilities=["other"],
        today=TODAY,
    )
    start = datetime.date(2026, 11, 1)
    placement = services.placement_record(
        actor=h.harry,
        case=case,
        line_1="The Grange Hotel",
        town="Wyvern",
        local_authority="Wyvern City",
        placement_type="bed_and_breakfast",
        start_on=start,
        no_alternative_reason="Fled at night; every self-contained unit was full",
        today=TODAY,
    )
    from earlyhelp.housing.selectors import work_tray

    assert len(work_tray(actor=h.harry, today=TODAY).bed_and_breakfast) == 1
    harry = sign_in(Client(), h.harry)
    url = f"/housing/placements/{placement.pk}/end/"
    refused = harry.post(url, {**_date("end_on", datetime.date(2026, 10, 31)), "version": 1})
    assert "There is a problem" in refused.content.decode()
    assert harry.post(url, {**_date("end_on", start), "version": 1}).status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED and placement.end_on == start
    assert work_tray(actor=h.harry, today=TODAY).bed_and_breakfast == []
