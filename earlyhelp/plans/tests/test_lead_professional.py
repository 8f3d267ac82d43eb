"""R-WT-5: one lead professional at a time, the family's say, hand-overs recorded, and an
alert to team managers when two or more agencies work with a family that has no lead."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from earlyhelp.alerts.models import Alert
from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.plans import selectors, services
from earlyhelp.plans.models import LeadProfessionalHandover, TeamAroundFamilyMember

pytestmark = pytest.mark.django_db


def test_naming_records_the_familys_say_and_the_audit(team) -> None:
    """R-WT-5: a current member is named; the family's say is kept."""
    member = services.lead_professional_name(
        actor=team.p.maya,
        family=team.p.ashworth,
        member_id=team.hana_member.pk,
        family_view="Chloe asked for Hana: she already knows her",
    )
    assert member.pk == team.hana_member.pk
    assert selectors.lead_professional(family=team.p.ashworth) == team.hana
    handover = LeadProfessionalHandover.objects.get(family=team.p.ashworth)
    assert handover.from_member is None and handover.to_member_id == team.hana_member.pk
    assert handover.family_view == "Chloe asked for Hana: she already knows her"
    assert AuditEvent.objects.filter(action="plans.lead_professional_name").count() == 1


def test_hand_over_records_who_from_who_to_and_why(team) -> None:
    """R-WT-5: a hand-over is recorded and only one holds the role afterwards."""
    p = team.p
    services.lead_professional_name(
        actor=p.maya, family=p.ashworth, member_id=team.maya_member.pk, family_view="Agreed"
    )
    services.lead_professional_name(
        actor=p.maya,
        family=p.ashworth,
        member_id=team.hana_member.pk,
        family_view="Chloe is happy with Hana",
        reason="Baby born: health visiting takes over",
        version=1,
    )
    assert selectors.lead_professional(family=p.ashworth) == team.hana
    last = LeadProfessionalHandover.objects.filter(family=p.ashworth).last()
    assert last is not None
    assert (last.from_member_id, last.to_member_id) == (team.maya_member.pk, team.hana_member.pk)
    assert last.reason == "Baby born: health visiting takes over"
    assert last.recorded_by == p.maya and last.recorded_at is not None
    assert (
        TeamAroundFamilyMember.objects.filter(family=p.ashworth, is_lead_professional=True).count()
        == 1
    )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("family_view", {"family_view": "  "}),
        ("member", {"member_id": 0}),
    ],
)
def test_bad_naming_is_refused_and_nothing_saved(team, field, kwargs) -> None:
    """R-WT-5: the family's say is required; only a current team member can lead."""
    arguments = {"member_id": team.hana_member.pk, "family_view": "Agreed"} | kwargs
    with pytest.raises(ValidationProblem) as problem:
        services.lead_professional_name(actor=team.p.maya, family=team.p.ashworth, **arguments)
    assert field in problem.value.errors
    assert selectors.lead_professional(family=team.p.ashworth) is None
    assert not LeadProfessionalHandover.objects.exists()


def test_a_member_who_left_cannot_lead(team) -> None:
    """R-WT-5: only a current member."""
    TeamAroundFamilyMember.objects.filter(pk=team.hana_member.pk).update(left_on="2026-10-01")
    with pytest.raises(ValidationProblem) as problem:
        services.lead_professional_name(
            actor=team.p.maya,
            family=team.p.ashworth,
            member_id=team.hana_member.pk,
            family_view="Agreed",
        )
    assert "member" in problem.value.errors


def test_hand_over_needs_a_reason(team) -> None:
    p = team.p
    services.lead_professional_name(
        actor=p.maya, family=p.ashworth, member_id=team.maya_member.pk, family_view="Agreed"
    )
    with pytest.raises(ValidationProblem) as problem:
        services.lead_professional_name(
            actor=p.maya, family=p.ashworth, member_id=team.hana_member.pk, family_view="Fine"
        )
    assert "reason" in problem.value.errors
    assert selectors.lead_professional(family=p.ashworth) == p.maya


