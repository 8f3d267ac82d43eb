"""Consent, sharing decisions and advice requests over /api/v1/: the same services and
selectors as the pages (R-IS-1, R-IS-2, R-IS-6, R-IS-13).

Every operation acts as the calling account, so the sharing policy decides which families
it reaches: one the caller may not see is the same 404 problem as one that does not exist.
Ids in a body that do not belong to the family (people, consents) are a 422 on that field,
never a hint that the record exists elsewhere.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from earlyhelp.accounts.models import AgencyType, Organisation
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.api import IsoDate
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentGiver,
    InformationCategory,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    Regime,
    SharingDecision,
)
from earlyhelp.sharing.selectors import consent as selectors
from earlyhelp.sharing.services import consent as services

router = Router(tags=["Sharing"])

READ, WRITE = Scope.SHARING_READ, Scope.SHARING_WRITE

Purpose = Annotated[Text, Field(max_length=500)]
LongText = Annotated[Text, Field(max_length=5000)]
Ids = Annotated[list[RecordId], Field(max_length=100)]
Codes = Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=50)]

# Services name fields as the pages do; the API body names ids as ids.
CONSENT_FIELDS = {
    "given_by": "given_by_id",
    "covers_people": "covers_person_ids",
    "categories": "category_codes",
    "organisations": "organisation_ids",
}
DECISION_FIELDS = {
    "about_people": "about_person_ids",
    "recipients": "recipient_ids",
    "categories": "category_codes",
    "consent": "consent_id",
}


@contextlib.contextmanager
def _api_field_names(names: dict[str, str]) -> Iterator[None]:
    try:
        yield
    except ValidationProblem as problem:
        raise ValidationProblem(
            {names.get(field, field): messages for field, messages in problem.errors.items()}
        ) from problem


# --- What the API shows -------------------------------------------------------------------


class ConsentOut(Schema):
    id: int
    family_id: int
    given_by_id: int
    given_by_name: str
    giver_kind: ConsentGiver
    competence_judgement: str
    covers_person_ids: list[int]
    category_codes: list[str]
    organisation_ids: list[int]
    agency_types: list[str]
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date | None
    recorded_by_name: str
    recorded_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    withdrawal_note: str
    status: str = Field(description="In force, Not started yet, Expired or Withdrawn")

    @staticmethod
    def resolve_given_by_name(obj: Consent) -> str:
        return obj.given_by.display_name

    @staticmethod
    def resolve_covers_person_ids(obj: Consent) -> list[int]:
        return sorted(p.pk for p in obj.covers_people.all())

    @staticmethod
    def resolve_category_codes(obj: Consent) -> list[str]:
        return sorted(c.code for c in obj.categories.all())

    @staticmethod
    def resolve_organisation_ids(obj: Consent) -> list[int]:
        return sorted(o.pk for o in obj.organisations.all())

    @staticmethod
    def resolve_agency_types(obj: Consent) -> list[str]:
        return sorted(t.agency_type for t in obj.agency_types.all())

    @staticmethod
    def resolve_recorded_by_name(obj: Consent) -> str:
        return obj.recorded_by.full_name

    @staticmethod
    def resolve_status(obj: Consent) -> str:
        return selectors.consent_status(obj, timezone.localdate())


class InformFamilyTaskOut(Schema):
    id: int
    assigned_to_name: str
    due_on: datetime.date
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_assigned_to_name(obj: Any) -> str:
        return str(obj.assigned_to.full_name)


class SharingDecisionOut(Schema):
    id: int
    family_id: int
    share: bool
    what: str
    purpose: str
    about_person_ids: list[int]
    recipient_ids: list[int]
    category_codes: list[str]
    consent_id: int | None
    no_consent_reason: str
    lawful_basis: str
    regime: Regime
    not_sharing_reason: str
    reasons: str
    decided_by_name: str
    decided_at: datetime.datetime
    access_until: datetime.date | None
    unsafe_to_inform_reason: str
    inform_family_task: InformFamilyTaskOut | None

    @staticmethod
    def resolve_about_person_ids(obj: SharingDecision) -> list[int]:
        return sorted(p.pk for p in obj.about_people.all())

    @staticmethod
    def resolve_recipient_ids(obj: SharingDecision) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())

    @staticmethod
    def resolve_category_codes(obj: SharingDecision) -> list[str]:
        return sorted(c.code for c in obj.categories.all())

    @staticmethod
    def resolve_decided_by_name(obj: SharingDecision) -> str:
        return obj.decided_by.full_name

    @staticmethod
    def resolve_inform_family_task(obj: SharingDecision) -> Any:
        return getattr(obj, "inform_family_task", None)


class AdviceRequestOut(Schema):
    id: int
    family_id: int
    question: str
    urgent: bool
    asked_at: datetime.datetime
    answered_at: datetime.datetime | None
    answer: str


# --- What the API accepts -----------------------------------------------------------------


class ConsentIn(Input):
    given_by_id: RecordId = Field(description="A member of the family")
    giver_kind: ConsentGiver
    competence_judgement: LongText = Field(
        "", description="Needed when the young person consents for themselves (R-IS-13)"
    )
    covers_person_ids: Ids = Field(description="Members of the family it covers")
    category_codes: Codes = Field([], description="Sensitive categories it covers")
    organisation_ids: Ids = Field([], description="Agencies it covers by name")
    agency_types: list[AgencyType] = Field(
        [], max_length=20, description="Every agency of these types"
    )
    purpose: Purpose
    starts_on: IsoDate
    expires_on: IsoDate | None = None


class WithdrawIn(Input):
    note: Purpose = ""


class SharingDecisionIn(Input):
    share: bool = Field(description="true: share; false: a recorded decision not to share")
    what: LongText
    purpose: Purpose
    reasons: LongText
    about_person_ids: Ids = Field(description="Members of the family the information is about")
    recipient_ids: Ids = Field(description="Agencies shared with (or not shared with)")
    category_codes: Codes = []
    consent_id: RecordId | None = Field(None, description="A consent of the family in force")
    no_consent_reason: NoConsentReason | None = Field(
        None, description="Needed to share without consent (R-IS-2)"
    )
    lawful_basis: LawfulBasis | None = Field(
        None, description="Needed to share without consent (R-IS-8)"
    )
    regime: Regime | None = Field(
        None, description="Defaults to DPA 2018 Part 3 for the police, otherwise UK GDPR"
    )
    not_sharing_reason: NotSharingReason | None = Field(
        None, description="Needed for a decision not to share"
    )
    access_until: IsoDate | None = None
    unsafe_to_inform_reason: LongText = Field(
        "", description="Only when telling the family is unsafe; otherwise a task is created"
    )


class AdviceRequestIn(Input):
    question: LongText
    urgent: bool = False


# --- Looking up what a body names -----------------------------------------------------------


class _Lookup:
    """Turns ids and codes in a body into records, noting each one that is not acceptable.

    People are looked up among the family's members only: anyone else is a mistake on the
    field, never a hint that they exist elsewhere. Agencies and categories are reference
    data, not personal data.
    """

    def __init__(self, family: Family) -> None:
        self.family = family
        self.errors: dict[str, list[str]] = {}

    def members(self, ids: list[int], field: str) -> list[Person]:
        found = {
            m.person_id: m.person
            for m in FamilyMember.objects.filter(
                family=self.family, left_on__isnull=True, person_id__in=ids
            ).select_related("person")
        }
        if any(i not in found for i in ids):
            self.errors[field] = ["Send ids of people who are members of this family"]
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def organisations(self, ids: list[int], field: str) -> list[Organisation]:
        found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
        if any(i not in found for i in ids):
            self.errors[field] = ["Send ids of agencies that exist"]
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def categories(self, codes: list[str]) -> list[InformationCategory]:
        found = {c.code: c for c in InformationCategory.objects.filter(code__in=codes)}
        unknown = sorted({c for c in codes if c not in found})
        if unknown:
            self.errors["category_codes"] = [f"Unknown categories: {', '.join(unknown)}"]
        return [found[c] for c in dict.fromkeys(codes) if c in found]

    def consent(self, consent_id: int | None) -> Consent | None:
        if consent_id is None:
            return None
        consent = Consent.objects.filter(pk=consent_id, family=self.family).first()
        if consent is None:
            self.errors["consent_id"] = ["Send the id of a consent of this family"]
        return consent

    def refuse_with(self, problems: dict[str, list[str]], names: dict[str, str]) -> None:
        """If a lookup failed, refuse with its errors and the service's, named as sent."""
        if not self.errors:
            return
        merged = {names.get(field, field): found for field, found in problems.items()}
        # A field whose ids were not acceptable gets only that message.
        merged.update(self.errors)
        raise ValidationProblem(merged)


