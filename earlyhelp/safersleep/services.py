"""Writes about safer sleep: assessments and observations, health visiting contacts,
disruptions of routine and the reassessment tasks they create (R-SS-1 to R-SS-4, R-HCP-1).

Every service checks the sharing policy first (a family the actor may not see is
NotFoundOrForbidden, like a missing one), validates everything before writing anything
(ValidationProblem, with the field names the pages use), then saves, raises its alerts and
writes its audit event in one transaction. Audit summaries name kinds and ids, never the
detail: the audit log is read more widely than the record.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, AgencyType, Organisation, User
from earlyhelp.alerts.services import alert_raise, risk_share
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import DISRUPTION_KINDS, chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.rules import working_days_after
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person, Relationship
from earlyhelp.people.rules import age_on
from earlyhelp.plans.selectors import lead_professional
from earlyhelp.safersleep import rules
from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory

if TYPE_CHECKING:
    from earlyhelp.alerts.models import Alert

Errors = dict[str, list[str]]

# Agencies whose named practitioner is the family's health visitor for R-SS-1 and R-SS-3:
# health visiting, and the Family Nurse Partnership, whose family nurse delivers the Healthy
# Child Programme reviews in the health visitor's place for the families it works with.
HEALTH_VISITOR_AGENCIES = frozenset(
    {AgencyType.HEALTH_VISITING, AgencyType.FAMILY_NURSE_PARTNERSHIP}
)
BABY_RELATIONSHIPS = frozenset({Relationship.CHILD, Relationship.UNBORN_BABY})
# R-SS-3 leaves the deadline a local setting (U): working days to reassess after a disruption.
DEFAULT_REASSESSMENT_WORKING_DAYS = 5
TEXT_MAX = 5000

RED_FLAG_ALERT = "safer_sleep_red_flag"
RISK_INDICATOR_ALERT = "risk_recorded"
REASSESSMENT_ALERT = "safer_sleep_reassessment"


def reassessment_working_days() -> int:
    return int(
        getattr(
            settings, "SAFER_SLEEP_REASSESSMENT_WORKING_DAYS", DEFAULT_REASSESSMENT_WORKING_DAYS
        )
    )


def _require_family(actor: User, family: Family) -> None:
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden


def recording_organisation(actor: User) -> Organisation:
    """The agency the actor records for: their first casework agency (R-SS-4: any agency)."""
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            return membership.team.organisation
    raise NotFoundOrForbidden


def family_url(family: Family) -> str:
    return reverse("people:family_detail", kwargs={"pk": family.pk}) + "#safer-sleep"


def _current_member_ids(family: Family) -> list[int]:
    return list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def health_visitors(family: Family, *, today: datetime.date) -> list[User]:
    """The named health visitor(s) working with the family or one of its members today."""
    involvements = (
        Involvement.objects.filter(
            Q(family=family) | Q(person_id__in=_current_member_ids(family)),
            Q(ended_on__isnull=True) | Q(ended_on__gte=today),
            organisation__agency_type__in=HEALTH_VISITOR_AGENCIES,
            practitioner__isnull=False,
            practitioner__is_active=True,
            started_on__lte=today,
        )
        .select_related("practitioner")
        .order_by("id")
    )
    found: dict[int, User] = {}
    for involvement in involvements:
        assert involvement.practitioner is not None
        found.setdefault(involvement.practitioner.pk, involvement.practitioner)
    return list(found.values())


def who_must_reassess(family: Family, *, today: datetime.date) -> list[User]:
    """R-SS-1, R-SS-3: the family's health visitor(s) and its lead professional."""
    visitors = health_visitors(family, today=today)
    lead = lead_professional(family=family)
    ids = rules.who_must_reassess(
        health_visitor_ids={u.pk for u in visitors},
        lead_professional_id=lead.pk if lead else None,
    )
    people = {u.pk: u for u in visitors}
    if lead is not None:
        people[lead.pk] = lead
    return [people[i] for i in sorted(ids)]


def babies(family: Family) -> list[Person]:
    """The family's current children and unborn babies, youngest first."""
    members = FamilyMember.objects.filter(
        family=family, left_on__isnull=True, relationship__in=BABY_RELATIONSHIPS
    ).select_related("person")
    return sorted(
        (m.person for m in members),
        key=lambda p: (not p.is_unborn, -(p.date_of_birth or datetime.date.min).toordinal()),
    )


