from __future__ import annotations

import pytest

from conftest import Partnership
from earlyhelp.housing.tests.personas import Housing, housing_setup


@pytest.fixture
def housing(partnership: Partnership) -> Housing:
    return housing_setup(partnership)