def _consent_out(request: HttpRequest, consent_id: int) -> ConsentOut:
    consent = selectors.consent_get(
        actor=api_actor(request), consent_id=consent_id, request=request
    )
    return ConsentOut.from_orm(consent)


# --- Consent ------------------------------------------------------------------------------


@router.get("/families/{record_id:family_id}/consents", **operation(READ, {200: list[ConsentOut]}))
def consent_list(request: HttpRequest, family_id: int) -> list[Consent]:
    """The family's consents, newest first, including withdrawn and expired ones."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return list(selectors.consent_list(actor=actor, family=family))


@router.post(
    "/families/{record_id:family_id}/consents",
    **operation(WRITE, {201: ConsentOut}, body=True),
)
def consent_record(request: HttpRequest, family_id: int, payload: ConsentIn) -> Status[ConsentOut]:
    """Record the family's consent to share, with its scope (R-IS-13).

    A young person consenting for themselves needs `competence_judgement`. Name agencies
    (`organisation_ids`), types of agency (`agency_types`), or both. `expires_on` must not
    be before `starts_on`.
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    lookup = _Lookup(family)
    given_by = lookup.members([payload.given_by_id], "given_by_id")
    values: dict[str, Any] = {
        "given_by": given_by[0] if given_by else None,
        "giver_kind": payload.giver_kind,
        "competence_judgement": payload.competence_judgement,
        "covers_people": lookup.members(payload.covers_person_ids, "covers_person_ids"),
        "categories": lookup.categories(payload.category_codes),
        "organisations": lookup.organisations(payload.organisation_ids, "organisation_ids"),
        "agency_types": list(payload.agency_types),
        "purpose": payload.purpose,
        "starts_on": payload.starts_on,
        "expires_on": payload.expires_on,
    }
    lookup.refuse_with(services.consent_problems(family=family, **values), CONSENT_FIELDS)
    with _api_field_names(CONSENT_FIELDS):
        consent = services.consent_record(actor=actor, family=family, **values)
    return Status(201, _consent_out(request, consent.pk))


