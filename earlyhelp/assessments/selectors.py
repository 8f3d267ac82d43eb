"""Reads about assessments, always starting from the sharing policy.

An assessment is seen by whoever may see its family (``family_access_route``); missing and
forbidden are the same NotFoundOrForbidden (404) and both are recorded. Contributions in a
need-to-know category are shown in full only where ``category_readable`` allows; anyone else
sees who holds them and to ask the lead professional (R-IS-4, R-IS-12).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType
from earlyhelp.assessments import rules
from earlyhelp.assessments.models import (
    Assessment,
    AssessmentSubject,
    Contribution,
    ContributionDraft,
)
from earlyhelp.core.access import access_record
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.core.rules import working_days_between
from earlyhelp.people.models import Address, FamilyMember, Involvement
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Family


def _refused(actor: User, object_type: str, object_id: object, request: HttpRequest | None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )


def _require_family(
    actor: User, family: Family, object_type: str, object_id: object, request: HttpRequest | None
) -> policies.Route:
    route = policies.family_access_route(actor, family)
    if route is None:
        _refused(actor, object_type, object_id, request)
        raise NotFoundOrForbidden
    return route


def assessment_list(*, actor: User, family: Family) -> QuerySet[Assessment]:
    """The family's assessments, newest first. The caller has already checked the family."""
    if policies.family_access_route(actor, family) is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(family=family).select_related(
        "started_by", "completed_by", "signed_off_by"
    )


def assessment_get(
    *, actor: User, assessment_id: int, request: HttpRequest | None = None
) -> Assessment:
    """One assessment the actor may see (through its family); the look is recorded."""
    assessment = (
        Assessment.objects.select_related(
            "family", "agreed_by", "started_by", "completed_by", "signed_off_by"
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        _refused(actor, "assessments.assessment", assessment_id, request)
        raise NotFoundOrForbidden
    route = _require_family(
        actor, assessment.family, "assessments.assessment", assessment_id, request
    )
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=assessment, route=str(route), request=request
    )
    return assessment


def subject_list(*, actor: User, assessment: Assessment) -> list[AssessmentSubject]:
    """The people the assessment covers, each with ``care_detail_readable`` (R-IS-12)."""
    readable = policies.category_readable(
        actor,
        person="person_id",
        category="care_category_id",
        source_organisation="care_source_organisation_id",
    )
    return list(
        AssessmentSubject.objects.filter(assessment=assessment)
        .select_related("person")
        .annotate(care_detail_readable=ExpressionWrapper(readable, output_field=BooleanField()))
        .order_by("id")
    )


def subject_get(
    *, actor: User, subject_id: int, request: HttpRequest | None = None
) -> AssessmentSubject:
    subject = (
        AssessmentSubject.objects.select_related("assessment", "assessment__family", "person")
        .filter(pk=subject_id)
        .first()
    )
    if subject is None:
        _refused(actor, "assessments.assessmentsubject", subject_id, request)
        raise NotFoundOrForbidden
    route = _require_family(
        actor, subject.assessment.family, "assessments.assessmentsubject", subject_id, request
    )
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=subject, route=str(route), request=request
    )
    return subject


def contribution_list(*, actor: User, assessment: Assessment) -> list[Contribution]:
    """Every contribution, each with ``readable``: False means show only who holds it."""
    return list(
        Contribution.objects.filter(assessment=assessment)
        .select_related("subject", "person", "category", "source_organisation", "practitioner")
        .annotate(
            readable=ExpressionWrapper(
                policies.category_readable(actor), output_field=BooleanField()
            )
        )
        .order_by("subject_id", "domain", "created_at", "id")
    )


def contribution_get(
    *, actor: User, contribution_id: int, request: HttpRequest | None = None
) -> Contribution:
    """One contribution the actor may read in full; anything else is NotFoundOrForbidden."""
    contribution = (
        Contribution.objects.select_related(
            "assessment", "assessment__family", "subject", "person", "category"
        )
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None:
        _refused(actor, "assessments.contribution", contribution_id, request)
        raise NotFoundOrForbidden
    route = _require_family(
        actor,
        contribution.assessment.family,
        "assessments.contribution",
        contribution_id,
        request,
    )
    readable = (
        Contribution.objects.filter(pk=contribution.pk)
        .filter(policies.category_readable(actor))
        .exists()
    )
    if not readable:
        _refused(actor, "assessments.contribution", contribution_id, request)
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=contribution, route=str(route), request=request
    )
    return contribution


def contribution_changeable(actor: User, contribution: Contribution) -> bool:
    """Only the agency that made a contribution changes it (it stays attributed to them)."""
    return contribution.source_organisation_id in actor.organisation_ids() and (
        contribution.assessment.status != "signed_off"
    )


