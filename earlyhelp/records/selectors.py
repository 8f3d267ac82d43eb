"""Reads for subject access, retention and legal holds: only for the information governance lead.

Every read starts with ``require_information_governance_lead``, which records a refusal and
raises the same NotFoundOrForbidden (404) as a missing record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from earlyhelp.core.access import access_record
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules as people_rules
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
)
from earlyhelp.records import policies, rules
from earlyhelp.records.models import (
    LegalHold,
    RetentionReview,
    RetentionRule,
    SubjectAccessRequest,
)
from earlyhelp.records.rules import IdentifiedBy
from earlyhelp.sharing.models import Consent, InformationItem, SharingDecision

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

CARE_HISTORY_CATEGORY = "care_history"
CHILDRENS_SOCIAL_CARE = "childrens_social_care"


def require_information_governance_lead(
    actor: User,
    *,
    object_type: str = "records",
    object_id: object = "",
    request: HttpRequest | None = None,
) -> None:
    """Only the information governance lead; everyone else gets 404, and it is recorded."""
    if policies.is_information_governance_lead(actor):
        return
    access_record(
        actor=actor,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        request=request,
    )
    raise NotFoundOrForbidden


# --- Identifying the person a request is about -------------------------------------------


def person_identify(
    *,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    recording: str = "request",
) -> tuple[Person, IdentifiedBy]:
    """The one person these details identify, or a ValidationProblem saying what to do.

    By NHS number, or else by exact name (current or previous, ignoring case, accents and
    punctuation) and date of birth (for an unborn baby, the expected date of delivery).
    ``recording`` names what is not saved when nobody is identified.
    """
    number = people_rules.normalise_nhs_number(nhs_number or "")
    if number:
        if not people_rules.nhs_number_is_valid(number):
            raise ValidationProblem(
                {"nhs_number": ["Enter a valid NHS number: 10 digits, like 943 476 5919"]}
            )
        person = Person.objects.filter(nhs_number=number).first()
        if person is None:
            raise ValidationProblem(
                {
                    "nhs_number": [
                        f"No one on the record has this NHS number, so the {recording} has "
                        "not been recorded. Check the number, or identify them by name and "
                        "date of birth instead"
                    ]
                }
            )
        return person, IdentifiedBy.NHS_NUMBER
    errors: dict[str, list[str]] = {}
    given_key = people_rules.name_key(given_name)
    family_key = people_rules.name_key(family_name)
    if not family_key:
        errors["family_name"] = ["Enter their family name, or their NHS number"]
    if date_of_birth is None:
        errors["date_of_birth"] = ["Enter their date of birth, or their NHS number"]
    if errors:
        raise ValidationProblem(errors)
    born = Q(date_of_birth=date_of_birth) | Q(
        is_unborn=True, expected_date_of_delivery=date_of_birth
    )
    by_name = Q(given_name_key=given_key, family_name_key=family_key)
    by_alias = Q(
        id__in=PersonAlias.objects.filter(
            given_name_key=given_key, family_name_key=family_key
        ).values("person_id")
    )
    matches = list(Person.objects.filter(born & (by_name | by_alias)).distinct()[:2])
    if not matches:
        raise ValidationProblem(
            {
                "family_name": [
                    f"No one on the record matches these details, so the {recording} has not "
                    "been recorded. Check the spelling and the date of birth, or use their "
                    "NHS number"
                ]
            }
        )
    if len(matches) > 1:
        raise ValidationProblem(
            {
                "nhs_number": [
                    "More than one person has this name and date of birth. Use their NHS "
                    "number to say which one"
                ]
            }
        )
    return matches[0], IdentifiedBy.NAME_AND_DATE_OF_BIRTH


def family_identify(*, family_id: int) -> Family:
    """A family by its record number, for a legal hold on the whole household."""
    family = Family.objects.filter(pk=family_id).first()
    if family is None:
        raise ValidationProblem(
            {"family_number": ["No family has this record number, so nothing has been recorded"]}
        )
    return family


# --- Subject access requests -----------------------------------------------------------------


def subject_access_request_list(*, actor: User) -> QuerySet[SubjectAccessRequest]:
    """Open requests first, soonest due first; then answered ones, latest first."""
    require_information_governance_lead(actor, object_type="records.subjectaccessrequest")
    return SubjectAccessRequest.objects.select_related("person").order_by(
        "response_sent_on", "due_on", "id"
    )


def subject_access_request_get(
    *, actor: User, request_id: int, request: HttpRequest | None = None
) -> SubjectAccessRequest:
    require_information_governance_lead(
        actor, object_type="records.subjectaccessrequest", object_id=request_id, request=request
    )
    found = (
        SubjectAccessRequest.objects.select_related(
            "person", "requester_person", "recorded_by", "response_sent_by"
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise NotFoundOrForbidden
    if found.person_id is not None:
        # The request's page and answers show who it is about: a look at their record.
        access_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="people.person",
            object_id=str(found.person_id),
            route=policies.ROUTE_SUBJECT_ACCESS,
            detail=found.reference,
            request=request,
        )
    return found


def subject_access_information_items(sar: SubjectAccessRequest) -> list[InformationItem]:
    """The person's information items, to choose one an exemption withholds."""
    if sar.person_id is None:
        return []
    return list(
        InformationItem.objects.filter(person_id=sar.person_id).select_related(
            "category", "source_organisation"
        )
    )


