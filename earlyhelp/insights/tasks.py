"""The background task that recomputes the board figures (Django's task framework).

Run nightly (``manage.py insights_recompute --enqueue`` from cron, or the command itself) and
on demand from the board page. Without a task backend configured, the figures are
recomputed straight away.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from earlyhelp.insights.services import figures_recompute


@task()
def insights_recompute() -> int:
    """Recompute every board figure; returns how many were stored."""
    return figures_recompute().figures


def insights_recompute_request() -> bool:
    """Ask for a recompute: enqueued when a task backend is configured (True), otherwise
    done now (False)."""
    if getattr(settings, "TASKS", None):
        insights_recompute.enqueue()
        return True
    figures_recompute()
    return False
