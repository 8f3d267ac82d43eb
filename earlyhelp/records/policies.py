"""Who may handle subject access requests, retention and legal holds: the one check.

Only the information governance lead (Role.IG_LEAD). Everyone else gets the same 404 as
for a record that does not exist, on every page and API operation, and the refusal is
recorded. The information governance lead reaches any person's record here, for these
duties only: a subject access response covers everything held (R-SAR-1), and retention
covers every record (R-RET-1), whatever the sharing routes say.
"""

from __future__ import annotations

from typing import Any

from earlyhelp.accounts.models import Role

# The access route recorded with every look taken for these duties.
ROUTE_SUBJECT_ACCESS = "subject_access"
ROUTE_RETENTION = "retention"


def is_information_governance_lead(actor: Any) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and actor.has_role(Role.IG_LEAD)
    )
