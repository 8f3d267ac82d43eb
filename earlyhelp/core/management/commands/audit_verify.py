"""Check the audit and access logs' hash chains; exit 1 naming the first broken row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.core.chain import ChainedEvent, chain_seal, chain_verify
from earlyhelp.core.models import AccessEvent, AuditEvent
from earlyhelp.sharing.models import Disclosure

CHAINS: dict[str, type[ChainedEvent]] = {
    "core_auditevent": AuditEvent,
    "core_accessevent": AccessEvent,
    "sharing_disclosure": Disclosure,
}


def read_heads(path: Path) -> dict[str, list[tuple[int, str]]]:
    """Chain heads exported by ``audit_chain_export``: one JSON object a line."""
    heads: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            heads.setdefault(entry["table"], []).append((entry["sequence"], entry["hash"]))
    return heads


class Command(BaseCommand):
    help = "Verify the tamper-evident audit and access logs (exit 0 intact, 1 broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--heads", type=Path, help="a chain-head file written by audit_chain_export"
        )
        parser.add_argument(
            "--seal-first",
            action="store_true",
            help="seal rows still waiting for their hash before checking",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads = read_heads(options["heads"]) if options["heads"] else {}
        broken = []
        for table, model in CHAINS.items():
            if options["seal_first"]:
                chain_seal(model)
            report = chain_verify(model, heads=heads.get(table, ()))
            self.stdout.write(report.describe())
            if not report.intact:
                broken.append(report)
        if broken:
            raise CommandError(
                "Tampering detected: " + "; ".join(r.describe() for r in broken), returncode=1
            )
