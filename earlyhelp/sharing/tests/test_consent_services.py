"""Consent, sharing decisions, telling the family and advice, through the services.

Rules: R-IS-1, R-IS-2, R-IS-3, R-IS-6, R-IS-8, R-IS-9, R-IS-13, R-CW-2, R-CW-3. The validation
rules are tables: each row is one case, and every row must change the outcome it names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from conftest import Partnership, make_user
from earlyhelp.accounts.models import AgencyType, Role, Team, User
from earlyhelp.alerts.models import Alert
from earlyhelp.core.calendar import bank_holidays
from earlyhelp.core.errors import NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.core.rules import working_days_after
from earlyhelp.people.models import Family, FamilyMember, Relationship
from earlyhelp.sharing import policies
from earlyhelp.sharing.models import (
    AdviceRequest,
    Consent,
    ConsentGiver,
    Disclosure,
    DisclosureKind,
    InformationCategory,
    InformFamilyTask,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    Regime,
    SharingDecision,
)
from earlyhelp.sharing.services import consent as services

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    # The policy uses the real date, so the tests' dates are relative to it.
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def make_ig_lead(p: Partnership) -> User:
    """Ingrid, the partnership's information governance lead (R-IS-6)."""
    team = Team.objects.create(organisation=p.council, name="Information governance")
    return make_user("ingrid@council.example", "Ingrid Governance", team, Role.IG_LEAD)


def category(code: str) -> InformationCategory:
    return InformationCategory.objects.get(code=code)


def consent_for_police(p: Partnership, **changes: Any) -> Consent:
    """Chloe's consent to share with Wyvern Police, recorded by Maya."""
    values: dict[str, Any] = {
        "actor": p.maya,
        "family": p.ashworth,
        "given_by": p.chloe,
        "giver_kind": ConsentGiver.YOUNG_PERSON,
        "competence_judgement": "Understands what will be shared and why; asked questions",
        "covers_people": [p.chloe, p.unborn],
        "organisations": [p.police],
        "purpose": "Keeping Chloe and her baby safe at home",
        "starts_on": today(),
    }
    values.update(changes)
    return services.consent_record(**values)


def share_with_police(p: Partnership, **changes: Any) -> SharingDecision:
    """Maya shares with Wyvern Police without consent, to protect the baby."""
    values: dict[str, Any] = {
        "actor": p.maya,
        "family": p.ashworth,
        "share": True,
        "what": "Jordan's threats towards Chloe at the booking appointment",
        "purpose": "Protect Chloe and the unborn baby from domestic abuse",
        "reasons": "Risk of harm to an unborn baby; asking would alert Jordan",
        "about_people": [p.chloe, p.jordan],
        "recipients": [p.police],
        "no_consent_reason": NoConsentReason.WOULD_PREJUDICE_PROTECTION,
        "lawful_basis": LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    }
    values.update(changes)
    return services.sharing_decision_record(**values)


def saved_rows() -> tuple[int, ...]:
    return (
        Consent.objects.count(),
        SharingDecision.objects.count(),
        InformFamilyTask.objects.count(),
        Disclosure.objects.count(),
        AdviceRequest.objects.count(),
        AuditEvent.objects.count(),
        Alert.objects.count(),
    )


def problem_fields(call: Callable[[], object]) -> set[str]:
    """The fields a ValidationProblem names; asserts nothing was saved."""
    before = saved_rows()
    with pytest.raises(ValidationProblem) as raised:
        call()
    assert saved_rows() == before, "something was saved with bad input"
    return set(raised.value.errors)


# --- Working days (R-IS-3 due date) ---------------------------------------------------------


# --- Consent (R-IS-13) ----------------------------------------------------------------------


def test_consent_is_recorded_with_its_scope_and_audited(partnership: Partnership) -> None:
    p = partnership
    consent = consent_for_police(
        p,
        categories=[category("domestic_abuse")],
        agency_types=[AgencyType.HEALTH_VISITING],
        expires_on=days(180),
    )
    assert consent.recorded_by == p.maya
    assert set(consent.covers_people.all()) == {p.chloe, p.unborn}
    assert list(consent.organisations.all()) == [p.police]
    assert [t.agency_type for t in consent.agency_types.all()] == ["health_visiting"]
    assert [c.code for c in consent.categories.all()] == ["domestic_abuse"]
    event = AuditEvent.objects.get(action="consent.record")
    assert event.object_id == str(consent.pk)


