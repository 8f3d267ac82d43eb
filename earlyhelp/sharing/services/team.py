"""Joining and leaving the team around the family: one of the sharing policy's access routes.

The plans pages and API (team page, join, leave) call these services.
A member of the team sees the family through ``Route.TEAM_AROUND_THE_FAMILY`` while their
membership is in force (R-IS-4); the care-history detail still needs a sharing basis, so the
team sees only its flag (R-IS-12).

A care leaver's personal adviser joins only where the parent agrees (R-CL-2): the agreement is
kept in the audit record of the joining and as a care-history entry in the chronology, so
that only those with a basis for care history read whose adviser they are.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.people.models import PARENT_RELATIONSHIPS, Family, FamilyMember, Person
from earlyhelp.plans.models import TeamAroundFamilyMember
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User

ALREADY_A_MEMBER = "They are already a member of the team around this family"
ALREADY_LEFT = "They have already left the team"
PERSONAL_ADVISER_ROLE = "Personal adviser (leaving care)"
CHOOSE_PARENT = "Choose the parent whose personal adviser they are"
PARENT_MUST_AGREE = "Record that the parent agrees to their personal adviser joining the team"


def _casework_organisations(user: User) -> dict[int, Organisation]:
    return {
        m.team.organisation_id: m.team.organisation
        for m in user.active_memberships()
        if m.role in CASEWORK_ROLES
    }


@transaction.atomic
def team_member_add(
    *,
    actor: User,
    family: Family,
    practitioner: User,
    organisation: Organisation | None = None,
    role_in_team: str = "",
    joined_on: datetime.date | None = None,
    personal_adviser_for: Person | None = None,
    parent_agreed: bool = False,
) -> TeamAroundFamilyMember:
    """Add a practitioner to the team around a family the actor may see.

    The new member must be an active practitioner in casework (system administrators and
    board analysts never join a team), and is named with one of their own agencies.
    ``personal_adviser_for`` names the parent (a current parent in the family) whose leaving
    care personal adviser is joining; that needs ``parent_agreed`` (R-CL-2).
    """
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden
    today = timezone.localdate()
    joined_on = joined_on or today
    errors: dict[str, list[str]] = {}
    organisations = _casework_organisations(practitioner) if practitioner.is_active else {}
    if not organisations:
        errors["practitioner"] = ["Choose a practitioner who works with families"]
    elif organisation is None:
        organisation = next(iter(organisations.values()))
    elif organisation.pk not in organisations:
        errors["organisation"] = ["Choose an agency the practitioner works for"]
    if joined_on > today:
        errors["joined_on"] = ["The date they joined must be today or in the past"]
    if len(role_in_team) > 200:
        errors["role_in_team"] = ["Their role in the team must be 200 characters or fewer"]
    if personal_adviser_for is not None:
        if not FamilyMember.objects.filter(
            family=family,
            person=personal_adviser_for,
            relationship__in=PARENT_RELATIONSHIPS,
            left_on__isnull=True,
        ).exists():
            errors["personal_adviser_for"] = [CHOOSE_PARENT]
        if not parent_agreed:
            errors["parent_agreed"] = [PARENT_MUST_AGREE]
        role_in_team = role_in_team.strip() or PERSONAL_ADVISER_ROLE
    if (
        "practitioner" not in errors
        and TeamAroundFamilyMember.objects.filter(
            family=family, practitioner=practitioner, left_on__isnull=True
        ).exists()
    ):
        errors["practitioner"] = [ALREADY_A_MEMBER]
    if errors:
        raise ValidationProblem(errors)
    assert organisation is not None
    try:
        with transaction.atomic():
            member = TeamAroundFamilyMember.objects.create(
                family=family,
                practitioner=practitioner,
                organisation=organisation,
                role_in_team=role_in_team.strip(),
                joined_on=joined_on,
            )
    except IntegrityError as error:  # the same member added twice at once
        raise ValidationProblem({"practitioner": [ALREADY_A_MEMBER]}) from error
    changes: dict[str, object] = {
        "practitioner_id": practitioner.pk,
        "joined_on": joined_on.isoformat(),
    }
    summary = f"{practitioner} ({organisation.name}) joined the team around the family"
    if personal_adviser_for is not None:
        # R-CL-2: the parent agreed to their personal adviser joining the team.
        changes |= {"personal_adviser_for": personal_adviser_for.pk, "parent_agreed": True}
        summary += " as a parent's personal adviser, with the parent's agreement"
        _personal_adviser_chronology(actor, member, personal_adviser_for)
    audit_record(
        actor=actor, action="team.member_add", obj=family, summary=summary, changes=changes
    )
    return member


def _personal_adviser_chronology(
    actor: User, member: TeamAroundFamilyMember, parent: Person
) -> None:
    """The parent's agreement as a care-history entry: need-to-know, never just the team.
    Without the care-history category (seeded by a sharing migration) no entry is written,
    rather than one that everyone who sees the family could read (R-IS-12)."""
    category = InformationCategory.objects.filter(code="care_history").first()
    if category is None:
        return
    chronology_record(
        actor=actor,
        family=member.family,
        person=parent,
        occurred_on=member.joined_on,
        kind=EntryKind.DECISION,
        summary=(
            f"{parent} agreed to their personal adviser, {member.practitioner} "
            f"({member.organisation.name}), joining the team around the family"
        ),
        category=category,
        source=member,
    )


@transaction.atomic
def team_member_end(
    *,
    actor: User,
    member: TeamAroundFamilyMember,
    left_on: datetime.date | None = None,
) -> TeamAroundFamilyMember:
    """A practitioner leaves the team; from the day after, the team route no longer applies.

    The membership is re-read under a row lock, so that two people ending it at once get one
    ending and one "already left", never two.
    """
    if policies.family_access_route(actor, member.family) is None:
        raise NotFoundOrForbidden
    left_on = left_on or timezone.localdate()
    locked = (
        TeamAroundFamilyMember.objects.select_for_update(of=("self",))
        .select_related("family", "practitioner")
        .get(pk=member.pk)
    )
    if locked.left_on is not None:
        raise ValidationProblem({"__all__": [ALREADY_LEFT]})
    member = locked
    if left_on < member.joined_on:
        raise ValidationProblem(
            {"left_on": ["The date they left must be on or after the date they joined"]}
        )
    was_lead = member.is_lead_professional
    member.left_on = left_on
    # A lead professional who leaves the team is no longer the lead (R-WT-5).
    member.is_lead_professional = False
    member.save(update_fields=["left_on", "is_lead_professional"])
    audit_record(
        actor=actor,
        action="team.member_end",
        obj=member.family,
        summary=f"{member.practitioner} left the team around the family"
        + (", and is no longer the lead professional" if was_lead else ""),
        changes={
            "practitioner_id": member.practitioner_id,
            "left_on": left_on.isoformat(),
            "was_lead_professional": was_lead,
        },
    )
    # Imported here: plans builds on sharing's team membership, not the other way round.
    from earlyhelp.plans.services import no_lead_professional_check

    no_lead_professional_check(member.family)
    return member
