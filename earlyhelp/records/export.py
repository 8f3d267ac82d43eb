"""What a subject access response contains: everything held about the person, redacted.

Built fresh from the record each time (R-SAR-1), as one structure that becomes both the JSON
and the PDF, so the two never differ. Third parties' names and details become
"[third party]" and confidential referrers "[confidential referrer]" (R-SAR-2, R-IS-5);
professionals' names stay (R-SAR-2). Exemptions recorded by the information governance lead
withhold an item or a whole part (R-SAR-3). The chronology tells the story in date order
(R-SAR-4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from earlyhelp.core.models import AccessEvent, AuditEvent
from earlyhelp.people.models import (
    Address,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
)
from earlyhelp.records import rules
from earlyhelp.records.models import SubjectAccessExemption, SubjectAccessRequest
from earlyhelp.records.policies import ROUTE_RETENTION, ROUTE_SUBJECT_ACCESS
from earlyhelp.records.rules import (
    CONFIDENTIAL_REFERRER,
    THIRD_PARTY,
    ExportSection,
    Redactor,
    RequesterRelationship,
)
from earlyhelp.sharing.models import Consent, Disclosure, InformationItem, SharingDecision
from earlyhelp.sharing.policies import ROUTE_DESCRIPTIONS

# Why a look was allowed, in words (sharing.policies routes, and this app's own duties).
ROUTES: dict[str, str] = {
    **{str(route): text for route, text in ROUTE_DESCRIPTIONS.items()},
    ROUTE_SUBJECT_ACCESS: "Information governance: answering a subject access request",
    ROUTE_RETENTION: "Information governance: a retention review",
}

WITHHELD_NOTICE = (
    "Some information has been withheld under an exemption in the Data Protection Act 2018."
)
MARKER_NOTES = [
    f"{THIRD_PARTY} replaces the name or details of another person (UK GDPR Art 15(4)).",
    f"{CONFIDENTIAL_REFERRER} replaces someone who told us about you and asked not to be named.",
    "Names of professionals are shown: they were doing their jobs.",
]


@dataclass
class Content:
    """The response (``data``) and the internal record of what was withheld (R-SAR-3)."""

    data: dict[str, Any]
    withheld: list[dict[str, str]] = field(default_factory=list)


def _name(person: Person) -> str:
    return person.display_name


def _date(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


class _People:
    """Who may be named in this response, and everyone else as "[third party]"."""

    def __init__(self, sar: SubjectAccessRequest, subject: Person) -> None:
        self.subject = subject
        # Whose eyes the response is for: the person (or their representative), or the parent.
        if sar.requester_relationship == RequesterRelationship.PARENTAL_RESPONSIBILITY:
            requester = sar.requester_person
        else:
            requester = subject
        self.shown_ids: set[int] = {subject.pk}
        if requester is not None:
            self.shown_ids.add(requester.pk)
            parent_rows = FamilyMember.objects.filter(person=requester).values_list(
                "family_id", "relationship"
            )
            for family_id, parent_relationship in parent_rows:
                for other_id, other_relationship in FamilyMember.objects.filter(
                    family_id=family_id
                ).values_list("person_id", "relationship"):
                    if rules.is_own_child(
                        parent_relationship=parent_relationship,
                        other_relationship=other_relationship,
                    ):
                        self.shown_ids.add(other_id)
        self.third_party_ids: set[int] = set()
        self.requester_name = sar.requester_name

    def label(self, person: Person | None) -> str:
        if person is None:
            return ""
        if person.pk in self.shown_ids:
            return _name(person)
        self.third_party_ids.add(person.pk)
        return THIRD_PARTY

    def redactor(self, others: list[Person], confidential_referrers: list[str]) -> Redactor:
        """Free text: every other person's names, current and previous, and referrers."""
        all_ids = {p.pk for p in others} | self.shown_ids
        aliases: dict[int, list[str]] = {}
        for alias in PersonAlias.objects.filter(person_id__in=all_ids):
            aliases.setdefault(alias.person_id, []).append(str(alias))
        people = {p.pk: p for p in [*others, self.subject]}
        shown_people = Person.objects.filter(pk__in=self.shown_ids)
        shown_names = [self.requester_name]
        for person in shown_people:
            shown_names += [_name(person), *aliases.get(person.pk, [])]
        third_names: list[str] = []
        for pid, person in people.items():
            if pid in self.shown_ids:
                continue
            third_names += [_name(person), *aliases.get(pid, [])]
        return Redactor(
            third_parties=third_names,
            confidential_referrers=confidential_referrers,
            shown=shown_names,
        )