# Each row: what changes from a valid consent, and the field that must then be in error.
CONSENT_RULES = [
    ("expiry before start", {"starts_on": days(10), "expires_on": days(9)}, "expires_on"),
    ("no start date", {"starts_on": None}, "starts_on"),
    ("young person without judgement", {"competence_judgement": "  "}, "competence_judgement"),
    ("unknown kind of giver", {"giver_kind": "neighbour"}, "giver_kind"),
    ("nobody gave it", {"given_by": None}, "given_by"),
    ("covers nobody", {"covers_people": []}, "covers_people"),
    ("no agencies at all", {"organisations": [], "agency_types": []}, "organisations"),
    ("made-up agency type", {"agency_types": ["astrologers"]}, "agency_types"),
    ("no purpose", {"purpose": " "}, "purpose"),
    ("purpose too long", {"purpose": "x" * 501}, "purpose"),
]


@pytest.mark.parametrize(
    ("case", "changes", "field"), CONSENT_RULES, ids=[r[0] for r in CONSENT_RULES]
)
def test_consent_rules(
    partnership: Partnership, case: str, changes: dict[str, Any], field: str
) -> None:
    assert field in problem_fields(lambda: consent_for_police(partnership, **changes))


@pytest.mark.parametrize(
    ("starts", "expires"), [(0, None), (0, 0), (-30, 30)], ids=["open", "one day", "running"]
)
def test_consent_dates_that_are_accepted(partnership: Partnership, starts, expires) -> None:
    consent = consent_for_police(
        partnership,
        starts_on=days(starts),
        expires_on=days(expires) if expires is not None else None,
    )
    assert consent.pk


def test_consent_from_someone_outside_the_family_is_refused(partnership: Partnership) -> None:
    p = partnership
    assert problem_fields(lambda: consent_for_police(p, given_by=p.stranger)) == {"given_by"}
    fields = problem_fields(lambda: consent_for_police(p, covers_people=[p.chloe, p.stranger]))
    assert fields == {"covers_people"}


def test_an_unborn_baby_cannot_give_consent(partnership: Partnership) -> None:
    p = partnership
    assert "given_by" in problem_fields(lambda: consent_for_police(p, given_by=p.unborn))


def test_a_child_consents_as_a_young_person_not_as_a_parent(partnership: Partnership) -> None:
    """R-IS-13: a child with sufficient understanding consents for themselves."""
    p = partnership
    FamilyMember.objects.filter(person=p.chloe).update(relationship=Relationship.CHILD)
    fields = problem_fields(lambda: consent_for_police(p, giver_kind=ConsentGiver.PARENT))
    assert fields == {"giver_kind"}


def test_a_parents_consent_keeps_no_competence_judgement(partnership: Partnership) -> None:
    consent = consent_for_police(
        partnership, giver_kind=ConsentGiver.PARENT, competence_judgement="Not needed"
    )
    assert consent.competence_judgement == ""


def test_nobody_outside_the_family_records_its_consent(partnership: Partnership) -> None:
    before = saved_rows()
    with pytest.raises(NotFoundOrForbidden):
        consent_for_police(partnership, actor=partnership.owen)
    assert saved_rows() == before


def test_consent_gives_the_agency_sight_of_the_family_until_withdrawn(
    partnership: Partnership,
) -> None:
    p = partnership
    assert policies.family_access_route(p.owen, p.ashworth) is None
    consent = consent_for_police(p)
    assert policies.family_access_route(p.owen, p.ashworth) == policies.Route.SHARING_BASIS
    services.consent_withdraw(actor=p.maya, consent=consent, note="Chloe changed her mind")
    assert policies.family_access_route(p.owen, p.ashworth) is None
    consent.refresh_from_db()
    assert consent.withdrawn_by == p.maya
    assert consent.withdrawal_note == "Chloe changed her mind"
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_consent_is_withdrawn_once(partnership: Partnership) -> None:
    p = partnership
    consent = consent_for_police(p)
    services.consent_withdraw(actor=p.maya, consent=consent)
    assert problem_fields(lambda: services.consent_withdraw(actor=p.maya, consent=consent)) == {
        "__all__"
    }


def test_consent_by_agency_type_covers_every_agency_of_that_type(
    partnership: Partnership,
) -> None:
    p = partnership
    consent_for_police(p, organisations=[], agency_types=[AgencyType.POLICE])
    assert policies.family_access_route(p.owen, p.ashworth) == policies.Route.SHARING_BASIS


def test_expired_consent_gives_nothing(partnership: Partnership) -> None:
    p = partnership
    consent_for_police(p, starts_on=days(-60), expires_on=days(-1))
    assert policies.family_access_route(p.owen, p.ashworth) is None


# --- Decisions to share (R-IS-1, R-IS-2, R-IS-3, R-IS-8, R-IS-9) ----------------------------


