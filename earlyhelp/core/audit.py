"""Audit of changes: call inside the transaction of the change (house style)."""

from __future__ import annotations

from typing import Any

from django.db import models

from earlyhelp.core.chain import chained_insert, seal_after_commit
from earlyhelp.core.memo import request_memo_clear
from earlyhelp.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    client: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = chained_insert(
        AuditEvent,
        actor=user,
        client=client,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:500],
        changes=changes or {},
    )
    seal_after_commit(AuditEvent)
    request_memo_clear()  # a change may change what the actor may see
    return event