def build(sar: SubjectAccessRequest, *, produced_on: datetime.date) -> Content:
    """Everything held about the request's person, with exemptions and redactions applied."""
    subject = sar.person
    assert subject is not None
    exemptions = list(
        SubjectAccessExemption.objects.filter(request=sar).select_related(
            "information_item", "information_item__source_organisation", "decided_by"
        )
    )
    withheld_items = {e.information_item_id for e in exemptions if e.information_item_id}
    withheld_sections = {e.section for e in exemptions if e.section}
    people = _People(sar, subject)

    memberships = list(
        FamilyMember.objects.filter(person=subject).select_related("family").order_by("id")
    )
    family_ids = sorted({m.family_id for m in memberships})
    others_in_families = list(
        FamilyMember.objects.filter(family_id__in=family_ids)
        .exclude(person=subject)
        .select_related("person")
        .order_by("family_id", "id")
    )
    involvements = list(
        Involvement.objects.filter(Q(person=subject) | Q(family_id__in=family_ids))
        .select_related("organisation", "team", "practitioner", "family")
        .order_by("started_on", "id")
    )
    items = list(
        InformationItem.objects.filter(person=subject)
        .select_related("category", "source_organisation", "recorded_by")
        .order_by("recorded_at", "id")
    )
    consents = list(
        Consent.objects.filter(family_id__in=family_ids)
        .filter(Q(given_by=subject) | Q(covers_people=subject))
        .select_related("given_by", "recorded_by", "family")
        .prefetch_related("covers_people", "organisations")
        .distinct()
        .order_by("starts_on", "id")
    )
    decisions = list(
        SharingDecision.objects.filter(about_people=subject)
        .select_related("decided_by")
        .prefetch_related("about_people", "recipients")
        .distinct()
        .order_by("decided_at", "id")
    )
    disclosures = list(
        Disclosure.objects.filter(Q(person_id_ref=subject.pk) | Q(family_id_ref__in=family_ids))
        .select_related("actor")
        .order_by("at", "id")
    )

    others: dict[int, Person] = {m.person.pk: m.person for m in others_in_families}
    for consent in consents:
        others[consent.given_by.pk] = consent.given_by
        others.update({p.pk: p for p in consent.covers_people.all()})
    for decision in decisions:
        others.update({p.pk: p for p in decision.about_people.all()})
    others.pop(subject.pk, None)
    referrers = [i.referrer for i in items if i.referrer_confidential and i.referrer.strip()]
    redactor = people.redactor(list(others.values()), referrers)
    redact = redactor.text
    confidential_referrers_hidden = 0

    chronology: list[tuple[datetime.date, int, str]] = []

    def happened(on: datetime.date | datetime.datetime | None, text: str, order: int = 0) -> None:
        day = _date(on)
        if day is not None:
            chronology.append((day, order, text))

    # The person
    person_data = {
        "name": _name(subject),
        "given_name": subject.given_name,
        "family_name": subject.family_name,
        "date_of_birth": subject.date_of_birth,
        "expected_date_of_delivery": subject.expected_date_of_delivery
        if subject.is_unborn
        else None,
        "sex": subject.get_sex_display(),
        "nhs_number": subject.nhs_number or "",
        "nhs_number_source": subject.nhs_number_source,
        "ethnicity": subject.ethnicity,
        "first_language": subject.first_language,
        "record_made_on": _date(subject.created_at),
        "last_changed_on": _date(subject.updated_at),
    }
    if subject.date_of_birth:
        happened(subject.date_of_birth, "Born", -1)
    happened(subject.created_at, "The partnership started a record", -1)
    aliases = [
        {"given_name": a.given_name, "family_name": a.family_name}
        for a in PersonAlias.objects.filter(person=subject)
    ]

    addresses: list[dict[str, Any]] = []
    if ExportSection.ADDRESSES not in withheld_sections:
        for address in Address.objects.filter(person=subject).order_by("moved_in_on", "id"):
            place = str(address)
            addresses.append(
                {
                    "address": place,
                    "local_authority": address.local_authority,
                    "accommodation": address.get_accommodation_type_display(),
                    "moved_in_on": address.moved_in_on,
                    "moved_out_on": address.moved_out_on,
                }
            )
            happened(address.moved_in_on, f"Moved in to {place}")
            happened(address.moved_out_on, f"Moved out of {place}")

    families: list[dict[str, Any]] = []
    if ExportSection.FAMILIES not in withheld_sections:
        for membership in memberships:
            family_name = redact(membership.family.name)
            families.append(
                {
                    "family": family_name,
                    "relationship": membership.get_relationship_display(),
                    "joined_on": membership.joined_on,
                    "left_on": membership.left_on,
                    "members": [
                        {
                            "name": people.label(other.person),
                            "relationship": other.get_relationship_display(),
                            "joined_on": other.joined_on,
                            "left_on": other.left_on,
                        }
                        for other in others_in_families
                        if other.family_id == membership.family_id
                    ],
                }
            )
            role = membership.get_relationship_display().lower()
            happened(membership.joined_on, f"Recorded in {family_name} as {role}")
            happened(membership.left_on, f"Left {family_name}")

    involvement_rows: list[dict[str, Any]] = []
    if ExportSection.INVOLVEMENTS not in withheld_sections:
        for involvement in involvements:
            with_whom = (
                "you" if involvement.person_id == subject.pk else redact(str(involvement.family))
            )
            involvement_rows.append(
                {
                    "agency": involvement.organisation.name,
                    "team": involvement.team.name if involvement.team else "",
                    "practitioner": involvement.practitioner.full_name
                    if involvement.practitioner
                    else "",
                    "service": involvement.service,
                    "working_with": with_whom,
                    "started_on": involvement.started_on,
                    "ended_on": involvement.ended_on,
                }
            )
            who = involvement.organisation.name
            happened(
                involvement.started_on,
                f"{who} ({involvement.service}) started working with {with_whom}",
            )
            happened(
                involvement.ended_on,
                f"{who} ({involvement.service}) stopped working with {with_whom}",
            )

    information: list[dict[str, Any]] = []
    if ExportSection.INFORMATION not in withheld_sections:
        for item in items:
            if item.pk in withheld_items:
                continue
            if item.referrer_confidential and item.referrer.strip():
                referrer = CONFIDENTIAL_REFERRER
                confidential_referrers_hidden += 1
            else:
                referrer = redact(item.referrer)
            summary = redact(item.summary)
            information.append(
                {
                    "recorded_at": item.recorded_at,
                    "recorded_by": item.recorded_by.full_name,
                    "agency": item.source_organisation.name,
                    "category": item.category.name if item.category else "General",
                    "summary": summary,
                    "detail": redact(item.detail),
                    "told_us": referrer,
                }
            )
            happened(item.recorded_at, f"{item.source_organisation.name} recorded: {summary}")

    consent_rows: list[dict[str, Any]] = []
    if ExportSection.CONSENTS not in withheld_sections:
        for consent in consents:
            giver = people.label(consent.given_by)
            purpose = redact(consent.purpose)
            consent_rows.append(
                {
                    "given_by": giver,
                    "given_as": consent.get_giver_kind_display(),
                    "covers": [people.label(p) for p in consent.covers_people.all()],
                    "agencies": [o.name for o in consent.organisations.all()],
                    "purpose": purpose,
                    "starts_on": consent.starts_on,
                    "expires_on": consent.expires_on,
                    "recorded_by": consent.recorded_by.full_name,
                    "withdrawn_on": _date(consent.withdrawn_at),
                }
            )
            happened(consent.starts_on, f"Consent given by {giver}: {purpose}")
            happened(consent.withdrawn_at, f"Consent withdrawn: {purpose}")

    decision_rows: list[dict[str, Any]] = []
    if ExportSection.SHARING_DECISIONS not in withheld_sections:
        for decision in decisions:
            recipients = [o.name for o in decision.recipients.all()]
            purpose = redact(decision.purpose)
            decision_rows.append(
                {
                    "decided_on": _date(decision.decided_at),
                    "decided_by": decision.decided_by.full_name,
                    "decision": "Share" if decision.share else "Do not share",
                    "what": redact(decision.what),
                    "purpose": purpose,
                    "with": recipients,
                    "about": [people.label(p) for p in decision.about_people.all()],
                    "lawful_basis": decision.get_lawful_basis_display(),
                    "without_consent_because": decision.get_no_consent_reason_display(),
                    "not_shared_because": decision.get_not_sharing_reason_display(),
                    "reasons": redact(decision.reasons),
                }
            )
            if decision.share:
                text = (
                    f"Decision to share with {', '.join(recipients) or 'other agencies'}: {purpose}"
                )
            else:
                text = f"Decision not to share: {purpose}"
            happened(decision.decided_at, text)

    disclosure_rows: list[dict[str, Any]] = []
    if ExportSection.DISCLOSURES not in withheld_sections:
        for disclosure in disclosures:
            what = redact(disclosure.what)
            recipient = redact(disclosure.recipient)
            disclosure_rows.append(
                {
                    "at": disclosure.at,
                    "kind": disclosure.get_kind_display(),
                    "by": disclosure.actor.full_name if disclosure.actor else disclosure.client,
                    "what": what,
                    "to": recipient,
                    "purpose": redact(disclosure.purpose),
                    "basis": disclosure.basis,
                }
            )
            happened(disclosure.at, f"{disclosure.get_kind_display()}: {what} (to {recipient})")

    access: dict[str, list[dict[str, Any]]] = {"looks": [], "changes": []}
    if ExportSection.RECORD_OF_ACCESS not in withheld_sections:
        access = _record_of_access(
            subject=subject,
            family_ids=family_ids,
            objects=[
                ("people.involvement", [i.pk for i in involvements]),
                ("sharing.informationitem", [i.pk for i in items if i.pk not in withheld_items]),
                ("sharing.consent", [c.pk for c in consents]),
                ("sharing.sharingdecision", [d.pk for d in decisions]),
            ],
            redact=redact,
        )

    notes = list(MARKER_NOTES)
    if exemptions:
        notes.append(WITHHELD_NOTICE)
    data = {
        "about_this_response": {
            "reference": sar.reference,
            "produced_on": produced_on,
            "request_received_on": sar.received_on,
            "response_due_on": sar.due_on,
            "requested_by": sar.requester_name,
            "requester_is": sar.get_requester_relationship_display(),
            "notes": notes,
        },
        "person": person_data,
        "previous_names": aliases,
        "addresses": addresses,
        "families": families,
        "agencies_involved": involvement_rows,
        "information": information,
        "consents": consent_rows,
        "sharing_decisions": decision_rows,
        "information_that_left_the_service": disclosure_rows,
        "record_of_access": access,
        "chronology": [
            {"date": day, "what_happened": text}
            for day, _, text in sorted(chronology, key=lambda entry: (entry[0], entry[1]))
        ],
    }
    return Content(
        data=data,
        withheld=_withheld(
            exemptions,
            third_parties=len(people.third_party_ids),
            third_party_mentions=redactor.counts[THIRD_PARTY],
            confidential_referrers=confidential_referrers_hidden
            + redactor.counts[CONFIDENTIAL_REFERRER],
        ),
    )


