"""Load a partnership's signed-off young-parent housing priority policy (R-HOU-1).

    manage.py housing_priority_policy_load wyvern-young-parent-priority-2027.1.json \\
        --signed-off-by "Wyvern Safeguarding Children Partnership executive" \\
        --signed-off-role "Safeguarding partners" --signed-off-on 2027-03-20

The whole file is checked first (its shape against the JSON Schema in
earlyhelp/housing/policies/, unknown information categories, a version already loaded): if
anything is wrong, every problem is listed and nothing is loaded. A loaded version never
changes; each housing decision keeps the version it was made under.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.housing.services import PolicyRefused, priority_policy_load


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--signed-off-on must be a date like 2027-03-20, not {value!r}"
        ) from error


class Command(BaseCommand):
    help = "Check and load a young-parent housing priority policy with its sign-off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The policy document (JSON)")
        parser.add_argument("--signed-off-by", required=True, help="Who signed it off")
        parser.add_argument("--signed-off-role", default="Safeguarding partners")
        parser.add_argument("--signed-off-on", required=True, help="The date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            policy = priority_policy_load(
                text=text,
                signed_off_by=options["signed_off_by"],
                signed_off_role=options["signed_off_role"],
                signed_off_on=_date(options["signed_off_on"]),
            )
        except PolicyRefused as refused:
            lines = "\n".join(f"- {p}" for p in refused.problems)
            raise CommandError(
                f"The policy was not loaded (nothing was changed):\n{lines}"
            ) from refused
        self.stdout.write(
            f"Loaded {policy.partnership} version {policy.version}, in force from "
            f"{policy.in_force_from:%d %B %Y}, signed off by {policy.signed_off_by} "
            f"on {policy.signed_off_on:%d %B %Y}."
        )
