"""What the levels app adds to the fictional demo partnership (earlyhelp.core.demo).

About two families in five get a levels-of-need decision, recorded through the service by
a practitioner whose agency works with the family, under the example framework: most agree
with the suggestion, some differ with a rationale (R-LON-1), and some later step up or down
with a handover to another practitioner (R-LON-2). Deterministic given rng.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.apps import apps

from earlyhelp.accounts.models import User
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.levels import services
from earlyhelp.levels.loading import example_framework_seed
from earlyhelp.people.models import Family, Involvement

SHARE_DECIDED = 0.4
SHARE_REVIEWED = 0.3


@dataclass(frozen=True)
class Profile:
    indicators: tuple[str, ...]
    level: str
    rationale: str


PROFILES = (
    Profile(
        ("LON-PC-1-02", "LON-FE-1-02", "LON-CD-1-01"),
        "universal",
        "Mature young mother, booked early, well supported by her own mother: universal "
        "midwifery and health visiting.",
    ),
    Profile(
        ("LON-PC-2-01", "LON-PC-2-06", "LON-PC-1-04"),
        "additional",
        "First baby at 18; keen to learn. Early help assessment offered after booking and "
        "accepted; family hub parenting group.",
    ),
    Profile(
        ("LON-FE-2-01", "LON-FE-2-03", "LON-PC-1-01"),
        "additional",
        "Damp flat and debts; parenting is warm and consistent. Housing and money advice "
        "through the family hub.",
    ),
    Profile(
        ("LON-FE-2-02", "LON-PC-2-03", "LON-CD-2-02"),
        "additional",
        "Three emerging needs, but her grandmother has moved in to help and the health "
        "visitor sees her weekly: single-agency early help is enough for now, review in "
        "six weeks.",
    ),
    Profile(
        ("LON-FE-3-02", "LON-PC-3-05", "LON-CD-2-01"),
        "targeted",
        "Temporary accommodation out of area and missed appointments: a team around the "
        "family with a lead professional.",
    ),
    Profile(
        ("LON-PC-3-04", "LON-PC-2-01", "LON-FE-2-02"),
        "additional",
        "Care-experienced (flag only, not a reason to escalate); personal adviser involved "
        "and a support plan agreed with her.",
    ),
    Profile(
        ("LON-FE-4-01", "LON-PC-3-03"),
        "specialist",
        "Escalating domestic abuse during pregnancy with her mental health affecting her "
        "care: referral to children's social care today.",
    ),
)

STEP_DOWN = Profile(
    ("LON-PC-1-01", "LON-FE-1-01"),
    "universal",
    "Plan goals met: settled housing and secure, caring parenting. Back to universal services.",
)
STEP_UP = Profile(
    ("LON-FE-3-01", "LON-PC-3-02", "LON-FE-3-02"),
    "targeted",
    "Domestic abuse incidents and an eviction notice since the last review: care has become "
    "inconsistent.",
)


def _practitioners(family: Family) -> list[User]:
    """Named practitioners whose agency works with the family (or one of its members)."""
    found = {
        i.practitioner_id: i.practitioner
        for i in Involvement.objects.filter(
            family=family, practitioner__isnull=False, ended_on__isnull=True
        ).select_related("practitioner")
    }
    found.update(
        {
            i.practitioner_id: i.practitioner
            for i in Involvement.objects.filter(
                person__family_members__family=family,
                practitioner__isnull=False,
                ended_on__isnull=True,
            ).select_related("practitioner")
        }
    )
    return [u for _, u in sorted(found.items()) if u is not None]


def demo_add(*, rng: random.Random, today: datetime.date) -> None:
    """Add this app's records to the demo families already saved. Deterministic given rng."""
    example_framework_seed(apps.get_model)
    for family in Family.objects.order_by("pk"):
        if rng.random() >= SHARE_DECIDED:
            continue
        practitioners = _practitioners(family)
        if not practitioners:
            continue
        actor = rng.choice(practitioners)
        profile = rng.choice(PROFILES)
        try:
            first = services.level_decision_record(
                actor=actor,
                family=family,
                indicator_codes=list(profile.indicators),
                decided_level_code=profile.level,
                rationale=profile.rationale,
            )
            if rng.random() >= SHARE_REVIEWED:
                continue
            review = STEP_DOWN if first.decided_level.rank >= 2 else STEP_UP
            receiver = rng.choice(practitioners)
            services.level_decision_record(
                actor=actor,
                family=family,
                indicator_codes=list(review.indicators),
                decided_level_code=review.level,
                rationale=review.rationale,
                handover=(
                    "Handover discussed with the family and agreed at the review meeting; "
                    "the plan and contacts are on the record."
                ),
                receiving_practitioner=receiver,
            )
        except (NotFoundOrForbidden, ValidationProblem):
            # A practitioner who cannot see the family after all: leave it undecided.
            continue
