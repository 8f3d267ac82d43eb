"""The demo's housing cases: an out-of-area placement with its notice, a bed-and-breakfast
stay near 6 weeks, an under-18 tenant with a trustee (R-HOU-3, R-HOU-4, R-HOU-7)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.housing import rules
from earlyhelp.housing.models import Placement, ReceivingAuthorityNotice
from earlyhelp.housing.services import is_senior_housing_manager


@pytest.mark.django_db
def test_demo_adds_the_three_housing_cases(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_load", families=300, stdout=io.StringIO())
    today = timezone.localdate()
    notice = ReceivingAuthorityNotice.objects.get()
    assert not notice.placement.in_area and notice.placement.approved_by is not None
    assert notice.due_on > today and notice.sent_on is None
    [bnb] = Placement.objects.filter(bed_and_breakfast_limit_on__isnull=False)
    countdown = rules.bed_and_breakfast_countdown(bnb.start_on, today)
    assert 0 < countdown.days_left <= 7
    [minor] = Placement.objects.filter(under_18_tenant=True)
    assert minor.trustee and minor.tenancy_review_on and minor.tenancy_review_on > today
    manager = User.objects.get(email="housing.manager@housing.wyvern.example")
    assert is_senior_housing_manager(manager)
