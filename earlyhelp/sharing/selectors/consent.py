"""Reads about consent, sharing decisions, telling the family and advice requests.

Each read starts from the sharing policy: a consent, decision or task is visible exactly when
its family is. The ``*_get`` functions record the look (AccessEvent) with the route that
allowed it, and record a refused look; missing and forbidden are the same
NotFoundOrForbidden. Advice requests are the exception: they are addressed to information
governance leads, who see the question whether or not they may see the family (R-IS-6).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, Role
from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden
from earlyhelp.core.models import AccessAction
from earlyhelp.people.models import Family
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentAgencyType,
    InformFamilyTask,
    SharingDecision,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

# Recorded as the route of an information governance lead's look at a question put to them.
INFORMATION_GOVERNANCE_ROUTE = "information_governance"


def consent_in_force(consent: Consent, today: datetime.date) -> bool:
    """Started, not expired and not withdrawn: the same test as the sharing policy's."""
    return (
        consent.withdrawn_at is None
        and consent.starts_on <= today
        and (consent.expires_on is None or consent.expires_on >= today)
    )


def is_information_governance_lead(actor: User) -> bool:
    """R-IS-6: the people "not sure" questions go to."""
    return bool(actor.is_authenticated and actor.is_active and actor.has_role(Role.IG_LEAD))


def consent_status(consent: Consent, today: datetime.date) -> str:
    """In words, as the pages show it."""
    if consent.withdrawn_at is not None:
        return "Withdrawn"
    if consent.starts_on > today:
        return "Not started yet"
    if consent.expires_on is not None and consent.expires_on < today:
        return "Expired"
    return "In force"


def consent_agencies(consent: Consent) -> list[str]:
    """The agencies a consent covers, by name, then every agency of each type."""
    names = [o.name for o in consent.organisations.all()]
    for row in consent.agency_types.all():
        label = (
            AgencyType(row.agency_type).label
            if row.agency_type in AgencyType.values
            else row.agency_type
        )
        names.append(f"Every agency of the type: {label}")
    return names


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related(
        "family", "given_by", "recorded_by", "withdrawn_by"
    ).prefetch_related(
        "covers_people",
        "categories",
        "organisations",
        Prefetch("agency_types", queryset=ConsentAgencyType.objects.order_by("agency_type")),
    )


def _decisions() -> QuerySet[SharingDecision]:
    return SharingDecision.objects.select_related(
        "family",
        "decided_by",
        "consent__given_by",
        "inform_family_task__assigned_to",
    ).prefetch_related("about_people", "recipients", "categories")


def _require_family(actor: User, family: Family) -> None:
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden


def _get_through_family[M: Model](
    *,
    actor: User,
    found: M | None,
    family: Family | None,
    object_type: str,
    object_id: int,
    request: HttpRequest | None,
) -> M:
    """The object if its family is visible, with the look recorded; else one refusal."""
    route = policies.family_access_route(actor, family) if family is not None else None
    if found is None or route is None:
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type=object_type,
            object_id=str(object_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor, action=AccessAction.VIEW, obj=found, route=str(route), request=request
    )
    return found


# --- Consent --------------------------------------------------------------------------------


def consent_list(*, actor: User, family: Family) -> QuerySet[Consent]:
    """Every consent of the family, newest first, withdrawn and expired ones included."""
    _require_family(actor, family)
    return _consents().filter(family=family)


def consents_in_force(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> list[Consent]:
    today = today or timezone.localdate()
    return [c for c in consent_list(actor=actor, family=family) if consent_in_force(c, today)]


def consent_get(*, actor: User, consent_id: int, request: HttpRequest | None = None) -> Consent:
    consent = _consents().filter(pk=consent_id).first()
    return _get_through_family(
        actor=actor,
        found=consent,
        family=consent.family if consent else None,
        object_type="sharing.consent",
        object_id=consent_id,
        request=request,
    )


# --- Sharing decisions ----------------------------------------------------------------------


def sharing_decision_list(*, actor: User, family: Family) -> QuerySet[SharingDecision]:
    """Every decision to share or not to share about the family, newest first."""
    _require_family(actor, family)
    return _decisions().filter(family=family)


def sharing_decision_get(
    *, actor: User, decision_id: int, request: HttpRequest | None = None
) -> SharingDecision:
    decision = _decisions().filter(pk=decision_id).first()
    return _get_through_family(
        actor=actor,
        found=decision,
        family=decision.family if decision else None,
        object_type="sharing.sharingdecision",
        object_id=decision_id,
        request=request,
    )


def inform_family_task_get(
    *, actor: User, task_id: int, request: HttpRequest | None = None
) -> InformFamilyTask:
    task = (
        InformFamilyTask.objects.select_related("decision__family", "assigned_to")
        .filter(pk=task_id)
        .first()
    )
    return _get_through_family(
        actor=actor,
        found=task,
        family=task.decision.family if task else None,
        object_type="sharing.informfamilytask",
        object_id=task_id,
        request=request,
    )


# --- Advice requests (R-IS-6) ---------------------------------------------------------------


def _advice() -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.select_related("family", "asked_by", "answered_by")


def advice_request_list_open(*, actor: User) -> QuerySet[AdviceRequest]:
    """Questions waiting for an answer, urgent first, for information governance leads."""
    if not is_information_governance_lead(actor):
        raise NotFoundOrForbidden
    return _advice().filter(answered_at__isnull=True).order_by("-urgent", "asked_at")


def advice_request_get(
    *, actor: User, advice_id: int, request: HttpRequest | None = None
) -> AdviceRequest:
    """A question, for an information governance lead to read and answer."""
    advice = _advice().filter(pk=advice_id).first()
    if advice is None or not is_information_governance_lead(actor):
        access_record(
            actor=actor,
            action=AccessAction.DENIED,
            object_type="sharing.advicerequest",
            object_id=str(advice_id),
            request=request,
        )
        raise NotFoundOrForbidden
    access_record(
        actor=actor,
        action=AccessAction.VIEW,
        obj=advice,
        route=INFORMATION_GOVERNANCE_ROUTE,
        request=request,
    )
    return advice


# --- The family page's panel ----------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: str
    agencies: list[str]


@dataclass(frozen=True)
class FamilySharing:
    """What the family page shows about sharing: consents, decisions, open tasks, advice."""

    family: Family
    consents: list[ConsentRow]
    decisions: list[SharingDecision]
    open_tasks: list[InformFamilyTask]
    advice_requests: list[AdviceRequest]


def family_sharing_summary(
    *, actor: User, family: Family, today: datetime.date | None = None
) -> FamilySharing:
    """Part of the family page, so the family page's recorded look covers it."""
    _require_family(actor, family)  # once for the whole panel
    today = today or timezone.localdate()
    decisions = list(_decisions().filter(family=family))
    open_tasks = [
        task
        for d in decisions
        if (task := getattr(d, "inform_family_task", None)) is not None and task.done_at is None
    ]
    return FamilySharing(
        family=family,
        consents=[
            ConsentRow(c, consent_status(c, today), consent_agencies(c))
            for c in _consents().filter(family=family)
        ],
        decisions=decisions,
        open_tasks=sorted(open_tasks, key=lambda t: t.due_on),
        # The asker's own questions, open or answered, and everyone's open ones.
        advice_requests=[
            a
            for a in _advice().filter(family=family)
            if a.answered_at is None or a.asked_by_id == actor.pk
        ],
    )
