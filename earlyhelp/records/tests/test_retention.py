"""Retention through the services: dry runs, legal holds and destruction (R-RET-1, R-RET-2)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import Partnership, make_person
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people.models import (
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
    Relationship,
)
from earlyhelp.records import services
from earlyhelp.records.models import LegalHold, RetentionReview, RetentionRule, SubjectAccessRequest
from earlyhelp.records.rules import (
    IdentifiedBy,
    Outcome,
    ReceivedVia,
    RecordClass,
    RequesterRelationship,
    RetentionTrigger,
    add_years,
)
from earlyhelp.sharing.models import (
    Consent,
    ConsentGiver,
    InformationCategory,
    InformationItem,
    SharingDecision,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def known_as_child(partnership: Partnership, given: str, born: datetime.date) -> Person:
    """Someone an agency worked with from age 10 to 12, long finished."""
    person = make_person(given, "Oldfield", date_of_birth=born)
    Involvement.objects.create(
        organisation=partnership.early_help,
        person=person,
        service="Family support",
        started_on=add_years(born, 10),
        ended_on=add_years(born, 12),
    )
    return person


def listed(review: RetentionReview) -> set[int]:
    return {row["person_id"] for row in review.to_destroy}


def kept(review: RetentionReview) -> dict[int, str]:
    return {row["person_id"]: row["outcome"] for row in review.due_but_kept}


def test_seeded_rules_are_cited_examples_to_configure() -> None:
    """R-RET-1: the local examples, marked for the partnership to confirm."""
    rules = {r.record_class: r for r in RetentionRule.objects.filter(superseded_at__isnull=True)}
    assert set(rules) == {
        RecordClass.CARE_EXPERIENCED,
        RecordClass.CHILDRENS_SOCIAL_CARE,
        RecordClass.KNOWN_AS_CHILD,
    }
    assert (
        rules[RecordClass.KNOWN_AS_CHILD].trigger,
        rules[RecordClass.KNOWN_AS_CHILD].period_years,
    ) == (
        RetentionTrigger.DATE_OF_BIRTH,
        25,
    )
    assert rules[RecordClass.CARE_EXPERIENCED].period_years == 75
    assert rules[RecordClass.CHILDRENS_SOCIAL_CARE].period_years == 35
    assert all(r.is_example and "EXAMPLE TO CONFIGURE" in r.basis for r in rules.values())
    assert all("S10" in r.basis for r in rules.values())


def test_dry_run_lists_the_right_people_at_the_boundary_dates(iris, partnership) -> None:
    """R-RET-1: the minors' default ends on the 25th birthday, to the day."""
    p = partnership
    due_today = known_as_child(p, "Ada", add_years(TODAY, -25))
    due_tomorrow = known_as_child(p, "Bea", add_years(TODAY, -25) + datetime.timedelta(days=1))
    review = services.retention_review(actor=iris, review_date=TODAY, today=TODAY)
    assert listed(review) == {due_today.pk}
    row = review.to_destroy[0]
    assert row["record_class"] == RecordClass.KNOWN_AS_CHILD
    assert row["destroy_from"] == TODAY.isoformat()
    assert row["rule_version"] == 1
    # Planning for tomorrow: both.
    tomorrow = services.retention_review(
        actor=iris, review_date=TODAY + datetime.timedelta(days=1), today=TODAY
    )
    assert listed(tomorrow) == {due_today.pk, due_tomorrow.pk}
    # The partnership's own people are not due (a child, an unborn baby, adults with no rule).
    assert not listed(review) & {p.chloe.pk, p.jordan.pk, p.unborn.pk, p.stranger.pk}
    assert review.counts[Outcome.NO_RULE] >= 2  # Jordan and Leah: adults when first known
    assert AuditEvent.objects.filter(action="retention_review.run").count() == 2
    # A dry run destroys nothing.
    assert Person.objects.filter(pk=due_today.pk).exists()


@pytest.mark.parametrize(
    ("fact", "years_ago", "expected"),
    [
        ("care_history", 30, None),  # care-experienced: to the 75th birthday
        ("care_history", 75, "destroy"),
        ("childrens_social_care", 30, None),  # 35 years after the last action
        ("none", 30, "destroy"),
    ],
)
def test_the_longest_retention_applies(
    iris, partnership, fact: str, years_ago: int, expected: str | None
) -> None:
    p = partnership
    person = known_as_child(p, "Cal", add_years(TODAY, -years_ago))
    if fact == "care_history":
        InformationItem.objects.create(
            person=person,
            category=InformationCategory.objects.get(code="care_history"),
            summary="Care leaver",
            source_organisation=p.early_help,
            recorded_by=p.maya,
            recorded_at=timezone.make_aware(datetime.datetime(2001, 1, 1)),
        )
        Person.objects.filter(pk=person.pk).update(
            created_at=timezone.make_aware(datetime.datetime(2001, 1, 1)),
            updated_at=timezone.make_aware(datetime.datetime(2001, 1, 1)),
        )
    if fact == "childrens_social_care":
        p.early_help.agency_type = "childrens_social_care"
        p.early_help.save()
    review = services.retention_review(actor=iris, review_date=TODAY, today=TODAY)
    assert (person.pk in listed(review)) is (expected == "destroy")


