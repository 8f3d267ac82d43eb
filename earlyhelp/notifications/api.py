"""The e-mail outbox over /api/v1/, for the system administrator: the same selectors and
service as the page. Anyone else gets the 404 problem. Scopes: reading needs
``assessments:read`` and trying a failed e-mail again ``assessments:write``.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from earlyhelp.api.auth import api_actor
from earlyhelp.api.models import Scope
from earlyhelp.api.openapi import operation
from earlyhelp.api.schemas import Input, RecordId
from earlyhelp.notifications import selectors, services
from earlyhelp.notifications.models import Notification

router = Router(tags=["Notifications"])

READ, WRITE = Scope.ASSESSMENTS_READ, Scope.ASSESSMENTS_WRITE


class NotificationOut(Schema):
    id: int
    reference: str = Field(description="Unique; sent to GOV.UK Notify as `reference`")
    recipient_id: int = Field(description="The practitioner's account")
    alert_kind: str = Field(description="The only thing the e-mail says, with a sign-in link")
    status: str = Field(description="queued, sending, sent or failed")
    attempts: int
    next_attempt_at: datetime.datetime
    last_error: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None


class NotificationPageOut(Schema):
    items: list[NotificationOut] = Field(description="Newest first")
    next_after: int | None = Field(description="Send as `after` for the next page")


class NotificationListQuery(Schema):
    show: str = Field(
        selectors.FAILED, pattern="^(failed|waiting)$", description="failed or waiting"
    )
    after: RecordId | None = Field(None, description="The previous page's `next_after`")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


class NotificationRetryIn(Input):
    """Nothing to send: an empty object, or no body at all."""


def _out(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=row.pk,
        reference=row.reference,
        recipient_id=row.recipient_id,
        alert_kind=str(row.personalisation.get("alert_kind", "")),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


@router.get("/notifications", **operation(READ, {200: NotificationPageOut}))
def notification_list(
    request: HttpRequest, query: Query[NotificationListQuery]
) -> NotificationPageOut:
    """E-mails that failed (default) or are waiting to be sent, newest first.

    System administrator only. Keyset pages: send the previous answer's `next_after` as
    `after`.
    """
    page = selectors.outbox_list(
        actor=api_actor(request),
        show=query.show,
        after_id=query.after,
        limit=query.limit,
        request=request,
    )
    return NotificationPageOut(
        items=[_out(n) for n in page.notifications], next_after=page.next_after
    )


@router.post(
    "/notifications/{record_id:notification_id}/retry",
    **operation(WRITE, {200: NotificationOut}, body=True),
)
def notification_retry(
    request: HttpRequest, notification_id: int, payload: NotificationRetryIn | None = None
) -> NotificationOut:
    """Queue a failed e-mail again (422 if it has not failed). System administrator only."""
    return _out(
        services.notification_retry(
            actor=api_actor(request), notification_id=notification_id, request=request
        )
    )
