"""Requests for support for tests, made through the service as a practitioner would."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from conftest import Partnership
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.services import request_for_support_make

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def make_values(p: Partnership, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "family": p.ashworth,
        "about_person": p.unborn,
        "concern": "Chloe is 17 and 24 weeks pregnant; she has been sofa-surfing since October.",
        "family_knows": "Chloe knows I am asking the front door for help with housing and support.",
        "agreement": "agrees",
        "urgency": "routine",
        "sharing_basis_note": "Chloe agreed at her antenatal appointment on 25 November",
    }
    values.update(changes)
    return values


def request_made(
    p: Partnership, *, now: datetime.datetime | None = None, **changes: Any
) -> RequestForSupport:
    return request_for_support_make(actor=p.maya, now=now, **make_values(p, **changes))
