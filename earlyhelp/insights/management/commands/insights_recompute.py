"""``manage.py insights_recompute``: recompute the board figures now (or enqueue the task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.insights.services import figures_recompute
from earlyhelp.insights.tasks import insights_recompute


class Command(BaseCommand):
    help = "Recompute every board figure (issue 7); run nightly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Leave it to the task worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            insights_recompute.enqueue()
            self.stdout.write("Board figures recompute enqueued")
            return
        result = figures_recompute()
        self.stdout.write(
            f"{result.figures} board figures computed at {result.computed_at:%Y-%m-%d %H:%M}"
        )