def test_stale_version_is_a_conflict(team) -> None:
    """Two people naming from the same screen: the second gets a conflict, no overwrite."""
    p = team.p
    services.lead_professional_name(
        actor=p.maya,
        family=p.ashworth,
        member_id=team.maya_member.pk,
        family_view="Agreed",
        version=0,
    )
    with pytest.raises(EditConflict):
        services.lead_professional_name(
            actor=p.maya,
            family=p.ashworth,
            member_id=team.hana_member.pk,
            family_view="Agreed",
            reason="Change",
            version=0,
        )
    assert selectors.lead_professional(family=p.ashworth) == p.maya


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_cannot_name(team, persona) -> None:
    with pytest.raises(NotFoundOrForbidden):
        services.lead_professional_name(
            actor=getattr(team.p, persona),
            family=team.p.ashworth,
            member_id=team.hana_member.pk,
            family_view="Agreed",
        )


def test_the_database_holds_one_lead_at_a_time(team) -> None:
    """R-WT-5: the constraint refuses a second lead even past the services."""
    TeamAroundFamilyMember.objects.filter(pk=team.maya_member.pk).update(is_lead_professional=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamAroundFamilyMember.objects.filter(pk=team.hana_member.pk).update(
            is_lead_professional=True
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_namings_cannot_both_succeed(team) -> None:
    """R-WT-5 under a race: two requests from the same screen (version 0) at once.

    On PostgreSQL each thread has its own connection and the family row lock queues them;
    on SQLite writes are serialised by the database itself. Either way one wins and the
    other is an EditConflict, and exactly one lead professional holds the role.
    """
    p = team.p
    barrier = threading.Barrier(2)
    results: list[str] = []

    def name(member_id: int, together: bool = True) -> None:
        try:
            if together:
                barrier.wait(timeout=30)
            services.lead_professional_name(
                actor=p.maya,
                family=p.ashworth,
                member_id=member_id,
                family_view="Agreed",
                reason="Change",
                version=0,
            )
            results.append("named")
        except EditConflict:
            results.append("conflict")
        except Exception as error:
            results.append(type(error).__name__)
        finally:
            if connection.vendor == "postgresql":
                connections.close_all()

    if connection.vendor == "sqlite":
        # SQLite's in-memory test database is one connection: run the two one after the other.
        name(team.maya_member.pk, together=False)
        name(team.hana_member.pk, together=False)
    else:
        threads = [
            threading.Thread(target=name, args=(m,))
            for m in (team.maya_member.pk, team.hana_member.pk)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == ["conflict", "named"]
    assert (
        TeamAroundFamilyMember.objects.filter(
            family=p.ashworth, is_lead_professional=True, left_on__isnull=True
        ).count()
        == 1
    )
    assert LeadProfessionalHandover.objects.filter(family=p.ashworth).count() == 1


def test_no_lead_with_two_agencies_alerts_their_team_managers(team) -> None:
    """R-WT-5: midwifery and health visiting involved, nobody leads: both managers alerted."""
    services.no_lead_professional_check(team.p.ashworth)
    alerted = set(
        Alert.objects.filter(kind=services.NO_LEAD_ALERT).values_list("recipient_id", flat=True)
    )
    assert alerted == {team.midwife_manager.pk, team.hv_manager.pk}
    services.no_lead_professional_check(team.p.ashworth)  # never twice for the same gap
    assert Alert.objects.filter(kind=services.NO_LEAD_ALERT).count() == 2


def test_no_alert_with_a_lead_or_with_one_agency(team) -> None:
    p = team.p
    services.lead_professional_name(
        actor=p.maya, family=p.ashworth, member_id=team.maya_member.pk, family_view="Agreed"
    )
    assert not Alert.objects.filter(kind=services.NO_LEAD_ALERT).exists()
    services.lead_professional_end(actor=p.maya, family=p.ashworth, reason="Maya moved on")
    assert Alert.objects.filter(kind=services.NO_LEAD_ALERT).count() == 2  # ending alerts
    TeamAroundFamilyMember.objects.filter(pk=team.hana_member.pk).update(left_on="2026-10-01")
    Alert.objects.all().delete()
    assert services.no_lead_professional_check(p.ashworth) == []


def test_sweep_command_alerts_every_family_without_a_lead(team) -> None:
    out = io.StringIO()
    call_command("no_lead_professional_sweep", stdout=out)
    assert "1 families without a lead professional" in out.getvalue()
    assert Alert.objects.filter(kind=services.NO_LEAD_ALERT).count() == 2
