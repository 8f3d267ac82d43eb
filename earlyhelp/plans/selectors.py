"""Reads about the team around a family. The family itself was already checked by the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from earlyhelp.plans.models import TeamAroundFamilyMember

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


def lead_professional(*, family: Family) -> User | None:
    """The family's lead professional now (R-WT-5), or None when nobody has been named."""
    member = (
        TeamAroundFamilyMember.objects.filter(
            family=family, is_lead_professional=True, left_on__isnull=True
        )
        .select_related("practitioner")
        .first()
    )
    return member.practitioner if member else None
