"""Load a partnership's signed-off threshold document (R-WT-2).

    manage.py threshold_framework_load wyvern-2027.1.json \\
        --signed-off-by "Wyvern Safeguarding Children Partnership executive" \\
        --signed-off-role "Safeguarding partners" --signed-off-on 2027-03-20

The whole file is checked first (its shape against the JSON Schema in
earlyhelp/levels/frameworks/, then unknown indicators, cycles, duplicate codes, bad levels,
a version already loaded): if anything is wrong, every problem is listed and nothing is
loaded. A loaded version never changes; decisions keep the version they were made under.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.levels.services import FrameworkRefused, threshold_framework_load


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--signed-off-on must be a date like 2027-03-20, not {value!r}"
        ) from error


class Command(BaseCommand):
    help = "Check and load a threshold document (levels of need) with its sign-off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The threshold document (JSON)")
        parser.add_argument("--signed-off-by", required=True, help="Who signed it off")
        parser.add_argument(
            "--signed-off-role",
            default="Safeguarding partners",
            help="Their role (default: Safeguarding partners)",
        )
        parser.add_argument("--signed-off-on", required=True, help="The date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            framework = threshold_framework_load(
                text=text,
                signed_off_by=options["signed_off_by"],
                signed_off_role=options["signed_off_role"],
                signed_off_on=_date(options["signed_off_on"]),
            )
        except FrameworkRefused as refused:
            lines = "\n".join(f"- {p}" for p in refused.problems)
            raise CommandError(
                f"The threshold document was not loaded (nothing was changed):\n{lines}"
            ) from refused
        self.stdout.write(
            f"Loaded {framework.partnership} version {framework.version} "
            f"({framework.indicators.count()} indicators), in force from "
            f"{framework.in_force_from:%d %B %Y}, signed off by {framework.signed_off_by} "
            f"on {framework.signed_off_on:%d %B %Y}."
        )
