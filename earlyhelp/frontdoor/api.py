"""Front door over /api/v1/: the same services and selectors as the pages.

Rules: R-WT-3, R-WT-7, R-WT-8, R-TIME-1. Every operation acts as the calling account, so the
sharing policy decides which families it reaches: one the caller may not see is the same
404 problem as one that does not exist. The queue, acknowledging and deciding are for front
door workers only (404 for anyone else). Acknowledging and deciding send the ``version``
read: a stale one, or a second decision, is a 409 edit-conflict problem. Ids in a body that
do not belong to the family are a 422 on that field.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId, Text
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.frontdoor import selectors, services
from earlyhelp.frontdoor.rules import Agreement, Circumstance, Route, Urgency
from earlyhelp.frontdoor.selectors import RequestRow
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import Family, FamilyMember
from earlyhelp.sharing.models import Consent, InformationCategory, SharingDecision

router = Router(tags=["Front door"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE

LongText = Annotated[Text, Field(max_length=5000)]
Basis = Annotated[Text, Field(max_length=500)]

# Services name fields as the pages do; the API body names ids as ids.
FIELDS = {
    "about_person": "about_person_id",
    "consent": "consent_id",
    "sharing_decision": "sharing_decision_id",
    "category": "category_code",
    "requesting_organisation": "requesting_organisation_id",
}


class RequestForSupportOut(Schema):
    id: int
    family_id: int
    about_person_id: int | None
    requested_by_name: str
    requesting_organisation_id: int
    requesting_organisation_name: str
    concern: str = Field(description="Empty when withheld (see concern_withheld)")
    concern_withheld: bool = Field(
        description="The concern is in a need-to-know category the caller may not read: "
        "ask the lead professional (R-IS-12)"
    )
    category_code: str | None
    circumstances: list[str]
    early_help_prompts: list[str] = Field(description="R-WT-7: consider early help")
    family_knows: str
    agreement: str
    not_asked_reason: str
    urgency: str
    consent_id: int | None
    sharing_decision_id: int | None
    sharing_basis_note: str
    received_at: datetime.datetime
    decision_due_on: datetime.date = Field(description="R-TIME-1: one working day after receipt")
    decision_overdue: bool = Field(description="Not decided and the due day has passed")
    acknowledged_at: datetime.datetime | None
    acknowledged_by_name: str | None
    route: str | None
    decision_reasons: str
    decided_by_name: str | None
    decided_at: datetime.datetime | None
    decided_late: bool
    status: str
    version: int


class QueueItemOut(Schema):
    request: RequestForSupportOut
    other_requests: int = Field(description="How many other requests the family has had")


class QueueOut(Schema):
    items: list[QueueItemOut]
    next_after: str = Field(description="Send as `after` for the next page; empty at the end")


class QueueQuery(Schema):
    after: str = Field("", max_length=100)
    limit: int = Field(25, ge=1, le=100)


class RequestForSupportIn(Input):
    about_person_id: RecordId | None = Field(
        None, description="A member of the family it is mainly about, e.g. the unborn baby"
    )
    concern: LongText
    category_code: str | None = Field(
        None, max_length=50, description="A need-to-know category the concern falls in"
    )
    circumstances: list[Circumstance] = Field([], max_length=20, description="R-WT-7")
    family_knows: LongText
    agreement: Agreement = Field(description="R-WT-3")
    not_asked_reason: LongText = Field("", description="Needed when agreement is not_asked")
    urgency: Urgency
    consent_id: RecordId | None = Field(None, description="A consent of the family in force")
    sharing_decision_id: RecordId | None = Field(
        None, description="A decision to share about the family"
    )
    sharing_basis_note: Basis = Field(
        "", description="The basis for sharing when there is no consent or decision to share"
    )
    requesting_organisation_id: RecordId | None = Field(
        None, description="An agency the caller works for (default: the first)"
    )


class AcknowledgeIn(Input):
    version: int = Field(ge=1, le=2**31 - 1, description="The version read")


class DecideIn(Input):
    version: int = Field(ge=1, le=2**31 - 1, description="The version read")
    route: Route
    reasons: LongText
    family_agrees: bool = Field(
        False, description="The family now agrees (needed for early help if not already)"
    )


def _out(row: RequestRow) -> dict[str, Any]:
    r = row.request
    return {
        "id": r.pk,
        "family_id": r.family_id,
        "about_person_id": r.about_person_id,
        "requested_by_name": r.requested_by.full_name,
        "requesting_organisation_id": r.requesting_organisation_id,
        "requesting_organisation_name": r.requesting_organisation.name,
        "concern": r.concern if row.concern_readable else "",
        "concern_withheld": not row.concern_readable,
        "category_code": r.category.code if r.category else None,
        "circumstances": list(r.circumstances or []),
        "early_help_prompts": row.prompts,
        "family_knows": r.family_knows,
        "agreement": r.agreement,
        "not_asked_reason": r.not_asked_reason,
        "urgency": r.urgency,
        "consent_id": r.consent_id,
        "sharing_decision_id": r.sharing_decision_id,
        "sharing_basis_note": r.sharing_basis_note,
        "received_at": r.received_at,
        "decision_due_on": r.decision_due_on,
        "decision_overdue": row.decision_overdue,
        "acknowledged_at": r.acknowledged_at,
        "acknowledged_by_name": r.acknowledged_by.full_name if r.acknowledged_by else None,
        "route": r.route or None,
        "decision_reasons": r.decision_reasons,
        "decided_by_name": r.decided_by.full_name if r.decided_by else None,
        "decided_at": r.decided_at,
        "decided_late": row.decided_late,
        "status": row.status,
        "version": r.version,
    }


def _read(request: HttpRequest, request_id: int) -> dict[str, Any]:
    found = selectors.request_for_support_get(
        actor=api_actor(request), request_id=request_id, request=request
    )
    return _out(selectors.request_row(found, timezone.localdate()))


class _Lookup:
    """Ids and codes in a body as records of this family, noting each one not acceptable."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self.errors: dict[str, list[str]] = {}

    def member(self, person_id: int | None) -> Any:
        if person_id is None:
            return None
        member = (
            FamilyMember.objects.filter(
                family=self.family, person_id=person_id, left_on__isnull=True
            )
            .select_related("person")
            .first()
        )
        if member is None:
            self.errors["about_person_id"] = ["Send the id of a member of this family"]
            return None
        return member.person

    def consent(self, consent_id: int | None) -> Consent | None:
        if consent_id is None:
            return None
        found = Consent.objects.filter(pk=consent_id, family=self.family).first()
        if found is None:
            self.errors["consent_id"] = ["Send the id of a consent of this family"]
        return found

    def decision(self, decision_id: int | None) -> SharingDecision | None:
        if decision_id is None:
            return None
        found = SharingDecision.objects.filter(pk=decision_id, family=self.family).first()
        if found is None:
            self.errors["sharing_decision_id"] = ["Send the id of a decision of this family"]
        return found

    def category(self, code: str | None) -> InformationCategory | None:
        if not code:
            return None
        found = InformationCategory.objects.filter(code=code).first()
        if found is None:
            self.errors["category_code"] = [f"Unknown category: {code}"]
        return found

    def organisation(self, actor: Any, organisation_id: int | None) -> Any:
        if organisation_id is None:
            return None
        found = next(
            (o for o in services.requesting_organisations(actor) if o.pk == organisation_id), None
        )
        if found is None:
            self.errors["requesting_organisation_id"] = ["Send the id of an agency you work for"]
        return found


