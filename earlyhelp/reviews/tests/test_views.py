"""The review pages as personas (R-EHA-3, R-EHA-4, R-LON-2): Maya records a review, bad input
shows the GOV.UK error summary with nothing saved, a stale form gets a clear conflict,
outsiders get 404; the family page's panel shows the next review, overdue and the outcome."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from earlyhelp.plans import services as plan_services
from earlyhelp.plans.models import Plan, PlanStatus
from earlyhelp.reviews.models import PlanClosure, PlanReview

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _form(cycle: Any, **changes: str) -> dict[str, str]:
    cycle.plan.refresh_from_db()
    data = {
        **_date("held_on", timezone.localdate()),
        f"progress_{cycle.housing.pk}": "better",
        f"progress_{cycle.health.pk}": "same",
        "family_view": "Chloe says the flat search is going better",
        "decision": "continue",
        "version": str(cycle.plan.version),
    }
    return data | changes


def test_maya_records_a_review(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    page = c.get(url)
    assert page.status_code == 200 and "Progress: A home" in page.text
    done = c.post(url, _form(cycle))
    assert done.status_code == 302 and done["Location"] == reverse(
        "reviews:plan_reviews", kwargs={"plan_pk": cycle.plan.pk}
    )
    listing = c.get(done["Location"])
    assert listing.status_code == 200
    assert "Continue with the plan" in listing.text and "Chloe says the flat" in listing.text
    assert PlanReview.objects.count() == 1


def test_decision_without_progress_for_every_need_shows_the_error_summary(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    data = _form(cycle, family_view="")
    del data[f"progress_{cycle.health.pk}"]
    page = c.post(url, data)
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "Select whether things are better, the same or worse" in page.text
    assert f'href="#id_progress_{cycle.health.pk}_0"' in page.text
    assert "Record what the family said" in page.text
    assert not PlanReview.objects.exists()


def test_closing_without_outcomes_shows_the_error_summary(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    page = c.post(url, _form(cycle, decision="close"))
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "Select why the plan is closing" in page.text
    assert "Select whether this need was achieved" in page.text
    assert not PlanClosure.objects.exists() and not PlanReview.objects.exists()
    closed = c.post(
        url,
        _form(
            cycle,
            decision="close",
            closure_reason="outcomes_met",
            **{f"result_{cycle.housing.pk}": "achieved", f"result_{cycle.health.pk}": "partly"},
        ),
    )
    assert closed.status_code == 302
    assert Plan.objects.get().status == PlanStatus.CLOSED
    family = c.get(reverse("people:family_detail", kwargs={"pk": cycle.t.p.ashworth.pk}))
    assert "Not a successful outcome" in family.text
    assert "Needs across 2 Supporting Families headlines" in family.text


def test_stepping_down_on_the_page(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    missing = c.post(url, _form(cycle, decision="step_down", decided_level="additional"))
    assert missing.status_code == 200 and "govuk-error-summary" in missing.text
    assert (
        "Enter the handover" in missing.text and "Select the practitioner receiving" in missing.text
    )
    done = c.post(
        url,
        _form(
            cycle,
            decision="step_down",
            decided_level="additional",
            rationale="Housing is settled",
            handover="Hana carries on the health visits",
            receiving_practitioner=str(cycle.t.hana.pk),
        ),
    )
    assert done.status_code == 302
    review = PlanReview.objects.get()
    assert review.level_decision is not None
    assert review.level_decision.receiving_practitioner == cycle.t.hana


def test_a_stale_form_gets_a_clear_conflict(cycle, client) -> None:
    stale = _form(cycle)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    assert sign_in(client, cycle.t.p.maya).post(url, stale).status_code == 302
    second = sign_in(Client(), cycle.t.hana).post(url, stale)
    assert second.status_code == 200 and "Someone else changed this plan" in second.text
    assert PlanReview.objects.count() == 1


def test_bad_dates_never_500(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk})
    page = c.post(url, _form(cycle, held_on_day="31", held_on_month="2", version="x"))
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize("persona", ["owen", "sam", "bea"])
def test_outsiders_get_404(cycle, client, persona) -> None:
    c = sign_in(client, getattr(cycle.t.p, persona))
    for name in ("reviews:plan_reviews", "reviews:review_record"):
        url = reverse(name, kwargs={"plan_pk": cycle.plan.pk})
        assert c.get(url).status_code == 404
    assert (
        c.post(
            reverse("reviews:review_record", kwargs={"plan_pk": cycle.plan.pk}), _form(cycle)
        ).status_code
        == 404
    )
    assert not PlanReview.objects.exists()


def test_family_panel_shows_the_next_review_and_overdue(cycle, client) -> None:
    c = sign_in(client, cycle.t.p.maya)
    family_url = reverse("people:family_detail", kwargs={"pk": cycle.t.p.ashworth.pk})
    page = c.get(family_url)
    due = cycle.plan.review_on
    assert f"Next review due {due:%-d %B %Y}" in page.text and "Overdue" not in page.text
    Plan.objects.filter(pk=cycle.plan.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Overdue" in c.get(family_url).text


def test_a_draft_plan_cannot_be_reviewed_on_the_page(team, client) -> None:
    plan = plan_services.plan_start(actor=team.p.maya, family=team.p.ashworth, family_words="x")
    c = sign_in(client, team.p.maya)
    url = reverse("reviews:review_record", kwargs={"plan_pk": plan.pk})
    page = c.get(url)
    assert page.status_code == 200 and "agree it before reviewing it" in page.text
    assert "Record the review" not in page.text
    refused = c.post(url, {"family_view": "x", "decision": "continue", "version": "1"})
    assert refused.status_code == 200 and "Only an agreed plan can be reviewed" in refused.text
    assert not PlanReview.objects.exists()
