"""Pick up e-mails left waiting: enqueue the send task when e-mails wait and no task does.

``make run`` runs it before starting the worker, so that e-mails left behind by a worker
that died (its task stays "running" for ever) are sent after a restart. In production run
it every few minutes (cron or a scheduler) beside ``manage.py db_worker``. ADR 0009.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.notifications.tasks import notifications_sweep


class Command(BaseCommand):
    help = "Enqueue the e-mail send task if e-mails are waiting and no task is."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep sweeping, this many seconds apart (0: sweep once and stop).",
        )

    def handle(self, *args: Any, every: float = 0, **options: Any) -> None:
        while True:
            if notifications_sweep():
                self.stdout.write("E-mails are waiting: the send task is enqueued.")
            if every <= 0:
                return
            time.sleep(every)