# --- Health visiting contacts (R-HCP-1) ---------------------------------------------------


def contacts_schedule(*, person: Person, today: datetime.date) -> list[HealthVisitingContact]:
    """Track the mandated reviews for a baby (R-HCP-1); those already tracked are kept.

    Not a user's action: called when a child or unborn baby joins a family (signals), by the
    demo, and before recording anything about the baby, so that every baby has its reviews.
    """
    windows = rules.contacts_to_schedule(
        date_of_birth=person.date_of_birth,
        expected_date_of_delivery=person.expected_date_of_delivery,
        today=today,
    )
    if person.date_of_birth is not None and age_on(person.date_of_birth, today) >= 3:
        windows = {}
    HealthVisitingContact.objects.bulk_create(
        [
            HealthVisitingContact(person=person, kind=kind, due_from=w.due_from, due_by=w.due_by)
            for kind, w in windows.items()
        ],
        ignore_conflicts=True,
    )
    return list(HealthVisitingContact.objects.filter(person=person))


def contacts_reschedule(*, person: Person) -> int:
    """Once the baby is born, count the open reviews from the date of birth (R-HCP-1).

    The same person row becomes the child at birth (people.services.person_record_birth), so
    the reviews scheduled from the due date stay with the child and are moved here.
    """
    if person.date_of_birth is None:
        return 0
    changed = 0
    for contact in HealthVisitingContact.objects.filter(person=person, completed_on__isnull=True):
        window = rules.contact_rescheduled(contact.kind, contact.window, person.date_of_birth)
        if window != contact.window:
            contact.due_from, contact.due_by = window.due_from, window.due_by
            contact.save(update_fields=["due_from", "due_by"])
            changed += 1
    return changed


def _lock_contact(contact: HealthVisitingContact, version: int | None) -> HealthVisitingContact:
    locked = HealthVisitingContact.objects.select_for_update().get(pk=contact.pk)
    if version is not None and locked.version != version:
        raise EditConflict
    return locked


def contact_completion_problems(
    *, contact: HealthVisitingContact, completed_on: datetime.date | None, today: datetime.date
) -> Errors:
    errors: Errors = {}
    if contact.completed_on is not None:
        errors["__all__"] = ["This contact has already been recorded as completed"]
    recorded = SaferSleepAssessment.objects.filter(
        person_id=contact.person_id, contact=contact.kind, is_observation=False
    ).exists()
    problem = rules.contact_completion_problem(contact.kind, safer_sleep_recorded=recorded)
    if problem:
        errors.setdefault("__all__", []).append(problem)
    if completed_on is None:
        errors["completed_on"] = ["Enter the date of the contact"]
    elif completed_on > today:
        errors["completed_on"] = ["The date of the contact must be today or in the past"]
    return errors


@transaction.atomic
def contact_complete(
    *,
    actor: User,
    contact: HealthVisitingContact,
    completed_on: datetime.date | None,
    in_home: bool | None = None,
    delegated_note: str = "",
    version: int | None = None,
    today: datetime.date | None = None,
) -> HealthVisitingContact:
    """Record a mandated review as done (R-HCP-1, R-HCP-2).

    Refused for the antenatal, new baby and 6-8 week contacts until a safer-sleep assessment
    has been recorded at that contact (R-SS-1; rules.contact_completion_problem says why).
    """
    if policies.person_access_route(actor, contact.person) is None:
        raise NotFoundOrForbidden
    today = today or timezone.localdate()
    organisation = recording_organisation(actor)
    contact = _lock_contact(contact, version)
    errors = contact_completion_problems(contact=contact, completed_on=completed_on, today=today)
    if len(delegated_note) > 500:
        errors["delegated_note"] = ["Delegation note must be 500 characters or fewer"]
    if errors:
        raise ValidationProblem(errors)
    return _complete(actor, contact, completed_on, in_home, delegated_note, organisation)


