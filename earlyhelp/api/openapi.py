"""What every operation documents: its answers (including each problem) and its scope."""

from __future__ import annotations

from typing import Any

from earlyhelp.api.auth import requires
from earlyhelp.api.models import Scope
from earlyhelp.api.problems import CONTENT_TYPE, Problem, ValidationProblemDetails

# Every operation can answer these: no credentials, scope or CSRF, missing or not allowed,
# bad parameters, too many requests, our fault.
_ALWAYS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: ValidationProblemDetails,
    429: Problem,
    500: Problem,
}
# And those with a body: not JSON, too big, not application/json.
_WITH_BODY: dict[int, Any] = {400: Problem, 413: Problem, 415: Problem}


def operation(
    scope: Scope,
    success: dict[int, Any],
    *,
    body: bool = False,
    conflict: bool = False,
) -> dict[str, Any]:
    """Keyword arguments for a router decorator: auth, responses and the scope's docs."""
    responses = {**success, **_ALWAYS, **(_WITH_BODY if body else {})}
    if conflict:
        responses[409] = Problem
    return {
        "auth": requires(scope),
        "response": responses,
        "openapi_extra": {"x-required-scope": str(scope)},
    }


IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "A unique value (such as a UUID) per intended write. Sending the same request again "
        "with the same key within 24 hours returns the first answer (with "
        "`Idempotent-Replayed: true`) instead of writing twice."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Finish the generated document: problem media type, scopes, idempotency header."""
    for operations in schema.get("paths", {}).values():
        for method, details in operations.items():
            for status, response in details.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content[CONTENT_TYPE] = content.pop("application/json")
            scope = details.get("x-required-scope")
            if scope and "security" in details:
                # OpenAPI 3.1 lets a non-OAuth requirement list the roles (scopes) it needs.
                details["security"] = [
                    {name: [scope] if name == "BearerToken" else [] for name in requirement}
                    for requirement in details["security"]
                ]
            if method == "post":
                details.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
    return schema
