"""Who may see board figures, record the self-assessment and see drill-down lists.

Board figures are counts with small numbers suppressed: no family can be picked out of them.
Who sees a family stays with earlyhelp.sharing.policies; the drill-down lists start there.
"""

from __future__ import annotations

from earlyhelp.accounts.models import Role, User
from earlyhelp.sharing import policies as sharing_policies

# Team managers see the board figures too: they answer for their agency's part in the
# figures, which carry nothing identifiable (ADR 0011).
BOARD_FIGURE_ROLES = frozenset({Role.BOARD_ANALYST, Role.TEAM_MANAGER})
# Only the board analyst records the board's self-assessment (R-SF-5), for the board.
SELF_ASSESSMENT_ROLES = frozenset({Role.BOARD_ANALYST})


def can_view_board_figures(actor: User) -> bool:
    return actor.is_active and actor.has_role(*BOARD_FIGURE_ROLES)


def can_record_self_assessment(actor: User) -> bool:
    return actor.is_active and actor.has_role(*SELF_ASSESSMENT_ROLES)


def can_drill_down(actor: User) -> bool:
    """Lists of the families counted in a measure: only for those who open family records,
    and then only the families the sharing policy lets them see. Never board roles."""
    return sharing_policies.can_open_family_records(actor)