def _complete(
    actor: User,
    contact: HealthVisitingContact,
    completed_on: datetime.date | None,
    in_home: bool | None,
    delegated_note: str,
    organisation: Organisation,
) -> HealthVisitingContact:
    contact.completed_on = completed_on
    contact.completed_by = actor
    contact.completed_organisation = organisation
    contact.in_home = in_home
    contact.delegated_note = delegated_note.strip()
    contact.version += 1
    contact.save()
    audit_record(
        actor=actor,
        action="health_visiting_contact.complete",
        obj=contact,
        summary=f"{contact.get_kind_display()} for person {contact.person_id}",
        changes={"completed_on": str(completed_on), "in_home": in_home},
    )
    return contact


# --- Safer-sleep assessments and observations (R-SS-2 to R-SS-4) ---------------------------


def _baby_problem(family: Family, person: Person | None, on: datetime.date) -> str | None:
    if person is None:
        return "Select the baby"
    member = FamilyMember.objects.filter(
        family=family, person=person, left_on__isnull=True, relationship__in=BABY_RELATIONSHIPS
    ).exists()
    if not member:
        return "Select a baby who is a member of this family now"
    if not rules.needs_reassessment(
        is_unborn=person.is_unborn, date_of_birth=person.date_of_birth, today=on
    ):
        return "Safer-sleep assessments are for unborn babies and infants under 1 year old"
    return None


def safer_sleep_problems(
    *,
    family: Family,
    person: Person | None,
    contact: str,
    risks: rules.SleepRisks,
    sleeping_arrangements: str,
    conversation: str,
    action_plan: str,
    equipment: Sequence[str],
    assessed_on: datetime.date | None,
    observation: bool,
    today: datetime.date,
) -> Errors:
    """Everything wrong with an assessment or observation, by field; writes nothing."""
    errors = rules.assessment_problems(
        risks=risks,
        observation=observation,
        sleeping_arrangements=sleeping_arrangements,
        conversation=conversation,
        action_plan=action_plan,
        contact=contact,
        assessed_on=assessed_on,
        today=today,
    )
    problem = _baby_problem(family, person, assessed_on or today)
    if problem:
        errors["person"] = [problem]
    if any(e not in rules.Equipment.values for e in equipment):
        errors["equipment"] = ["Select equipment from the list"]
    for name, value in (
        ("sleeping_arrangements", sleeping_arrangements),
        ("conversation", conversation),
        ("action_plan", action_plan),
    ):
        if len(value) > TEXT_MAX:
            errors[name] = [f"Enter {TEXT_MAX} characters or fewer"]
    return errors


