"""The overdue sweep: alerts for overdue plan reviews, plan actions and front-door decisions
(issue 5 item 5), raised once per item per due date (rules.overdue_dedupe_key).

Run daily: ``manage.py overdue_sweep`` (cron), or the ``overdue_sweep_daily`` task, which
enqueues itself for the next morning. Who is told:

- an agreed plan whose review date has passed: the family's lead professional;
- an action past its due date, not done or stopped: the practitioner of the team member who
  owns it (the lead professional when that member has left, or the family owns it);
- a request for support not decided by its decision date: every front-door worker.

The alerts name the family (in-app only); their e-mails name only the kind (the outbox).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from earlyhelp.accounts.models import Role, User
from earlyhelp.alerts import rules
from earlyhelp.alerts.services import alert_raise


@dataclass
class SweepReport:
    reviews: int = 0
    actions: int = 0
    decisions: int = 0


def _plan_url(family_id: int) -> str:
    return reverse("plans:plan", kwargs={"family_pk": family_id})


def front_door_workers() -> list[User]:
    """Everyone working at the front door now."""
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.FRONT_DOOR, memberships__ended_on__isnull=True
        ).distinct()
    )


def overdue_sweep(*, today: datetime.date) -> SweepReport:
    """Raise the overdue alerts due ``today``; how many items were found overdue of each."""
    from earlyhelp.frontdoor.models import RequestForSupport
    from earlyhelp.plans.models import ActionStatus, PlanAction, PlanStatus
    from earlyhelp.plans.models import Plan as PlanModel
    from earlyhelp.plans.selectors import lead_professional

    report = SweepReport()
    plans = PlanModel.objects.filter(status=PlanStatus.AGREED, review_on__lt=today).select_related(
        "family"
    )
    for plan in plans.iterator():
        assert plan.review_on is not None
        if not rules.plan_review_overdue(status=plan.status, review_on=plan.review_on, today=today):
            continue
        report.reviews += 1
        lead = lead_professional(family=plan.family)
        if lead is None:
            continue  # "no lead professional" is its own alert (earlyhelp.plans)
        with transaction.atomic():
            alert_raise(
                recipients=[lead],
                kind=rules.PLAN_REVIEW_OVERDUE,
                title=f"Plan review overdue: {plan.family.name}",
                body=f"The plan's review was due on {plan.review_on:%d %B %Y}.",
                url=_plan_url(plan.family_id),
                dedupe_key=rules.overdue_dedupe_key("plan-review", plan.pk, plan.review_on),
            )

    actions = (
        PlanAction.objects.filter(
            plan__status=PlanStatus.AGREED,
            due_on__lt=today,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
        )
        .select_related("plan__family", "owner_member__practitioner")
        .order_by("pk")
    )
    for action in actions.iterator():
        if not rules.action_overdue(status=action.status, due_on=action.due_on, today=today):
            continue
        report.actions += 1
        member = action.owner_member
        owner: User | None
        if member is not None and member.left_on is None and member.practitioner.is_active:
            owner = member.practitioner
        else:
            owner = lead_professional(family=action.plan.family)
        if owner is None:
            continue
        with transaction.atomic():
            alert_raise(
                recipients=[owner],
                kind=rules.PLAN_ACTION_OVERDUE,
                title=f"Plan action overdue: {action.plan.family.name}",
                body=f"An action you own was due on {action.due_on:%d %B %Y}.",
                url=_plan_url(action.plan.family_id),
                dedupe_key=rules.overdue_dedupe_key("action", action.pk, action.due_on),
            )

    requests = (
        RequestForSupport.objects.filter(decided_at__isnull=True, decision_due_on__lt=today)
        .select_related("family")
        .order_by("pk")
    )
    workers = front_door_workers() if requests.exists() else []
    for request in requests.iterator():
        if not rules.decision_overdue(
            decided=request.is_decided, decision_due_on=request.decision_due_on, today=today
        ):
            continue
        report.decisions += 1
        if not workers:
            continue
        with transaction.atomic():
            alert_raise(
                recipients=workers,
                kind=rules.FRONT_DOOR_DECISION_OVERDUE,
                title=f"Front door decision overdue: {request.family.name}",
                body=f"The decision was due on {request.decision_due_on:%d %B %Y}.",
                url=reverse("frontdoor:request_detail", kwargs={"request_pk": request.pk}),
                dedupe_key=rules.overdue_dedupe_key(
                    "front-door", request.pk, request.decision_due_on
                ),
            )
    return report
