"""Reads about safer sleep, always starting from the sharing policy (R-IS-4, R-IS-12).

A family the actor may not see is NotFoundOrForbidden (404), like a missing record. Within a
family the actor may see, an assessment or disruption in a need-to-know category (drugs or
alcohol; a domestic abuse incident or a relapse) that the policy does not let them read is
shown only as when, by which agency and, for an assessment, whether it raised a red flag:
"held by <agency>, ask the lead professional", never its detail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person
from earlyhelp.safersleep import rules, services
from earlyhelp.safersleep.models import (
    DisruptionOfRoutine,
    HealthVisitingContact,
    ReassessmentTask,
    SaferSleepAssessment,
)
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import InformationItem

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User


def _with_readable(actor: User, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Each row marked ``readable``: whether the need-to-know condition lets the actor read it."""
    return rows.annotate(
        readable=ExpressionWrapper(policies.category_readable(actor), output_field=BooleanField())
    )


def _require_family(actor: User, family: Family) -> policies.Route:
    route = policies.family_access_route(actor, family)
    if route is None:
        raise NotFoundOrForbidden
    return route


@dataclass(frozen=True)
class AssessmentShown:
    """An assessment or observation; ``withheld``: its detail is need-to-know for this viewer."""

    assessment: SaferSleepAssessment
    withheld: bool


@dataclass(frozen=True)
class DisruptionShown:
    disruption: DisruptionOfRoutine
    withheld: bool


@dataclass(frozen=True)
class ContactRow:
    contact: HealthVisitingContact
    status: rules.ContactStatus
    needs_safer_sleep: bool

    @property
    def overdue(self) -> bool:
        return self.status is rules.ContactStatus.OVERDUE


@dataclass(frozen=True)
class BabyContacts:
    person: Person
    contacts: list[ContactRow]


@dataclass(frozen=True)
class TaskRow:
    task: ReassessmentTask
    assignees: list[User]
    disruption: DisruptionShown
    overdue: bool


@dataclass(frozen=True)
class FamilySaferSleep:
    family: Family
    babies: list[BabyContacts]
    assessments: list[AssessmentShown]
    open_tasks: list[TaskRow]
    disruptions: list[DisruptionShown]


def _assessments(actor: User) -> QuerySet[SaferSleepAssessment]:
    return _with_readable(
        actor,
        SaferSleepAssessment.objects.select_related(
            "person", "source_organisation", "recorded_by", "health_visiting_contact"
        ),
    )


def _disruptions(actor: User) -> QuerySet[DisruptionOfRoutine]:
    return _with_readable(
        actor, DisruptionOfRoutine.objects.select_related("source_organisation", "recorded_by")
    )


def _shown(assessment: SaferSleepAssessment) -> AssessmentShown:
    return AssessmentShown(assessment, withheld=not getattr(assessment, "readable", False))


def _disruption_shown(disruption: DisruptionOfRoutine) -> DisruptionShown:
    return DisruptionShown(disruption, withheld=not getattr(disruption, "readable", False))


