"""Where the chronology is reached from other pages."""

from __future__ import annotations


def test_the_person_page_links_to_their_chronology(partnership, as_persona) -> None:
    p = partnership
    body = as_persona(p.maya).get(f"/people/{p.chloe.pk}/").content.decode()
    assert f'href="/chronology/people/{p.chloe.pk}/"' in body
