"""Plans: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

import datetime

from conftest import Partnership
from earlyhelp.plans.models import Plan, PlanAction, TeamAroundFamilyMember
from tests.access_kinds import RECORD

ROWS: dict[str, str] = {
    "plans/families/<int:family_pk>/team/": RECORD,
    "plans/families/<int:family_pk>/plan/": RECORD,
    "plans/families/<int:family_pk>/plan/actions/new/": RECORD,
    "plans/families/<int:family_pk>/plan/family-copy/": RECORD,
    "plans/actions/<int:action_pk>/": RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {}


def records(p: Partnership) -> dict[str, object]:
    """Maya in the Ashworth family's team, their plan and one action the family owns."""
    TeamAroundFamilyMember.objects.create(
        family=p.ashworth,
        practitioner=p.maya,
        organisation=p.midwifery,
        joined_on=datetime.date(2026, 9, 1),
    )
    plan = Plan.objects.create(family=p.ashworth, family_words="Our own flat", created_by=p.maya)
    action = PlanAction.objects.create(
        plan=plan,
        description="Chloe rings the housing office",
        owner_is_family=True,
        due_on=datetime.date(2026, 12, 1),
        created_by=p.maya,
    )
    return {"action_pk": action.pk}