def draft_get(*, actor: User, assessment: Assessment, form_key: str) -> ContributionDraft | None:
    """The actor's own unsaved draft for this form, if any (nobody else's, ever)."""
    return ContributionDraft.objects.filter(
        user=actor, assessment=assessment, form_key=form_key
    ).first()


def current_assessment(*, family: Family) -> Assessment | None:
    """The family's open assessment, else its latest. The caller has checked the family."""
    found = Assessment.objects.filter(family=family).select_related("signed_off_by")
    return found.filter(status__in=["draft", "completed"]).first() or found.first()


# --- What the rules look at ---------------------------------------------------------------


def subject_facts(subject: AssessmentSubject) -> rules.Subject:
    person = subject.person
    return rules.Subject(
        person_id=person.pk,
        name=person.display_name,
        role=rules.SubjectRole(subject.role),
        date_of_birth=person.date_of_birth,
        is_unborn=person.is_unborn,
        expected_date_of_delivery=person.expected_date_of_delivery,
        care_experienced=subject.care_experienced,
        responsible_local_authority=subject.responsible_local_authority,
        personal_adviser=subject.personal_adviser,
        voice=subject.voice,
    )


def _fnp_involved(family_id: int, person_ids: list[int], today: datetime.date) -> bool:
    in_force = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    return (
        Involvement.objects.filter(
            in_force, organisation__agency_type=AgencyType.FAMILY_NURSE_PARTNERSHIP
        )
        .filter(Q(family_id=family_id) | Q(person_id__in=person_ids))
        .exists()
    )


def _in_catchment(person_id: int) -> bool:
    address = Address.objects.filter(person_id=person_id, moved_out_on__isnull=True).first()
    # Unknown address: offer the prompt rather than hide it.
    return address is None or address.inside_partnership_area


def assessment_situation(
    *, assessment: Assessment, actor: User | None = None, today: datetime.date | None = None
) -> rules.Situation:
    """What the rules need, read from the database. The caller has checked the family.

    Categories of contributions count only where the actor may read them, so a prompt never
    reveals what the need-to-know rule hides (R-IS-12); without an actor (sign-off) none count.
    """
    today = today or timezone.localdate()
    subjects = list(assessment.subjects.select_related("person").order_by("id"))
    contributions = Contribution.objects.filter(assessment=assessment)
    recorded = frozenset(
        (person_id, domain)
        for person_id, domain in contributions.values_list("person_id", "domain")
    )
    safer_sleep = contributions.filter(domain=rules.Domain.FAMILY_ENVIRONMENT).exclude(
        Q(sleeping_arrangements="") | Q(safer_sleep_advice="")
    )
    categories: frozenset[str] = frozenset()
    if actor is not None:
        categories = frozenset(
            contributions.filter(category__isnull=False)
            .filter(policies.category_readable(actor))
            .values_list("category__code", flat=True)
        )
    person_ids = [s.person_id for s in subjects]
    mothers = [s.person_id for s in subjects if s.role == rules.SubjectRole.MOTHER]
    earlier_births = sum(
        1 for s in subjects if s.relationship == "child" and not s.person.is_unborn
    )
    # Children of the family who have left it count too: not a first baby.
    earlier_births += (
        FamilyMember.objects.filter(
            family=assessment.family, relationship="child", left_on__isnull=False
        )
        .exclude(person_id__in=person_ids)
        .count()
    )
    return rules.Situation(
        subjects=tuple(subject_facts(s) for s in subjects),
        today=today,
        recorded=recorded,
        safer_sleep_recorded=safer_sleep.exists(),
        family_nurse_partnership_involved=_fnp_involved(assessment.family_id, person_ids, today),
        mother_in_catchment=_in_catchment(mothers[0]) if mothers else True,
        categories=categories,
        earlier_births=earlier_births,
    )


@dataclass(frozen=True)
class Clock:
    """The 45-working-day clock as the pages show it (R-TIME-2)."""

    started_on: datetime.date | None
    due_on: datetime.date | None
    overdue: bool
    working_days_left: int | None


def assessment_clock(assessment: Assessment, today: datetime.date | None = None) -> Clock:
    today = today or timezone.localdate()
    due = assessment.statutory_due_on
    finished = assessment.finished_on()
    left = None
    if due is not None and finished is None and today <= due:
        left = working_days_between(today, due, holidays=bank_holidays())
    return Clock(
        started_on=assessment.statutory_started_on,
        due_on=due,
        overdue=rules.is_overdue(due, today=today, finished_on=finished),
        working_days_left=left,
    )
