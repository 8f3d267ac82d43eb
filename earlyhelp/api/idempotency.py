"""``Idempotency-Key`` on POST: a retried request gets the first answer, not a second write.

The key is claimed (a row with a unique (client, key)) in the same transaction as the write,
so two requests with one key cannot both write: the second waits for the first and then
replays its answer. Only successful answers are kept (for 24 hours); after an error the key
is free again, so the client can correct the request and retry with the same key.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder, Status
from pydantic import BaseModel

from earlyhelp.api.auth import client_key
from earlyhelp.api.models import IdempotencyRecord
from earlyhelp.api.problems import IdempotencyKeyReused, MalformedRequest

HEADER = "Idempotency-Key"
LIFETIME = datetime.timedelta(hours=24)
_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII, as in a quoted header string


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _serialise(result: Any) -> tuple[int, Any]:
    status, value = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    if not isinstance(value, BaseModel):
        raise TypeError("An idempotent operation must return a schema instance")
    # Encoded as ninja encodes the answer, so a replay is the same JSON as the first answer.
    return status, json.loads(json.dumps(value.model_dump(), cls=NinjaJSONEncoder))


def idempotent(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator (after authentication and validation) for every POST."""

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return view_func(request, *args, **kwargs)
        key = key.strip().strip('"')
        if not _KEY.fullmatch(key):
            raise MalformedRequest(
                f"{HEADER} must be 1 to 200 visible ASCII characters, like a UUID."
            )
        client = client_key(request)
        fingerprint = _request_hash(request)
        error: Exception | None = None
        with transaction.atomic():
            IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
            record, created = IdempotencyRecord.objects.get_or_create(
                client=client,
                key=key,
                defaults={"request_hash": fingerprint, "status_code": 0, "response_body": {}},
            )
            if not created:
                if record.request_hash != fingerprint:
                    raise IdempotencyKeyReused
                response = JsonResponse(record.response_body, status=record.status_code, safe=False)
                response["Idempotent-Replayed"] = "true"
                return response
            try:
                result = view_func(request, *args, **kwargs)
                record.status_code, record.response_body = _serialise(result)
                record.save(update_fields=["status_code", "response_body"])
            except Exception as exc:
                # Free the key but keep what the failed attempt recorded (refused looks).
                error = exc
                try:
                    with transaction.atomic():
                        record.delete()
                except DatabaseError:
                    transaction.set_rollback(True)
        if error is not None:
            raise error
        return result

    return wrapper
