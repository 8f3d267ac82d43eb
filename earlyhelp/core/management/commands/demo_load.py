"""``manage.py demo_load``: the fictional demo partnership, loaded once (``make run``)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.core import demo
from earlyhelp.people.models import Family, Person


class Command(BaseCommand):
    help = "Load the fictional demo partnership (DEMO_MODE only) and print how to sign in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--families", type=int, default=demo.DEMO_FAMILIES)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = demo.demo_load(families=options["families"])
        except demo.DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        if loaded:
            self.stdout.write(
                f"Loaded the demo: {Family.objects.count():,} families, "
                f"{Person.objects.count():,} people."
            )
        else:
            self.stdout.write("The demo partnership is already loaded: nothing changed.")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(demo.sign_in_table(demo.sign_in_rows(), port=port))
