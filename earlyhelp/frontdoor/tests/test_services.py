"""Requesting support, acknowledging and deciding, through the services and selectors.

Rules: R-WT-3, R-WT-7, R-WT-8, R-TIME-1, R-IS-12.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from conftest import Partnership
from earlyhelp.alerts.models import Alert
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.frontdoor import selectors, services
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.frontdoor.rules import NEEDS_AGREEMENT, NO_REASONS
from earlyhelp.frontdoor.tests.factories import at, make_values, request_made
from earlyhelp.people.models import Family, Involvement
from earlyhelp.sharing.models import Consent, ConsentGiver, InformationCategory

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Making a request -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(D(2026, 11, 26)), D(2026, 11, 27)),  # Thursday
        (at(D(2026, 11, 27), 16), D(2026, 11, 30)),  # Friday afternoon: Monday
        (at(D(2026, 12, 24)), D(2026, 12, 29)),  # Christmas Eve (R-TIME-1)
        (at(D(2027, 3, 25)), D(2027, 3, 30)),  # before Easter 2027
        # 23:30 London time on Friday is still Friday, though it is Saturday nowhere yet.
        (at(D(2026, 11, 27), 23), D(2026, 11, 30)),
    ],
)
def test_the_decision_is_due_one_working_day_after_receipt(
    partnership: Partnership, received: datetime.datetime, due: datetime.date
) -> None:
    made = request_made(partnership, now=received)
    assert made.decision_due_on == due
    assert made.received_at == received
    stored = RequestForSupport.objects.get(pk=made.pk)
    assert stored.decision_due_on == due  # stored, not derived (R-TIME-1)


def test_a_midwife_requests_support_and_it_is_audited(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p, circumstances=["domestic_abuse", "young_carer"])
    assert made.requested_by == p.maya
    assert made.requesting_organisation == p.midwifery
    assert made.about_person == p.unborn
    # Kept in the order of the rule's list (R-WT-7).
    assert made.circumstances == ["young_carer", "domestic_abuse"]
    assert made.version == 1 and made.decided_at is None and made.acknowledged_at is None
    event = AuditEvent.objects.get(action="request_for_support.make")
    assert event.object_id == str(made.pk) and event.actor == p.maya


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"concern": "  "}, "concern", "Enter what you are worried about"),
        ({"family_knows": ""}, "family_knows", "Enter what the family knows about this request"),
        ({"agreement": ""}, "agreement", "Select whether the family agrees to the request"),
        # R-WT-3: not asked needs the reason.
        ({"agreement": "not_asked"}, "not_asked_reason", "Enter why the family has not been asked"),
        ({"urgency": "whenever"}, "urgency", "Select how urgent this is"),
        ({"circumstances": ["astrology"]}, "circumstances", "Select circumstances from the list"),
        (
            {"sharing_basis_note": ""},
            "sharing_basis_note",
            "Enter the basis for sharing this with the front door: choose the family's consent "
            "or a decision to share, or write the basis",
        ),
        ({"concern": "x" * 5001}, "concern", "Enter 5000 characters or fewer"),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_saved(
    partnership: Partnership, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationProblem) as refused:
        request_made(partnership, **changes)
    assert refused.value.errors[field] == [message]
    assert not RequestForSupport.objects.exists()
    assert not AuditEvent.objects.filter(action="request_for_support.make").exists()


def test_the_family_not_asked_with_a_reason_is_accepted(partnership: Partnership) -> None:
    """R-WT-3: the request still goes; the reason is recorded."""
    made = request_made(
        partnership, agreement="not_asked", not_asked_reason="Asking could put Chloe at risk"
    )
    assert made.not_asked_reason == "Asking could put Chloe at risk"
    # A reason given with another answer is not kept.
    other = request_made(partnership, agreement="agrees", not_asked_reason="ignored")
    assert other.not_asked_reason == ""


def test_the_person_and_sharing_basis_must_belong_to_the_family(partnership: Partnership) -> None:
    p = partnership
    other = Family.objects.create(name="Other household")
    foreign = Consent.objects.create(
        family=other,
        given_by=p.stranger,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        purpose="x",
        starts_on=D(2026, 1, 1),
        recorded_by=p.maya,
    )
    with pytest.raises(ValidationProblem) as refused:
        request_made(p, about_person=p.stranger, consent=foreign, sharing_basis_note="")
    assert set(refused.value.errors) == {"about_person", "consent"}


def test_a_consent_of_the_family_is_a_sharing_basis(partnership: Partnership) -> None:
    p = partnership
    consent = Consent.objects.create(
        family=p.ashworth,
        given_by=p.chloe,
        giver_kind=ConsentGiver.YOUNG_PERSON,
        purpose="Support in pregnancy",
        starts_on=D(2026, 1, 1),
        recorded_by=p.maya,
    )
    made = request_made(p, consent=consent, sharing_basis_note="")
    assert made.consent == consent


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_no_one_may_request_support_for_a_family_they_may_not_see(
    partnership: Partnership, persona: str
) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.request_for_support_make(
            actor=getattr(partnership, persona), **make_values(partnership)
        )
    assert not RequestForSupport.objects.exists()


def test_the_front_door_may_also_request_support(partnership: Partnership) -> None:
    made = services.request_for_support_make(actor=partnership.fatima, **make_values(partnership))
    assert made.requesting_organisation == partnership.early_help


# --- Acknowledging (R-TIME-1) -----------------------------------------------------------------


def test_the_front_door_acknowledges_and_the_requester_is_told(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    done = services.request_for_support_acknowledge(
        actor=p.fatima, request_for_support=made, version=1
    )
    assert done.acknowledged_by == p.fatima and done.acknowledged_at is not None
    assert done.version == 2
    alert = Alert.objects.get(recipient=p.maya, kind=services.ALERT_ACKNOWLEDGED)
    assert f"/frontdoor/requests/{made.pk}/" == alert.url
    assert AuditEvent.objects.filter(action="request_for_support.acknowledge").count() == 1
    with pytest.raises(EditConflict):  # twice
        services.request_for_support_acknowledge(
            actor=p.fatima, request_for_support=made, version=2
        )
    with pytest.raises(EditConflict):  # on what was read before
        services.request_for_support_acknowledge(
            actor=p.fatima, request_for_support=made, version=1
        )


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea"])
def test_only_the_front_door_acknowledges_and_decides(
    partnership: Partnership, persona: str
) -> None:
    made = request_made(partnership)
    actor = getattr(partnership, persona)
    with pytest.raises(NotFoundOrForbidden):
        services.request_for_support_acknowledge(actor=actor, request_for_support=made, version=1)
    with pytest.raises(NotFoundOrForbidden):
        services.request_for_support_decide(
            actor=actor, request_for_support=made, route="mash", reasons="x", version=1
        )
    made.refresh_from_db()
    assert made.acknowledged_at is None and made.decided_at is None and made.version == 1


# --- Deciding ---------------------------------------------------------------------------------


def test_a_decision_without_reasons_is_refused_with_a_clear_message(
    partnership: Partnership,
) -> None:
    made = request_made(partnership)
    with pytest.raises(ValidationProblem) as refused:
        services.request_for_support_decide(
            actor=partnership.fatima,
            request_for_support=made,
            route="early_help",
            reasons="   ",
            version=1,
        )
    assert refused.value.errors == {"reasons": [NO_REASONS]}
    made.refresh_from_db()
    assert made.decided_at is None and made.route == "" and made.version == 1
    assert not Alert.objects.filter(kind=services.ALERT_DECIDED).exists()


def test_the_front_door_decides_and_the_requester_is_told(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p, now=at(D(2026, 11, 26)))
    decided = services.request_for_support_decide(
        actor=p.fatima,
        request_for_support=made,
        route="early_help",
        reasons="Chloe agrees to early help; a family support worker will visit this week.",
        version=1,
        now=at(D(2026, 11, 27), 11),
    )
    assert decided.route == "early_help" and decided.decided_by == p.fatima
    # Deciding acknowledges too (R-TIME-1: the referrer hears within the day).
    assert decided.acknowledged_by == p.fatima and decided.acknowledged_at == decided.decided_at
    assert decided.version == 2
    alert = Alert.objects.get(recipient=p.maya, kind=services.ALERT_DECIDED)
    assert "Early help" in alert.title
    event = AuditEvent.objects.get(action="request_for_support.decide")
    assert event.changes["decided_late"] is False and event.changes["escalation"] is False
    row = selectors.request_row(decided, D(2026, 12, 10))
    assert not row.decision_overdue and not row.decided_late


def test_deciding_twice_or_on_a_stale_version_is_a_conflict(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    services.request_for_support_acknowledge(actor=p.fatima, request_for_support=made, version=1)
    with pytest.raises(EditConflict):  # read before the acknowledgement
        services.request_for_support_decide(
            actor=p.fatima, request_for_support=made, route="mash", reasons="x", version=1
        )
    services.request_for_support_decide(
        actor=p.fatima, request_for_support=made, route="mash", reasons="Police report", version=2
    )
    with pytest.raises(EditConflict):
        services.request_for_support_decide(
            actor=p.fatima,
            request_for_support=made,
            route="advice_universal",
            reasons="Second thoughts",
            version=3,
        )
    made.refresh_from_db()
    assert made.route == "mash" and made.decision_reasons == "Police report"


@pytest.mark.parametrize("route", ["childrens_social_care", "mash"])
@pytest.mark.parametrize("agreement", ["does_not_agree", "not_asked"])
def test_escalation_is_never_blocked(partnership: Partnership, route: str, agreement: str) -> None:
    """R-WT-8: no assessment, no agreement, no acknowledgement first: only the reasons."""
    made = request_made(partnership, agreement=agreement, not_asked_reason="Unsafe to ask")
    decided = services.request_for_support_decide(
        actor=partnership.fatima,
        request_for_support=made,
        route=route,
        reasons="Chloe disclosed that her partner hit her while pregnant.",
        version=1,
    )
    assert decided.route == route
    assert AuditEvent.objects.get(action="request_for_support.decide").changes["escalation"]


@pytest.mark.parametrize("route", ["early_help", "team_around_the_family"])
def test_early_help_needs_the_familys_agreement(partnership: Partnership, route: str) -> None:
    """R-WT-3: voluntary; the front door may record that the family now agrees."""
    p = partnership
    made = request_made(p, agreement="does_not_agree")
    with pytest.raises(ValidationProblem) as refused:
        services.request_for_support_decide(
            actor=p.fatima, request_for_support=made, route=route, reasons="x", version=1
        )
    assert refused.value.errors == {"family_agrees": [NEEDS_AGREEMENT]}
    decided = services.request_for_support_decide(
        actor=p.fatima,
        request_for_support=made,
        route=route,
        reasons="Chloe rang back and agrees",
        version=1,
        family_agrees=True,
    )
    assert decided.agreement == "agrees"
    assert AuditEvent.objects.get(action="request_for_support.decide").changes["agreement"] == [
        "does_not_agree",
        "agrees",
    ]


def test_a_late_decision_is_flagged(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p, now=at(D(2026, 11, 27)))  # Friday: due Monday 30th
    assert selectors.request_row(made, D(2026, 11, 30)).decision_overdue is False
    assert selectors.request_row(made, D(2026, 12, 1)).decision_overdue is True
    assert selectors.request_row(made, D(2026, 12, 1)).acknowledgement_overdue is True
    decided = services.request_for_support_decide(
        actor=p.fatima,
        request_for_support=made,
        route="advice_universal",
        reasons="Universal health visiting",
        version=1,
        now=at(D(2026, 12, 1)),
    )
    row = selectors.request_row(decided, D(2026, 12, 2))
    assert row.decided_late and not row.decision_overdue
    assert AuditEvent.objects.get(action="request_for_support.decide").changes["decided_late"]


# --- Reading ----------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_overdue_flagged_a_page_at_a_time(
    partnership: Partnership,
) -> None:
    p = partnership
    other = Family.objects.create(name="Blake household")
    Involvement.objects.create(
        organisation=p.midwifery, family=other, service="Antenatal", started_on=D(2026, 1, 1)
    )
    newest = request_made(p, now=at(D(2026, 11, 26), 12))
    oldest = request_made(p, now=at(D(2026, 11, 20)))
    middle = request_made(p, family=other, about_person=None, now=at(D(2026, 11, 25)))
    decided = request_made(p, now=at(D(2026, 11, 19)))
    services.request_for_support_decide(
        actor=p.fatima, request_for_support=decided, route="mash", reasons="x", version=1
    )
    first = selectors.request_for_support_queue(actor=p.fatima, limit=2, today=D(2026, 11, 26))
    assert [q.row.request for q in first.rows] == [oldest, middle]
    assert [q.row.decision_overdue for q in first.rows] == [True, False]
    # Repeat requests for the same family are visible together.
    assert [q.other_requests for q in first.rows] == [2, 0]
    second = selectors.request_for_support_queue(
        actor=p.fatima, after=first.next_after, limit=2, today=D(2026, 11, 26)
    )
    assert [q.row.request for q in second.rows] == [newest]
    assert second.next_after == ""
    # A cursor that cannot be read starts again from the beginning.
    again = selectors.request_for_support_queue(actor=p.fatima, after="nonsense", limit=2)
    assert [q.row.request for q in again.rows] == [oldest, middle]
    assert AccessEvent.objects.filter(actor=p.fatima, action=AccessAction.LIST).count() == 3


@pytest.mark.parametrize("persona", ["maya", "owen", "sam", "bea"])
def test_the_queue_is_the_front_doors_alone(partnership: Partnership, persona: str) -> None:
    request_made(partnership)
    with pytest.raises(NotFoundOrForbidden):
        selectors.request_for_support_queue(actor=getattr(partnership, persona))


def test_one_request_is_visible_exactly_when_its_family_is(partnership: Partnership) -> None:
    p = partnership
    made = request_made(p)
    assert selectors.request_for_support_get(actor=p.maya, request_id=made.pk) == made
    assert selectors.request_for_support_get(actor=p.fatima, request_id=made.pk) == made
    for outsider in (p.owen, p.sam, p.bea):
        with pytest.raises(NotFoundOrForbidden):
            selectors.request_for_support_get(actor=outsider, request_id=made.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.request_for_support_get(actor=p.maya, request_id=made.pk + 1000)
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == 4
    assert AccessEvent.objects.filter(action=AccessAction.VIEW, route="involvement").count() == 1


def test_a_familys_requests_newest_first(partnership: Partnership) -> None:
    p = partnership
    first = request_made(p, now=at(D(2026, 10, 1)))
    second = request_made(p, now=at(D(2026, 11, 1)))
    rows = selectors.request_for_support_list_for_family(actor=p.maya, family=p.ashworth)
    assert [r.request for r in rows] == [second, first]
    with pytest.raises(NotFoundOrForbidden):
        selectors.request_for_support_list_for_family(actor=p.owen, family=p.ashworth)


def test_a_concern_in_a_need_to_know_category_is_withheld_from_others(
    partnership: Partnership,
) -> None:
    """R-IS-12: the police, involved with the family, see who holds it but not the concern."""
    p = partnership
    Involvement.objects.create(
        organisation=p.police,
        family=p.ashworth,
        service="Public protection",
        started_on=D(2026, 1, 1),
    )
    category = InformationCategory.objects.get(code="domestic_abuse")
    request_made(p, about_person=p.chloe, category=category)
    readable = {
        persona: selectors.request_for_support_list_for_family(
            actor=getattr(p, persona), family=p.ashworth
        )[0].concern_readable
        for persona in ("maya", "fatima", "owen")
    }
    assert readable == {"maya": True, "fatima": True, "owen": False}
