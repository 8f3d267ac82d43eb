"""Levels of need: rows of the access matrix (tests/test_access_matrix.py) and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.

The threshold framework is reference data, not personal data: its page is for anyone signed
in (SIGNED_IN) and its API operations (the framework in force, a suggestion for a set of
codes) for any valid credentials (API_REFERENCE, proved in test_api.py).
"""

from __future__ import annotations

from conftest import Partnership
from tests.access_kinds import API_RECORD, RECORD, SIGNED_IN

# Reference data over the API: any valid credentials; no family, so no policy to apply.
API_REFERENCE = "api reference data"

ROWS: dict[str, str] = {
    "levels/framework/": SIGNED_IN,
    "levels/framework/<int:framework_pk>/": SIGNED_IN,
    "levels/families/<int:family_pk>/": RECORD,
    "levels/families/<int:family_pk>/decide/": RECORD,
    "levels/decisions/<int:level_decision_pk>/": RECORD,
    "api/v1/levels/framework": API_REFERENCE,
    "api/v1/levels/suggestions": API_REFERENCE,
    "api/v1/families/<record_id:family_id>/level-decisions": API_RECORD,
    "api/v1/level-decisions/<record_id:level_decision_id>": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {
    "/level-decisions": {
        "indicator_codes": ["LON-PC-2-01"],
        "decided_level": "additional",
        "rationale": "Chloe would like help preparing for the baby",
    },
}


def records(p: Partnership) -> dict[str, object]:
    from earlyhelp.levels.services import level_decision_record

    decision = level_decision_record(
        actor=p.maya,
        family=p.ashworth,
        indicator_codes=["LON-PC-2-01"],
        decided_level_code="additional",
        rationale="Chloe would like help preparing for the baby",
    )
    return {"level_decision_pk": decision.pk, "level_decision_id": decision.pk}