# --- Legal holds ---------------------------------------------------------------------------


def legal_hold_list(*, actor: User) -> QuerySet[LegalHold]:
    """Standing holds first, then lifted ones."""
    require_information_governance_lead(actor, object_type="records.legalhold")
    return LegalHold.objects.select_related("person", "family", "placed_by", "lifted_by").order_by(
        "-lifted_at", "-placed_at", "-id"
    )


def legal_hold_get(*, actor: User, hold_id: int, request: HttpRequest | None = None) -> LegalHold:
    require_information_governance_lead(
        actor, object_type="records.legalhold", object_id=hold_id, request=request
    )
    hold = LegalHold.objects.select_related("person", "family").filter(pk=hold_id).first()
    if hold is None:
        raise NotFoundOrForbidden
    return hold


# --- Retention ------------------------------------------------------------------------------


def retention_rules_in_force() -> dict[str, rules.RuleInForce]:
    return {
        rule.record_class: rule.in_force()
        for rule in RetentionRule.objects.filter(superseded_at__isnull=True)
    }


def retention_rule_list(*, actor: User) -> list[RetentionRule]:
    require_information_governance_lead(actor, object_type="records.retentionrule")
    return list(RetentionRule.objects.filter(superseded_at__isnull=True).order_by("record_class"))


def retention_review_list(*, actor: User) -> QuerySet[RetentionReview]:
    require_information_governance_lead(actor, object_type="records.retentionreview")
    return RetentionReview.objects.select_related("run_by", "carried_out_by")


