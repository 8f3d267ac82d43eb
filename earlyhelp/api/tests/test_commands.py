"""api_token_issue and api_token_revoke, for practitioners and machine clients."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from earlyhelp.accounts.models import Membership, Role, User
from earlyhelp.api.models import ApiToken
from earlyhelp.core.models import AccessEvent

pytestmark = pytest.mark.django_db


def issue(*args: str) -> str:
    out = StringIO()
    call_command("api_token_issue", *args, stdout=out)
    return out.getvalue()


def token_in(output: str) -> str:
    return re.search(r"^(ehh_\S+)$", output, re.MULTILINE).group(1)  # type: ignore[union-attr]


def test_issue_for_a_practitioner(partnership) -> None:
    output = issue(
        "--user",
        "MAYA@midwifery.example",
        "--label",
        "Maya's reports",
        "--scopes",
        "people:read,search",
        "--expires-days",
        "30",
    )
    raw = token_in(output)
    token = ApiToken.objects.get()
    assert token.user == partnership.maya
    assert token.scopes == ["people:read", "search"]
    assert token.expires_at is not None
    assert raw.startswith(token.prefix)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"/api/v1/people/{partnership.chloe.pk}").status_code == 200
    assert (
        client.post("/api/v1/families", {"name": "X"}, content_type="application/json").status_code
        == 403
    )


def test_issue_for_a_machine_client_acts_as_its_agency(partnership) -> None:
    p = partnership
    output = issue(
        "--client",
        "Maternity booking system",
        "--organisation",
        "Wyvern Hospitals Midwifery",
        "--label",
        "Maternity booking (live)",
        "--scopes",
        "people:read,people:write,search",
    )
    raw = token_in(output)
    client_user = ApiToken.objects.get().user
    membership = Membership.objects.get(user=client_user)
    assert (membership.team.name, membership.team.organisation, membership.role) == (
        "Systems",
        p.midwifery,
        Role.PRACTITIONER,
    )
    assert not client_user.has_usable_password()
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    # The midwives are involved with the Ashworths, so their system sees them ...
    assert api.get(f"/api/v1/families/{p.ashworth.pk}").status_code == 200
    # ... and nobody else.
    assert api.get(f"/api/v1/people/{p.stranger.pk}").status_code == 404
    event = AccessEvent.objects.filter(actor=client_user).first()
    assert event is not None and event.client == "Maternity booking (live)"
    # A second token for the same system uses the same account.
    issue(
        "--client",
        "Maternity booking system",
        "--organisation",
        "Wyvern Hospitals Midwifery",
        "--label",
        "Maternity booking (test)",
        "--scopes",
        "search",
    )
    assert User.objects.filter(full_name="Maternity booking system").count() == 1
    assert Membership.objects.filter(user=client_user).count() == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--user", "nobody@example.org", "--label", "X", "--scopes", "search"],
        ["--user", "maya@midwifery.example", "--label", "X", "--scopes", "people:delete"],
        ["--user", "maya@midwifery.example", "--label", " ", "--scopes", "search"],
        [
            "--user",
            "maya@midwifery.example",
            "--label",
            "X",
            "--scopes",
            "search",
            "--expires-days",
            "0",
        ],
        ["--client", "System", "--label", "X", "--scopes", "search"],
        ["--client", "System", "--organisation", "Nowhere", "--label", "X", "--scopes", "search"],
        [
            "--user",
            "maya@midwifery.example",
            "--organisation",
            "Wyvern Police",
            "--label",
            "X",
            "--scopes",
            "search",
        ],
    ],
)
def test_issue_refuses_bad_arguments(partnership, args: list[str]) -> None:
    with pytest.raises(CommandError):
        issue(*args)
    assert not ApiToken.objects.exists()


def test_revoke(partnership) -> None:
    raw = token_in(issue("--user", "maya@midwifery.example", "--label", "X", "--scopes", "search"))
    out = StringIO()
    call_command("api_token_revoke", raw[:12], stdout=out)
    assert "Revoked" in out.getvalue()
    assert ApiToken.objects.get().revoked_at is not None
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(
        "/api/v1/people/search?name=x"
    )
    assert response.status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token_revoke", "ehh_unknown", stdout=StringIO())
