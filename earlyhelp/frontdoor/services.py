"""Writes at the front door: request support, acknowledge, decide.

Rules: R-WT-3 (what the family knows and whether they agree; early help only with their
agreement), R-TIME-1 (the decision is due one working day after receipt; the referrer is
acknowledged), R-WT-7 (circumstances that prompt early-help consideration), R-WT-8 (a
referral to children's social care or the MASH is always allowed, with no assessment or
any other precondition).

Each service checks the policy first (a family the actor may not see is
NotFoundOrForbidden, like a missing one; acknowledging and deciding are for front door
workers only, and look the same to anyone else), validates everything before writing
(ValidationProblem, with the field names the pages use), and writes its audit event and
alerts in the same transaction. Acknowledging and deciding carry the version the actor read:
a stale version, or a second decision, is an EditConflict.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, Organisation, Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.services import chronology_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.frontdoor import rules
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.rules import ROUTE_LABELS, Agreement, Route, Urgency
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import Consent, InformationCategory, SharingDecision
from earlyhelp.sharing.selectors.consent import consent_in_force

Errors = dict[str, list[str]]

ALERT_ACKNOWLEDGED = "request_for_support.acknowledged"
ALERT_DECIDED = "request_for_support.decided"


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _require_family(actor: User, family: Family) -> None:
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden


def is_front_door_worker(actor: User) -> bool:
    """Front door workers acknowledge and decide; to anyone else those steps do not exist."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.has_role(Role.FRONT_DOOR)
    )


def _require_front_door(actor: User, request_for_support: RequestForSupport) -> None:
    if not is_front_door_worker(actor):
        raise NotFoundOrForbidden
    _require_family(actor, request_for_support.family)


def requesting_organisations(actor: User) -> list[Organisation]:
    """The agencies the actor works for with families: on whose behalf they may request."""
    found: dict[int, Organisation] = {}
    for membership in actor.active_memberships():
        if membership.role in CASEWORK_ROLES:
            found.setdefault(membership.team.organisation_id, membership.team.organisation)
    return list(found.values())


def _check_text(errors: Errors, name: str, value: str, message: str, max_length: int) -> None:
    if not value.strip():
        _add(errors, name, message)
    elif len(value.strip()) > max_length:
        _add(errors, name, f"Enter {max_length} characters or fewer")


def request_for_support_problems(
    *,
    actor: User,
    family: Family,
    concern: str,
    family_knows: str,
    agreement: str,
    urgency: str,
    not_asked_reason: str = "",
    about_person: Person | None = None,
    consent: Consent | None = None,
    sharing_decision: SharingDecision | None = None,
    sharing_basis_note: str = "",
    circumstances: Sequence[str] = (),
    category: InformationCategory | None = None,
    requesting_organisation: Organisation | None = None,
    today: datetime.date | None = None,
) -> Errors:
    """What is wrong with a request for support, by field; writes nothing.

    request_for_support_make refuses anything listed here; pages call it too, so that one
    submission shows every problem.
    """
    today = today or timezone.localdate()
    errors: Errors = {}
    _check_text(errors, "concern", concern, "Enter what you are worried about", rules.CONCERN_MAX)
    _check_text(
        errors,
        "family_knows",
        family_knows,
        "Enter what the family knows about this request",
        rules.TEXT_MAX,
    )
    if agreement not in set(Agreement):
        _add(errors, "agreement", "Select whether the family agrees to the request")
    elif agreement == Agreement.NOT_ASKED:
        _check_text(
            errors,
            "not_asked_reason",
            not_asked_reason,
            "Enter why the family has not been asked",
            rules.TEXT_MAX,
        )
    if urgency not in set(Urgency):
        _add(errors, "urgency", "Select how urgent this is")
    if (
        about_person is not None
        and not FamilyMember.objects.filter(
            family=family, person=about_person, left_on__isnull=True
        ).exists()
    ):
        _add(errors, "about_person", "Select a member of this family")
    if consent is not None and (
        consent.family_id != family.pk or not consent_in_force(consent, today)
    ):
        _add(errors, "consent", "Select a consent of this family that is in force")
    if sharing_decision is not None and (
        sharing_decision.family_id != family.pk or not sharing_decision.share
    ):
        _add(errors, "sharing_decision", "Select a decision to share about this family")
    if len(sharing_basis_note.strip()) > rules.BASIS_MAX:
        _add(errors, "sharing_basis_note", f"Enter {rules.BASIS_MAX} characters or fewer")
    elif consent is None and sharing_decision is None and not sharing_basis_note.strip():
        _add(
            errors,
            "sharing_basis_note",
            "Enter the basis for sharing this with the front door: choose the family's consent "
            "or a decision to share, or write the basis",
        )
    if rules.unknown_circumstances(circumstances):
        _add(errors, "circumstances", "Select circumstances from the list")
    organisations = requesting_organisations(actor)
    if requesting_organisation is not None and requesting_organisation not in organisations:
        _add(errors, "requesting_organisation", "Select an agency you work for")
    elif not organisations:
        _add(errors, "__all__", "Only practitioners working with families can request support")
    return errors