def retention_review_get(
    *, actor: User, review_id: int, request: HttpRequest | None = None
) -> RetentionReview:
    require_information_governance_lead(
        actor, object_type="records.retentionreview", object_id=review_id, request=request
    )
    review = (
        RetentionReview.objects.select_related("run_by", "carried_out_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFoundOrForbidden
    return review


@dataclass(frozen=True)
class ReviewRow:
    """One person on a review page: who, and under which rule (resolved while they exist)."""

    person_id: int
    name: str
    date_of_birth: datetime.date | None
    record_class: str
    record_class_label: str
    outcome: str
    outcome_label: str
    destroy_from: str
    rule_version: int | None = None


def retention_review_people(
    *, actor: User, review: RetentionReview, request: HttpRequest | None = None
) -> tuple[list[ReviewRow], list[ReviewRow]]:
    """Names of the people a review lists (to destroy, and due but kept); the look is recorded.

    After destruction the names are gone: rows then show the record id only.
    """
    require_information_governance_lead(
        actor, object_type="records.retentionreview", object_id=review.pk, request=request
    )
    ids = [row["person_id"] for row in [*review.to_destroy, *review.due_but_kept]]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}

    classes = dict(rules.RecordClass.choices)
    outcomes = dict(rules.Outcome.choices)

    def row(entry: dict[str, Any], outcome: str) -> ReviewRow:
        person = persons.get(entry["person_id"])
        outcome = entry.get("outcome", outcome)
        return ReviewRow(
            person_id=entry["person_id"],
            name=person.display_name if person else f"Record {entry['person_id']} (destroyed)",
            date_of_birth=(person.date_of_birth or person.expected_date_of_delivery)
            if person
            else None,
            record_class=entry["record_class"],
            record_class_label=classes.get(entry["record_class"], entry["record_class"]),
            outcome=outcome,
            outcome_label=outcomes.get(outcome, outcome),
            destroy_from=entry.get("destroy_from") or "",
            rule_version=entry.get("rule_version"),
        )

    to_destroy = [row(e, rules.Outcome.DESTROY) for e in review.to_destroy]
    kept = [row(e, "") for e in review.due_but_kept]
    if persons:
        access_record(
            actor=actor,
            action=AccessAction.LIST,
            object_type="people.person",
            route=policies.ROUTE_RETENTION,
            detail=f"retention review {review.pk}: {len(persons)} people listed",
            request=request,
        )
    return to_destroy, kept


@dataclass
class RetentionInputs:
    """Everything the retention plan needs, read from the database in a few grouped queries."""

    facts: dict[int, rules.RetentionFacts]
    family_members: dict[int, set[int]]
    protected_families: set[int]
    consents_given: list[tuple[int, int]]
    standing_holds: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _local_date(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def _latest(*values: datetime.date | None) -> datetime.date | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _earliest(*values: datetime.date | None) -> datetime.date | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def retention_inputs(*, on: datetime.date) -> RetentionInputs:
    """R-RET-1, R-RET-2: the facts about every person, as they stand, for a review on ``on``.

    "Last action" is the latest date anything was recorded on the person's record or on a
    family they belong to: the record made or changed, an involvement started or ended,
    information recorded, a move, joining or leaving a family, a consent or a decision to
    share about them.
    """
    still_open = Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    csc = Q(organisation__agency_type=CHILDRENS_SOCIAL_CARE)

    def involvement_summary(key: str) -> dict[int, dict[str, Any]]:
        return {
            row[key]: row
            for row in Involvement.objects.filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(
                first_start=Min("started_on"),
                last_start=Max("started_on"),
                last_end=Max("ended_on"),
                open=Count("id", filter=still_open),
                csc=Count("id", filter=csc),
            )
        }

    by_person = involvement_summary("person_id")
    by_family = involvement_summary("family_id")

    memberships: dict[int, list[Any]] = defaultdict(list)
    family_members: dict[int, set[int]] = defaultdict(set)
    for m in FamilyMember.objects.values("person_id", "family_id", "joined_on", "left_on"):
        memberships[m["person_id"]].append(m)
        family_members[m["family_id"]].add(m["person_id"])

    items: dict[int, dict[str, Any]] = {
        row["person_id"]: dict(row)
        for row in InformationItem.objects.values("person_id").annotate(
            last=Max("recorded_at"),
            care=Count("id", filter=Q(category__code=CARE_HISTORY_CATEGORY)),
        )
    }
    addresses: dict[int, dict[str, Any]] = {
        row["person_id"]: dict(row)
        for row in Address.objects.values("person_id").annotate(
            moved_in=Max("moved_in_on"), moved_out=Max("moved_out_on")
        )
    }
    consent_dates: dict[int, list[datetime.date | None]] = defaultdict(list)
    consents_given: list[tuple[int, int]] = []
    for c in Consent.objects.values("given_by_id", "family_id", "recorded_at", "withdrawn_at"):
        consents_given.append((c["given_by_id"], c["family_id"]))
        consent_dates[c["given_by_id"]] += [
            _local_date(c["recorded_at"]),
            _local_date(c["withdrawn_at"]),
        ]
    covered = Consent.covers_people.through.objects.values("person_id").annotate(
        last=Max("consent__recorded_at")
    )
    for row in covered:
        consent_dates[row["person_id"]].append(_local_date(row["last"]))
    decided = SharingDecision.about_people.through.objects.values("person_id").annotate(
        last=Max("sharingdecision__decided_at")
    )
    decision_dates = {row["person_id"]: _local_date(row["last"]) for row in decided}

    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    held_persons = set(holds.filter(person__isnull=False).values_list("person_id", flat=True))
    held_families = set(holds.filter(family__isnull=False).values_list("family_id", flat=True))
    open_requests = set(
        SubjectAccessRequest.objects.filter(
            response_sent_on__isnull=True, person__isnull=False
        ).values_list("person_id", flat=True)
    )
    protected_families = held_families | {f for f, row in by_family.items() if row["open"]}

    facts: dict[int, rules.RetentionFacts] = {}
    for p in Person.objects.values(
        "id", "date_of_birth", "expected_date_of_delivery", "created_at", "updated_at"
    ).iterator(chunk_size=5000):
        pid = p["id"]
        own = by_person.get(pid, {})
        mine = memberships.get(pid, [])
        families = [by_family[m["family_id"]] for m in mine if m["family_id"] in by_family]
        current_families = [
            by_family[m["family_id"]]
            for m in mine
            if m["left_on"] is None and m["family_id"] in by_family
        ]
        item = items.get(pid, {})
        address = addresses.get(pid, {})
        created = _local_date(p["created_at"])
        assert created is not None
        first_known = _earliest(created, own.get("first_start"), *(m["joined_on"] for m in mine))
        last_involvement_end = _latest(own.get("last_end"), *(f["last_end"] for f in families))
        last_action = _latest(
            created,
            _local_date(p["updated_at"]),
            own.get("last_start"),
            own.get("last_end"),
            *(f["last_start"] for f in families),
            *(f["last_end"] for f in families),
            _local_date(item.get("last")),
            address.get("moved_in"),
            address.get("moved_out"),
            *(m["joined_on"] for m in mine),
            *(m["left_on"] for m in mine),
            *consent_dates.get(pid, []),
            decision_dates.get(pid),
        )
        facts[pid] = rules.RetentionFacts(
            person_id=pid,
            date_of_birth=p["date_of_birth"],
            expected_date_of_delivery=p["expected_date_of_delivery"],
            first_known_on=first_known or created,
            last_involvement_ended_on=last_involvement_end,
            last_action_on=last_action or created,
            open_involvement=bool(own.get("open")) or any(f["open"] for f in current_families),
            legal_hold=pid in held_persons or any(m["family_id"] in held_families for m in mine),
            open_subject_access_request=pid in open_requests,
            care_history_recorded=bool(item.get("care")),
            childrens_social_care_involved=bool(own.get("csc")) or any(f["csc"] for f in families),
        )
    return RetentionInputs(
        facts=facts,
        family_members=dict(family_members),
        protected_families=protected_families,
        consents_given=consents_given,
        standing_holds=len(held_persons) + len(held_families),
    )


def retention_plan_on(*, on: datetime.date) -> tuple[rules.RetentionPlan, RetentionInputs]:
    """The plan the rules in force give for ``on``: the dry run's answer."""
    inputs = retention_inputs(on=on)
    in_force = retention_rules_in_force()
    decisions = {
        pid: rules.retention_decision(f, in_force, on=on) for pid, f in inputs.facts.items()
    }
    plan = rules.retention_plan(
        decisions,
        family_members=inputs.family_members,
        protected_families=inputs.protected_families,
        consents_given=inputs.consents_given,
    )
    return plan, inputs
