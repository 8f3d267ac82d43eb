"""Writes about consent, decisions to share or not to share, telling the family, and advice.

Rules: R-IS-1 (every decision logged, never changed), R-IS-2 (sharing without consent needs a
reason and a lawful basis; consent is never required first), R-IS-3 (tell the family unless
unsafe), R-IS-6 (not sure? ask information governance, never blocking), R-IS-8 and R-IS-9
(bases catalogue; DPA Part 3 for police), R-IS-13 (consent and competence), R-CW-2 and
R-CW-3 (the duty to share, when in force).

Every service checks the policy first (a family the actor may not see is NotFoundOrForbidden,
like a missing one), validates everything before writing anything (ValidationProblem, with
the field names the pages use), and writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import CASEWORK_ROLES, AgencyType, Organisation, Role, User
from earlyhelp.alerts.services import alert_raise
from earlyhelp.core.audit import audit_record
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.rules import working_days_after
from earlyhelp.people.models import Family, FamilyMember, Person, Relationship
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentAgencyType,
    ConsentGiver,
    DisclosureKind,
    InformationCategory,
    InformFamilyTask,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    Regime,
    SharingDecision,
)
from earlyhelp.sharing.selectors.consent import consent_in_force, is_information_governance_lead
from earlyhelp.sharing.services.disclosures import disclosure_record

if TYPE_CHECKING:
    from django.db.models import QuerySet

# R-IS-3: the family is told within five working days of a share.
INFORM_FAMILY_WORKING_DAYS = 5
PURPOSE_MAX = 500

# Relationships whose holder may give consent as a parent or carer (R-IS-13). Children and
# siblings consent only for themselves, as young people judged competent.
CARER_RELATIONSHIPS = frozenset(
    {
        Relationship.MOTHER,
        Relationship.FATHER,
        Relationship.PARTNER_OF_PARENT,
        Relationship.GRANDPARENT,
        Relationship.OTHER_CARER,
    }
)

DUTY_TO_SHARE_IN_FORCE = (
    "The duty to share is in force (Children's Wellbeing and Schools Act 2026, section 4): "
    "you may decide not to share only if sharing would be more detrimental to the child "
    "than not sharing"
)

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _require_family(actor: User, family: Family) -> None:
    if policies.family_access_route(actor, family) is None:
        raise NotFoundOrForbidden


def _current_members(family: Family) -> dict[int, FamilyMember]:
    return {
        m.person_id: m
        for m in FamilyMember.objects.filter(family=family, left_on__isnull=True).select_related(
            "person"
        )
    }


def _check_members(
    errors: Errors, name: str, people: Sequence[Person], members: dict[int, FamilyMember]
) -> None:
    if not people:
        _add(errors, name, "Select at least one member of the family")
    elif any(p.pk not in members for p in people):
        _add(errors, name, "Select only people who are members of this family now")


def _check_text(
    errors: Errors, name: str, value: str, message: str, *, max_length: int = 0
) -> None:
    if not value.strip():
        _add(errors, name, message)
    elif max_length and len(value.strip()) > max_length:
        _add(errors, name, f"Enter {max_length} characters or fewer")


# --- Consent (R-IS-13) ----------------------------------------------------------------------


def consent_problems(
    *,
    family: Family,
    given_by: Person | None,
    giver_kind: str,
    covers_people: Sequence[Person],
    purpose: str,
    starts_on: datetime.date | None,
    competence_judgement: str = "",
    categories: Sequence[InformationCategory] = (),
    organisations: Sequence[Organisation] = (),
    agency_types: Sequence[str] = (),
    expires_on: datetime.date | None = None,
) -> Errors:
    """What is wrong with a consent, by field; writes nothing (R-IS-13).

    consent_record refuses anything listed here. Pages also call it when their own checks
    fail, so that every problem shows at once.
    """
    members = _current_members(family)
    errors: Errors = {}
    if given_by is None:
        _add(errors, "given_by", "Select who gave consent")
    elif given_by.pk not in members or given_by.is_unborn:
        _add(errors, "given_by", "Select a member of this family who can give consent")
    if giver_kind not in ConsentGiver.values:
        _add(errors, "giver_kind", "Select whether a parent or the young person gave consent")
    elif giver_kind == ConsentGiver.PARENT:
        member = members.get(given_by.pk) if given_by is not None else None
        if member is not None and member.relationship not in CARER_RELATIONSHIPS:
            _add(
                errors,
                "giver_kind",
                f"{member.person.display_name} is recorded as a "
                f"{member.get_relationship_display().lower()}: a child or young person "
                "consents for themselves, with a judgement of their competence",
            )
    elif giver_kind == ConsentGiver.YOUNG_PERSON and not competence_judgement.strip():
        _add(
            errors,
            "competence_judgement",
            "Enter why you judge the young person able to understand and decide for themselves",
        )
    _check_members(errors, "covers_people", covers_people, members)
    unknown_types = sorted(set(agency_types) - set(AgencyType.values))
    if unknown_types:
        _add(errors, "agency_types", "Select types of agency from the list")
    if not organisations and not agency_types:
        _add(errors, "organisations", "Select the agencies, or types of agency, it covers")
    _check_text(errors, "purpose", purpose, "Enter what the consent is for", max_length=500)
    if starts_on is None:
        _add(errors, "starts_on", "Enter the date the consent starts")
    elif expires_on is not None and expires_on < starts_on:
        _add(errors, "expires_on", "The expiry date must be on or after the date it starts")
    return errors


@transaction.atomic
def consent_record(
    *,
    actor: User,
    family: Family,
    given_by: Person | None,
    giver_kind: str,
    covers_people: Sequence[Person],
    purpose: str,
    starts_on: datetime.date | None,
    competence_judgement: str = "",
    categories: Sequence[InformationCategory] = (),
    organisations: Sequence[Organisation] = (),
    agency_types: Sequence[str] = (),
    expires_on: datetime.date | None = None,
) -> Consent:
    """Record the family's agreement to share, with its scope (R-IS-13).

    Who gave it (a member of the family; a young person needs the practitioner's judgement of
    their competence), whom it covers, which information and which agencies (named, or every
    agency of a type), for what, from when and until when.
    """
    _require_family(actor, family)
    errors = consent_problems(
        family=family,
        given_by=given_by,
        giver_kind=giver_kind,
        covers_people=covers_people,
        purpose=purpose,
        starts_on=starts_on,
        competence_judgement=competence_judgement,
        categories=categories,
        organisations=organisations,
        agency_types=agency_types,
        expires_on=expires_on,
    )
    if errors:
        raise ValidationProblem(errors)
    assert given_by is not None and starts_on is not None
    consent = Consent.objects.create(
        family=family,
        given_by=given_by,
        giver_kind=giver_kind,
        # Only a young person's consent rests on a judgement of competence.
        competence_judgement=(
            competence_judgement.strip() if giver_kind == ConsentGiver.YOUNG_PERSON else ""
        ),
        purpose=purpose.strip(),
        starts_on=starts_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    consent.covers_people.set(covers_people)
    consent.categories.set(categories)
    consent.organisations.set(organisations)
    ConsentAgencyType.objects.bulk_create(
        [ConsentAgencyType(consent=consent, agency_type=t) for t in sorted(set(agency_types))]
    )
    audit_record(
        actor=actor,
        action="consent.record",
        obj=consent,
        summary=f"{family.name}: from {given_by.display_name} for {consent.purpose}",
        changes={
            "organisations": sorted(o.name for o in organisations),
            "agency_types": sorted(set(agency_types)),
            "categories": sorted(c.code for c in categories),
            "starts_on": starts_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, note: str = "") -> Consent:
    """The family withdraws consent. It stops giving access from the very next request.

    The sharing policy reads ``withdrawn_at``, so nothing else needs to change. What was
    shared before stays shared, and its record stays.
    """
    _require_family(actor, consent.family)
    if len(note.strip()) > PURPOSE_MAX:
        raise ValidationProblem({"note": [f"Enter {PURPOSE_MAX} characters or fewer"]})
    now = timezone.now()
    # Conditional update: of two withdrawals at once, only one is recorded.
    withdrawn = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, withdrawal_note=note.strip()
    )
    if not withdrawn:
        raise ValidationProblem({"__all__": ["This consent has already been withdrawn"]})
    consent.refresh_from_db()
    audit_record(
        actor=actor,
        action="consent.withdraw",
        obj=consent,
        summary=f"{consent.family.name}: consent from {consent.given_by.display_name}",
        changes={"withdrawal_note": consent.withdrawal_note},
    )
    return consent


# --- Decisions to share or not to share (R-IS-1, R-IS-2, R-IS-8, R-IS-9, R-CW-3) -----------


def default_regime(actor: User) -> Regime:
    """R-IS-9: police processing for law enforcement is under DPA 2018 Part 3."""
    police = any(
        m.role in CASEWORK_ROLES and m.team.organisation.agency_type == AgencyType.POLICE
        for m in actor.active_memberships()
    )
    return Regime.LAW_ENFORCEMENT if police else Regime.UK_GDPR


def _consent_covers(
    consent: Consent,
    recipients: Sequence[Organisation],
    people: Sequence[Person],
    categories: Sequence[InformationCategory],
) -> list[str]:
    """What a share asks for that the consent does not cover, in words."""
    covered_orgs = set(consent.organisations.values_list("pk", flat=True))
    covered_types = set(consent.agency_types.values_list("agency_type", flat=True))
    covered_people = set(consent.covers_people.values_list("pk", flat=True))
    covered_categories = set(consent.categories.values_list("pk", flat=True))
    gaps = [
        o.name
        for o in recipients
        if o.pk not in covered_orgs and o.agency_type not in covered_types
    ]
    gaps += [p.display_name for p in people if p.pk not in covered_people]
    gaps += [c.name for c in categories if c.pk not in covered_categories]
    return gaps


def _share_errors(
    errors: Errors,
    *,
    family: Family,
    consent: Consent | None,
    no_consent_reason: str,
    lawful_basis: str,
    regime: str,
    recipients: Sequence[Organisation],
    about_people: Sequence[Person],
    categories: Sequence[InformationCategory],
    not_sharing_reason: str,
    access_until: datetime.date | None,
    today: datetime.date,
) -> None:
    if not_sharing_reason:
        _add(errors, "not_sharing_reason", "A reason for not sharing is only for not sharing")
    if access_until is not None and access_until < today:
        _add(errors, "access_until", "The date access ends must be today or in the future")
    if consent is not None:
        if no_consent_reason:
            _add(errors, "no_consent_reason", "Leave this blank when sharing with consent")
        if consent.family_id != family.pk or not consent_in_force(consent, today):
            _add(errors, "consent", "Select a consent of this family that is in force today")
            return
        gaps = _consent_covers(consent, recipients, about_people, categories)
        if gaps:
            _add(
                errors,
                "consent",
                f"The consent does not cover: {', '.join(gaps)}. Share only what it covers, "
                "or share without consent with a reason and a lawful basis",
            )
        if lawful_basis and lawful_basis not in LawfulBasis.values:
            _add(errors, "lawful_basis", "Select a lawful basis from the list")
            return
    else:
        # R-IS-2: without consent, always a reason and a lawful basis; never a barrier.
        if no_consent_reason not in NoConsentReason.values:
            _add(errors, "no_consent_reason", "Select why you are sharing without consent")
        if lawful_basis not in LawfulBasis.values or lawful_basis == LawfulBasis.CONSENT:
            _add(errors, "lawful_basis", "Select the lawful basis for sharing without consent")
            return
    # R-IS-9: the basis belongs to the regime.
    if regime == Regime.LAW_ENFORCEMENT and lawful_basis not in (
        "",
        LawfulBasis.LAW_ENFORCEMENT,
        LawfulBasis.CONSENT,
    ):
        _add(
            errors,
            "lawful_basis",
            "Under DPA 2018 Part 3 (law enforcement), select Part 3 with Schedule 8 paragraph 4",
        )
    elif regime == Regime.UK_GDPR and lawful_basis == LawfulBasis.LAW_ENFORCEMENT:
        _add(
            errors,
            "lawful_basis",
            "DPA 2018 Part 3 is only for law enforcement: select a UK GDPR basis, or choose "
            "the Part 3 regime",
        )


def _not_sharing_errors(
    errors: Errors,
    *,
    consent: Consent | None,
    no_consent_reason: str,
    lawful_basis: str,
    not_sharing_reason: str,
    access_until: datetime.date | None,
    unsafe_to_inform_reason: str,
) -> None:
    if not_sharing_reason not in NotSharingReason.values:
        _add(errors, "not_sharing_reason", "Select why you decided not to share")
    elif settings.CWSA_S4_IN_FORCE and not_sharing_reason != NotSharingReason.MORE_DETRIMENTAL:
        _add(errors, "not_sharing_reason", DUTY_TO_SHARE_IN_FORCE)
    # Nothing is shared, so there is no basis, no access and nobody to tell: say so rather
    # than keep values that would suggest otherwise.
    only_for_sharing = {
        "consent": consent is not None,
        "no_consent_reason": bool(no_consent_reason),
        "lawful_basis": bool(lawful_basis),
        "access_until": access_until is not None,
        "unsafe_to_inform_reason": bool(unsafe_to_inform_reason.strip()),
    }
    for name, given in only_for_sharing.items():
        if given:
            _add(errors, name, "Leave this blank for a decision not to share")


def _basis_description(decision: SharingDecision) -> str:
    """The basis, as the disclosure log records it (R-IS-1)."""
    regime = Regime(decision.regime).label
    if decision.consent is not None:
        basis = f"With consent given by {decision.consent.given_by.display_name}"
        if decision.lawful_basis:
            basis += f"; {decision.lawful_basis}"
        return f"{basis}; {regime}"
    reason = NoConsentReason(decision.no_consent_reason).label
    return f"Without consent ({reason}); {decision.lawful_basis}; {regime}"


def sharing_decision_problems(
    *,
    actor: User,
    family: Family,
    share: bool,
    what: str,
    purpose: str,
    reasons: str,
    about_people: Sequence[Person],
    recipients: Sequence[Organisation] = (),
    categories: Sequence[InformationCategory] = (),
    consent: Consent | None = None,
    no_consent_reason: str = "",
    lawful_basis: str = "",
    regime: str = "",
    not_sharing_reason: str = "",
    access_until: datetime.date | None = None,
    unsafe_to_inform_reason: str = "",
    today: datetime.date | None = None,
) -> Errors:
    """What is wrong with a decision, by field; writes nothing (R-IS-1, R-IS-2, R-CW-3).

    sharing_decision_record refuses anything listed here. Pages also call it when their own
    checks fail, so that every problem shows at once.
    """
    today = today or timezone.localdate()
    regime = regime or default_regime(actor)
    members = _current_members(family)
    errors: Errors = {}
    _check_text(errors, "what", what, "Enter what information is, or is not, shared")
    _check_text(errors, "purpose", purpose, "Enter the purpose", max_length=PURPOSE_MAX)
    _check_text(errors, "reasons", reasons, "Enter the reasons for your decision")
    _check_members(errors, "about_people", about_people, members)
    if not recipients:
        _add(
            errors,
            "recipients",
            "Select the agencies you are sharing with"
            if share
            else "Select the agencies you decided not to share with",
        )
    if regime not in Regime.values:
        _add(errors, "regime", "Select the data protection regime")
    if share:
        _share_errors(
            errors,
            family=family,
            consent=consent,
            no_consent_reason=no_consent_reason,
            lawful_basis=lawful_basis,
            regime=regime,
            recipients=recipients,
            about_people=about_people,
            categories=categories,
            not_sharing_reason=not_sharing_reason,
            access_until=access_until,
            today=today,
        )
    else:
        _not_sharing_errors(
            errors,
            consent=consent,
            no_consent_reason=no_consent_reason,
            lawful_basis=lawful_basis,
            not_sharing_reason=not_sharing_reason,
            access_until=access_until,
            unsafe_to_inform_reason=unsafe_to_inform_reason,
        )
    return errors


@transaction.atomic
def sharing_decision_record(
    *,
    actor: User,
    family: Family,
    share: bool,
    what: str,
    purpose: str,
    reasons: str,
    about_people: Sequence[Person],
    recipients: Sequence[Organisation] = (),
    categories: Sequence[InformationCategory] = (),
    consent: Consent | None = None,
    no_consent_reason: str = "",
    lawful_basis: str = "",
    regime: str = "",
    not_sharing_reason: str = "",
    access_until: datetime.date | None = None,
    unsafe_to_inform_reason: str = "",
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> SharingDecision:
    """Record a decision to share, or not to share, and why. Never changed afterwards (R-IS-1).

    A share goes ahead with a consent in force that covers it, or without consent with a
    reason (R-IS-2) and a lawful basis from the catalogue (R-IS-8); consent is never needed
    first. The regime defaults to DPA Part 3 for the police (R-IS-9). Each recipient agency
    gets one entry in the disclosure log, and a task to tell the family is created unless
    it is unsafe to tell them (R-IS-3). A decision not to share needs its reason; once the
    duty to share is in force only "more detrimental to the child" is accepted (R-CW-2,
    R-CW-3).
    """
    _require_family(actor, family)
    today = today or timezone.localdate()
    regime = regime or default_regime(actor)
    errors = sharing_decision_problems(
        actor=actor,
        family=family,
        share=share,
        what=what,
        purpose=purpose,
        reasons=reasons,
        about_people=about_people,
        recipients=recipients,
        categories=categories,
        consent=consent,
        no_consent_reason=no_consent_reason,
        lawful_basis=lawful_basis,
        regime=regime,
        not_sharing_reason=not_sharing_reason,
        access_until=access_until,
        unsafe_to_inform_reason=unsafe_to_inform_reason,
        today=today,
    )
    if errors:
        raise ValidationProblem(errors)
    decision = SharingDecision.objects.create(
        family=family,
        share=share,
        what=what.strip(),
        purpose=purpose.strip(),
        consent=consent,
        no_consent_reason=no_consent_reason,
        lawful_basis=lawful_basis,
        regime=regime,
        not_sharing_reason=not_sharing_reason,
        reasons=reasons.strip(),
        decided_by=actor,
        access_until=access_until,
        unsafe_to_inform_reason=unsafe_to_inform_reason.strip(),
    )
    decision.about_people.set(about_people)
    decision.recipients.set(recipients)
    decision.categories.set(categories)
    audit_record(
        actor=actor,
        action="sharing_decision.record",
        obj=decision,
        summary=f"{family.name}: {decision}",
        changes={
            "share": share,
            "recipients": sorted(o.name for o in recipients),
            "categories": sorted(c.code for c in categories),
            "consent": consent.pk if consent else None,
            "no_consent_reason": no_consent_reason,
            "lawful_basis": lawful_basis,
            "regime": regime,
            "not_sharing_reason": not_sharing_reason,
        },
        client=getattr(request, "api_client_name", "") if request is not None else "",
    )
    if share:
        basis = _basis_description(decision)
        for organisation in recipients:
            disclosure_record(
                actor=actor,
                kind=DisclosureKind.SHARE,
                what=decision.what,
                recipient=organisation.name,
                purpose=decision.purpose,
                basis=basis,
                family_id=family.pk,
                decision_id=decision.pk,
                request=request,
            )
        if not decision.unsafe_to_inform_reason:
            InformFamilyTask.objects.create(
                decision=decision,
                assigned_to=actor,
                due_on=working_days_after(
                    today, INFORM_FAMILY_WORKING_DAYS, holidays=bank_holidays()
                ),
            )
    return decision


@transaction.atomic
def inform_family_task_complete(
    *, actor: User, task: InformFamilyTask, note: str = ""
) -> InformFamilyTask:
    """R-IS-3: the family has been told what was shared, with whom and why.

    Anyone who may see the family can record it, so that the task does not wait for one
    practitioner's return.
    """
    _require_family(actor, task.decision.family)
    if not note.strip():
        raise ValidationProblem({"note": ["Enter how and when the family was told"]})
    done = InformFamilyTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=timezone.now(), note=note.strip()
    )
    if not done:
        raise ValidationProblem({"__all__": ["This task has already been done"]})
    task.refresh_from_db()
    audit_record(
        actor=actor,
        action="inform_family_task.complete",
        obj=task,
        summary=f"{task.decision.family.name}: family told about decision {task.decision_id}",
    )
    return task


# --- Not sure? Ask information governance (R-IS-6) ------------------------------------------


def information_governance_leads() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.IG_LEAD,
        memberships__ended_on__isnull=True,
    ).distinct()


@transaction.atomic
def advice_request_ask(
    *, actor: User, family: Family, question: str, urgent: bool = False
) -> AdviceRequest:
    """Send a question about sharing to every information governance lead (R-IS-6).

    It never blocks: the practitioner may share at once if a child may be at risk. The
    alert carries no names, since alerts may be sent on by e-mail.
    """
    _require_family(actor, family)
    errors: Errors = {}
    _check_text(errors, "question", question, "Enter your question", max_length=5000)
    if errors:
        raise ValidationProblem(errors)
    advice = AdviceRequest.objects.create(
        family=family, asked_by=actor, question=question.strip(), urgent=urgent
    )
    leads = list(information_governance_leads())
    alert_raise(
        recipients=leads,
        kind="advice_request",
        title=("Urgent: " if urgent else "") + "A practitioner asks for advice on sharing",
        body=f"{actor.full_name} asked a question about sharing information.",
        url=reverse("sharing:advice_answer", kwargs={"advice_pk": advice.pk}),
        dedupe_key=f"advice_request:{advice.pk}",
    )
    audit_record(
        actor=actor,
        action="advice_request.ask",
        obj=advice,
        summary=f"{family.name}: {'urgent, ' if urgent else ''}{len(leads)} leads alerted",
    )
    return advice


@transaction.atomic
def advice_request_answer(*, actor: User, advice: AdviceRequest, answer: str) -> AdviceRequest:
    """An information governance lead answers; the practitioner who asked is alerted."""
    if not is_information_governance_lead(actor):
        raise NotFoundOrForbidden
    errors: Errors = {}
    _check_text(errors, "answer", answer, "Enter your answer", max_length=5000)
    if errors:
        raise ValidationProblem(errors)
    answered = AdviceRequest.objects.filter(pk=advice.pk, answered_at__isnull=True).update(
        answered_by=actor, answer=answer.strip(), answered_at=timezone.now()
    )
    if not answered:
        raise ValidationProblem({"__all__": ["This question has already been answered"]})
    advice.refresh_from_db()
    alert_raise(
        recipients=[advice.asked_by],
        kind="advice_answered",
        title="Information governance has answered your question about sharing",
        url=reverse("people:family_detail", kwargs={"pk": advice.family_id}),
        dedupe_key=f"advice_answered:{advice.pk}",
    )
    audit_record(actor=actor, action="advice_request.answer", obj=advice, summary="answered")
    return advice
