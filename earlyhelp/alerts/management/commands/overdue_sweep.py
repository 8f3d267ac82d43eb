"""Alert overdue plan reviews, plan actions and front-door decisions (run daily; ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from earlyhelp.alerts.overdue import overdue_sweep


class Command(BaseCommand):
    help = "Raise the alerts for overdue reviews, actions and front-door decisions (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = overdue_sweep(today=timezone.localdate())
        self.stdout.write(
            f"Overdue: {report.reviews} plan reviews, {report.actions} actions, "
            f"{report.decisions} front-door decisions."
        )