@transaction.atomic
def request_for_support_make(
    *,
    actor: User,
    family: Family,
    concern: str,
    family_knows: str,
    agreement: str,
    urgency: str,
    not_asked_reason: str = "",
    about_person: Person | None = None,
    consent: Consent | None = None,
    sharing_decision: SharingDecision | None = None,
    sharing_basis_note: str = "",
    circumstances: Sequence[str] = (),
    category: InformationCategory | None = None,
    requesting_organisation: Organisation | None = None,
    now: datetime.datetime | None = None,
) -> RequestForSupport:
    """Ask the front door for support for a family, or mainly for one of them (an unborn baby).

    Any practitioner who may see the family (the sharing policy) may ask. The decision is
    due one working day after the day it is received (R-TIME-1). What the family knows and
    whether they agree are recorded, or why they were not asked (R-WT-3); a request goes to
    the front door whatever the answer, because escalation is never blocked (R-WT-8).
    """
    _require_family(actor, family)
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = request_for_support_problems(
        actor=actor,
        family=family,
        concern=concern,
        family_knows=family_knows,
        agreement=agreement,
        urgency=urgency,
        not_asked_reason=not_asked_reason,
        about_person=about_person,
        consent=consent,
        sharing_decision=sharing_decision,
        sharing_basis_note=sharing_basis_note,
        circumstances=circumstances,
        category=category,
        requesting_organisation=requesting_organisation,
        today=today,
    )
    if errors:
        raise ValidationProblem(errors)
    organisation = requesting_organisation or requesting_organisations(actor)[0]
    request_for_support = RequestForSupport.objects.create(
        family=family,
        about_person=about_person,
        requested_by=actor,
        requesting_organisation=organisation,
        concern=concern.strip(),
        category=category,
        circumstances=[c.value for c in rules.Circumstance if c in set(circumstances)],
        family_knows=family_knows.strip(),
        agreement=agreement,
        not_asked_reason=not_asked_reason.strip() if agreement == Agreement.NOT_ASKED else "",
        urgency=urgency,
        consent=consent,
        sharing_decision=sharing_decision,
        sharing_basis_note=sharing_basis_note.strip(),
        received_at=now,
        decision_due_on=rules.decision_due_on(today, holidays=bank_holidays()),
    )
    audit_record(
        actor=actor,
        action="request_for_support.make",
        obj=request_for_support,
        summary=f"{family.name}: from {organisation.name} ({urgency})",
        changes={
            "urgency": urgency,
            "agreement": agreement,
            "decision_due_on": request_for_support.decision_due_on.isoformat(),
            "circumstances": request_for_support.circumstances,
        },
    )
    return request_for_support


def _page(request_for_support: RequestForSupport) -> str:
    return reverse("frontdoor:request_detail", kwargs={"request_pk": request_for_support.pk})


def _locked(request_for_support: RequestForSupport, version: int) -> RequestForSupport:
    """The row, locked against a colleague deciding at the same moment; stale: conflict."""
    current = RequestForSupport.objects.select_for_update().get(pk=request_for_support.pk)
    if current.version != version:
        raise EditConflict
    return current


