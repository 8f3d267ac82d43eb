"""The family list pages through what the practitioner may see, without counting it all."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.people.models import Family, Involvement
from earlyhelp.people.views import FAMILIES_PER_PAGE

pytestmark = pytest.mark.django_db


def test_pages_follow_on_and_show_only_visible_families(partnership, as_persona) -> None:
    p = partnership
    for n in range(FAMILIES_PER_PAGE):
        family = Family.objects.create(name=f"Zz family {n:03}")
        Involvement.objects.create(
            organisation=p.midwifery,
            family=family,
            service="Antenatal care",
            started_on=datetime.date(2026, 1, 1),
        )
    Family.objects.create(name="Zz hidden family")  # nobody in midwifery works with them
    client = as_persona(p.maya)

    first = client.get("/people/families/")
    assert first.status_code == 200
    body = first.content.decode()
    assert "Ashworth household" in body
    assert 'rel="next"' in body and 'rel="prev"' not in body

    second = client.get("/people/families/?page=2")
    body = second.content.decode()
    assert "Zz family 049" in body
    assert "Zz hidden family" not in body
    assert 'rel="prev"' in body and 'rel="next"' not in body


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999"])
def test_odd_page_numbers_never_fail(partnership, as_persona, page: str) -> None:
    response = as_persona(partnership.maya).get(f"/people/families/?page={page}")
    assert response.status_code == 200
