"""Early-help assessments: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). ``records``
creates, in the Ashworth family that Maya the midwife works with, the records whose ids the
patterns name, and returns those ids by converter name. ``API_BODIES`` maps a path suffix
to a well-formed JSON body, so that only the policy can refuse a POST.
"""

from __future__ import annotations

import datetime

from conftest import Partnership
from earlyhelp.assessments.models import Assessment, AssessmentSubject, Contribution
from tests.access_kinds import API_RECORD, RECORD

ROWS: dict[str, str] = {
    "assessments/families/<int:family_pk>/start/": RECORD,
    "assessments/<int:assessment_pk>/": RECORD,
    "assessments/<int:assessment_pk>/contributions/new/": RECORD,
    "assessments/contributions/<int:contribution_pk>/change/": RECORD,
    "assessments/<int:assessment_pk>/drafts/<str:form_key>/": RECORD,
    "assessments/subjects/<int:subject_pk>/change/": RECORD,
    "assessments/<int:assessment_pk>/clock/": RECORD,
    "assessments/<int:assessment_pk>/overdue-reason/": RECORD,
    "assessments/<int:assessment_pk>/complete/": RECORD,
    "assessments/<int:assessment_pk>/sign-off/": RECORD,
    "api/v1/families/<record_id:family_id>/assessments": API_RECORD,
    "api/v1/assessments/<record_id:assessment_id>": API_RECORD,
    "api/v1/assessments/<record_id:assessment_id>/contributions": API_RECORD,
    "api/v1/assessment-contributions/<record_id:contribution_id>": API_RECORD,
    "api/v1/assessment-subjects/<record_id:subject_id>": API_RECORD,
    "api/v1/assessments/<record_id:assessment_id>/clock": API_RECORD,
    "api/v1/assessments/<record_id:assessment_id>/completion": API_RECORD,
    "api/v1/assessments/<record_id:assessment_id>/sign-off": API_RECORD,
}

API_BODIES: dict[str, dict[str, object]] = {
    "<record_id:family_id>/assessments": {
        "agreed_by_id": 1,
        "agreed_on": "2026-11-02",
    },
    "<record_id:assessment_id>/contributions": {
        "subject_id": 1,
        "domain": "child_development",
        "dimension": "health",
        "strengths": "Keeps appointments",
    },
    "assessment-contributions/<record_id:contribution_id>": {
        "version": 1,
        "subject_id": 1,
        "domain": "child_development",
        "dimension": "health",
        "strengths": "Keeps appointments",
    },
    "assessment-subjects/<record_id:subject_id>": {"version": 1, "voice": "In my words"},
    "<record_id:assessment_id>/clock": {"version": 1, "started_on": "2026-11-02"},
    "<record_id:assessment_id>/completion": {"version": 1},
    "<record_id:assessment_id>/sign-off": {"version": 1},
}


def records(p: Partnership) -> dict[str, object]:
    """Maya's assessment of the Ashworth family, with one contribution of hers."""
    assessment = Assessment.objects.create(
        family=p.ashworth,
        agreed_by=p.chloe,
        agreed_on=datetime.date(2026, 11, 2),
        started_by=p.maya,
    )
    subject = AssessmentSubject.objects.create(
        assessment=assessment, person=p.chloe, relationship="mother", role="mother"
    )
    contribution = Contribution.objects.create(
        assessment=assessment,
        subject=subject,
        person=p.chloe,
        domain="parenting_capacity",
        dimension="basic_care",
        strengths="Ready for the baby",
        source_organisation=p.midwifery,
        practitioner=p.maya,
    )
    return {
        "assessment_pk": assessment.pk,
        "assessment_id": assessment.pk,
        "contribution_pk": contribution.pk,
        "contribution_id": contribution.pk,
        "subject_pk": subject.pk,
        "subject_id": subject.pk,
        "form_key": "new",
    }
