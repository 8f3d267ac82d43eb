"""Writes about early-help assessments. Pages and the API both call these; nothing else writes.

Each service checks the policy first (a family the actor may not see is NotFoundOrForbidden,
like a missing one), validates everything before writing (ValidationProblem with the field
names the pages use), refuses a change based on an older ``version`` (EditConflict) and
writes its audit event in the same transaction, so nothing is half-saved.

Transitions: draft -> completed -> signed off. Contributions may be added and changed until
sign-off; sign-off checks the assessment is whole (R-WT-4, R-EHA-1, R-EHA-5) and that going
past the 45 working days has a reason (R-TIME-2).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation
from earlyhelp.assessments import rules, selectors
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentSubject,
    Contribution,
    ContributionDraft,
)
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationCategory

if TYPE_CHECKING:
    from earlyhelp.accounts.models import User

Errors = dict[str, list[str]]

TEXT_MAX = 10_000
SHORT_MAX = 200
ALREADY_OPEN = (
    "This family already has an early help assessment in progress: add to that one instead"
)
SIGNED_OFF = "This assessment has been signed off and can no longer be changed"


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _check_length(errors: Errors, name: str, value: str, limit: int = TEXT_MAX) -> None:
    if len(value) > limit:
        _add(errors, name, f"Enter {limit:,} characters or fewer")


def _require_family(actor: User, family: Family) -> None:
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden


def _actor_organisation(actor: User) -> Organisation | None:
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            return membership.team.organisation
    return None


def _bump(model: Any, obj: Any, version: int, **changes: Any) -> None:
    """Apply ``changes`` only if the row is still at ``version`` (else EditConflict)."""
    updated = model.objects.filter(pk=obj.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise EditConflict
    obj.refresh_from_db()


# --- Starting ---------------------------------------------------------------------------------


def assessment_start_problems(
    *,
    family: Family,
    agreed_by: Person | None,
    agreed_on: datetime.date | None,
    agreement_note: str,
    today: datetime.date,
) -> Errors:
    """R-WT-3: the family's agreement (who, when); one open assessment per family."""
    errors: Errors = {}
    members = {
        m.person_id: m
        for m in FamilyMember.objects.filter(family=family, left_on__isnull=True).select_related(
            "person"
        )
    }
    if agreed_by is None:
        _add(errors, "agreed_by", "Select who in the family agreed to the assessment")
    elif agreed_by.pk not in members or agreed_by.is_unborn:
        _add(errors, "agreed_by", "Select a member of this family who can agree")
    if agreed_on is None:
        _add(errors, "agreed_on", "Enter the date the family agreed")
    elif agreed_on > today:
        _add(errors, "agreed_on", "The date the family agreed must be today or in the past")
    _check_length(errors, "agreement_note", agreement_note)
    if not any(rules.SUBJECT_ROLE_BY_RELATIONSHIP.get(m.relationship) for m in members.values()):
        _add(errors, "__all__", "Record the family's children and parents before assessing")
    if Assessment.objects.filter(family=family, status__in=["draft", "completed"]).exists():
        _add(errors, "__all__", ALREADY_OPEN)
    return errors


@transaction.atomic
def assessment_start(
    *,
    actor: User,
    family: Family,
    agreed_by: Person | None,
    agreed_on: datetime.date | None,
    agreement_note: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """Open the family's assessment with their agreement (R-WT-3).

    Its subjects are the family's members now: each child, the unborn baby, each parent and
    any partner (R-WT-4). Only one assessment is open per family (a database constraint).
    """
    _require_family(actor, family)
    today = today or timezone.localdate()
    errors = assessment_start_problems(
        family=family,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        agreement_note=agreement_note,
        today=today,
    )
    if errors:
        raise ValidationProblem(errors)
    assert agreed_by is not None and agreed_on is not None
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                family=family,
                agreed_by=agreed_by,
                agreed_on=agreed_on,
                agreement_note=agreement_note.strip(),
                started_by=actor,
            )
    except IntegrityError as error:
        # Someone else opened one at the same moment.
        raise ValidationProblem({"__all__": [ALREADY_OPEN]}) from error
    members = FamilyMember.objects.filter(family=family, left_on__isnull=True).order_by("id")
    AssessmentSubject.objects.bulk_create(
        [
            AssessmentSubject(
                assessment=assessment,
                person_id=m.person_id,
                relationship=m.relationship,
                role=rules.SUBJECT_ROLE_BY_RELATIONSHIP[m.relationship],
            )
            for m in members
            if m.relationship in rules.SUBJECT_ROLE_BY_RELATIONSHIP
        ]
    )
    audit_record(
        actor=actor,
        action="assessment.start",
        obj=assessment,
        summary=f"Early help assessment started for {family.name}",
    )
    return assessment