def test_legal_hold_protects_and_lifting_it_ends_the_protection(iris, partnership) -> None:
    """R-RET-2: a legal hold overrides destruction; on a family, for everyone in it."""
    p = partnership
    ada = known_as_child(p, "Ada", add_years(TODAY, -40))
    ben = known_as_child(p, "Ben", add_years(TODAY, -40))
    old = Family.objects.create(name="Oldfield household")
    FamilyMember.objects.create(
        family=old, person=ben, relationship=Relationship.MOTHER, left_on=datetime.date(2000, 1, 1)
    )
    hold = services.legal_hold_place(actor=iris, reason="Public inquiry", person=ada)
    family_hold = services.legal_hold_place(actor=iris, reason="CCRC reference 123", family=old)
    review = services.retention_review(actor=iris, review_date=TODAY, today=TODAY)
    assert not listed(review) & {ada.pk, ben.pk}
    assert kept(review)[ada.pk] == Outcome.LEGAL_HOLD
    assert kept(review)[ben.pk] == Outcome.LEGAL_HOLD
    services.legal_hold_lift(actor=iris, legal_hold=hold, reason="Inquiry closed")
    services.legal_hold_lift(actor=iris, legal_hold=family_hold, reason="CCRC finished")
    review = services.retention_review(actor=iris, review_date=TODAY, today=TODAY)
    assert {ada.pk, ben.pk} <= listed(review)
    assert AuditEvent.objects.filter(action__startswith="legal_hold.").count() == 4


def test_legal_hold_needs_one_subject_and_a_reason(iris, partnership) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.legal_hold_place(actor=iris, reason=" ")
    assert set(problem.value.errors) == {"__all__", "reason"}
    assert not LegalHold.objects.exists()


def test_open_involvement_and_open_subject_access_request_keep_records(iris, partnership) -> None:
    p = partnership
    working = known_as_child(p, "Dot", add_years(TODAY, -40))
    Involvement.objects.create(
        organisation=p.midwifery, person=working, service="Support", started_on=TODAY
    )
    asked = known_as_child(p, "Eve", add_years(TODAY, -40))
    SubjectAccessRequest.objects.create(
        person=asked,
        person_id_ref=asked.pk,
        identified_by=IdentifiedBy.NHS_NUMBER,
        requester_name="Eve Oldfield",
        requester_relationship=RequesterRelationship.SELF,
        received_via=ReceivedVia.LETTER,
        received_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=30),
        recorded_by=iris,
    )
    review = services.retention_review(actor=iris, review_date=TODAY, today=TODAY)
    assert kept(review) == {
        working.pk: Outcome.OPEN_INVOLVEMENT,
        asked.pk: Outcome.OPEN_SUBJECT_ACCESS,
    }


def test_review_date_cannot_be_in_the_past(iris) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services.retention_review(
            actor=iris, review_date=TODAY - datetime.timedelta(days=1), today=TODAY
        )
    assert "review_date" in problem.value.errors


@pytest.mark.parametrize("persona", ["maya", "owen", "fatima", "sam", "bea"])
def test_only_the_information_governance_lead_reviews_or_destroys(
    partnership, iris, persona: str
) -> None:
    user = getattr(partnership, persona)
    with pytest.raises(NotFoundOrForbidden):
        services.retention_review(actor=user)
    review = services.retention_review(actor=iris)
    with pytest.raises(NotFoundOrForbidden):
        services.retention_destroy(
            actor=user, review=review, confirmation_token=review.confirmation_token, confirmed=True
        )
    with pytest.raises(NotFoundOrForbidden):
        services.retention_rule_change(
            actor=user,
            record_class=RecordClass.ADULT,
            trigger=RetentionTrigger.LAST_INVOLVEMENT_ENDED,
            period_years=6,
            basis="x",
        )


# Destruction