@transaction.atomic
def safer_sleep_assessment_record(
    *,
    actor: User,
    family: Family,
    person: Person | None,
    risks: rules.SleepRisks,
    assessed_on: datetime.date | None,
    contact: str = rules.AssessmentContact.OTHER,
    sleeping_arrangements: str = "",
    conversation: str = "",
    action_plan: str = "",
    equipment: Sequence[str] = (),
    observation: bool = False,
    complete_contact: bool = False,
    in_home: bool | None = None,
    today: datetime.date | None = None,
) -> SaferSleepAssessment:
    """Record a safer-sleep assessment (R-SS-2), or an observation by any agency (R-SS-4).

    The red flag (R-SS-3) is computed and stored; it needs the conversation and an action
    plan, and alerts the lead professional and the health visitor(s) at once. A full
    assessment closes the baby's open reassessment tasks (R-SS-1). With ``complete_contact``
    the mandated review it was recorded at is completed in the same step.
    """
    _require_family(actor, family)
    organisation = recording_organisation(actor)
    today = today or timezone.localdate()
    if observation:
        contact = rules.AssessmentContact.OTHER
    errors = safer_sleep_problems(
        family=family,
        person=person,
        contact=contact,
        risks=risks,
        sleeping_arrangements=sleeping_arrangements,
        conversation=conversation,
        action_plan=action_plan,
        equipment=equipment,
        assessed_on=assessed_on,
        observation=observation,
        today=today,
    )
    hv_contact = None
    if not errors and person is not None and contact in rules.SAFER_SLEEP_CONTACTS:
        contacts_schedule(person=person, today=today)
        hv_contact = (
            HealthVisitingContact.objects.select_for_update()
            .filter(person=person, kind=contact)
            .first()
        )
        if complete_contact and (hv_contact is None or hv_contact.completed_on is not None):
            errors["complete_contact"] = ["This contact is not waiting to be completed"]
    elif complete_contact and not errors:
        errors["complete_contact"] = [
            "Only the antenatal, new baby and 6 to 8 week contacts are completed here"
        ]
    if errors:
        raise ValidationProblem(errors)
    assert person is not None and assessed_on is not None
    reasons = rules.red_flag_reasons(risks)
    category = (
        InformationCategory.objects.filter(code="substance_use").first()
        if risks.substances
        else None
    )
    assessment = SaferSleepAssessment.objects.create(
        family=family,
        person=person,
        contact=contact,
        health_visiting_contact=hv_contact,
        is_observation=observation,
        assessed_on=assessed_on,
        sleeping_arrangements=sleeping_arrangements.strip(),
        conversation=conversation.strip(),
        action_plan=action_plan.strip(),
        equipment=sorted(set(equipment)),
        red_flag=bool(reasons),
        red_flag_reasons=reasons,
        category=category,
        source_organisation=organisation,
        recorded_by=actor,
        **asdict(risks),
    )
    audit_record(
        actor=actor,
        action="safer_sleep_observation.record" if observation else "safer_sleep_assessment.record",
        obj=assessment,
        summary=(
            f"{assessment.get_contact_display()} for person {person.pk} by {organisation.name}"
            f"{': red flag' if reasons else ''}"
        ),
        changes={"red_flag": bool(reasons), "family_id": family.pk},
    )
    if reasons:
        chronology_record(
            actor=actor,
            family=family,
            person=person,
            occurred_on=assessed_on,
            kind=EntryKind.ASSESSMENT,
            summary="Safer-sleep red flag: action plan agreed with the family",
            category=category,
            source=assessment,
            source_organisation=organisation,
        )
    if reasons:
        _red_flag_alert(assessment, today=today)
    if not observation:
        _reassessment_tasks_close(assessment)
    if complete_contact and hv_contact is not None:
        _complete(actor, hv_contact, assessed_on, in_home, "", organisation)
    return assessment


def _red_flag_alert(assessment: SaferSleepAssessment, *, today: datetime.date) -> list[Alert]:
    """R-SS-3: the lead professional and the health visitor(s) are told at once, with the
    rest of the team around the family, as a risk shared with the team (risk_share: the
    time to notify and to acknowledge is kept for the board).

    Everyone told gets the red flag itself, whatever its category: R-SS-3 requires the
    lead professional and the health visitor to hear of it, and the alert's words (unsafe
    sleep, when, for whom) carry nothing need-to-know. Why it is a red flag (drugs,
    alcohol) stays on the assessment, shown only as the sharing policy allows (R-IS-12).
    """
    family = assessment.family
    notice = risk_share(
        actor=assessment.recorded_by,
        family=family,
        kind=RED_FLAG_ALERT,
        source_organisation=assessment.source_organisation,
        category=None,
        person=assessment.person,
        also_tell=who_must_reassess(family, today=today),
        title=f"Safer sleep red flag: {family.name}",
        body=(
            f"{assessment.source_organisation.name} recorded unsafe sleep for "
            f"{assessment.person.display_name} on {assessment.assessed_on:%d %B %Y}. "
            "Read the action plan and agree who follows it up."
        ),
        url=family_url(family),
        dedupe_key=f"safersleep:red-flag:{assessment.pk}",
    )
    return list(notice.alerts.all())


def _reassessment_tasks_close(assessment: SaferSleepAssessment) -> int:
    """A full assessment of the baby does the open reassessment tasks of disruptions that
    happened on or before its date (R-SS-1)."""
    return ReassessmentTask.objects.filter(
        person=assessment.person,
        done_at__isnull=True,
        disruption__occurred_on__lte=assessment.assessed_on,
    ).update(done_at=timezone.now(), done_by_assessment=assessment)


# --- Disruption of routine (R-SS-1, R-SS-4) -----------------------------------------------


def disruption_problems(
    *,
    family: Family,
    kind: str,
    occurred_on: datetime.date | None,
    details: str,
    person: Person | None,
    today: datetime.date,
) -> Errors:
    errors = rules.disruption_problems(
        kind=kind, occurred_on=occurred_on, today=today, details=details
    )
    if len(details) > TEXT_MAX:
        errors["details"] = [f"Enter {TEXT_MAX} characters or fewer"]
    if (
        person is not None
        and not FamilyMember.objects.filter(
            family=family, person=person, left_on__isnull=True
        ).exists()
    ):
        errors["person"] = ["Select a member of this family"]
    return errors


