"""The demo's reviews: some plans reviewed, a few overdue, one closed family whose
successful outcome is waiting for six months after closure (R-EHA-3, R-SF-2)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from earlyhelp.assessments.models import Assessment
from earlyhelp.plans.models import Plan, PlanStatus
from earlyhelp.reviews import rules
from earlyhelp.reviews.models import PlanClosure, PlanReview
from earlyhelp.reviews.selectors import family_successful_outcome


@pytest.mark.django_db
def test_demo_adds_reviews_overdue_and_a_closure(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=60, stdout=io.StringIO())
    today = timezone.localdate()
    assert PlanReview.objects.filter(decision="continue").exists()
    overdue = [
        p
        for p in Plan.objects.all()
        if rules.review_is_overdue(review_on=p.review_on, plan_status=p.status, today=today)
    ]
    assert overdue
    closure = PlanClosure.objects.select_related("plan__family").get()
    assert closure.plan.status == PlanStatus.CLOSED
    found = family_successful_outcome(family=closure.plan.family)
    assert found is not None and found.outcome.waiting, found.outcome.reasons if found else None
    # Every review is on or before today and after its plan was agreed.
    for review in PlanReview.objects.select_related("plan"):
        assert review.held_on <= today
        assert review.plan.agreed_at is not None
        assert review.held_on >= timezone.localdate(review.plan.agreed_at)
    # The closed family's pages render for its lead professional.
    lead = closure.recorded_by
    client = sign_in(Client(), lead)
    family = client.get(reverse("people:family_detail", kwargs={"pk": closure.plan.family_id}))
    assert family.status_code == 200 and "Successful if sustained" in family.text
    assessment = Assessment.objects.get(family_id=closure.plan.family_id)
    page = client.get(
        reverse("assessments:assessment_detail", kwargs={"assessment_pk": assessment.pk})
    )
    assert page.status_code == 200
    reviews = client.get(reverse("reviews:plan_reviews", kwargs={"plan_pk": closure.plan_id}))
    assert reviews.status_code == 200 and "The family&#x27;s outcomes were met" in reviews.text