def family_safer_sleep(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> FamilySaferSleep:
    """The family page's safer-sleep panel; the family page's recorded look covers it."""
    _require_family(actor, family)
    today = today or timezone.localdate()
    babies = services.babies(family)
    contacts: dict[int, list[ContactRow]] = {}
    for contact in HealthVisitingContact.objects.filter(person__in=babies).order_by("due_from"):
        contacts.setdefault(contact.person_id, []).append(
            ContactRow(
                contact,
                rules.contact_status(contact.window, contact.completed_on, today),
                contact.kind in rules.SAFER_SLEEP_CONTACTS,
            )
        )
    disruptions = [_disruption_shown(d) for d in _disruptions(actor).filter(family=family)]
    by_id = {d.disruption.pk: d for d in disruptions}
    tasks = [
        TaskRow(task, list(task.assignees.all()), by_id[task.disruption_id], today > task.due_on)
        for task in ReassessmentTask.objects.filter(family=family, done_at__isnull=True)
        .select_related("person")
        .prefetch_related("assignees")
    ]
    return FamilySaferSleep(
        family=family,
        babies=[BabyContacts(p, contacts.get(p.pk, [])) for p in babies],
        assessments=[_shown(a) for a in _assessments(actor).filter(family=family)],
        open_tasks=tasks,
        disruptions=disruptions,
    )


def safer_sleep_assessment_list(*, actor: User, family: Family) -> list[AssessmentShown]:
    _require_family(actor, family)
    return [_shown(a) for a in _assessments(actor).filter(family=family)]


def safer_sleep_assessment_get(
    *, actor: User, assessment_id: int, request: HttpRequest | None = None
) -> AssessmentShown:
    """One assessment in a family the actor may see; the look (or the refusal) is recorded."""
    assessment = (
        _assessments(actor).select_related("family").filter(pk=assessment_id).first()
        if policies.can_open_family_records(actor)
        else None
    )
    route = policies.family_access_route(actor, assessment.family) if assessment else None
    if assessment is None or route is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="safersleep.safersleepassessment",
            object_id=str(assessment_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=assessment, route=str(route), request=request
    )
    return _shown(assessment)


def disruption_list(*, actor: User, family: Family) -> list[DisruptionShown]:
    _require_family(actor, family)
    return [_disruption_shown(d) for d in _disruptions(actor).filter(family=family)]


def reassessment_task_list(*, actor: User, family: Family) -> list[TaskRow]:
    """Open and done reassessment tasks, open first."""
    disruptions = {d.disruption.pk: d for d in disruption_list(actor=actor, family=family)}
    today = timezone.localdate()
    tasks = (
        ReassessmentTask.objects.filter(family=family)
        .select_related("person")
        .prefetch_related("assignees")
        .order_by("-done_at", "due_on", "id")
    )
    rows = [
        TaskRow(
            t,
            list(t.assignees.all()),
            disruptions[t.disruption_id],
            t.done_at is None and today > t.due_on,
        )
        for t in tasks
    ]
    return sorted(rows, key=lambda r: r.task.done_at is not None)


def health_visiting_contact_list(*, actor: User, family: Family) -> list[BabyContacts]:
    return family_safer_sleep(actor=actor, family=family).babies


def health_visiting_contact_get(
    *, actor: User, contact_id: int, request: HttpRequest | None = None
) -> tuple[HealthVisitingContact, Family]:
    """A baby's review and the family it is seen through; a refusal is recorded (404)."""
    contact = (
        HealthVisitingContact.objects.select_related("person").filter(pk=contact_id).first()
        if policies.can_open_family_records(actor)
        else None
    )
    family = None
    if contact is not None:
        families = Family.objects.filter(
            members__person_id=contact.person_id, members__left_on__isnull=True
        )
        family = policies.visible_families(actor).filter(pk__in=families.values("pk")).first()
    if contact is None or family is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="safersleep.healthvisitingcontact",
            object_id=str(contact_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(actor=actor, action=AccessAction.VIEW, obj=contact, request=request)
    return contact, family


# --- R-SS-5: the vulnerability aggregate in the family header ------------------------------


class Vulnerability:
    SMOKING = "Smoking"
    MENTAL_HEALTH = "Parental mental health"
    DOMESTIC_ABUSE = "Domestic abuse"
    SUBSTANCE_MISUSE = "Substance misuse"
    SOCIAL_CARE = "Known to children's social care"


ORDER = [
    Vulnerability.SMOKING,
    Vulnerability.MENTAL_HEALTH,
    Vulnerability.DOMESTIC_ABUSE,
    Vulnerability.SUBSTANCE_MISUSE,
    Vulnerability.SOCIAL_CARE,
]
CATEGORY_VULNERABILITY = {
    "mental_health": Vulnerability.MENTAL_HEALTH,
    "domestic_abuse": Vulnerability.DOMESTIC_ABUSE,
    "substance_use": Vulnerability.SUBSTANCE_MISUSE,
}


def family_vulnerabilities(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> list[str]:
    """R-SS-5: smoking, parental mental health, domestic abuse, substance misuse and known to
    children's social care, from what this viewer may know, as bare flags (no detail).

    - information held about a current member in those categories: one the viewer may read,
      or one whose category shows a flag to those who may not (R-IS-12: a category without
      a flag shows nothing at all);
    - safer-sleep records the viewer may read (smoking; drugs or alcohol) and disruptions
      they may read (a domestic abuse incident; a relapse), or whose category has a flag;
    - an involvement of children's social care with the family or a member, in force.
    Five queries whatever the family's size.
    """
    _require_family(actor, family)
    today = today or timezone.localdate()
    found: set[str] = set()
    members = FamilyMember.objects.filter(family=family, left_on__isnull=True).values("person_id")
    flagged = ~Q(category__flag_text="")
    readable = policies.category_readable(actor)
    items = (
        InformationItem.objects.filter(
            person_id__in=members, category__code__in=list(CATEGORY_VULNERABILITY)
        )
        .filter(readable | flagged)
        .values_list("category__code", flat=True)
        .distinct()
    )
    found.update(CATEGORY_VULNERABILITY[code] for code in items)
    assessments = SaferSleepAssessment.objects.filter(readable, family=family)
    smoking = Q(smoking_in_pregnancy=True) | Q(parent_smokes=True) | Q(household_smokes=True)
    substances = Q(alcohol_two_units_or_more=True) | Q(drugs_or_drowsy_medication=True)
    seen = assessments.aggregate(
        smoking=Count("pk", filter=smoking), substances=Count("pk", filter=substances)
    )
    if seen["smoking"]:
        found.add(Vulnerability.SMOKING)
    if seen["substances"]:
        found.add(Vulnerability.SUBSTANCE_MISUSE)
    kinds = (
        DisruptionOfRoutine.objects.filter(family=family)
        .filter(readable | flagged)
        .values_list("kind", flat=True)
        .distinct()
    )
    for kind in kinds:
        if kind == rules.DisruptionKind.DOMESTIC_ABUSE_INCIDENT:
            found.add(Vulnerability.DOMESTIC_ABUSE)
        elif kind == rules.DisruptionKind.RELAPSE:
            found.add(Vulnerability.SUBSTANCE_MISUSE)
    social_care = Involvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        started_on__lte=today,
        organisation__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )
    # Asked apart, so each question uses its index (together, the OR read every involvement).
    if (
        social_care.filter(family=family).exists()
        or social_care.filter(
            person_id__in=list(members.values_list("person_id", flat=True))
        ).exists()
    ):
        found.add(Vulnerability.SOCIAL_CARE)
    return [v for v in ORDER if v in found]
