"""Reviews: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
returns the id of the Ashworth family's active plan (the one the plans app's rows made, or
a new one) as ``plan_pk``; the API rows use the plans app's ``plan_id``. ``API_BODIES`` maps
a path suffix to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

from conftest import Partnership
from earlyhelp.plans.models import Plan, PlanStatus
from tests.access_kinds import API_RECORD, RECORD

ROWS: dict[str, str] = {
    "reviews/plans/<int:plan_pk>/": RECORD,
    "reviews/plans/<int:plan_pk>/review/": RECORD,
    "api/v1/plans/<record_id:plan_id>/reviews": API_RECORD,
    "api/v1/plans/<record_id:plan_id>/closure": API_RECORD,
    "api/v1/families/<record_id:family_id>/successful-outcome": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {
    "<record_id:plan_id>/reviews": {
        "version": 1,
        "held_on": "2026-11-20",
        "family_view": "Things are calmer",
        "decision": "continue",
    },
}


def records(p: Partnership) -> dict[str, object]:
    """The Ashworth family's active plan, which Maya (involved with the family) may see."""
    plan = Plan.objects.filter(family=p.ashworth).exclude(status=PlanStatus.CLOSED).first()
    if plan is None:
        plan = Plan.objects.create(
            family=p.ashworth, family_words="Our own flat", created_by=p.maya
        )
    return {"plan_pk": plan.pk}
