"""Account management through the services: policy, the change and its audit event."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts import services
from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _team(name: str = "Community midwives") -> Team:
    return Team.objects.get(name=name)


def _audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def _create_nadia(actor: User) -> User:
    return services.account_create(
        actor=actor,
        email=" Nadia.Health@Visiting.example ",
        full_name="Nadia Health Visitor",
        job_title="Health visitor",
        team=_team(),
        role=Role.PRACTITIONER,
    )


def test_administrator_creates_an_account_with_a_membership(partnership) -> None:
    sam = partnership.sam
    nadia = _create_nadia(sam)
    assert nadia.email == "nadia.health@visiting.example"
    assert nadia.is_active
    # Nobody knows a password until Nadia chooses one.
    assert not nadia.has_usable_password()
    membership = Membership.objects.get(user=nadia)
    assert (membership.team, membership.role, membership.ended_on) == (
        _team(),
        Role.PRACTITIONER,
        None,
    )
    created = _audit("accounts.account_created")
    assert (created.actor, created.object_id) == (sam, str(nadia.pk))
    assert created.changes["email"] == "nadia.health@visiting.example"
    assert _audit("accounts.membership_added").object_id == str(membership.pk)


def test_email_already_in_use_is_refused_whatever_its_case(partnership) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.account_create(
            actor=partnership.sam,
            email="MAYA@midwifery.example",
            full_name="Another Maya",
            team=_team(),
            role=Role.PRACTITIONER,
        )
    assert "email" in problem.value.errors
    assert User.objects.filter(email__iexact="maya@midwifery.example").count() == 1
    assert not AuditEvent.objects.filter(action="accounts.account_created").exists()


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "bea"])
def test_only_a_system_administrator_may_manage_accounts(partnership, persona) -> None:
    actor = getattr(partnership, persona)
    other = partnership.bea if persona != "bea" else partnership.owen
    calls = [
        lambda: _create_nadia(actor),
        lambda: services.account_deactivate(actor=actor, account=other),
        lambda: services.account_reactivate(actor=actor, account=other),
        lambda: services.authenticator_reset(actor=actor, account=other),
        lambda: services.password_set_link_create(actor=actor, account=other),
        lambda: services.membership_add(
            actor=actor, account=other, team=_team("Systems"), role=Role.SYSTEM_ADMINISTRATOR
        ),
        lambda: services.membership_end(actor=actor, membership=other.memberships.get()),
    ]
    for call in calls:
        with pytest.raises(NotFoundOrForbidden):
            call()
    assert not AuditEvent.objects.exists()
    other.refresh_from_db()
    assert other.is_active
    assert TOTPDevice.objects.filter(user=other).exists()


def test_add_and_end_a_membership(partnership) -> None:
    sam, owen = partnership.sam, partnership.owen
    team = _team("Front door")
    membership = services.membership_add(actor=sam, account=owen, team=team, role=Role.FRONT_DOOR)
    assert owen.memberships.filter(ended_on__isnull=True).count() == 2
    assert _audit("accounts.membership_added").changes["role"] == Role.FRONT_DOOR

    services.membership_end(actor=sam, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    ended = _audit("accounts.membership_ended")
    assert (ended.actor, ended.object_id) == (sam, str(membership.pk))
    # Ended memberships stop counting at once.
    assert Role.FRONT_DOOR not in User.objects.get(pk=owen.pk).roles()


def test_the_same_role_in_the_same_team_twice_is_refused(partnership) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.membership_add(
            actor=partnership.sam,
            account=partnership.maya,
            team=_team(),
            role=Role.PRACTITIONER,
        )
    assert problem.value.errors == {"role": ["They already have this role in this team"]}


def test_a_membership_ends_once(partnership) -> None:
    membership = partnership.owen.memberships.get()
    services.membership_end(actor=partnership.sam, membership=membership)
    with pytest.raises(ValidationProblem):
        services.membership_end(actor=partnership.sam, membership=membership)


def test_membership_cannot_end_before_it_started(partnership) -> None:
    membership = partnership.owen.memberships.get()
    with pytest.raises(ValidationProblem):
        services.membership_end(
            actor=partnership.sam,
            membership=membership,
            ended_on=membership.started_on - datetime.timedelta(days=1),
        )


def test_administrator_cannot_end_their_own_administrator_membership(partnership) -> None:
    sam = partnership.sam
    with pytest.raises(ValidationProblem):
        services.membership_end(actor=sam, membership=sam.memberships.get())
    assert sam.memberships.get().ended_on is None


def test_deactivate_and_reactivate(partnership) -> None:
    sam, owen = partnership.sam, partnership.owen
    services.account_deactivate(actor=sam, account=owen)
    owen.refresh_from_db()
    assert not owen.is_active
    assert _audit("accounts.account_deactivated").object_id == str(owen.pk)

    services.account_reactivate(actor=sam, account=owen)
    owen.refresh_from_db()
    assert owen.is_active
    assert _audit("accounts.account_reactivated").actor == sam


def test_administrator_cannot_deactivate_themselves(partnership) -> None:
    with pytest.raises(ValidationProblem):
        services.account_deactivate(actor=partnership.sam, account=partnership.sam)
    partnership.sam.refresh_from_db()
    assert partnership.sam.is_active


def test_reset_authenticator_removes_every_device(partnership) -> None:
    owen = partnership.owen
    TOTPDevice.objects.create(user=owen, name="Half set up", confirmed=False)
    assert services.authenticator_reset(actor=partnership.sam, account=owen) == 2
    assert not TOTPDevice.objects.filter(user=owen).exists()
    assert _audit("accounts.authenticator_reset").changes == {"devices_removed": 2}


def test_set_password_link_works_for_that_account_only(partnership) -> None:
    nadia = _create_nadia(partnership.sam)
    link = services.password_set_link_create(actor=partnership.sam, account=nadia)
    match = resolve(link)
    assert match.view_name == "accounts:password_set"
    assert default_token_generator.check_token(nadia, match.kwargs["token"])
    assert not default_token_generator.check_token(partnership.owen, match.kwargs["token"])
    assert _audit("accounts.password_set_link_created").object_id == str(nadia.pk)


def test_no_set_password_link_for_a_deactivated_account(partnership) -> None:
    services.account_deactivate(actor=partnership.sam, account=partnership.owen)
    with pytest.raises(ValidationProblem):
        services.password_set_link_create(actor=partnership.sam, account=partnership.owen)


def test_enrolment_refused_when_an_app_is_already_set_up(partnership) -> None:
    with pytest.raises(ValidationProblem):
        services.authenticator_enrolment_start(actor=partnership.maya)
