"""Writes for the team around the family: the lead professional and the plan.

Every change checks the sharing policy first (a family the actor may not see is
NotFoundOrForbidden, 404), then the rules, then saves and audits in one transaction.
Joining and leaving the team are ``earlyhelp.sharing.services.team`` (an access route).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.people.models import Family, Involvement
from earlyhelp.plans.models import LeadProfessionalHandover, TeamAroundFamilyMember
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from earlyhelp.alerts.models import Alert

NO_LEAD_ALERT = "plans.no_lead_professional"


def _family_locked(actor: User, family: Family) -> Family:
    """The policy check, then the family row locked: namings for one family queue up."""
    if not policies.can_open_family_records(actor):
        raise NotFoundOrForbidden
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    return Family.objects.select_for_update().get(pk=family.pk)


def lead_professional_version(*, family: Family) -> int:
    """How many times the lead professional role has changed hands: the edit version."""
    return LeadProfessionalHandover.objects.filter(family=family).count()


@transaction.atomic
def lead_professional_name(
    *,
    actor: User,
    family: Family,
    member_id: int,
    family_view: str,
    reason: str = "",
    version: int | None = None,
) -> TeamAroundFamilyMember:
    """Name a current member of the team as the family's lead professional (R-WT-5).

    The family's say is required. Naming someone while another holds the role is a
    hand-over and is recorded as one (who from, who to, when, why). With ``version`` (the
    number of recorded hand-overs the actor saw), a change made meanwhile by someone else is
    an EditConflict; the database constraint ``one_lead_professional_per_family`` holds
    "exactly one at a time" even if two requests race.
    """
    family = _family_locked(actor, family)
    if version is not None and version != lead_professional_version(family=family):
        raise EditConflict
    errors: dict[str, list[str]] = {}
    member = (
        TeamAroundFamilyMember.objects.filter(family=family, pk=member_id, left_on__isnull=True)
        .select_related("practitioner", "organisation")
        .first()
    )
    if member is None:
        errors["member"] = ["Choose a current member of the team around the family"]
    elif member.is_lead_professional:
        errors["member"] = ["They are already the lead professional"]
    if not family_view.strip():
        errors["family_view"] = ["Record what the family said about who their lead professional is"]
    if errors:
        raise ValidationProblem(errors)
    assert member is not None
    current = TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).first()
    if current is not None and not reason.strip():
        raise ValidationProblem({"reason": ["Say why the lead professional is changing"]})
    try:
        with transaction.atomic():
            if current is not None:
                TeamAroundFamilyMember.objects.filter(pk=current.pk).update(
                    is_lead_professional=False
                )
            TeamAroundFamilyMember.objects.filter(pk=member.pk).update(is_lead_professional=True)
    except IntegrityError as error:  # another naming won the race
        raise EditConflict from error
    member.is_lead_professional = True
    LeadProfessionalHandover.objects.create(
        family=family,
        from_member=current,
        to_member=member,
        family_view=family_view.strip(),
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="plans.lead_professional_name",
        obj=family,
        summary=(
            f"{member.practitioner} ({member.organisation.name}) named lead professional"
            + (f", handed over from {current.practitioner}" if current else "")
        ),
        changes={
            "from_member_id": current.pk if current else None,
            "to_member_id": member.pk,
        },
    )
    no_lead_professional_check(family)
    return member


@transaction.atomic
def lead_professional_end(
    *, actor: User, family: Family, reason: str, family_view: str = ""
) -> None:
    """The lead professional steps down with nobody named yet; recorded like a hand-over.

    Team managers are alerted at once if two or more agencies are still involved (R-WT-5).
    """
    family = _family_locked(actor, family)
    current = TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).first()
    errors: dict[str, list[str]] = {}
    if current is None:
        errors["__all__"] = ["The family has no lead professional to end"]
    if not reason.strip():
        errors["reason"] = ["Say why the lead professional role is ending"]
    if errors:
        raise ValidationProblem(errors)
    assert current is not None
    TeamAroundFamilyMember.objects.filter(pk=current.pk).update(is_lead_professional=False)
    LeadProfessionalHandover.objects.create(
        family=family,
        from_member=current,
        to_member=None,
        family_view=family_view.strip(),
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="plans.lead_professional_end",
        obj=family,
        summary=f"{current.practitioner} is no longer the lead professional",
        changes={"from_member_id": current.pk},
    )
    no_lead_professional_check(family)


def involved_organisation_ids(family: Family, today: datetime.date | None = None) -> set[int]:
    """Agencies working with the family now: current team members and open involvements."""
    today = today or timezone.localdate()
    team = TeamAroundFamilyMember.objects.filter(family=family, left_on__isnull=True).values_list(
        "organisation_id", flat=True
    )
    involved = (
        Involvement.objects.filter(family=family, started_on__lte=today)
        .exclude(ended_on__lt=today)
        .values_list("organisation_id", flat=True)
    )
    return set(team) | set(involved)


def no_lead_professional_check(family: Family) -> list[Alert]:
    """R-WT-5: two or more agencies involved and no lead professional alerts their team managers.

    Called after every naming or ending, and by ``manage.py no_lead_professional_sweep``.
    One alert per manager per gap (the key names the hand-over count), never twice.
    """
    organisations = involved_organisation_ids(family)
    if len(organisations) < 2:
        return []
    if TeamAroundFamilyMember.objects.filter(
        family=family, is_lead_professional=True, left_on__isnull=True
    ).exists():
        return []
    managers = User.objects.filter(
        is_active=True,
        memberships__ended_on__isnull=True,
        memberships__role=Role.TEAM_MANAGER,
        memberships__team__organisation_id__in=organisations,
    ).distinct()
    gap = lead_professional_version(family=family)
    return alert_raise(
        recipients=list(managers),
        kind=NO_LEAD_ALERT,
        title=f"No lead professional for {family.name}",
        body=(
            f"{len(organisations)} agencies are working with this family and nobody is its "
            "lead professional. Agree one with the family."
        ),
        url=reverse("people:family_detail", kwargs={"pk": family.pk}),
        dedupe_key=f"{NO_LEAD_ALERT}:{family.pk}:{gap}",
    )
