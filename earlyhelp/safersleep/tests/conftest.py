"""Personas for safer sleep, added to the Ashworth family of the root conftest.

- Hana, the Ashworths' named health visitor.
- Lee, an early help practitioner and the family's lead professional.
- Harry, a housing officer whose agency is working with Chloe: he may see the family.
The Ashworths' unborn baby is the infant these tests assess and reassess.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import Partnership, journey_team
from earlyhelp.accounts.models import AgencyType, Organisation, User


@dataclass
class SaferSleepPeople:
    p: Partnership
    hana: User
    lee: User
    harry: User
    health_visiting: Organisation
    housing: Organisation


@pytest.fixture
def safer(partnership: Partnership) -> SaferSleepPeople:
    """The journey tests' team (root conftest ``journey_team``), with its two agencies."""
    hana, lee, harry = journey_team(partnership)
    return SaferSleepPeople(
        partnership,
        hana,
        lee,
        harry,
        Organisation.objects.get(agency_type=AgencyType.HEALTH_VISITING),
        Organisation.objects.get(agency_type=AgencyType.HOUSING),
    )