def test_share_without_consent_is_logged_per_recipient_with_a_task(
    partnership: Partnership,
) -> None:
    p = partnership
    decision = share_with_police(p, recipients=[p.police, p.early_help])
    assert decision.decided_by == p.maya
    assert decision.regime == Regime.UK_GDPR
    disclosures = Disclosure.objects.filter(decision_id_ref=decision.pk)
    assert sorted(d.recipient for d in disclosures) == ["Wyvern Early Help", "Wyvern Police"]
    for disclosure in disclosures:
        assert disclosure.kind == DisclosureKind.SHARE
        assert disclosure.family_id_ref == p.ashworth.pk
        assert disclosure.actor == p.maya
        assert "Without consent" in disclosure.basis
        assert LawfulBasis.PUBLIC_TASK_SAFEGUARDING.value in disclosure.basis
    task = InformFamilyTask.objects.get(decision=decision)
    assert task.assigned_to == p.maya
    assert task.due_on == working_days_after(today(), 5, holidays=bank_holidays())
    assert AuditEvent.objects.filter(
        action="sharing_decision.record", object_id=str(decision.pk)
    ).exists()
    assert policies.family_access_route(p.owen, p.ashworth) == policies.Route.SHARING_BASIS


def test_unsafe_to_tell_the_family_means_no_task_and_the_reason_kept(
    partnership: Partnership,
) -> None:
    """R-IS-3: suppressed only with a recorded reason."""
    p = partnership
    decision = share_with_police(p, unsafe_to_inform_reason="Jordan reads Chloe's messages")
    assert not InformFamilyTask.objects.filter(decision=decision).exists()
    assert decision.unsafe_to_inform_reason == "Jordan reads Chloe's messages"


def test_share_with_consent_in_force(partnership: Partnership) -> None:
    p = partnership
    consent = consent_for_police(p)
    decision = share_with_police(
        p,
        consent=consent,
        about_people=[p.chloe],
        no_consent_reason="",
        lawful_basis="",
    )
    assert decision.consent == consent
    assert Disclosure.objects.get(decision_id_ref=decision.pk).basis.startswith("With consent")


CONSENT_IN_FORCE_RULES = [
    ("withdrawn", {"withdraw": True}),
    ("expired", {"starts_on": days(-30), "expires_on": days(-1)}),
    ("not started", {"starts_on": days(3)}),
    ("does not cover the person", {"covers_people": "unborn only"}),
    ("does not cover the agency", {"organisations": "early help only"}),
]


@pytest.mark.parametrize(
    ("case", "changes"), CONSENT_IN_FORCE_RULES, ids=[r[0] for r in CONSENT_IN_FORCE_RULES]
)
def test_share_with_consent_needs_a_consent_in_force_that_covers_it(
    partnership: Partnership, case: str, changes: dict[str, Any]
) -> None:
    p = partnership
    changes = dict(changes)
    withdraw = changes.pop("withdraw", False)
    if "covers_people" in changes:
        changes["covers_people"] = [p.unborn]
    if "organisations" in changes:
        changes["organisations"] = [p.early_help]
    consent = consent_for_police(p, **changes)
    if withdraw:
        services.consent_withdraw(actor=p.maya, consent=consent)
    fields = problem_fields(
        lambda: share_with_police(
            p, consent=consent, about_people=[p.chloe], no_consent_reason="", lawful_basis=""
        )
    )
    assert fields == {"consent"}


def test_a_consent_of_another_family_is_refused(partnership: Partnership) -> None:
    p = partnership
    other = Family.objects.create(name="Pike household")
    FamilyMember.objects.create(family=other, person=p.chloe, relationship=Relationship.MOTHER)
    consent = consent_for_police(p, actor=p.fatima, family=other, covers_people=[p.chloe])
    fields = problem_fields(
        lambda: share_with_police(
            p, consent=consent, about_people=[p.chloe], no_consent_reason="", lawful_basis=""
        )
    )
    assert fields == {"consent"}


