"""The family list pages through what the practitioner may see, without counting it all."""

from __future__ import annotations

import datetime
import re

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

    next_link = re.search(r'href="\?after=(\d+)&amp;page=2" rel="next"', body)
    assert next_link, "the next page follows on from the last family shown"
    second = client.get(f"/people/families/?after={next_link.group(1)}&page=2")
    body = second.content.decode()
    assert "Zz family 049" in body
    assert "Ashworth household" not in body
    assert "Zz hidden family" not in body
    assert 'rel="prev"' in body and 'rel="next"' not in body
    assert "Families, page 2" in body


@pytest.mark.parametrize(
    "query", ["page=0", "page=-3", "page=abc", "page=99999", "after=abc", "after=-1", "after=0"]
)
def test_odd_page_links_never_fail(partnership, as_persona, query: str) -> None:
    response = as_persona(partnership.maya).get(f"/people/families/?{query}")
    assert response.status_code == 200
    assert "Ashworth household" in response.content.decode()


def test_a_family_you_cannot_see_is_no_place_to_start(partnership, as_persona) -> None:
    # Starting "after" a hidden family would hint where its name falls: start at the top.
    hidden = Family.objects.create(name="Aa hidden household")
    body = as_persona(partnership.maya).get(f"/people/families/?after={hidden.pk}").content
    assert b"Ashworth household" in body