def _renamed(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {FIELDS.get(field, field): found for field, found in errors.items()}


@router.get(
    "/families/{record_id:family_id}/requests-for-support",
    **operation(READ, {200: list[RequestForSupportOut]}),
)
def request_for_support_list(request: HttpRequest, family_id: int) -> list[dict[str, Any]]:
    """The family's requests for support, newest first (repeat requests together)."""
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    return [
        _out(row)
        for row in selectors.request_for_support_list_for_family(actor=actor, family=family)
    ]


@router.post(
    "/families/{record_id:family_id}/requests-for-support",
    **operation(WRITE, {201: RequestForSupportOut}, body=True),
)
def request_for_support_make(
    request: HttpRequest, family_id: int, payload: RequestForSupportIn
) -> Status[dict[str, Any]]:
    """Ask the front door for support for a family, or mainly for one member of it.

    Record what the family knows and whether they agree (`agreement`); `not_asked` needs
    `not_asked_reason` (R-WT-3). Give a sharing basis: `consent_id`, `sharing_decision_id`
    or `sharing_basis_note`. The decision is due one working day after receipt, England and
    Wales bank holidays not counted (R-TIME-1).
    """
    actor = api_actor(request)
    family = people_selectors.family_get(actor=actor, family_id=family_id, request=request)
    lookup = _Lookup(family)
    values: dict[str, Any] = {
        "about_person": lookup.member(payload.about_person_id),
        "concern": payload.concern,
        "category": lookup.category(payload.category_code),
        "circumstances": [c.value for c in payload.circumstances],
        "family_knows": payload.family_knows,
        "agreement": payload.agreement.value,
        "not_asked_reason": payload.not_asked_reason,
        "urgency": payload.urgency.value,
        "consent": lookup.consent(payload.consent_id),
        "sharing_decision": lookup.decision(payload.sharing_decision_id),
        "sharing_basis_note": payload.sharing_basis_note,
        "requesting_organisation": lookup.organisation(actor, payload.requesting_organisation_id),
    }
    if lookup.errors:
        problems = _renamed(
            services.request_for_support_problems(actor=actor, family=family, **values)
        )
        problems.update(lookup.errors)
        if payload.consent_id or payload.sharing_decision_id:
            problems.pop("sharing_basis_note", None)
        raise ValidationProblem(problems)
    try:
        made = services.request_for_support_make(actor=actor, family=family, **values)
    except ValidationProblem as problem:
        raise ValidationProblem(_renamed(problem.errors)) from problem
    return Status(201, _read(request, made.pk))


@router.get(
    "/requests-for-support/{record_id:request_id}",
    **operation(READ, {200: RequestForSupportOut}),
)
def request_for_support_get(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """One request for support, with its due date, overdue flag and decision."""
    return _read(request, request_id)


@router.get("/front-door/queue", **operation(READ, {200: QueueOut}))
def request_for_support_queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    """Front door workers only: open requests, oldest first, overdue flagged.

    Keyset pages: send the previous answer's `next_after` as `after`.
    """
    page = selectors.request_for_support_queue(
        actor=api_actor(request), after=query.after, limit=query.limit, request=request
    )
    return {
        "items": [
            {"request": _out(item.row), "other_requests": item.other_requests} for item in page.rows
        ],
        "next_after": page.next_after,
    }


@router.post(
    "/requests-for-support/{record_id:request_id}/acknowledge",
    **operation(WRITE, {200: RequestForSupportOut}, body=True, conflict=True),
)
def request_for_support_acknowledge(
    request: HttpRequest, request_id: int, payload: AcknowledgeIn
) -> dict[str, Any]:
    """Front door workers only: acknowledge the request; the requester is told (R-TIME-1)."""
    actor = api_actor(request)
    selectors.front_door_require(actor=actor, object_id=request_id, request=request)
    found = selectors.request_for_support_get(actor=actor, request_id=request_id, request=request)
    services.request_for_support_acknowledge(
        actor=actor, request_for_support=found, version=payload.version
    )
    return _read(request, request_id)


@router.post(
    "/requests-for-support/{record_id:request_id}/decide",
    **operation(WRITE, {200: RequestForSupportOut}, body=True, conflict=True),
)
def request_for_support_decide(
    request: HttpRequest, request_id: int, payload: DecideIn
) -> dict[str, Any]:
    """Front door workers only: decide the type of response, with reasons.

    A referral to children's social care (`childrens_social_care`) or the MASH (`mash`) is
    always allowed, with no assessment or other precondition (R-WT-8). `early_help` and
    `team_around_the_family` need the family's agreement (R-WT-3): on the request, or
    `family_agrees`. Empty reasons are a 422; a second decision or a stale `version` a 409.
    """
    actor = api_actor(request)
    selectors.front_door_require(actor=actor, object_id=request_id, request=request)
    found = selectors.request_for_support_get(actor=actor, request_id=request_id, request=request)
    services.request_for_support_decide(
        actor=actor,
        request_for_support=found,
        route=payload.route.value,
        reasons=payload.reasons,
        family_agrees=payload.family_agrees,
        version=payload.version,
    )
    return _read(request, request_id)