# R-IS-2 and R-IS-8: without consent, a reason AND a lawful basis; R-IS-9: the regime's basis.
WITHOUT_CONSENT_RULES = [
    ("no reason", {"no_consent_reason": ""}, {"no_consent_reason"}),
    ("no basis", {"lawful_basis": ""}, {"lawful_basis"}),
    (
        "neither",
        {"no_consent_reason": "", "lawful_basis": ""},
        {"no_consent_reason", "lawful_basis"},
    ),
    ("made-up reason", {"no_consent_reason": "too busy"}, {"no_consent_reason"}),
    ("consent as the basis", {"lawful_basis": LawfulBasis.CONSENT}, {"lawful_basis"}),
    ("made-up basis", {"lawful_basis": "because"}, {"lawful_basis"}),
    ("Part 3 basis under UK GDPR", {"lawful_basis": LawfulBasis.LAW_ENFORCEMENT}, {"lawful_basis"}),
    ("UK GDPR basis under Part 3", {"regime": Regime.LAW_ENFORCEMENT}, {"lawful_basis"}),
    ("made-up regime", {"regime": "wild west"}, {"regime"}),
    ("no recipients", {"recipients": []}, {"recipients"}),
    ("nobody it is about", {"about_people": []}, {"about_people"}),
    ("no reasons", {"reasons": "  "}, {"reasons"}),
    ("nothing said", {"what": ""}, {"what"}),
    ("no purpose", {"purpose": ""}, {"purpose"}),
    ("access ended yesterday", {"access_until": days(-1)}, {"access_until"}),
    (
        "a reason for not sharing",
        {"not_sharing_reason": NotSharingReason.NOT_RELEVANT},
        {"not_sharing_reason"},
    ),
]


@pytest.mark.parametrize(
    ("case", "changes", "fields"), WITHOUT_CONSENT_RULES, ids=[r[0] for r in WITHOUT_CONSENT_RULES]
)
def test_sharing_without_consent_rules(
    partnership: Partnership, case: str, changes: dict[str, Any], fields: set[str]
) -> None:
    assert problem_fields(lambda: share_with_police(partnership, **changes)) == fields


@pytest.mark.parametrize(
    "reason", [r for r in NoConsentReason], ids=[r.value for r in NoConsentReason]
)
def test_every_reason_for_sharing_without_consent_is_accepted(
    partnership: Partnership, reason: NoConsentReason
) -> None:
    """R-IS-2: consent is never required before a safeguarding share."""
    assert share_with_police(partnership, no_consent_reason=reason).share


def test_police_share_under_part_3_by_default(partnership: Partnership) -> None:
    """R-IS-9: police processing for law enforcement falls under DPA 2018 Part 3."""
    p = partnership
    consent_for_police(p)  # Owen may see the family, so he may record a decision
    decision = share_with_police(
        p,
        actor=p.owen,
        recipients=[p.midwifery],
        lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
    )
    assert decision.regime == Regime.LAW_ENFORCEMENT
    assert services.default_regime(p.maya) == Regime.UK_GDPR


def test_nobody_outside_the_family_records_a_decision(partnership: Partnership) -> None:
    before = saved_rows()
    with pytest.raises(NotFoundOrForbidden):
        share_with_police(partnership, actor=partnership.owen, recipients=[partnership.midwifery])
    assert saved_rows() == before


# --- Decisions not to share (R-IS-1, R-CW-2, R-CW-3) ---------------------------------------


def not_sharing(p: Partnership, **changes: Any) -> SharingDecision:
    values: dict[str, Any] = {
        "share": False,
        "no_consent_reason": "",
        "lawful_basis": "",
        "not_sharing_reason": NotSharingReason.NOT_RELEVANT,
        "reasons": "Chloe's sexual health is not relevant to housing",
        "recipients": [p.early_help],
    }
    values.update(changes)
    return share_with_police(p, **values)


def test_a_decision_not_to_share_is_recorded_without_disclosure_or_task(
    partnership: Partnership,
) -> None:
    p = partnership
    decision = not_sharing(p)
    assert not decision.share
    assert not Disclosure.objects.exists()
    assert not InformFamilyTask.objects.exists()
    assert AuditEvent.objects.filter(action="sharing_decision.record").count() == 1
    # Not sharing is no way in.
    assert policies.family_access_route(p.owen, p.ashworth) is None


NOT_SHARING_RULES = [
    ("no reason", {"not_sharing_reason": ""}, {"not_sharing_reason"}),
    ("made-up reason", {"not_sharing_reason": "lazy"}, {"not_sharing_reason"}),
    ("no reasons given", {"reasons": ""}, {"reasons"}),
    ("with a lawful basis", {"lawful_basis": LawfulBasis.PUBLIC_TASK_HEALTH}, {"lawful_basis"}),
    ("with access", {"access_until": days(5)}, {"access_until"}),
    ("with an unsafe reason", {"unsafe_to_inform_reason": "x"}, {"unsafe_to_inform_reason"}),
    ("with nobody it is about", {"recipients": []}, {"recipients"}),
]


@pytest.mark.parametrize(
    ("case", "changes", "fields"), NOT_SHARING_RULES, ids=[r[0] for r in NOT_SHARING_RULES]
)
def test_not_sharing_rules(
    partnership: Partnership, case: str, changes: dict[str, Any], fields: set[str]
) -> None:
    assert problem_fields(lambda: not_sharing(partnership, **changes)) == fields


