"""What the insights app adds to the fictional demo partnership (earlyhelp.core.demo)."""

from __future__ import annotations

import datetime
import random


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Nothing yet."""
