"""Revoke an API token by the prefix printed when it was issued (``ehh_`` and 8 characters)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.api import services
from earlyhelp.api.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token at once; requests with it are refused from then on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="The token's prefix, like ehh_Ab3dEf9h")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = list(ApiToken.objects.filter(prefix=options["prefix"]))
        if len(tokens) != 1:
            raise CommandError(
                f"{len(tokens)} tokens have the prefix {options['prefix']!r}; expected one"
            )
        token = services.api_token_revoke(token=tokens[0])
        self.stdout.write(f"Revoked '{token.label}' ({token.prefix}…) of {token.user.email}")