# R-CW-3: with the duty to share off, every reason not to share is accepted; with it on, only
# "more detrimental to the child" (whose reasons are recorded, R-CW-2).
DUTY_TO_SHARE = [
    (duty, reason, duty is False or reason == NotSharingReason.MORE_DETRIMENTAL)
    for duty in (False, True)
    for reason in NotSharingReason
]


@pytest.mark.parametrize(
    ("duty", "reason", "accepted"),
    DUTY_TO_SHARE,
    ids=[f"{'on' if d else 'off'}-{r.value}" for d, r, _ in DUTY_TO_SHARE],
)
def test_duty_to_share_flag(
    partnership: Partnership, duty: bool, reason: NotSharingReason, accepted: bool
) -> None:
    with override_settings(CWSA_S4_IN_FORCE=duty):
        if accepted:
            assert not_sharing(partnership, not_sharing_reason=reason).not_sharing_reason == reason
        else:
            fields = problem_fields(lambda: not_sharing(partnership, not_sharing_reason=reason))
            assert fields == {"not_sharing_reason"}


def test_duty_to_share_is_off_by_default() -> None:
    from django.conf import settings

    assert settings.CWSA_S4_IN_FORCE is False


def test_decisions_have_no_edit_service() -> None:
    """R-IS-1: immutable. Anything new is a new decision."""
    names = {n for n in dir(services) if n.startswith("sharing_decision_")}
    assert names == {"sharing_decision_record", "sharing_decision_problems"}


# --- Telling the family (R-IS-3) ------------------------------------------------------------


def test_telling_the_family_is_recorded_once(partnership: Partnership) -> None:
    p = partnership
    task = share_with_police(p).inform_family_task
    assert problem_fields(
        lambda: services.inform_family_task_complete(actor=p.maya, task=task, note="")
    ) == {"note"}
    services.inform_family_task_complete(actor=p.maya, task=task, note="Told Chloe at clinic")
    task.refresh_from_db()
    assert task.done_at is not None
    assert problem_fields(
        lambda: services.inform_family_task_complete(actor=p.maya, task=task, note="Again")
    ) == {"__all__"}
    with pytest.raises(NotFoundOrForbidden):
        services.inform_family_task_complete(actor=p.bea, task=task, note="x")


# --- Not sure? (R-IS-6) --------------------------------------------------------------------


def test_a_question_alerts_every_information_governance_lead(partnership: Partnership) -> None:
    p = partnership
    ingrid = make_ig_lead(p)
    advice = services.advice_request_ask(
        actor=p.maya, family=p.ashworth, question="May I tell the police?", urgent=True
    )
    alert = Alert.objects.get(recipient=ingrid)
    assert alert.title.startswith("Urgent")
    assert "Ashworth" not in alert.title + alert.body  # alerts carry no family names
    assert alert.url.endswith(f"/sharing/advice/{advice.pk}/answer/")
    assert not Alert.objects.exclude(recipient=ingrid).exists()


def test_a_question_never_blocks_a_share(partnership: Partnership) -> None:
    p = partnership
    make_ig_lead(p)
    services.advice_request_ask(actor=p.maya, family=p.ashworth, question="Should I share?")
    assert share_with_police(p).share


def test_only_an_information_governance_lead_answers(partnership: Partnership) -> None:
    p = partnership
    ingrid = make_ig_lead(p)
    advice = services.advice_request_ask(actor=p.maya, family=p.ashworth, question="May I?")
    for someone in (p.maya, p.owen, p.fatima, p.sam):
        with pytest.raises(NotFoundOrForbidden):
            services.advice_request_answer(actor=someone, advice=advice, answer="Yes")
    assert problem_fields(
        lambda: services.advice_request_answer(actor=ingrid, advice=advice, answer=" ")
    ) == {"answer"}
    services.advice_request_answer(actor=ingrid, advice=advice, answer="Yes: para 18 applies")
    advice.refresh_from_db()
    assert advice.answered_by == ingrid
    assert Alert.objects.filter(recipient=p.maya, kind="advice_answered").exists()


def test_a_question_needs_words_and_the_family(partnership: Partnership) -> None:
    p = partnership
    assert problem_fields(
        lambda: services.advice_request_ask(actor=p.maya, family=p.ashworth, question="")
    ) == {"question"}
    with pytest.raises(NotFoundOrForbidden):
        services.advice_request_ask(actor=p.owen, family=p.ashworth, question="Who are they?")