def _record_of_access(
    *,
    subject: Person,
    family_ids: list[int],
    objects: list[tuple[str, list[int]]],
    redact: Any,
) -> dict[str, list[dict[str, Any]]]:
    """Who looked at the record (AccessEvent) and who changed it (AuditEvent)."""
    looked_at = Q(object_type="people.person", object_id=str(subject.pk)) | Q(
        object_type="people.family", object_id__in=[str(f) for f in family_ids]
    )
    changed = looked_at
    for object_type, ids in objects:
        if ids:
            changed |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    looks = [
        {
            "at": event.at,
            "by": event.actor.full_name if event.actor else "",
            "system": event.client,
            "action": event.get_action_display(),
            "record": "your record"
            if event.object_type == "people.person"
            else "your family's record",
            "allowed_because": ROUTES.get(event.route, event.route),
        }
        for event in AccessEvent.objects.filter(looked_at)
        .select_related("actor")
        .order_by("at", "id")
    ]
    changes = [
        {
            "at": event.at,
            "by": event.actor.full_name if event.actor else "",
            "system": event.client,
            "change": event.action,
            "summary": redact(event.summary),
        }
        for event in AuditEvent.objects.filter(changed).select_related("actor").order_by("at", "id")
    ]
    return {"looks": looks, "changes": changes}


