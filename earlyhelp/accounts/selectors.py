"""Reads for the account pages, each starting from the policy (no rows for other roles)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import Membership, User
from earlyhelp.accounts.policies import can_manage_accounts
from earlyhelp.core.errors import NotFoundOrForbidden


def account_list(*, actor: User, search: str = "") -> QuerySet[User]:
    """Accounts with their current memberships (``current_memberships``) and whether an
    authenticator app is set up (``has_authenticator``)."""
    if not can_manage_accounts(actor):
        return User.objects.none()
    accounts = User.objects.annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(ended_on__isnull=True).select_related(
                "team__organisation"
            ),
            to_attr="current_memberships",
        )
    )
    search = search.strip()
    if search:
        accounts = accounts.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return accounts.order_by("full_name", "id")


def account_get(*, actor: User, account_id: int) -> User:
    """One account, or NotFoundOrForbidden (same answer for missing and not allowed)."""
    account = account_list(actor=actor).filter(pk=account_id).first()
    if account is None:
        raise NotFoundOrForbidden
    return account


def account_memberships(*, actor: User, account: User) -> QuerySet[Membership]:
    """Every membership: current ones first, then ended ones, most recent first."""
    if not can_manage_accounts(actor):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=account)
        .select_related("team__organisation")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "id")
    )


def membership_get(*, actor: User, account: User, membership_id: int) -> Membership:
    membership = account_memberships(actor=actor, account=account).filter(pk=membership_id).first()
    if membership is None:
        raise NotFoundOrForbidden
    return membership