@transaction.atomic
def disruption_record(
    *,
    actor: User,
    family: Family,
    kind: str,
    occurred_on: datetime.date | None,
    details: str = "",
    person: Person | None = None,
    today: datetime.date | None = None,
) -> DisruptionOfRoutine:
    """Record a disruption of routine, by any agency that can see the family (R-SS-4).

    Stable signature for other apps (housing calls it when it records a move):
    ``disruption_record(actor=..., family=..., kind=rules.DisruptionKind.HOUSE_MOVE,
    occurred_on=...)``; ``details``, ``person`` (whom it concerns) and ``today`` are optional.

    For each infant under one year old and each unborn baby in the family (R-SS-1;
    rules.needs_reassessment) it creates a reassessment task for the health visitor(s) and
    the lead professional, due in a local number of working days, and alerts them. Raises
    ValidationProblem (kind, occurred_on, details, person) and NotFoundOrForbidden.
    """
    _require_family(actor, family)
    organisation = recording_organisation(actor)
    today = today or timezone.localdate()
    errors = disruption_problems(
        family=family,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        person=person,
        today=today,
    )
    if errors:
        raise ValidationProblem(errors)
    assert occurred_on is not None
    code = rules.disruption_category(kind)
    disruption = DisruptionOfRoutine.objects.create(
        family=family,
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        details=details.strip(),
        category=InformationCategory.objects.filter(code=code).first() if code else None,
        source_organisation=organisation,
        recorded_by=actor,
    )
    chronology_record(
        actor=actor,
        family=family,
        person=person,
        occurred_on=occurred_on,
        kind=DISRUPTION_KINDS.get(kind, EntryKind.OTHER),
        summary=f"Disruption of routine: {rules.DisruptionKind(kind).label}",
        category=disruption.category,
        source=disruption,
        source_organisation=organisation,
    )
    infants = [
        baby
        for baby in babies(family)
        if rules.needs_reassessment(
            is_unborn=baby.is_unborn, date_of_birth=baby.date_of_birth, today=today
        )
    ]
    assignees = who_must_reassess(family, today=today) if infants else []
    due_on = working_days_after(today, reassessment_working_days(), holidays=bank_holidays())
    for baby in infants:
        contacts_schedule(person=baby, today=today)
        task = ReassessmentTask.objects.create(
            disruption=disruption, family=family, person=baby, due_on=due_on
        )
        task.assignees.set(assignees)
    audit_record(
        actor=actor,
        action="disruption_of_routine.record",
        obj=disruption,
        summary=f"Family {family.pk} by {organisation.name}: {len(infants)} reassessment(s)",
        changes={"kind": kind, "occurred_on": occurred_on.isoformat(), "tasks": len(infants)},
    )
    if kind in rules.RISK_INDICATOR_DISRUPTIONS:
        risk_share(
            actor=actor,
            family=family,
            kind=RISK_INDICATOR_ALERT,
            source_organisation=organisation,
            category=disruption.category,
            person=person,
            also_tell=assignees,
            title=f"Risk recorded: {family.name}",
            body=(
                f"{organisation.name} recorded a "
                f"{rules.DisruptionKind(kind).label.lower()} on {occurred_on:%d %B %Y}."
            ),
            url=family_url(family),
            dedupe_key=f"safersleep:risk:{disruption.pk}",
        )
    if infants:
        names = ", ".join(b.display_name for b in infants)
        # The alert names no kind: a domestic abuse incident or a relapse is need-to-know.
        alert_raise(
            recipients=assignees,
            kind=REASSESSMENT_ALERT,
            title=f"Reassess safer sleep: {family.name}",
            body=(
                f"{organisation.name} recorded a disruption of routine on "
                f"{occurred_on:%d %B %Y}. Reassess safer sleep for {names} by {due_on:%d %B %Y}."
            ),
            url=family_url(family),
            dedupe_key=f"safersleep:disruption:{disruption.pk}",
        )
    return disruption
