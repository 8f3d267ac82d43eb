"""Outcomes linked to the assessed needs (issue 5 item 2, R-SF-1, R-IS-12): a plan's outcome
may name the need it answers, from the family's own assessment and only one the practitioner
may read; its headline defaults to the need's Supporting Families headline. Through the
service, the plan page (as Maya, with the GOV.UK error summary) and the API."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_person, sign_in
from earlyhelp.api.tests.conftest import bearer_client, problem
from earlyhelp.assessments import services as assessment_services
from earlyhelp.assessments.models import Assessment, Contribution
from earlyhelp.assessments.services import ContributionDetails
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.core.models import AuditEvent
from earlyhelp.people.models import Family, FamilyMember, Involvement, Relationship
from earlyhelp.plans import selectors, services
from earlyhelp.plans.models import Plan, PlanOutcome
from earlyhelp.sharing.models import InformationCategory

pytestmark = pytest.mark.django_db

AGREED_ON = datetime.date(2026, 11, 2)
SLEEP_NEED = "Chloe and the baby have no safe place to sleep when the baby arrives next spring"


@dataclass
class Needs:
    plan: Plan
    assessment: Assessment
    housing: Contribution  # Maya's own, no category: Maya may read it
    mental_health: Contribution  # Hana's, mental health: need-to-know, Maya may not read it
    strengths_only: Contribution  # strengths written, no need
    other_family: Contribution  # Maya's own, about another family


def _contribution(actor: Any, assessment: Assessment, person: Any, **details: Any) -> Contribution:
    return assessment_services.contribution_add(
        actor=actor,
        assessment=assessment,
        details=ContributionDetails(subject=assessment.subjects.get(person=person), **details),
    )


@pytest.fixture
def needs(team) -> Needs:
    p = team.p
    assessment = assessment_services.assessment_start(
        actor=p.maya,
        family=p.ashworth,
        agreed_by=p.chloe,
        agreed_on=AGREED_ON,
        agreement_note="Chloe agreed at her booking appointment",
    )
    housing = _contribution(
        p.maya,
        assessment,
        p.chloe,
        domain="family_environment",
        dimension="housing",
        need=SLEEP_NEED,
        need_outcome="housing",
    )
    mental_health = _contribution(
        team.hana,
        assessment,
        p.chloe,
        domain="parenting_capacity",
        dimension="emotional_warmth",
        need="Low mood since the summer; seeing the perinatal mental health team",
        need_outcome="health",
        category=InformationCategory.objects.get(code="mental_health"),
    )
    strengths_only = _contribution(
        p.maya,
        assessment,
        p.chloe,
        domain="child_development",
        dimension="education",
        strengths="Chloe is keeping up with college",
    )
    pike = Family.objects.create(name="Pike household")
    leah = make_person("Leah", "Pike", date_of_birth=datetime.date(2008, 8, 8))
    FamilyMember.objects.create(family=pike, person=leah, relationship=Relationship.MOTHER)
    Involvement.objects.create(
        organisation=p.midwifery,
        practitioner=p.maya,
        family=pike,
        service="Antenatal care",
        started_on=datetime.date(2026, 9, 1),
    )
    pike_assessment = assessment_services.assessment_start(
        actor=p.maya,
        family=pike,
        agreed_by=leah,
        agreed_on=AGREED_ON,
        agreement_note="Leah agreed",
    )
    other_family = _contribution(
        p.maya,
        pike_assessment,
        leah,
        domain="family_environment",
        dimension="income",
        need="Leah has no income since leaving college",
        need_outcome="financial_stability",
    )
    plan = services.plan_start(actor=p.maya, family=p.ashworth, family_words="Our own flat")
    return Needs(plan, assessment, housing, mental_health, strengths_only, other_family)


# --- The service ---------------------------------------------------------------------------


def test_headline_defaults_to_the_needs_headline(team, needs) -> None:
    """R-SF-1: with a need and no headline, the outcome takes the need's headline."""
    outcome = services.outcome_add(
        actor=team.p.maya,
        plan=needs.plan,
        version=1,
        headline="",
        description="A flat with room for a cot",
        need_id=needs.housing.pk,
    )
    outcome.refresh_from_db()
    assert outcome.need_id == needs.housing.pk and outcome.headline == "housing"
    event = AuditEvent.objects.filter(action="plans.outcome_add").get()
    assert event.changes["need_id"] == needs.housing.pk


def test_headline_chosen_by_the_practitioner_is_kept(team, needs) -> None:
    """Both given, they may differ: the practitioner decides."""
    outcome = services.outcome_add(
        actor=team.p.maya,
        plan=needs.plan,
        version=1,
        headline="early_years",
        description="The baby sleeps safely in a cot",
        need_id=needs.housing.pk,
    )
    assert PlanOutcome.objects.get(pk=outcome.pk).headline == "early_years"


@pytest.mark.parametrize(
    "which",
    ["other_family", "mental_health", "strengths_only", "missing"],
    ids=[
        "a need from another family",
        "a need in a category Maya may not read (R-IS-12)",
        "a contribution without a need",
        "no such contribution",
    ],
)
def test_a_need_maya_may_not_link_is_refused(team, needs, which) -> None:
    need_id = 999_999 if which == "missing" else getattr(needs, which).pk
    with pytest.raises(ValidationProblem) as refused:
        services.outcome_add(
            actor=team.p.maya,
            plan=needs.plan,
            version=1,
            headline="",
            description="Something",
            need_id=need_id,
        )
    assert refused.value.errors["need"] == ["Choose a need from the family's assessment"]
    assert not PlanOutcome.objects.exists()
    needs.plan.refresh_from_db()
    assert needs.plan.version == 1


