"""Append today's chain heads to a file kept outside the database (run daily).

A database superuser could rewrite a chain from some row onwards and recompute every hash;
the heads exported here, kept where that superuser cannot reach (another host, write-once
storage), show it: ``audit_verify --heads FILE`` compares them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from earlyhelp.core.chain import chain_head, chain_seal
from earlyhelp.core.management.commands.audit_verify import CHAINS


class Command(BaseCommand):
    help = "Append the current head of each audit chain to a file outside the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as out:
            for table, model in CHAINS.items():
                chain_seal(model)
                head = chain_head(model)
                if head is None:
                    continue
                entry = {
                    "table": table,
                    "sequence": head[0],
                    "hash": head[1],
                    "exported_at": timezone.now().isoformat(),
                }
                out.write(json.dumps(entry) + "\n")
                self.stdout.write(f"{table}: sequence {head[0]} {head[1]}")
