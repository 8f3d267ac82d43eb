"""Alert team managers about every family with two or more agencies and no lead (R-WT-5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from earlyhelp.people.models import Family
from earlyhelp.plans.services import no_lead_professional_check


class Command(BaseCommand):
    help = "Alert team managers about families with two or more agencies and no lead professional"

    def handle(self, *args: Any, **options: Any) -> None:
        raised = 0
        families = 0
        for family in Family.objects.order_by("pk").iterator(chunk_size=500):
            with transaction.atomic():
                alerts = no_lead_professional_check(family)
            if alerts:
                families += 1
                raised += len(alerts)
        self.stdout.write(f"{families} families without a lead professional; {raised} alerts")