@router.post(
    "/consents/{record_id:consent_id}/withdraw",
    **operation(WRITE, {200: ConsentOut}, body=True),
)
def consent_withdraw(
    request: HttpRequest, consent_id: int, payload: WithdrawIn | None = None
) -> ConsentOut:
    """Withdraw consent. It stops giving access from the very next request."""
    actor = api_actor(request)
    consent = selectors.consent_get(actor=actor, consent_id=consent_id, request=request)
    consent = services.consent_withdraw(
        actor=actor, consent=consent, note=payload.note if payload is not None else ""
    )
    # Read back without the policy: withdrawing may have ended the caller's own access.
    return ConsentOut.from_orm(consent)


# --- Sharing decisions --------------------------------------------------------------------


@router.get(
    "/families/{record_id:family_id}/sharing-decisions",
    **operation(READ, {200: list[SharingDecisionOut]}),
)
def sharing_decision_list(request: HttpRequest, family_id: int) -> list[SharingDecision]:
    """Every decision to share or not to share about the family, newest first."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return list(selectors.sharing_decision_list(actor=actor, family=family))


@router.post(
    "/families/{record_id:family_id}/sharing-decisions",
    **operation(WRITE, {201: SharingDecisionOut}, body=True),
)
def sharing_decision_record(
    request: HttpRequest, family_id: int, payload: SharingDecisionIn
) -> Status[SharingDecisionOut]:
    """Record a decision to share or not to share (R-IS-1). It cannot be changed afterwards.

    To share: with `consent_id` (a consent of the family in force that covers it), or without
    consent with `no_consent_reason` and `lawful_basis` (R-IS-2; consent is never needed
    first). Each recipient is written to the disclosure log, and a task to tell the family is
    created unless `unsafe_to_inform_reason` is given (R-IS-3). Not to share:
    `not_sharing_reason`; while the duty to share is in force, only
    `more_detrimental_to_child` (R-CW-3).
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    lookup = _Lookup(family)
    values: dict[str, Any] = {
        "share": payload.share,
        "what": payload.what,
        "purpose": payload.purpose,
        "reasons": payload.reasons,
        "about_people": lookup.members(payload.about_person_ids, "about_person_ids"),
        "recipients": lookup.organisations(payload.recipient_ids, "recipient_ids"),
        "categories": lookup.categories(payload.category_codes),
        "consent": lookup.consent(payload.consent_id),
        "no_consent_reason": payload.no_consent_reason or "",
        "lawful_basis": payload.lawful_basis or "",
        "regime": payload.regime or "",
        "not_sharing_reason": payload.not_sharing_reason or "",
        "access_until": payload.access_until,
        "unsafe_to_inform_reason": payload.unsafe_to_inform_reason,
    }
    if lookup.errors:
        problems = services.sharing_decision_problems(actor=actor, family=family, **values)
        if "consent_id" in lookup.errors:
            # The consent sent was not found: the without-consent questions do not apply.
            for field in ("no_consent_reason", "lawful_basis"):
                problems.pop(field, None)
        lookup.refuse_with(problems, DECISION_FIELDS)
    with _api_field_names(DECISION_FIELDS):
        decision = services.sharing_decision_record(
            actor=actor, family=family, request=request, **values
        )
    decision = selectors.sharing_decision_get(actor=actor, decision_id=decision.pk, request=request)
    return Status(201, SharingDecisionOut.from_orm(decision))


# --- Not sure? ----------------------------------------------------------------------------


@router.post(
    "/families/{record_id:family_id}/advice-requests",
    **operation(WRITE, {201: AdviceRequestOut}, body=True),
)
def advice_request_ask(
    request: HttpRequest, family_id: int, payload: AdviceRequestIn
) -> Status[AdviceRequestOut]:
    """Ask the information governance leads a question about sharing (R-IS-6).

    It never blocks: you do not need to wait for an answer if a child may be at risk.
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    advice: AdviceRequest = services.advice_request_ask(
        actor=actor, family=family, question=payload.question, urgent=payload.urgent
    )
    return Status(201, AdviceRequestOut.from_orm(advice))
