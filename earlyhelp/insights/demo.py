"""What the insights app adds to the fictional demo partnership (earlyhelp.core.demo).

The board figures over the demo families (computed as the nightly task would), and last
year's Early Help System Guide self-assessment recorded by the partnership analyst, so the
board view has something to show on the first visit.
"""

from __future__ import annotations

import datetime
import random

from earlyhelp.accounts.models import Role, User
from earlyhelp.insights.models import SelfAssessment, SelfAssessmentArea
from earlyhelp.insights.rules import GuideArea, GuideRating
from earlyhelp.insights.services import figures_recompute

NARRATIVES = {
    GuideArea.FAMILY_VOICE: "Families' words are in every plan; feedback on the lead "
    "professional is collected at each review.",
    GuideArea.WORKFORCE: "Midwives, health visitors, housing and police share one "
    "assessment and levels-of-need framework.",
    GuideArea.COMMUNITIES: "Two voluntary-sector partners sit in teams around families; more "
    "links are needed in the east of the county.",
    GuideArea.LEADERSHIP: "The young parents task group reports to the partnership board monthly.",
    GuideArea.DATA: "Agencies record in one shared case-management system; the board reads "
    "monthly figures.",
}


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Last year's self-assessment, then every board figure."""
    analyst = User.objects.filter(
        memberships__role=Role.BOARD_ANALYST, memberships__ended_on__isnull=True
    ).first()
    if analyst is not None:
        assessment = SelfAssessment.objects.create(year=today.year - 1, recorded_by=analyst)
        ratings = list(GuideRating)[:3]
        SelfAssessmentArea.objects.bulk_create(
            SelfAssessmentArea(
                self_assessment=assessment,
                area=area.value,
                rating=rng.choice(ratings).value,
                narrative=NARRATIVES[area],
            )
            for area in GuideArea
        )
    figures_recompute(today=today)
