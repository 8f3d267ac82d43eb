"""Who may manage accounts. Account data is about practitioners, not families: the
system administrator manages it and never opens a family record (earlyhelp.sharing.policies).
"""

from __future__ import annotations

from typing import Any

from earlyhelp.accounts.models import Role


def can_manage_accounts(actor: Any) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.has_role(Role.SYSTEM_ADMINISTRATOR)
    )
