"""Issuing, revoking and checking API tokens, and accounts for machine clients."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from earlyhelp.accounts.models import Membership, Organisation, Role, Team, User
from earlyhelp.api.models import ApiToken, Scope
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import ValidationProblem

TOKEN_PREFIX = "ehh_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for
# Shown in lists to tell tokens apart: "ehh_" and the first eight random characters.
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
MACHINE_CLIENT_TEAM = "Systems"
MACHINE_CLIENT_DOMAIN = "api-clients.invalid"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def scopes_parse(value: str | Iterable[str]) -> list[str]:
    """'people:read, search' -> ['people:read', 'search'], refusing unknown scopes."""
    items = value.split(",") if isinstance(value, str) else list(value)
    scopes = sorted({s.strip() for s in items if s.strip()})
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise ValidationProblem({"scopes": [f"Choose one or more of: {', '.join(Scope.values)}"]})
    return scopes


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    label: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``. The raw token is returned once and never stored."""
    label = label.strip()
    if not label:
        raise ValidationProblem({"label": ["Enter a label that says who uses the token"]})
    if not user.is_active:
        raise ValidationProblem({"user": ["This account is not active"]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        label=label,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=token_hash(raw),
        scopes=scopes_parse(scopes),
        expires_at=expires_at,
    )
    audit_record(
        actor=None,
        action="api_token.issue",
        obj=token,
        summary=f"{token} for {user.email}: {' '.join(token.scopes)}",
        client=label,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=None, action="api_token.revoke", obj=token, summary=str(token))
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for this secret, or None (unknown, revoked, expired, inactive user)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def machine_client_account(*, name: str, organisation: Organisation) -> User:
    """The account a machine client acts as: a practitioner in its agency's "Systems" team.

    The sharing policy then treats the client as that agency: it sees what the agency's
    involvements let it see, nothing more. The account has no password and no second factor,
    so it can never sign in to the web pages. Calling this again returns the same account.
    """
    name = name.strip()
    if not slugify(name):
        raise ValidationProblem({"client": ["Enter the name of the system"]})
    email = f"{slugify(name)}.{slugify(organisation.name)}@{MACHINE_CLIENT_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=name, job_title=f"Machine client of {organisation.name}"
        )
    team, _ = Team.objects.get_or_create(organisation=organisation, name=MACHINE_CLIENT_TEAM)
    Membership.objects.get_or_create(user=user, team=team, role=Role.PRACTITIONER, ended_on=None)
    return user