def _withheld(
    exemptions: list[SubjectAccessExemption],
    *,
    third_parties: int,
    third_party_mentions: int,
    confidential_referrers: int,
) -> list[dict[str, str]]:
    """R-SAR-3: each exemption applied, with what was withheld and why."""
    withheld: list[dict[str, str]] = []
    for exemption in exemptions:
        if exemption.information_item is not None:
            item = exemption.information_item
            recorded_on = timezone.localdate(item.recorded_at)
            what = (
                f"Information item {item.pk} recorded on {recorded_on:%d %B %Y} "
                f"by {item.source_organisation.name}"
            )
        else:
            what = f"The whole part: {exemption.get_section_display() or 'not stated'}"
        withheld.append(
            {
                "exemption": exemption.get_kind_display(),
                "what": what,
                "why": exemption.reason,
                "decided_by": exemption.decided_by.full_name,
            }
        )
    if third_parties or third_party_mentions:
        withheld.append(
            {
                "exemption": "Third-party information",
                "what": f"Names and details of {third_parties} other people, and "
                f"{third_party_mentions} mentions of other people's names in text",
                "why": rules.THIRD_PARTY_BASIS,
                "decided_by": "Applied automatically",
            }
        )
    if confidential_referrers:
        withheld.append(
            {
                "exemption": "Confidential referrer",
                "what": f"Who told us: {confidential_referrers} times a confidential referrer "
                "was named",
                "why": rules.CONFIDENTIAL_REFERRER_BASIS,
                "decided_by": "Applied automatically",
            }
        )
    return withheld
