"""Recording every look at personal data (AccessEvent), in the same request as the look."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from earlyhelp.core.chain import chained_insert, seal_after_commit
from earlyhelp.core.models import AccessAction, AccessEvent


def _actor_and_client(request: HttpRequest | None, actor: Any) -> tuple[Any, str]:
    client = getattr(request, "api_client_name", "") if request is not None else ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return user, client


def access_record(
    *,
    actor: Any,
    action: AccessAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    route: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AccessEvent:
    """Write one access event. ``route`` names the policy route that allowed it."""
    user, client = _actor_and_client(request, actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    event = chained_insert(
        AccessEvent,
        actor=user,
        client=client,
        action=action,
        object_type=object_type,
        object_id=object_id,
        route=route,
        detail=detail[:500],
        path=request.path[:500] if request is not None else "",
    )
    seal_after_commit(AccessEvent)
    return event
