"""Writes for subject access, retention and legal holds. Pages and the API both call these.

Each service checks the actor is the information governance lead, validates with
records.rules, saves in one transaction and writes its audit event in that same transaction.
"""

from __future__ import annotations

import datetime
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.core.access import access_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules as people_rules
from earlyhelp.people.models import PARENT_RELATIONSHIPS, Family, FamilyMember, Person
from earlyhelp.records import export, policies, rules, selectors
from earlyhelp.records.models import (
    ExportFormat,
    LegalHold,
    RetentionReview,
    RetentionRule,
    SubjectAccessExemption,
    SubjectAccessExport,
    SubjectAccessRequest,
)
from earlyhelp.records.rules import (
    Competence,
    ExemptionKind,
    ExportSection,
    Outcome,
    ReceivedVia,
    RecordClass,
    RequesterRelationship,
    RetentionTrigger,
)
from earlyhelp.sharing.models import DisclosureKind, InformationItem, SharingDecision
from earlyhelp.sharing.services.disclosures import disclosure_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

P = ParamSpec("P")
R = TypeVar("R")


def _require(actor: User, object_type: str = "records", object_id: object = "") -> None:
    selectors.require_information_governance_lead(
        actor, object_type=object_type, object_id=object_id
    )


def _ig_lead_atomic(object_type: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The information governance lead check, then the service in one transaction.

    The check runs before the transaction opens, so that a refusal is recorded (an access
    event) even though the refused change is not.
    """

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            _require(kwargs["actor"], object_type)  # type: ignore[arg-type]
            with transaction.atomic():
                return service(*args, **kwargs)

        return wrapped

    return decorate


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- Subject access requests (R-SAR-1 to R-SAR-4) -------------------------------------------


def _requester_on_record(subject: Person, requester_name: str) -> Person | None:
    """A parent in the person's household whose name is exactly the requester's, if only one."""
    wanted = people_rules.name_key(requester_name)
    families = FamilyMember.objects.filter(person=subject).values("family_id")
    parents = {
        m.person
        for m in FamilyMember.objects.filter(
            family_id__in=families, relationship__in=PARENT_RELATIONSHIPS
        )
        .exclude(person=subject)
        .select_related("person")
        if m.person.given_name_key + m.person.family_name_key == wanted
    }
    return parents.pop() if len(parents) == 1 else None


@_ig_lead_atomic("records.subjectaccessrequest")
def subject_access_request_record(
    *,
    actor: User,
    requester_name: str,
    requester_relationship: str,
    received_via: str,
    received_on: datetime.date | None,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    competence: str = "",
    competence_judgement: str = "",
    child_wishes: str = "",
    child_wishes_note: str = "",
    today: datetime.date | None = None,
) -> SubjectAccessRequest:
    """Record a subject access request and its due date (R-SAR-1), for an identified person.

    A person who cannot be identified gets a message and nothing is saved. For a child, the
    competence check is required, and when a parent asks for a competent young person's
    information, what the young person wants (R-SAR-3, R-SAR-4).
    """
    today = _today(today)
    errors: dict[str, list[str]] = {}
    if not requester_name.strip():
        errors["requester_name"] = ["Enter the name of the person asking"]
    if received_via not in ReceivedVia.values:
        errors["received_via"] = ["Select how the request arrived"]
    if received_on is None:
        errors["received_on"] = ["Enter the date the request arrived"]
    elif received_on > today:
        errors["received_on"] = ["The date the request arrived must be today or in the past"]
    try:
        person, identified_by = selectors.person_identify(
            nhs_number=nhs_number,
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
        )
    except ValidationProblem as problem:
        raise ValidationProblem({**errors, **problem.errors}) from problem
    on = received_on or today
    is_child = rules.subject_is_child(
        date_of_birth=person.date_of_birth, is_unborn=person.is_unborn, on=on
    )
    errors.update(
        rules.subject_access_request_problems(
            relationship=requester_relationship,
            subject_is_child=is_child,
            subject_is_unborn=person.is_unborn,
            competence=competence,
            competence_judgement=competence_judgement,
            child_wishes=child_wishes,
        )
    )
    if errors:
        raise ValidationProblem(errors)
    assert received_on is not None
    parent_asks = requester_relationship == RequesterRelationship.PARENTAL_RESPONSIBILITY
    asks_wishes = parent_asks and competence == Competence.COMPETENT
    sar = SubjectAccessRequest.objects.create(
        person=person,
        person_id_ref=person.pk,
        identified_by=identified_by,
        requester_name=requester_name.strip(),
        requester_relationship=requester_relationship,
        requester_person=_requester_on_record(person, requester_name) if parent_asks else None,
        received_via=received_via,
        received_on=received_on,
        due_on=rules.subject_access_due_on(received_on),
        subject_was_child=is_child,
        competence=competence if is_child else "",
        competence_judgement=competence_judgement.strip() if is_child else "",
        child_wishes=child_wishes if asks_wishes else "",
        child_wishes_note=child_wishes_note.strip() if asks_wishes else "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="subject_access_request.record",
        obj=sar,
        summary=f"{sar.reference} about person {person.pk}, due {sar.due_on:%d %B %Y}",
        changes={"person_id": person.pk, "due_on": sar.due_on.isoformat()},
    )
    return sar


@_ig_lead_atomic("records.subjectaccessrequest")
def subject_access_exemption_record(
    *,
    actor: User,
    subject_access_request: SubjectAccessRequest,
    kind: str,
    reason: str,
    information_item: InformationItem | None = None,
    section: str = "",
) -> SubjectAccessExemption:
    """R-SAR-3: withhold one information item, or a whole part of the response, and say why."""
    sar = subject_access_request
    errors = rules.exemption_problems(
        kind=kind,
        relationship=sar.requester_relationship,
        reason=reason,
        has_target=information_item is not None or bool(section),
    )
    if information_item is not None and section:
        errors["withheld"] = ["Choose one information item or one part, not both"]
    if information_item is not None and information_item.person_id != sar.person_id:
        errors["withheld"] = ["Choose information recorded about this person"]
    if section and section not in ExportSection.values:
        errors["withheld"] = ["Select what is withheld"]
    if errors:
        raise ValidationProblem(errors)
    exemption = SubjectAccessExemption.objects.create(
        request=sar,
        kind=kind,
        information_item=information_item,
        section=section,
        reason=reason.strip(),
        decided_by=actor,
    )
    audit_record(
        actor=actor,
        action="subject_access_request.exemption",
        obj=sar,
        summary=f"{exemption.get_kind_display()[:200]}",
        changes={
            "exemption_id": exemption.pk,
            "kind": kind,
            "information_item_id": information_item.pk if information_item else None,
            "section": section,
        },
    )
    return exemption


@_ig_lead_atomic("records.subjectaccessrequest")
def subject_access_response_sent(
    *,
    actor: User,
    subject_access_request: SubjectAccessRequest,
    sent_on: datetime.date | None,
    today: datetime.date | None = None,
) -> SubjectAccessRequest:
    """Record the day the response went to the requester: the request is then answered."""
    sar = subject_access_request
    today = _today(today)
    if sar.response_sent_on is not None:
        raise ValidationProblem(
            {"__all__": [f"The response was already sent on {sar.response_sent_on:%d %B %Y}"]}
        )
    if sent_on is None:
        raise ValidationProblem({"sent_on": ["Enter the date the response was sent"]})
    if sent_on > today:
        raise ValidationProblem({"sent_on": ["The date must be today or in the past"]})
    if sent_on < sar.received_on:
        raise ValidationProblem(
            {"sent_on": ["The date must be on or after the day the request arrived"]}
        )
    if not sar.exports.exists():
        raise ValidationProblem(
            {"__all__": ["Prepare the response (download it) before recording that it was sent"]}
        )
    sar.response_sent_on = sent_on
    sar.response_sent_by = actor
    sar.save(update_fields=["response_sent_on", "response_sent_by"])
    audit_record(
        actor=actor,
        action="subject_access_request.response_sent",
        obj=sar,
        summary=f"{sar.reference} answered on {sent_on:%d %B %Y}",
        changes={"sent_on": sent_on.isoformat(), "overdue": sent_on > sar.due_on},
    )
    return sar


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    data: dict[str, Any]
    export: SubjectAccessExport


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The PDF is made from our own HTML only: it never fetches anything (no SSRF, no leaks)."""
    raise ValueError(f"Fetching {url!r} is not allowed while making a PDF")


def subject_access_pdf(data: dict[str, Any]) -> bytes:
    """The response as a plain, readable PDF (weasyprint; ADR 0005)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the Debian pango libraries are missing
        raise ValidationProblem(
            {
                "format": [
                    "A PDF cannot be made on this server because its PDF libraries are "
                    "missing. Download the JSON instead, and tell the service team"
                ]
            }
        ) from error

    html = render_to_string("records/subject_access_response.html", {"response": data})
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def subject_access_export(
    *,
    actor: User,
    subject_access_request: SubjectAccessRequest,
    format: str,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> ExportFile:
    """Everything held about the person, redacted, as JSON or PDF (R-SAR-1 to R-SAR-4).

    Writes the disclosure log (kind subject access), an export access event and an audit
    event, with every exemption applied (R-SAR-3), in one transaction.
    """
    sar = subject_access_request
    _require(actor, "records.subjectaccessrequest", sar.pk)
    if format not in ExportFormat.values:
        raise ValidationProblem({"format": ["Choose PDF or JSON"]})
    if sar.person_id is None:
        raise ValidationProblem(
            {"__all__": ["This person's record has been destroyed: there is nothing to export"]}
        )
    problem = rules.parent_request_problem(
        relationship=sar.requester_relationship,
        competence=sar.competence,
        child_wishes=sar.child_wishes,
        wishes_exemptions=sar.exemptions.filter(kind=ExemptionKind.DATA_SUBJECT_WISHES).count(),
    )
    if problem:
        raise ValidationProblem({"__all__": [problem]})
    content = export.build(sar, produced_on=_today(today))
    if format == ExportFormat.PDF:
        body, content_type = subject_access_pdf(content.data), "application/pdf"
    else:
        body = json.dumps(content.data, cls=DjangoJSONEncoder, indent=2).encode()
        content_type = "application/json"
    with transaction.atomic():
        disclosure = disclosure_record(
            actor=actor,
            kind=DisclosureKind.SUBJECT_ACCESS,
            what=f"Subject access response {sar.reference} ({format}): everything held, "
            f"with {len(content.withheld)} exemptions applied",
            recipient=f"{sar.requester_name} ({sar.get_requester_relationship_display()})",
            purpose="Subject access request (UK GDPR Article 15)",
            basis="UK GDPR Article 15: right of access",
            person_id=sar.person_id,
            request=request,
        )
        record = SubjectAccessExport.objects.create(
            request=sar,
            format=format,
            exported_by=actor,
            withheld=content.withheld,
            disclosure_id_ref=disclosure.pk,
        )
        access_record(
            actor=actor,
            action=AccessAction.EXPORT,
            object_type="people.person",
            object_id=str(sar.person_id),
            route=policies.ROUTE_SUBJECT_ACCESS,
            detail=f"{sar.reference} response ({format})",
            request=request,
        )
        audit_record(
            actor=actor,
            action="subject_access_request.export",
            obj=sar,
            summary=f"{sar.reference} response prepared ({format})",
            changes={
                "export_id": record.pk,
                "format": format,
                "disclosure_id": disclosure.pk,
                "exemptions_applied": [w["exemption"][:80] for w in content.withheld],
            },
            client=getattr(request, "api_client_name", "") if request is not None else "",
        )
    filename = f"subject-access-{sar.reference}-{_today(today):%Y-%m-%d}.{format}"
    return ExportFile(body, filename, content_type, content.data, record)


# --- Legal holds (R-RET-2) ---------------------------------------------------------------


@_ig_lead_atomic("records.legalhold")
def legal_hold_place(
    *,
    actor: User,
    reason: str,
    person: Person | None = None,
    family: Family | None = None,
) -> LegalHold:
    """Stop destruction of a person's or a family's records, for example for an inquiry."""
    errors: dict[str, list[str]] = {}
    if (person is None) == (family is None):
        errors["__all__"] = ["Choose one person or one family"]
    if not reason.strip():
        errors["reason"] = ["Say why the records must be kept, for example the inquiry's name"]
    if errors:
        raise ValidationProblem(errors)
    hold = LegalHold.objects.create(
        person=person, family=family, reason=reason.strip(), placed_by=actor
    )
    audit_record(
        actor=actor,
        action="legal_hold.place",
        obj=hold,
        summary=f"Legal hold on {'person' if person else 'family'} {(person or family).pk}",  # type: ignore[union-attr]
        changes={
            "person_id": person.pk if person else None,
            "family_id": family.pk if family else None,
        },
    )
    return hold


@_ig_lead_atomic("records.legalhold")
def legal_hold_lift(*, actor: User, legal_hold: LegalHold, reason: str) -> LegalHold:
    """R-RET-2: a hold is lifted, never deleted, with the reason (for example the inquiry
    has ended and its moratorium no longer applies)."""
    hold = LegalHold.objects.select_for_update().get(pk=legal_hold.pk)
    if hold.lifted_at is not None:
        raise ValidationProblem({"__all__": ["This legal hold has already been lifted"]})
    if not reason.strip():
        raise ValidationProblem({"lift_reason": ["Say why the hold can be lifted"]})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(actor=actor, action="legal_hold.lift", obj=hold, summary="Legal hold lifted")
    legal_hold.lifted_at, legal_hold.lifted_by, legal_hold.lift_reason = (
        hold.lifted_at,
        actor,
        hold.lift_reason,
    )
    return hold


# --- Retention (R-RET-1, R-RET-2) ----------------------------------------------------------


@_ig_lead_atomic("records.retentionrule")
def retention_rule_change(
    *, actor: User, record_class: str, trigger: str, period_years: int | None, basis: str
) -> RetentionRule:
    """R-RET-1: configure a record class's retention. The old version stays, superseded."""
    errors: dict[str, list[str]] = {}
    if record_class not in RecordClass.values:
        errors["record_class"] = ["Select the record class"]
    if trigger not in RetentionTrigger.values:
        errors["trigger"] = ["Select what the period counts from"]
    if period_years is None or not 1 <= period_years <= 150:
        errors["period_years"] = ["Enter a number of years from 1 to 150"]
    if not basis.strip():
        errors["basis"] = ["Say what the period is based on: the law, schedule or decision"]
    if errors:
        raise ValidationProblem(errors)
    assert period_years is not None
    current = (
        RetentionRule.objects.select_for_update()
        .filter(record_class=record_class, superseded_at__isnull=True)
        .first()
    )
    latest = RetentionRule.objects.filter(record_class=record_class).order_by("-version").first()
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    rule = RetentionRule.objects.create(
        record_class=record_class,
        trigger=trigger,
        period_years=period_years,
        basis=basis.strip(),
        is_example=False,
        version=(latest.version + 1) if latest else 1,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="retention_rule.change",
        obj=rule,
        summary=str(rule),
        changes={
            "record_class": record_class,
            "trigger": trigger,
            "period_years": period_years,
            "version": rule.version,
            "supersedes": current.pk if current else None,
        },
    )
    return rule


def _rule_row(rule: rules.RuleInForce) -> dict[str, Any]:
    return {
        "id": rule.id,
        "record_class": rule.record_class,
        "version": rule.version,
        "trigger": rule.trigger,
        "period_years": rule.period_years,
    }


@_ig_lead_atomic("records.retentionreview")
def retention_review(
    *,
    actor: User,
    review_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RetentionReview:
    """The dry run: who the rules would destroy on a date, and who is due but kept.

    Nothing is destroyed here. A review for a later date is for planning; only a review for
    today can be carried out (``retention_destroy``), and only on the day.
    """
    today = _today(today)
    review_date = review_date or today
    if review_date < today:
        raise ValidationProblem({"review_date": ["The date must be today or in the future"]})
    if review_date > rules.add_years(today, 100):
        raise ValidationProblem({"review_date": ["The date must be within 100 years"]})
    plan, _ = selectors.retention_plan_on(on=review_date)
    in_force = selectors.retention_rules_in_force()
    to_destroy = [
        {
            "person_id": d.person_id,
            "record_class": d.record_class,
            "rule_id": d.rule.id if d.rule else None,
            "rule_version": d.rule.version if d.rule else None,
            "trigger_date": d.trigger_date.isoformat() if d.trigger_date else None,
            "destroy_from": d.destroy_from.isoformat() if d.destroy_from else None,
        }
        for d in sorted(plan.decisions.values(), key=lambda d: d.person_id)
        if d.outcome == Outcome.DESTROY
    ]
    due_but_kept = [
        {
            "person_id": d.person_id,
            "outcome": d.outcome,
            "record_class": d.record_class,
            "destroy_from": d.destroy_from.isoformat() if d.destroy_from else None,
        }
        for d in sorted(plan.decisions.values(), key=lambda d: d.person_id)
        if d.outcome in rules.DUE_BUT_KEPT
    ]
    counts: dict[str, int] = dict.fromkeys(Outcome.values, 0)
    for decision in plan.decisions.values():
        counts[decision.outcome] += 1
    review = RetentionReview.objects.create(
        review_date=review_date,
        run_by=actor,
        confirmation_token=secrets.token_urlsafe(32),
        rules_used=[_rule_row(rule) for rule in in_force.values()],
        to_destroy=to_destroy,
        due_but_kept=due_but_kept,
        families_to_destroy=sorted(plan.families_to_destroy),
        counts=counts,
    )
    audit_record(
        actor=actor,
        action="retention_review.run",
        obj=review,
        summary=f"Dry run for {review_date:%d %B %Y}: {len(to_destroy)} people and "
        f"{len(plan.families_to_destroy)} families would be destroyed",
        changes={"review_date": review_date.isoformat(), "counts": counts},
    )
    return review


def _destroy_families(actor: User, review: RetentionReview, family_ids: list[int]) -> None:
    for family in Family.objects.filter(pk__in=family_ids).order_by("pk"):
        audit_record(
            actor=actor,
            action="family.destroy",
            obj=family,
            summary=f"Destroyed under retention review {review.pk}: every member destroyed",
            changes={"review_id": review.pk, "review_date": review.review_date.isoformat()},
        )
    # Decisions first: a decision protects the consent it relied on, and both go with the family.
    SharingDecision.objects.filter(family_id__in=family_ids).delete()
    Family.objects.filter(pk__in=family_ids).delete()


def _destroy_persons(
    actor: User, review: RetentionReview, decisions: dict[int, rules.RetentionDecision]
) -> None:
    ids = sorted(decisions)
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        decision = decisions[person.pk]
        rule = decision.rule
        assert rule is not None and decision.destroy_from is not None
        audit_record(
            actor=actor,
            action="person.destroy",
            obj=person,
            # Never the destroyed data itself: only the class, the rule and its basis.
            summary=f"Destroyed under retention rule {rule.id} version {rule.version} "
            f"({decision.record_class})",
            changes={
                "review_id": review.pk,
                "record_class": decision.record_class,
                "rule_id": rule.id,
                "rule_version": rule.version,
                "trigger": rule.trigger,
                "period_years": rule.period_years,
                "basis": rule.basis[:300],
                "destroy_from": decision.destroy_from.isoformat(),
                "addresses": person.addresses.count(),
                "previous_names": person.aliases.count(),
                "information_items": person.information_items.count(),
                "family_memberships": person.family_members.count(),
            },
        )
    FamilyMember.objects.filter(person_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).delete()


@_ig_lead_atomic("records.retentionreview")
def retention_destroy(
    *,
    actor: User,
    review: RetentionReview,
    confirmation_token: str,
    confirmed: bool,
    today: datetime.date | None = None,
) -> RetentionReview:
    """R-RET-1, R-RET-2: destroy what a dry run listed, once it is explicitly confirmed.

    Only a review run today, for today, not yet carried out, with its own confirmation token
    and the confirmation ticked. The rules are applied again as things stand now, so anyone
    who became protected since the dry run (a legal hold, a new involvement, a subject access
    request) is kept; only people on both lists go. One audit event per person and family
    destroyed names the class, rule and basis, never the destroyed data.
    """
    today = _today(today)
    locked = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if locked.carried_out_at is not None:
        raise ValidationProblem({"__all__": ["This review has already been carried out"]})
    if not confirmed:
        raise ValidationProblem(
            {"confirm": ["Confirm that you have checked the list and want these records destroyed"]}
        )
    if not hmac.compare_digest(str(confirmation_token), locked.confirmation_token):
        raise ValidationProblem(
            {"__all__": ["This confirmation does not belong to this review. Run the review again"]}
        )
    if locked.review_date != today or timezone.localdate(locked.run_at) != today:
        raise ValidationProblem(
            {
                "__all__": [
                    "Only a review run today, for today, can be carried out. Run the review again"
                ]
            }
        )
    listed = {row["person_id"] for row in locked.to_destroy}
    listed_families = set(locked.families_to_destroy)
    plan, inputs = selectors.retention_plan_on(on=today)
    # Keep anyone who was not on the dry run's list, then let the plan settle families and
    # consents again with only the listed people going.
    decisions = {
        pid: d
        if pid in listed
        else rules.RetentionDecision(pid, Outcome.NOT_YET_DUE, d.record_class)
        for pid, d in plan.decisions.items()
    }
    final = rules.retention_plan(
        decisions,
        family_members=inputs.family_members,
        protected_families=inputs.protected_families
        | (set(inputs.family_members) - listed_families),
        consents_given=inputs.consents_given,
    )
    going = {pid: d for pid, d in final.decisions.items() if d.outcome == Outcome.DESTROY}
    try:
        _destroy_families(actor, locked, sorted(final.families_to_destroy))
        _destroy_persons(actor, locked, going)
    except ProtectedError as error:
        kinds = ", ".join(sorted({type(o).__name__ for o in error.protected_objects}))
        raise ValidationProblem(
            {
                "__all__": [
                    "Nothing was destroyed: other records still depend on some of these "
                    f"people ({kinds}). Run the review again"
                ]
            }
        ) from error
    locked.carried_out_at = timezone.now()
    locked.carried_out_by = actor
    locked.persons_destroyed = len(going)
    locked.families_destroyed = len(final.families_to_destroy)
    locked.counts = {**locked.counts, "kept_since_review": len(listed) - len(going)}
    locked.save(
        update_fields=[
            "carried_out_at",
            "carried_out_by",
            "persons_destroyed",
            "families_destroyed",
            "counts",
        ]
    )
    audit_record(
        actor=actor,
        action="retention_review.carry_out",
        obj=locked,
        summary=f"{len(going)} people and {len(final.families_to_destroy)} families destroyed",
        changes={
            "persons_destroyed": len(going),
            "families_destroyed": len(final.families_to_destroy),
            "kept_since_review": len(listed) - len(going),
        },
    )
    review.carried_out_at = locked.carried_out_at
    review.carried_out_by = actor
    review.persons_destroyed = locked.persons_destroyed
    review.families_destroyed = locked.families_destroyed
    review.counts = locked.counts
    return locked
