"""Your alerts over /api/v1/: the same selectors and service as the "Your alerts" page.

Every operation acts as the calling account and reaches only that account's own alerts:
someone else's alert, or a missing one, is the same 404 problem. Board analysts and system
administrators have no inbox (404 problem). Scopes: reading alerts needs ``people:read`` and
acknowledging ``people:write``, the scopes of the family records alerts are about and link
to (a partner system that reads a practitioner's families may read their alerts about them).
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from earlyhelp.alerts import selectors, services
from earlyhelp.alerts.models import Alert
from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId

router = Router(tags=["Alerts"])

READ, WRITE = Scope.PEOPLE_READ, Scope.PEOPLE_WRITE


class AlertOut(Schema):
    id: int
    kind: str = Field(description="What raised it, e.g. safer_sleep_red_flag")
    title: str
    body: str
    url: str = Field(description="The page of the record it is about; empty when there is none")
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None = Field(description="Null while open")


class AlertPageOut(Schema):
    items: list[AlertOut] = Field(description="Newest first")
    next_after: int | None = Field(
        description="Send as `after` for the next (older) page; null at the end"
    )


class AlertListQuery(Schema):
    open: bool = Field(True, description="Only alerts not yet acknowledged; false for all")
    after: RecordId | None = Field(None, description="The previous page's `next_after`")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


class AlertAcknowledgeIn(Input):
    """Nothing to send: an empty object, or no body at all."""


def _out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        kind=alert.kind,
        title=alert.title,
        body=alert.body,
        url=alert.url,
        created_at=alert.created_at,
        acknowledged_at=alert.acknowledged_at,
    )


@router.get("/alerts", **operation(READ, {200: AlertPageOut}))
def alert_list(request: HttpRequest, query: Query[AlertListQuery]) -> AlertPageOut:
    """Your alerts, newest first: open ones only unless `open=false`.

    Keyset pages: send the previous answer's `next_after` as `after`.
    """
    page = selectors.alert_list(
        actor=api_actor(request),
        open_only=query.open,
        after_id=query.after,
        limit=query.limit,
        request=request,
    )
    return AlertPageOut(items=[_out(a) for a in page.alerts], next_after=page.next_after)


@router.post(
    "/alerts/{record_id:alert_id}/acknowledge", **operation(WRITE, {200: AlertOut}, body=True)
)
def alert_acknowledge(
    request: HttpRequest, alert_id: int, payload: AlertAcknowledgeIn | None = None
) -> AlertOut:
    """Acknowledge one of your alerts. Doing it again changes nothing and answers the same."""
    return _out(
        services.alert_acknowledge(actor=api_actor(request), alert_id=alert_id, request=request)
    )
