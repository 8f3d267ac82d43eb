"""``manage.py demo_code EMAIL``: a demo account's current second-factor code (DEMO_MODE only)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.core import demo


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo account, so the demo needs no phone."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = demo.demo_code(options["email"])
        except demo.DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(code)