@transaction.atomic
def request_for_support_acknowledge(
    *,
    actor: User,
    request_for_support: RequestForSupport,
    version: int,
    now: datetime.datetime | None = None,
) -> RequestForSupport:
    """The front door acknowledges the request; the requester is told (R-TIME-1).

    A second acknowledgement, or one based on an older version, is an EditConflict.
    """
    _require_front_door(actor, request_for_support)
    now = now or timezone.now()
    current = _locked(request_for_support, version)
    if current.acknowledged_at is not None:
        raise EditConflict
    RequestForSupport.objects.filter(pk=current.pk).update(
        acknowledged_at=now, acknowledged_by=actor, version=F("version") + 1
    )
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action="request_for_support.acknowledge",
        obj=current,
        summary=f"{current.family.name}: acknowledged",
    )
    alert_raise(
        recipients=[current.requested_by],
        kind=ALERT_ACKNOWLEDGED,
        title=f"The front door has received your request for support for {current.family.name}",
        body=f"A decision is due by {current.decision_due_on:%-d %B %Y}.",
        url=_page(current),
        dedupe_key=f"rfs-acknowledged-{current.pk}",
    )
    return current


@transaction.atomic
def request_for_support_decide(
    *,
    actor: User,
    request_for_support: RequestForSupport,
    route: str,
    reasons: str,
    version: int,
    family_agrees: bool = False,
    now: datetime.datetime | None = None,
) -> RequestForSupport:
    """The front door decides the type of response, with reasons; the requester is told.

    R-WT-8: a referral to children's social care or the MASH is always allowed: it needs no
    assessment, no agreement and no acknowledgement first. R-WT-3: early help and a team
    around the family need the family's agreement, on the request or recorded now
    (``family_agrees``). Deciding acknowledges the request if nobody had (R-TIME-1). A
    decision without reasons is refused; a second decision, or one based on an older
    version, is an EditConflict.
    """
    _require_front_door(actor, request_for_support)
    now = now or timezone.now()
    current = _locked(request_for_support, version)
    if current.decided_at is not None:
        raise EditConflict
    agreed = current.agreement == Agreement.AGREES or family_agrees
    errors = rules.decision_problems(route=route, reasons=reasons, family_agrees=agreed)
    if errors:
        raise ValidationProblem(errors)
    changes: dict[str, object] = {"route": route, "escalation": rules.is_escalation(route)}
    fields: dict[str, object] = {
        "route": route,
        "decision_reasons": reasons.strip(),
        "decided_by": actor,
        "decided_at": now,
        "version": F("version") + 1,
    }
    if current.acknowledged_at is None:
        fields.update(acknowledged_at=now, acknowledged_by=actor)
    if family_agrees and current.agreement != Agreement.AGREES:
        changes["agreement"] = [current.agreement, Agreement.AGREES.value]
        fields["agreement"] = Agreement.AGREES.value
        fields["not_asked_reason"] = ""
    RequestForSupport.objects.filter(pk=current.pk).update(**fields)
    current.refresh_from_db()
    label = ROUTE_LABELS[Route(route)]
    changes["decided_late"] = rules.done_late(
        due_on=current.decision_due_on, done_on=timezone.localdate(now)
    )
    audit_record(
        actor=actor,
        action="request_for_support.decide",
        obj=current,
        summary=f"{current.family.name}: {label}",
        changes=changes,
    )
    chronology_record(
        actor=actor,
        family=current.family,
        occurred_on=timezone.localdate(now),
        kind=EntryKind.DECISION,
        summary=f"Front door decision on a request for support: {label}",
        source=current,
    )
    alert_raise(
        recipients=[current.requested_by],
        kind=ALERT_DECIDED,
        title=f"The front door has decided on your request for {current.family.name}: {label}",
        body=current.decision_reasons[:500],
        url=_page(current),
        dedupe_key=f"rfs-decided-{current.pk}",
    )
    return current
