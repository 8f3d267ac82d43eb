"""Escalate bed-and-breakfast stays in their last week or past 6 weeks (R-HOU-4). Run daily.

Each stay of a pregnant household or one with children alerts its housing officer and the
housing agency's team managers once when the last week starts and once when the 6 weeks
have passed (the alerts' dedupe keys): running it twice in a day alerts nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from earlyhelp.housing.services import bed_and_breakfast_escalate


class Command(BaseCommand):
    help = "Alert housing officers and managers about bed and breakfast stays near 6 weeks"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            alerts = bed_and_breakfast_escalate()
        self.stdout.write(f"{len(alerts)} bed-and-breakfast alerts checked or raised")