def test_the_need_to_know_need_is_linkable_by_its_own_agency(team, needs) -> None:
    """Hana recorded the mental health need, so she may link it (R-IS-12)."""
    outcome = services.outcome_add(
        actor=team.hana,
        plan=needs.plan,
        version=1,
        headline="",
        description="Chloe feels well enough to enjoy the baby",
        need_id=needs.mental_health.pk,
    )
    assert outcome.headline == "health"


def test_no_need_and_no_headline_is_still_a_headline_problem(team, needs) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services.outcome_add(
            actor=team.p.maya, plan=needs.plan, version=1, headline="", description="A flat"
        )
    assert set(refused.value.errors) == {"headline"}


def test_needs_offered_are_the_readable_ones_of_this_family(team, needs) -> None:
    offered = selectors.assessed_needs(actor=team.p.maya, family=team.p.ashworth)
    assert [n.contribution.pk for n in offered] == [needs.housing.pk]
    assert offered[0].label.startswith("Housing: Chloe and the baby have no safe place")
    assert offered[0].label.endswith("\u2026") and len(offered[0].label) < len(SLEEP_NEED)
    by_hana = selectors.assessed_needs(actor=team.hana, family=team.p.ashworth)
    assert {n.contribution.pk for n in by_hana} == {needs.housing.pk, needs.mental_health.pk}


# --- The plan page -------------------------------------------------------------------------


def _url(team) -> str:
    return reverse("plans:plan", kwargs={"family_pk": team.p.ashworth.pk})


def test_maya_adds_an_outcome_from_the_assessment(team, needs, client) -> None:
    c = sign_in(client, team.p.maya)
    page = c.get(_url(team))
    assert "Housing: Chloe and the baby" in page.text
    assert "Not from the assessment" in page.text
    assert "Low mood" not in page.text  # Hana's need-to-know need is not offered
    saved = c.post(
        _url(team),
        {
            "outcome": "1",
            "outcome-version": "1",
            "outcome-need": str(needs.housing.pk),
            "outcome-description": "A flat with room for a cot",
        },
    )
    assert saved.status_code == 302, saved.text
    outcome = PlanOutcome.objects.get()
    assert outcome.need_id == needs.housing.pk and outcome.headline == "housing"
    shown = c.get(_url(team)).text
    assert "From the assessment: Housing" in shown


def test_family_copy_stays_plain(team, needs, client) -> None:
    services.outcome_add(
        actor=team.p.maya,
        plan=needs.plan,
        version=1,
        headline="",
        description="A flat with room for a cot",
        need_id=needs.housing.pk,
    )
    copy = sign_in(client, team.p.maya).get(
        reverse("plans:family_copy", kwargs={"family_pk": team.p.ashworth.pk})
    )
    assert "A flat with room for a cot" in copy.text
    assert "From the assessment" not in copy.text and "no safe place" not in copy.text


def test_a_need_maya_may_not_read_is_shown_only_as_held(team, needs, client) -> None:
    """Hana linked her need-to-know need; Maya sees only who holds it (R-IS-12)."""
    services.outcome_add(
        actor=team.hana,
        plan=needs.plan,
        version=1,
        headline="",
        description="Chloe feels well",
        need_id=needs.mental_health.pk,
    )
    maya_sees = sign_in(client, team.p.maya).get(_url(team)).text
    assert "held by Wyvern Health Visiting, ask the lead professional" in maya_sees
    assert "Emotional warmth" not in maya_sees
    hana_sees = sign_in(Client(), team.hana).get(_url(team)).text
    assert "From the assessment: Emotional warmth" in hana_sees


@pytest.mark.parametrize(
    "choice", ["other_family", "mental_health", "not-a-number"], ids=["other", "unreadable", "junk"]
)
def test_a_bad_need_choice_shows_the_error_summary(team, needs, client, choice) -> None:
    value = getattr(needs, choice).pk if choice != "not-a-number" else choice
    page = sign_in(client, team.p.maya).post(
        _url(team),
        {
            "outcome": "1",
            "outcome-version": "1",
            "outcome-need": str(value),
            "outcome-headline": "housing",
            "outcome-description": "A flat",
        },
    )
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text
    assert "Choose a need from the family&#x27;s assessment" in page.text
    assert 'href="#id_outcome-need_0"' in page.text
    assert not PlanOutcome.objects.exists()


def test_not_from_the_assessment_still_works(team, needs, client) -> None:
    saved = sign_in(client, team.p.maya).post(
        _url(team),
        {
            "outcome": "1",
            "outcome-version": "1",
            "outcome-need": "none",
            "outcome-headline": "housing",
            "outcome-description": "A flat",
        },
    )
    assert saved.status_code == 302
    assert PlanOutcome.objects.get().need_id is None


# --- The API -------------------------------------------------------------------------------


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_links_a_need_and_reads_it_back(team, needs) -> None:
    maya = bearer_client(team.p.maya)
    url = f"/api/v1/plans/{needs.plan.pk}/outcomes"
    wrong = _post(
        maya, url, {"version": 1, "description": "Money", "need_id": needs.other_family.pk}
    )
    assert problem(wrong, 422)["errors"]["need"] == ["Choose a need from the family's assessment"]
    assert not PlanOutcome.objects.exists()
    added = _post(maya, url, {"version": 1, "description": "A flat", "need_id": needs.housing.pk})
    assert added.status_code == 201, added.content
    [outcome] = added.json()["outcomes"]
    assert outcome["need_id"] == needs.housing.pk and outcome["headline"] == "housing"
    read = maya.get(f"/api/v1/families/{team.p.ashworth.pk}/plan").json()
    assert read["outcomes"][0]["need_id"] == needs.housing.pk
