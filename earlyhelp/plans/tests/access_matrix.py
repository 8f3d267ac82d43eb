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
from tests.access_kinds import API_RECORD, RECORD

ROWS: dict[str, str] = {
    "plans/families/<int:family_pk>/team/": RECORD,
    "plans/families/<int:family_pk>/team/members/new/": RECORD,
    "plans/team-members/<int:team_member_pk>/end/": RECORD,
    "plans/families/<int:family_pk>/plan/": RECORD,
    "plans/families/<int:family_pk>/plan/actions/new/": RECORD,
    "plans/families/<int:family_pk>/plan/family-copy/": RECORD,
    "plans/families/<int:family_pk>/plan/family-copy.pdf": RECORD,
    "plans/actions/<int:action_pk>/": RECORD,
    "api/v1/families/<record_id:family_id>/team": API_RECORD,
    # GET lists the members, POST adds one: the matrix POSTs (a body is below); the GET's
    # 404 for outsiders is in earlyhelp/plans/tests/test_api.py.
    "api/v1/families/<record_id:family_id>/team-members": API_RECORD,
    "api/v1/team-members/<record_id:team_member_id>/end": API_RECORD,
    "api/v1/families/<record_id:family_id>/lead-professional": API_RECORD,
    "api/v1/families/<record_id:family_id>/plan": API_RECORD,
    "api/v1/plans/<record_id:plan_id>/agreement": API_RECORD,
    "api/v1/plans/<record_id:plan_id>/outcomes": API_RECORD,
    "api/v1/plans/<record_id:plan_id>/actions": API_RECORD,
    "api/v1/plan-actions/<record_id:plan_action_id>": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {
    "<record_id:family_id>/lead-professional": {"member_id": 1, "family_view": "Agreed"},
    "<record_id:family_id>/plan": {"family_words": "Our own flat"},
    "<record_id:family_id>/team-members": {"practitioner_id": 1},
    "<record_id:team_member_id>/end": {"left_on": "2026-11-20"},
    "<record_id:plan_id>/agreement": {"version": 1, "review_on": "2027-01-15"},
    "<record_id:plan_id>/outcomes": {"version": 1, "headline": "housing", "description": "A flat"},
    "<record_id:plan_id>/actions": {
        "version": 1,
        "description": "Ring housing",
        "owner": "family",
        "due_on": "2027-01-15",
    },
    "plan-actions/<record_id:plan_action_id>": {"version": 1, "status": "done"},
}


def records(p: Partnership) -> dict[str, object]:
    """Maya in the Ashworth family's team, their plan and one action the family owns."""
    member = TeamAroundFamilyMember.objects.create(
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
    return {
        "action_pk": action.pk,
        "plan_id": plan.pk,
        "plan_action_id": action.pk,
        "team_member_pk": member.pk,
        "team_member_id": member.pk,
    }
