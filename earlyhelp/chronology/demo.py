"""What the chronology app adds to the fictional demo partnership (earlyhelp.core.demo)."""

from __future__ import annotations

import datetime
import random


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