@pytest.fixture
def old_family(partnership: Partnership) -> dict[str, Any]:
    """The Oldfields, known in the 1990s: everyone long past retention.

    Amy (mother) and Ben (her baby) were a household; Cara, Amy's mother, lived for a while
    with the Ashworths, who are still being worked with, so that family is kept.
    """
    p = partnership
    amy = make_person("Amy", "Oldfield", date_of_birth=datetime.date(1980, 4, 10))
    ben = make_person("Ben", "Oldfield", date_of_birth=datetime.date(1996, 5, 1))
    cara = known_as_child(p, "Cara", datetime.date(1985, 7, 7))
    family = Family.objects.create(name="Oldfield household")
    FamilyMember.objects.create(
        family=family,
        person=amy,
        relationship=Relationship.MOTHER,
        joined_on=datetime.date(1995, 1, 1),
    )
    FamilyMember.objects.create(
        family=family,
        person=ben,
        relationship=Relationship.CHILD,
        joined_on=datetime.date(1996, 5, 1),
    )
    FamilyMember.objects.create(
        family=p.ashworth,
        person=cara,
        relationship=Relationship.GRANDPARENT,
        joined_on=datetime.date(2001, 1, 1),
        left_on=datetime.date(2003, 1, 1),
    )
    Involvement.objects.create(
        organisation=p.early_help,
        family=family,
        service="Young parents",
        started_on=datetime.date(1995, 1, 1),
        ended_on=datetime.date(1998, 6, 30),
    )
    Address.objects.create(
        person=amy,
        line_1="1 Mill Lane",
        town="Wyvern",
        postcode="WY2 3CD",
        local_authority="Wyvern",
        moved_in_on=datetime.date(1995, 1, 1),
    )
    PersonAlias.objects.create(
        person=amy, given_name="Amy", family_name="Stone", family_name_key="STONE"
    )
    InformationItem.objects.create(
        person=amy,
        summary="Housing worry",
        source_organisation=p.early_help,
        recorded_by=p.maya,
        recorded_at=timezone.make_aware(datetime.datetime(1997, 1, 1)),
    )
    consent = Consent.objects.create(
        family=family,
        given_by=amy,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        purpose="Share with housing",
        starts_on=datetime.date(1995, 1, 1),
        recorded_by=p.maya,
    )
    consent.covers_people.add(amy, ben)
    decision = SharingDecision.objects.create(
        family=family,
        share=True,
        consent=consent,
        what="Housing need",
        purpose="Housing",
        reasons="Consent",
        decided_by=p.maya,
    )
    decision.about_people.add(amy)
    return {"amy": amy, "ben": ben, "cara": cara, "family": family}


def dry_run(actor: Any) -> RetentionReview:
    return services.retention_review(actor=actor)


def test_destroy_without_confirmation_is_refused(iris, old_family) -> None:
    """R-RET-1: nothing is destroyed without the explicit confirmation of a dry run."""
    review = dry_run(iris)
    assert listed(review) == {old_family["amy"].pk, old_family["ben"].pk, old_family["cara"].pk}
    people = Person.objects.count()
    for token, confirmed in [(review.confirmation_token, False), ("guessed", True), ("", True)]:
        with pytest.raises(ValidationProblem):
            services.retention_destroy(
                actor=iris, review=review, confirmation_token=token, confirmed=confirmed
            )
    assert Person.objects.count() == people
    assert not AuditEvent.objects.filter(action="person.destroy").exists()
    review.refresh_from_db()
    assert review.carried_out_at is None


def test_another_reviews_token_does_not_confirm(iris, old_family) -> None:
    first, second = dry_run(iris), dry_run(iris)
    with pytest.raises(ValidationProblem):
        services.retention_destroy(
            actor=iris, review=second, confirmation_token=first.confirmation_token, confirmed=True
        )
    assert Person.objects.filter(pk=old_family["amy"].pk).exists()


def test_only_a_review_for_today_run_today_can_be_carried_out(iris, old_family) -> None:
    today = timezone.localdate()
    planning = services.retention_review(actor=iris, review_date=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationProblem):
        services.retention_destroy(
            actor=iris,
            review=planning,
            confirmation_token=planning.confirmation_token,
            confirmed=True,
        )
    stale = dry_run(iris)
    RetentionReview.objects.filter(pk=stale.pk).update(
        run_at=timezone.now() - datetime.timedelta(days=1),
        review_date=today - datetime.timedelta(days=1),
    )
    stale.refresh_from_db()
    with pytest.raises(ValidationProblem):
        services.retention_destroy(
            actor=iris, review=stale, confirmation_token=stale.confirmation_token, confirmed=True
        )
    assert Person.objects.filter(pk=old_family["amy"].pk).exists()