def _require_open(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise ValidationProblem({"__all__": [SIGNED_OFF]})


# --- Subjects: voice and care experience --------------------------------------------------------


@dataclass(frozen=True)
class SubjectDetails:
    voice: str = ""
    care_experienced: bool = False
    responsible_local_authority: str = ""
    personal_adviser: str = ""


def subject_problems(subject: AssessmentSubject, details: SubjectDetails) -> Errors:
    errors: Errors = {}
    _check_length(errors, "voice", details.voice)
    _check_length(errors, "responsible_local_authority", details.responsible_local_authority, 100)
    _check_length(errors, "personal_adviser", details.personal_adviser, SHORT_MAX)
    if details.care_experienced and subject.role not in rules.PARENT_ROLES:
        _add(errors, "care_experienced", "Record care experience for parents and partners")
    if not details.care_experienced and (
        details.responsible_local_authority.strip() or details.personal_adviser.strip()
    ):
        _add(
            errors,
            "care_experienced",
            "Say they are care-experienced, or leave the local authority and adviser empty",
        )
    return errors


@transaction.atomic
def subject_update(
    *, actor: User, subject: AssessmentSubject, details: SubjectDetails, version: int
) -> AssessmentSubject:
    """Record a subject's voice (R-EHA-1) and, for a parent or partner, whether they are
    care-experienced with the responsible local authority and personal adviser (R-CL-1).

    The authority and adviser are care history: recorded under that need-to-know category,
    by the actor's agency, so others see only the flag (R-IS-12).
    """
    _require_family(actor, subject.assessment.family)
    _require_open(subject.assessment)
    errors = subject_problems(subject, details)
    if errors:
        raise ValidationProblem(errors)
    care_detail = bool(
        details.responsible_local_authority.strip() or details.personal_adviser.strip()
    )
    changes: dict[str, Any] = {
        "voice": details.voice.strip(),
        "care_experienced": details.care_experienced,
        "responsible_local_authority": details.responsible_local_authority.strip(),
        "personal_adviser": details.personal_adviser.strip(),
    }
    if care_detail:
        changes["care_category"] = InformationCategory.objects.filter(code="care_history").first()
        changes["care_source_organisation"] = _actor_organisation(actor)
    elif not details.care_experienced:
        changes["care_category"] = None
        changes["care_source_organisation"] = None
    before = {k: getattr(subject, k) for k in changes}
    _bump(AssessmentSubject, subject, version, **changes)
    # Which fields changed, not their content: the audit trail is no place for care history.
    audit_record(
        actor=actor,
        action="assessment.subject_update",
        obj=subject,
        summary=f"{subject.person.display_name} in the assessment",
        changes={"fields": sorted(k for k in changes if before[k] != getattr(subject, k))},
    )
    return subject


# --- Contributions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionDetails:
    subject: AssessmentSubject | None
    domain: str
    dimension: str
    strengths: str = ""
    need: str = ""
    need_outcome: str = ""
    sleeping_arrangements: str = ""
    safer_sleep_advice: str = ""
    category: InformationCategory | None = None


def contribution_problems(assessment: Assessment, details: ContributionDetails) -> Errors:
    """What is wrong with a contribution, by field; writes nothing (R-EHA-1, R-SF-1)."""
    errors: Errors = {}
    if details.subject is None or details.subject.assessment_id != assessment.pk:
        _add(errors, "subject", "Select who in the family the contribution is about")
    if details.domain not in rules.Domain.__members__.values():
        _add(errors, "domain", "Select a domain of the assessment framework")
    else:
        problem = rules.dimension_problem(details.domain, details.dimension)
        if problem:
            _add(errors, "dimension", problem)
    if not (details.strengths.strip() or details.need.strip()):
        _add(errors, "strengths", "Enter the strengths, the need, or both")
    problem = rules.need_problem(details.need, details.need_outcome)
    if problem:
        _add(errors, "need_outcome" if details.need.strip() else "need", problem)
    safer_sleep = details.sleeping_arrangements.strip() or details.safer_sleep_advice.strip()
    if safer_sleep and details.domain != rules.Domain.FAMILY_ENVIRONMENT:
        _add(
            errors,
            "sleeping_arrangements",
            "Record sleeping arrangements under family and environmental factors",
        )
    for name in ("strengths", "need", "sleeping_arrangements", "safer_sleep_advice"):
        _check_length(errors, name, getattr(details, name))
    return errors


def _contribution_fields(details: ContributionDetails) -> dict[str, Any]:
    assert details.subject is not None
    return {
        "subject": details.subject,
        "person_id": details.subject.person_id,
        "domain": details.domain,
        "dimension": details.dimension,
        "strengths": details.strengths.strip(),
        "need": details.need.strip(),
        "need_outcome": details.need_outcome if details.need.strip() else "",
        "sleeping_arrangements": details.sleeping_arrangements.strip(),
        "safer_sleep_advice": details.safer_sleep_advice.strip(),
        "category": details.category,
    }


@transaction.atomic
def contribution_add(
    *, actor: User, assessment: Assessment, details: ContributionDetails
) -> Contribution:
    """An agency's contribution about one subject and dimension, attributed to the actor and
    their agency. A category makes it need-to-know (R-IS-4, R-IS-12). The actor's draft of
    it is deleted: it is saved now."""
    _require_family(actor, assessment.family)
    _require_open(assessment)
    organisation = _actor_organisation(actor)
    if organisation is None:
        raise NotFoundOrForbidden
    errors = contribution_problems(assessment, details)
    if errors:
        raise ValidationProblem(errors)
    contribution = Contribution.objects.create(
        assessment=assessment,
        source_organisation=organisation,
        practitioner=actor,
        **_contribution_fields(details),
    )
    ContributionDraft.objects.filter(user=actor, assessment=assessment, form_key="new").delete()
    audit_record(
        actor=actor,
        action="assessment.contribution_add",
        obj=contribution,
        summary=f"{contribution.get_dimension_display()} by {organisation.name}",
    )
    return contribution


@transaction.atomic
def contribution_update(
    *, actor: User, contribution: Contribution, details: ContributionDetails, version: int
) -> Contribution:
    """Change a contribution: only its own agency, only before sign-off, only from the
    version read (EditConflict otherwise)."""
    assessment = contribution.assessment
    _require_family(actor, assessment.family)
    if contribution.source_organisation_id not in actor.organisation_ids():
        raise NotFoundOrForbidden
    _require_open(assessment)
    errors = contribution_problems(assessment, details)
    if errors:
        raise ValidationProblem(errors)
    _bump(
        Contribution,
        contribution,
        version,
        updated_at=timezone.now(),
        **_contribution_fields(details),
    )
    ContributionDraft.objects.filter(
        user=actor, assessment=assessment, form_key=f"c{contribution.pk}"
    ).delete()
    audit_record(
        actor=actor,
        action="assessment.contribution_update",
        obj=contribution,
        summary=f"{contribution.get_dimension_display()} changed",
    )
    return contribution


# --- Drafts (autosave) ------------------------------------------------------------------------

DRAFT_FORM_KEY = re.compile(r"^(new|c[1-9][0-9]{0,17})$")
DRAFT_FIELDS = frozenset(
    {
        "subject",
        "domain",
        "dimension",
        "strengths",
        "need",
        "need_outcome",
        "sleeping_arrangements",
        "safer_sleep_advice",
        "category",
    }
)


@transaction.atomic
def draft_save(
    *, actor: User, assessment: Assessment, form_key: str, data: dict[str, str]
) -> ContributionDraft:
    """Keep what the actor has typed so far (no validation: it is unfinished work).

    Only the form's own fields are kept, each cut to the longest a field accepts.
    """
    _require_family(actor, assessment.family)
    if not DRAFT_FORM_KEY.match(form_key):
        raise NotFoundOrForbidden
    if form_key != "new":
        contribution = Contribution.objects.filter(pk=int(form_key[1:]), assessment=assessment)
        if not contribution.filter(source_organisation_id__in=actor.organisation_ids()).exists():
            raise NotFoundOrForbidden
    _require_open(assessment)
    kept = {k: str(v)[:TEXT_MAX] for k, v in data.items() if k in DRAFT_FIELDS}
    draft, _ = ContributionDraft.objects.update_or_create(
        user=actor,
        assessment=assessment,
        form_key=form_key,
        defaults={"data": kept, "saved_at": timezone.now()},
    )
    return draft


# --- The clock (R-TIME-2) -----------------------------------------------------------------------


@transaction.atomic
def assessment_clock_start(
    *,
    actor: User,
    assessment: Assessment,
    started_on: datetime.date | None,
    version: int,
    today: datetime.date | None = None,
) -> Assessment:
    """A statutory assessment follows: the 45 working days run from the referral date.

    The due date is stored (bank holidays counted out); "overdue" is derived on reading.
    """
    _require_family(actor, assessment.family)
    _require_open(assessment)
    today = today or timezone.localdate()
    errors: Errors = {}
    if started_on is None:
        _add(errors, "started_on", "Enter the date of the referral")
    elif started_on > today:
        _add(errors, "started_on", "The referral date must be today or in the past")
    elif started_on < today - datetime.timedelta(days=366):
        _add(errors, "started_on", "The referral date must be within the last year")
    if errors:
        raise ValidationProblem(errors)
    assert started_on is not None
    due = rules.statutory_assessment_due_on(started_on, holidays=bank_holidays())
    _bump(Assessment, assessment, version, statutory_started_on=started_on, statutory_due_on=due)
    audit_record(
        actor=actor,
        action="assessment.clock_start",
        obj=assessment,
        summary=f"45-working-day clock from {started_on:%-d %B %Y}, due {due:%-d %B %Y}",
    )
    return assessment


@transaction.atomic
def assessment_overdue_reason_record(
    *, actor: User, assessment: Assessment, reason: str, version: int
) -> Assessment:
    """R-TIME-2: why the assessment is taking longer than 45 working days."""
    _require_family(actor, assessment.family)
    _require_open(assessment)
    errors: Errors = {}
    if not reason.strip():
        _add(errors, "overdue_reason", "Enter why the assessment is taking longer")
    _check_length(errors, "overdue_reason", reason)
    if errors:
        raise ValidationProblem(errors)
    _bump(Assessment, assessment, version, overdue_reason=reason.strip())
    audit_record(
        actor=actor,
        action="assessment.overdue_reason",
        obj=assessment,
        summary="Reason recorded for going past 45 working days",
    )
    return assessment


# --- Completion and sign-off ------------------------------------------------------------------


def _overdue_problems(assessment: Assessment, today: datetime.date, overdue_reason: str) -> Errors:
    reason = overdue_reason.strip() or assessment.overdue_reason
    problem = rules.overdue_reason_problem(assessment.statutory_due_on, on=today, reason=reason)
    return {"overdue_reason": [problem]} if problem else {}


@transaction.atomic
def assessment_complete(
    *,
    actor: User,
    assessment: Assessment,
    version: int,
    overdue_reason: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """The practitioner says the assessment is written (draft -> completed).

    Past the 45 working days it needs a reason (R-TIME-2). What sign-off needs is shown on
    the page but checked at sign-off, so a contribution may still come in.
    """
    _require_family(actor, assessment.family)
    today = today or timezone.localdate()
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationProblem({"__all__": ["Only a draft assessment can be completed"]})
    errors = _overdue_problems(assessment, today, overdue_reason)
    if errors:
        raise ValidationProblem(errors)
    changes: dict[str, Any] = {
        "status": AssessmentStatus.COMPLETED,
        "completed_by": actor,
        "completed_at": timezone.now(),
    }
    if overdue_reason.strip():
        changes["overdue_reason"] = overdue_reason.strip()
    _bump(Assessment, assessment, version, **changes)
    audit_record(
        actor=actor, action="assessment.complete", obj=assessment, summary="Assessment completed"
    )
    return assessment


SIGN_OFF_MISSING = "It cannot be signed off until it records: "


@transaction.atomic
def assessment_sign_off(
    *,
    actor: User,
    assessment: Assessment,
    version: int,
    overdue_reason: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """Sign off a completed assessment (completed -> signed off).

    Refused, with every missing piece listed, when a subject lacks a domain they need
    (R-WT-4, R-WT-9, R-LON-6), the family and environment domain is missing (R-EHA-1), a
    voice is missing (R-EHA-1), or with a pregnancy or an infant the sleeping arrangements
    and safer-sleep advice are not recorded (R-EHA-5). Past the 45 working days it needs a
    reason (R-TIME-2).
    """
    _require_family(actor, assessment.family)
    today = today or timezone.localdate()
    if assessment.status != AssessmentStatus.COMPLETED:
        raise ValidationProblem({"__all__": ["Complete the assessment before signing it off"]})
    situation = selectors.assessment_situation(assessment=assessment, today=today)
    missing = rules.missing_for_sign_off(situation)
    errors: Errors = {}
    if missing:
        errors["__all__"] = [SIGN_OFF_MISSING + "; ".join(missing)]
    # The clock stops when the assessment was completed, not when it is signed off.
    errors.update(_overdue_problems(assessment, assessment.finished_on() or today, overdue_reason))
    if errors:
        raise ValidationProblem(errors)
    changes: dict[str, Any] = {
        "status": AssessmentStatus.SIGNED_OFF,
        "signed_off_by": actor,
        "signed_off_at": timezone.now(),
    }
    if overdue_reason.strip():
        changes["overdue_reason"] = overdue_reason.strip()
    _bump(Assessment, assessment, version, **changes)
    ContributionDraft.objects.filter(assessment=assessment).delete()
    audit_record(
        actor=actor, action="assessment.sign_off", obj=assessment, summary="Assessment signed off"
    )
    chronology_record(
        actor=actor,
        family=assessment.family,
        occurred_on=today,
        kind=EntryKind.ASSESSMENT,
        summary="Early help assessment signed off",
        source=assessment,
    )
    return assessment
