"""The team and plan pages as personas: GOV.UK error summaries on bad input, 404 for
outsiders, a clear conflict for the second of two editors (R-WT-5, R-WT-6, R-EHA-2)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from earlyhelp.core.models import AccessAction, AccessEvent
from earlyhelp.plans import selectors, services
from earlyhelp.plans.models import Plan, PlanAction, PlanStatus

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_naming_the_lead_professional_on_the_team_page(team, client) -> None:
    url = reverse("plans:team", kwargs={"family_pk": team.p.ashworth.pk})
    c = sign_in(client, team.p.maya)
    page = c.get(url)
    assert page.status_code == 200 and "This family has no lead professional" in page.text
    bad = c.post(url, {"member": str(team.hana_member.pk), "family_view": "", "version": "0"})
    assert bad.status_code == 200
    assert "govuk-error-summary" in bad.text
    assert "Record what the family said" in bad.text
    good = c.post(
        url, {"member": str(team.hana_member.pk), "family_view": "Chloe chose Hana", "version": "0"}
    )
    assert good.status_code == 302
    assert selectors.lead_professional(family=team.p.ashworth) == team.hana


def test_plan_cannot_be_agreed_without_a_lead_professional_page(team, client) -> None:
    url = reverse("plans:plan", kwargs={"family_pk": team.p.ashworth.pk})
    c = sign_in(client, team.p.maya)
    assert c.post(url, {"start": "1", "start-family_words": "A home of our own"}).status_code == 302
    review = timezone.localdate() + datetime.timedelta(weeks=6)
    page = c.post(url, {"agree": "1", "agree-version": "1", **_date("agree-review_on", review)})
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "Name a lead professional before the plan can be agreed" in page.text
    assert Plan.objects.get().status == PlanStatus.DRAFT


def test_the_plan_page_leads_to_its_reviews(team, client) -> None:
    """See, plan, do, review (R-EHA-3): the plan links to where its reviews are recorded."""
    plan = services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    url = reverse("plans:plan", kwargs={"family_pk": team.p.ashworth.pk})
    page = sign_in(client, team.p.maya).get(url)
    assert reverse("reviews:plan_reviews", kwargs={"plan_pk": plan.pk}) in page.text


def test_second_editor_gets_a_clear_conflict(team, client) -> None:
    plan = services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    url = reverse("plans:plan", kwargs={"family_pk": team.p.ashworth.pk})
    form = {"outcome": "1", "outcome-headline": "housing", "outcome-description": "A flat"}
    first = sign_in(client, team.p.maya).post(url, form | {"outcome-version": "1"})
    assert first.status_code == 302

    second = sign_in(Client(), team.hana).post(url, form | {"outcome-version": "1"})
    assert second.status_code == 200
    assert "Someone else changed this plan" in second.text
    assert plan.outcomes.count() == 1


def test_adding_actions_with_bad_input_shows_the_error_summary(team, client) -> None:
    services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    url = reverse("plans:action_add", kwargs={"family_pk": team.p.ashworth.pk})
    c = sign_in(client, team.p.maya)
    assert c.get(url).status_code == 200
    past = datetime.date(2020, 1, 1)
    page = c.post(url, {"description": "Ring housing", "version": "1", **_date("due_on", past)})
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "Choose who owns the action" in page.text
    assert "must be today or in the future" in page.text
    assert not PlanAction.objects.exists()
    due = timezone.localdate() + datetime.timedelta(days=10)
    ok = c.post(
        url,
        {"description": "Ring housing", "owner": "family", "version": "1", **_date("due_on", due)},
    )
    assert ok.status_code == 302 and PlanAction.objects.get().owner_is_family


def test_owner_updates_their_action_and_the_family_copy(team, client) -> None:
    plan = services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    action = services.action_add(
        actor=team.p.maya,
        plan=plan,
        version=1,
        description="Book the check",
        owner=str(team.hana_member.pk),
        due_on=timezone.localdate(),
    )
    url = reverse("plans:action_update", kwargs={"action_pk": action.pk})
    refused = sign_in(client, team.p.maya).post(url, {"status": "done", "version": "1"})
    assert refused.status_code == 200 and "or the lead professional can update it" in refused.text

    done = sign_in(Client(), team.hana).post(url, {"status": "done", "version": "1"})
    assert done.status_code == 302
    copy = sign_in(Client(), team.p.maya).get(
        reverse("plans:family_copy", kwargs={"family_pk": team.p.ashworth.pk})
    )
    assert copy.status_code == 200 and "Your family's plan" in copy.text
    assert "Book the check" in copy.text


def test_family_page_panel_shows_lead_and_overdue_actions(team, client) -> None:
    plan = services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    services.action_add(
        actor=team.p.maya,
        plan=plan,
        version=1,
        description="Ring the housing office",
        owner="family",
        due_on=timezone.localdate(),
    )
    PlanAction.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    page = sign_in(client, team.p.maya).get(
        reverse("people:family_detail", kwargs={"pk": team.p.ashworth.pk})
    )
    assert page.status_code == 200
    assert "Ring the housing office" in page.text and "Overdue" in page.text


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(team, client, persona) -> None:
    plan = services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    action = services.action_add(
        actor=team.p.maya,
        plan=plan,
        version=1,
        description="x",
        owner="family",
        due_on=timezone.localdate(),
    )
    c = sign_in(client, getattr(team.p, persona))
    family = {"family_pk": team.p.ashworth.pk}
    for url in (
        reverse("plans:team", kwargs=family),
        reverse("plans:plan", kwargs=family),
        reverse("plans:action_add", kwargs=family),
        reverse("plans:family_copy", kwargs=family),
        reverse("plans:action_update", kwargs={"action_pk": action.pk}),
    ):
        assert c.get(url).status_code == 404, url


def test_the_familys_copy_as_a_pdf(team, client) -> None:
    """R-WT-6: the family's copy of the plan, printable and as a PDF (ADR 0005); the PDF is
    recorded as an export, not a view (R-IS-4)."""
    pytest.importorskip("weasyprint", reason="weasyprint needs the pango libraries")
    services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="Home")
    response = sign_in(client, team.p.maya).get(
        reverse("plans:family_copy_pdf", kwargs={"family_pk": team.p.ashworth.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    looks = AccessEvent.objects.filter(actor=team.p.maya, object_id=str(team.p.ashworth.pk))
    export = looks.get(action=AccessAction.EXPORT)
    assert export.route == "involvement" and "PDF" in export.detail
    assert export.path.endswith("family-copy.pdf")
    assert not looks.filter(action=AccessAction.VIEW).exists()
