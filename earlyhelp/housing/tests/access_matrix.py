"""Housing: rows of the access matrix and what they need.

``ROWS`` maps each URL pattern of this app to its kind (tests/access_kinds.py). The family's
housing record and the duty-to-refer form are family records (anyone the sharing policy lets
see the family; Maya the midwife may refer, R-HOU-9). Housing work (the work tray, cases,
placements, approval, notices, hand-overs) is HOUSING_STAFF: a housing officer or housing team
manager who may also see the family; test_pages.py proves Maya, Owen, Sam and Bea get 404
and Harry gets through. ``records`` creates a case, a placement and its notice in the
Ashworth family; ``API_BODIES`` holds well-formed bodies so only the policy can refuse.
"""

from __future__ import annotations

import datetime

from django.apps import apps

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Organisation, Role, Team
from earlyhelp.housing.loading import example_policy_seed
from earlyhelp.housing.models import (
    HousingCase,
    Placement,
    PlacementStatus,
    ReceivingAuthorityNotice,
)
from tests.access_kinds import API_RECORD, RECORD

HOUSING_STAFF = "housing staff"  # a housing officer or housing team manager who sees the family
API_HOUSING_STAFF = "api housing staff"
HOUSING_BOARD = "housing board figures"  # the board analyst and team managers: counts only
API_HOUSING_BOARD = "api housing board figures"

ROWS: dict[str, str] = {
    "housing/": HOUSING_STAFF,
    "housing/board/": HOUSING_BOARD,
    "api/v1/housing/board-figures": API_HOUSING_BOARD,
    "housing/families/<int:family_pk>/": RECORD,
    "housing/families/<int:family_pk>/duty-to-refer/": RECORD,
    "housing/families/<int:family_pk>/cases/new/": HOUSING_STAFF,
    "housing/cases/<int:housing_case_pk>/priority-review/": HOUSING_STAFF,
    "housing/cases/<int:housing_case_pk>/child-impact/": HOUSING_STAFF,
    "housing/cases/<int:housing_case_pk>/placements/new/": HOUSING_STAFF,
    "housing/placements/<int:housing_placement_pk>/suitability/": HOUSING_STAFF,
    "housing/placements/<int:housing_placement_pk>/approval/": HOUSING_STAFF,
    "housing/placements/<int:housing_placement_pk>/end/": HOUSING_STAFF,
    "housing/placements/<int:housing_placement_pk>/handovers/new/": HOUSING_STAFF,
    "housing/notices/<int:housing_notice_pk>/letter/": HOUSING_STAFF,
    "housing/notices/<int:housing_notice_pk>/letter.pdf": HOUSING_STAFF,
    "housing/notices/<int:housing_notice_pk>/sent/": HOUSING_STAFF,
    "api/v1/housing/work-tray": API_HOUSING_STAFF,
    "api/v1/families/<record_id:family_id>/housing": API_RECORD,
    "api/v1/families/<record_id:family_id>/housing-cases": API_RECORD,
    "api/v1/families/<record_id:family_id>/housing-referrals": API_RECORD,
    "api/v1/housing-cases/<record_id:housing_case_id>/priority-review": API_RECORD,
    "api/v1/housing-cases/<record_id:housing_case_id>/child-impact": API_RECORD,
    "api/v1/housing-cases/<record_id:housing_case_id>/placements": API_RECORD,
    "api/v1/housing-placements/<record_id:housing_placement_id>/suitability": API_RECORD,
    "api/v1/housing-placements/<record_id:housing_placement_id>/approval": API_RECORD,
    "api/v1/housing-placements/<record_id:housing_placement_id>/ending": API_RECORD,
    "api/v1/housing-placements/<record_id:housing_placement_id>/handovers": API_RECORD,
    "api/v1/housing-notices/<record_id:housing_notice_id>": API_RECORD,
    "api/v1/housing-notices/<record_id:housing_notice_id>/sent": API_RECORD,
}

FACTOR = "Considered for this household in detail"

API_BODIES: dict[str, dict[str, object]] = {
    "<record_id:family_id>/housing-cases": {
        "person_id": 1,
        "kind": "homelessness",
        "vulnerabilities": ["other"],
    },
    "<record_id:family_id>/housing-referrals": {
        "person_id": 1,
        "consent": True,
        "chosen_authority": "Wyvern",
        "homeless_now": True,
        "referred_on": "2026-11-20",
    },
    "<record_id:housing_case_id>/priority-review": {},
    "<record_id:housing_case_id>/child-impact": {
        "sleeping_space": "Cot in the bedroom",
        "child_risk": "low",
        "tenancy_risk": "low",
    },
    "<record_id:housing_case_id>/placements": {
        "line_1": "1 High Street",
        "town": "Wyvern",
        "local_authority": "Wyvern",
        "placement_type": "temporary",
        "start_on": "2026-11-20",
    },
    "<record_id:housing_placement_id>/suitability": {
        "distance_from_district": FACTOR,
        "disruption_to_work_care_education": FACTOR,
        "access_to_medical_and_support": FACTOR,
        "local_services_and_transport": FACTOR,
        "why_nothing_nearer": "Both in-area units were unsafe for a baby",
    },
    "<record_id:housing_placement_id>/approval": {"note": "Approved"},
    "<record_id:housing_placement_id>/ending": {"end_on": "2026-11-25"},
    "<record_id:housing_placement_id>/handovers": {
        "service": "health_visiting",
        "receiving_team": "Barton 0-19",
        "handed_over_on": "2026-11-20",
    },
    "<record_id:housing_notice_id>/sent": {"sent_on": "2026-11-20"},
}


def records(p: Partnership) -> dict[str, object]:
    """A housing case for Chloe with an out-of-area placement and its notice."""
    policy = example_policy_seed(apps.get_model)
    homes = Organisation.objects.create(
        name="Matrix Homes", agency_type=AgencyType.HOUSING, local_authority="Wyvern"
    )
    officer = make_user(
        "holly@matrixhomes.example",
        "Holly Housing",
        Team.objects.create(organisation=homes, name="Options"),
        Role.HOUSING_OFFICER,
    )
    case = HousingCase.objects.create(
        family=p.ashworth,
        person=p.chloe,
        kind="homelessness",
        housing_officer=officer,
        source_organisation=homes,
        opened_on=datetime.date(2026, 11, 1),
        policy=policy,
        priority_explanation="Matrix",
        priority_decided_on=datetime.date(2026, 11, 1),
    )
    placement = Placement.objects.create(
        case=case,
        line_1="4 Canal Row",
        town="Barton",
        local_authority="Borsetshire",
        in_area=False,
        placement_type="temporary",
        start_on=datetime.date(2026, 11, 2),
        status=PlacementStatus.CONFIRMED,
        recorded_by=officer,
    )
    notice = ReceivingAuthorityNotice.objects.create(
        placement=placement,
        receiving_authority="Borsetshire",
        part7_function="s188",
        due_on=datetime.date(2026, 11, 16),
    )
    return {
        "housing_case_pk": case.pk,
        "housing_placement_pk": placement.pk,
        "housing_notice_pk": notice.pk,
        "housing_case_id": case.pk,
        "housing_placement_id": placement.pk,
        "housing_notice_id": notice.pk,
    }
