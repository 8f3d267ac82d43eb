"""Writes to accounts. Each one is atomic, checks the policy and records an audit event in the
same transaction as the change."""

from __future__ import annotations

import datetime

import django_otp
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import Membership, Role, Team, User
from earlyhelp.accounts.policies import can_manage_accounts
from earlyhelp.accounts.totp import AUTHENTICATOR_APP_NAME
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem


def _require_account_manager(actor: User) -> None:
    if not can_manage_accounts(actor):
        raise NotFoundOrForbidden


def email_normalise(email: str) -> str:
    # Addresses are stored in lower case (UserManager), so sign-in and uniqueness ignore case.
    return email.strip().lower()


def account_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    job_title: str = "",
    team: Team,
    role: Role | str,
) -> User:
    """A new account with one membership and no usable password: the practitioner chooses
    their own through a set-password link (``password_set_link_create``)."""
    _require_account_manager(actor)
    email = email_normalise(email)
    full_name = full_name.strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter their email address"]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["There is already an account with this email address"]
    if not full_name:
        errors["full_name"] = ["Enter their full name"]
    if role not in Role.values:
        errors["role"] = ["Select a role"]
    if errors:
        raise ValidationProblem(errors)
    try:
        with transaction.atomic():
            account = User.objects.create_user(
                email, None, full_name=full_name, job_title=job_title.strip()
            )
            membership = Membership.objects.create(user=account, team=team, role=role)
            audit_record(
                actor=actor,
                action="accounts.account_created",
                obj=account,
                summary=f"Created an account for {full_name}",
                changes={"email": email, "full_name": full_name, "job_title": account.job_title},
            )
            _audit_membership_added(actor=actor, membership=membership)
    except IntegrityError as error:
        # Someone else created the same address between the check and the insert.
        raise ValidationProblem(
            {"email": ["There is already an account with this email address"]}
        ) from error
    return account


def _audit_membership_added(*, actor: User, membership: Membership) -> None:
    audit_record(
        actor=actor,
        action="accounts.membership_added",
        obj=membership,
        summary=f"{membership.get_role_display()} in {membership.team}",
        changes={
            "user": membership.user_id,
            "team": membership.team_id,
            "role": membership.role,
            "started_on": membership.started_on.isoformat(),
        },
    )


def membership_add(*, actor: User, account: User, team: Team, role: Role | str) -> Membership:
    _require_account_manager(actor)
    if role not in Role.values:
        raise ValidationProblem({"role": ["Select a role"]})
    if Membership.objects.filter(
        user=account, team=team, role=role, ended_on__isnull=True
    ).exists():
        raise ValidationProblem({"role": ["They already have this role in this team"]})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=account, team=team, role=role)
            _audit_membership_added(actor=actor, membership=membership)
    except IntegrityError as error:
        raise ValidationProblem({"role": ["They already have this role in this team"]}) from error
    return membership


def membership_end(
    *, actor: User, membership: Membership, ended_on: datetime.date | None = None
) -> Membership:
    """Ends a membership (a leaver, or a move to another team). The row is kept as history."""
    _require_account_manager(actor)
    ended_on = ended_on or timezone.localdate()
    if membership.ended_on is not None:
        raise ValidationProblem({"__all__": ["This membership has already ended"]})
    if membership.user_id == actor.pk and membership.role == Role.SYSTEM_ADMINISTRATOR:
        # Otherwise the last administrator could lock everyone out of account management.
        raise ValidationProblem(
            {
                "__all__": [
                    "You cannot end your own system administrator membership. "
                    "Ask another system administrator"
                ]
            }
        )
    if ended_on < membership.started_on:
        raise ValidationProblem({"__all__": ["A membership cannot end before it started"]})
    with transaction.atomic():
        membership.ended_on = ended_on
        membership.save(update_fields=["ended_on"])
        audit_record(
            actor=actor,
            action="accounts.membership_ended",
            obj=membership,
            summary=f"Ended {membership.get_role_display()} in {membership.team}",
            changes={"ended_on": ended_on.isoformat()},
        )
    return membership


def account_deactivate(*, actor: User, account: User) -> User:
    """Stops the account signing in. Its sessions stop working at once: Django's
    ModelBackend refuses inactive users on every request, not only at sign-in."""
    _require_account_manager(actor)
    if account.pk == actor.pk:
        raise ValidationProblem({"__all__": ["You cannot deactivate your own account"]})
    if not account.is_active:
        return account
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.account_deactivated",
            obj=account,
            summary=f"Deactivated the account of {account.full_name}",
            changes={"is_active": False},
        )
    return account


def account_reactivate(*, actor: User, account: User) -> User:
    _require_account_manager(actor)
    if account.is_active:
        return account
    with transaction.atomic():
        account.is_active = True
        account.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.account_reactivated",
            obj=account,
            summary=f"Reactivated the account of {account.full_name}",
            changes={"is_active": True},
        )
    return account


def authenticator_reset(*, actor: User, account: User) -> int:
    """Removes the account's authenticator app (lost or replaced phone). At their next page
    they are asked to set one up again, including in a session that is already signed in."""
    _require_account_manager(actor)
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=account).delete()
        audit_record(
            actor=actor,
            action="accounts.authenticator_reset",
            obj=account,
            summary=f"Reset the authenticator app of {account.full_name}",
            changes={"devices_removed": removed},
        )
    return removed


def password_set_link_create(*, actor: User, account: User) -> str:
    """A one-use link (path) with which the practitioner chooses a password.

    The token is Django's password-reset token: it stops working once the password changes,
    after a sign-in, or after ``PASSWORD_RESET_TIMEOUT``. It is not stored anywhere.
    """
    _require_account_manager(actor)
    if not account.is_active:
        raise ValidationProblem({"__all__": ["Reactivate the account first"]})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="accounts.password_set_link_created",
            obj=account,
            summary=f"Created a set-password link for {account.full_name}",
        )
    return reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
            "token": default_token_generator.make_token(account),
        },
    )


def password_change(*, actor: User, new_password: str) -> None:
    """The signed-in practitioner's own password. Validation happens in the form; other
    sessions of the account stop working because their session hash no longer matches."""
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="accounts.password_changed",
            obj=actor,
            summary="Changed their password",
        )


def password_set(*, account: User, new_password: str) -> None:
    """A password chosen through a set-password link (the token was checked by the view)."""
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password"])
        audit_record(
            actor=account,
            action="accounts.password_set",
            obj=account,
            summary="Set their password with a link from a system administrator",
        )


def authenticator_enrolment_start(*, actor: User) -> TOTPDevice:
    """The device being set up: the same one on every visit, so the QR code does not change
    under someone who is halfway through scanning it."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        # Knowing the password must never be enough to replace an existing second factor.
        raise ValidationProblem({"__all__": ["You already have an authenticator app set up"]})
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=AUTHENTICATOR_APP_NAME, confirmed=False)
    return device


def authenticator_confirm(*, actor: User, device: TOTPDevice, code: str) -> bool:
    """Confirms the device when the code from the app is right. Wrong codes count towards
    django-otp's throttle, as they do at sign-in."""
    if device.user_id != actor.pk or device.confirmed:
        raise NotFoundOrForbidden
    verified = django_otp.verify_token(actor, device.persistent_id, code)
    if verified is None:
        return False
    with transaction.atomic():
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=verified.pk).delete()
        audit_record(
            actor=actor,
            action="accounts.authenticator_set_up",
            obj=actor,
            summary="Set up an authenticator app",
        )
    device.refresh_from_db()
    return True
