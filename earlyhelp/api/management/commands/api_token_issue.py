"""Issue an API token, for a practitioner's account or for a machine client of an agency.

    manage.py api_token_issue --user maya@example.org --label "Maya's reports" --scopes search
    manage.py api_token_issue --client "Maternity booking system" \\
        --organisation "Wyvern Hospitals Midwifery" --label "Maternity booking (live)" \\
        --scopes people:read,search --expires-days 365

The token is printed once and only its hash is stored: copy it into the client's secret store.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earlyhelp.accounts.models import Organisation, User
from earlyhelp.api import services
from earlyhelp.api.models import Scope
from earlyhelp.core.errors import ValidationProblem


class Command(BaseCommand):
    help = "Issue an API token (printed once) for a user or a machine client of an agency."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="E-mail address of the account the token acts as")
        who.add_argument("--client", help="Name of a system; needs --organisation")
        parser.add_argument("--organisation", help="The agency a machine client works for")
        parser.add_argument("--label", required=True, help="Who uses the token; shown in logs")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated, from: {', '.join(Scope.values)}",
        )
        parser.add_argument("--expires-days", type=int, help="Expire after this many days")

    def handle(self, *args: Any, **options: Any) -> None:
        expires_at = None
        if options["expires_days"] is not None:
            if options["expires_days"] < 1:
                raise CommandError("--expires-days must be 1 or more")
            expires_at = timezone.now() + datetime.timedelta(days=options["expires_days"])
        try:
            scopes = services.scopes_parse(options["scopes"])
            user = self._user(options)
            token, raw = services.api_token_issue(
                user=user, label=options["label"], scopes=scopes, expires_at=expires_at
            )
        except ValidationProblem as problem:
            raise CommandError(str(problem)) from problem
        expiry = (
            f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "no expiry"
        )
        self.stdout.write(
            f"Token '{token.label}' ({token.prefix}…) for {user.email}\n"
            f"Scopes: {', '.join(token.scopes)}; {expiry}\n\n"
            f"{raw}\n\n"
            "This is the only time the token is shown. Store it in the client's secret store.\n"
            "Use it as the header  Authorization: Bearer <token>\n"
            f"Revoke it with  manage.py api_token_revoke {token.prefix}"
        )

    def _user(self, options: dict[str, Any]) -> User:
        if options["user"]:
            if options["organisation"]:
                raise CommandError("--organisation goes with --client, not --user")
            user = User.objects.filter(email__iexact=options["user"].strip()).first()
            if user is None:
                raise CommandError(f"No account with the e-mail address {options['user']}")
            return user
        if not options["organisation"]:
            raise CommandError("--client needs --organisation (the agency the system works for)")
        organisation = Organisation.objects.filter(name=options["organisation"].strip()).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}")
        return services.machine_client_account(name=options["client"], organisation=organisation)
