"""Work trays over /api/v1/: the same selectors as the pages.

Every operation acts as the calling account: "my" lists are the caller's own, each family,
action and plan in them passed through the sharing policy (R-IS-4), in keyset pages (send
the previous answer's ``next_after`` as ``after``). Board analysts and system
administrators have no tray (404 problem); the team overview is for team managers, about
their own teams only (404 problem for anyone else). Scope: ``assessments:read``.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.worktray import selectors

router = Router(tags=["Work trays"])

READ = Scope.ASSESSMENTS_READ

NEXT_AFTER = "Send as `after` for the next page; null at the end"


class TrayQuery(Schema):
    after: str | None = Field(None, max_length=40, description="The previous page's `next_after`")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.PAGE_MAX)


class TrayFamilyOut(Schema):
    family_id: int
    family_name: str
    in_team: bool = Field(description="You are a member of the team around the family")
    lead_professional_name: str = Field(description="Empty when nobody has been named")
    you_are_lead_professional: bool
    plan_status: str = Field(description="Empty when there is no active plan")
    review_on: datetime.date | None = Field(description="Next review due of the agreed plan")
    review_overdue: bool
    overdue_actions: int


class TrayFamilyPageOut(Schema):
    items: list[TrayFamilyOut] = Field(description="By family name")
    next_after: str | None = Field(description=NEXT_AFTER)


class TrayActionOut(Schema):
    action_id: int
    plan_id: int
    family_id: int
    family_name: str
    description: str
    due_on: datetime.date
    status: str
    overdue: bool
    days_overdue: int


class TrayActionPageOut(Schema):
    items: list[TrayActionOut] = Field(description="Soonest due first")
    next_after: str | None = Field(description=NEXT_AFTER)


class TrayReviewOut(Schema):
    plan_id: int
    family_id: int
    family_name: str
    review_on: datetime.date
    overdue: bool
    days_overdue: int


class TrayReviewPageOut(Schema):
    items: list[TrayReviewOut] = Field(description="Soonest due first")
    next_after: str | None = Field(description=NEXT_AFTER)


class TeamMemberWorkOut(Schema):
    user_id: int
    name: str
    caseload: str = Field(
        description='Families in their team around the family: "0".."100" or "over 100"'
    )
    lead_professional_for: str
    overdue_actions: str
    overdue_reviews: str
    alerts_open_over_two_days: str


class TeamOverviewPageOut(Schema):
    items: list[TeamMemberWorkOut] = Field(description="By name")
    next_after: str | None = Field(description=NEXT_AFTER)


@router.get("/worktray/families", **operation(READ, {200: TrayFamilyPageOut}))
def worktray_families(request: HttpRequest, query: Query[TrayQuery]) -> TrayFamilyPageOut:
    """My families: where you are in the team around the family or named on an involvement
    in force, with the lead professional, the next review due and overdue work."""
    actor = api_actor(request)
    selectors.tray_require(actor=actor, request=request)
    page = selectors.tray_families(
        viewer=actor, owner=actor, after=query.after, limit=query.limit, request=request
    )
    return TrayFamilyPageOut(
        items=[
            TrayFamilyOut(
                family_id=r.family.pk,
                family_name=r.family.name,
                in_team=r.in_team,
                lead_professional_name=r.lead_name,
                you_are_lead_professional=r.owner_is_lead,
                plan_status=r.plan_status,
                review_on=r.review_on,
                review_overdue=r.review_overdue,
                overdue_actions=r.overdue_actions,
            )
            for r in page.rows
        ],
        next_after=page.next_after,
    )


@router.get("/worktray/actions", **operation(READ, {200: TrayActionPageOut}))
def worktray_actions(request: HttpRequest, query: Query[TrayQuery]) -> TrayActionPageOut:
    """My actions: open actions of active plans that you own, soonest due first."""
    actor = api_actor(request)
    selectors.tray_require(actor=actor, request=request)
    page = selectors.tray_actions(
        viewer=actor, owner=actor, after=query.after, limit=query.limit, request=request
    )
    return TrayActionPageOut(
        items=[
            TrayActionOut(
                action_id=r.action.pk,
                plan_id=r.action.plan_id,
                family_id=r.family.pk,
                family_name=r.family.name,
                description=r.action.description,
                due_on=r.action.due_on,
                status=r.action.status,
                overdue=r.overdue,
                days_overdue=r.days_overdue,
            )
            for r in page.rows
        ],
        next_after=page.next_after,
    )


@router.get("/worktray/reviews", **operation(READ, {200: TrayReviewPageOut}))
def worktray_reviews(request: HttpRequest, query: Query[TrayQuery]) -> TrayReviewPageOut:
    """My reviews due: agreed plans of the families you lead, soonest review first."""
    actor = api_actor(request)
    selectors.tray_require(actor=actor, request=request)
    page = selectors.tray_reviews(
        viewer=actor, owner=actor, after=query.after, limit=query.limit, request=request
    )
    return TrayReviewPageOut(
        items=[
            TrayReviewOut(
                plan_id=r.plan.pk,
                family_id=r.family.pk,
                family_name=r.family.name,
                review_on=r.plan.review_on,
                overdue=r.overdue,
                days_overdue=r.days_overdue,
            )
            for r in page.rows
            if r.plan.review_on is not None
        ],
        next_after=page.next_after,
    )


@router.get("/worktray/team", **operation(READ, {200: TeamOverviewPageOut}))
def worktray_team_overview(request: HttpRequest, query: Query[TrayQuery]) -> TeamOverviewPageOut:
    """For team managers: each person in your teams with caseload and overdue work (figures
    stop at 100). Anyone who manages no team gets 404."""
    page = selectors.team_overview(
        actor=api_actor(request), after=query.after, limit=query.limit, request=request
    )
    return TeamOverviewPageOut(
        items=[
            TeamMemberWorkOut(
                user_id=r.user.pk,
                name=r.user.full_name,
                caseload=r.caseload,
                lead_professional_for=r.leading,
                overdue_actions=r.overdue_actions,
                overdue_reviews=r.overdue_reviews,
                alerts_open_over_two_days=r.stale_alerts,
            )
            for r in page.rows
        ],
        next_after=page.next_after,
    )