def test_destroy_after_confirmation_deletes_and_audits(iris, partnership, old_family) -> None:
    """R-RET-1, R-RET-2: the listed people and their details go; every destruction is logged."""
    p = partnership
    amy, ben, cara, family = (old_family[k] for k in ("amy", "ben", "cara", "family"))
    review = dry_run(iris)
    assert review.families_to_destroy == [family.pk]
    services.retention_destroy(
        actor=iris, review=review, confirmation_token=review.confirmation_token, confirmed=True
    )
    gone = [amy.pk, ben.pk, cara.pk]
    assert not Person.objects.filter(pk__in=gone).exists()
    assert not Address.objects.filter(person_id__in=gone).exists()
    assert not PersonAlias.objects.filter(person_id__in=gone).exists()
    assert not InformationItem.objects.filter(person_id__in=gone).exists()
    assert not FamilyMember.objects.filter(person_id__in=gone).exists()
    assert not Family.objects.filter(pk=family.pk).exists()
    assert not Consent.objects.filter(family_id=family.pk).exists()
    assert not SharingDecision.objects.filter(family_id=family.pk).exists()
    # The family still being worked with stays, with its current members.
    assert Family.objects.filter(pk=p.ashworth.pk).exists()
    assert set(p.ashworth.members.values_list("person_id", flat=True)) == {
        p.chloe.pk,
        p.jordan.pk,
        p.unborn.pk,
    }
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="person.destroy")}
    assert set(events) == {str(pk) for pk in gone}
    amy_event = events[str(amy.pk)]
    rule = RetentionRule.objects.get(record_class=RecordClass.KNOWN_AS_CHILD, superseded_at=None)
    assert amy_event.actor == iris
    assert amy_event.changes["rule_id"] == rule.pk
    assert amy_event.changes["record_class"] == RecordClass.KNOWN_AS_CHILD
    assert amy_event.changes["basis"].startswith("EXAMPLE TO CONFIGURE")
    assert amy_event.changes["addresses"] == 1
    # Ids, class, rule and basis: never the destroyed data itself.
    logged = f"{amy_event.summary} {amy_event.changes}"
    assert "Amy" not in logged and "Oldfield" not in logged and "Mill Lane" not in logged
    assert AuditEvent.objects.filter(action="family.destroy", object_id=str(family.pk)).exists()
    review.refresh_from_db()
    assert (review.persons_destroyed, review.families_destroyed) == (3, 1)
    assert review.carried_out_by == iris
    with pytest.raises(ValidationProblem):
        services.retention_destroy(
            actor=iris, review=review, confirmation_token=review.confirmation_token, confirmed=True
        )


def test_someone_protected_since_the_dry_run_is_kept(iris, old_family) -> None:
    """R-RET-2: a hold placed after the dry run still wins; the rest of the family is kept."""
    amy, ben, family = old_family["amy"], old_family["ben"], old_family["family"]
    review = dry_run(iris)
    services.legal_hold_place(actor=iris, reason="Inquiry opened this morning", person=ben)
    services.retention_destroy(
        actor=iris, review=review, confirmation_token=review.confirmation_token, confirmed=True
    )
    assert Person.objects.filter(pk=ben.pk).exists()
    # Amy gave the family's consent; the family stays, so her record stays as its evidence.
    assert Person.objects.filter(pk=amy.pk).exists()
    assert Family.objects.filter(pk=family.pk).exists()
    assert not Person.objects.filter(pk=old_family["cara"].pk).exists()
    review.refresh_from_db()
    assert review.persons_destroyed == 1
    assert review.counts["kept_since_review"] == 2


def test_someone_who_became_due_after_the_dry_run_is_not_destroyed(
    iris, partnership, old_family
) -> None:
    review = dry_run(iris)
    late = known_as_child(partnership, "Fay", add_years(timezone.localdate(), -40))
    services.retention_destroy(
        actor=iris, review=review, confirmation_token=review.confirmation_token, confirmed=True
    )
    assert Person.objects.filter(pk=late.pk).exists()


def test_changing_a_rule_adds_a_version(iris) -> None:
    """R-RET-1: configurable per record class; the old version stays for the record."""
    rule = services.retention_rule_change(
        actor=iris,
        record_class=RecordClass.KNOWN_AS_CHILD,
        trigger=RetentionTrigger.DATE_OF_BIRTH,
        period_years=26,
        basis="Partnership board decision, 1 December 2026",
    )
    assert (rule.version, rule.is_example) == (2, False)
    old = RetentionRule.objects.get(record_class=RecordClass.KNOWN_AS_CHILD, version=1)
    assert old.superseded_at is not None
    adult = services.retention_rule_change(
        actor=iris,
        record_class=RecordClass.ADULT,
        trigger=RetentionTrigger.LAST_INVOLVEMENT_ENDED,
        period_years=6,
        basis="Board decision",
    )
    assert adult.version == 1
    with pytest.raises(ValidationProblem) as problem:
        services.retention_rule_change(
            actor=iris, record_class="made_up", trigger="x", period_years=0, basis=""
        )
    assert set(problem.value.errors) == {"record_class", "trigger", "period_years", "basis"}
