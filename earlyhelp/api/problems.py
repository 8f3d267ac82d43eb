"""RFC 9457 problem details: every error the API gives, in one shape.

``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and
``instance``; a 422 adds ``errors``, a message list per field. Problems with meaning beyond
their status have a ``type`` page at /api/v1/problems/<slug>; the rest are ``about:blank``.
Missing and forbidden records give the same 404 body, so an answer never tells whether a
record exists.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from earlyhelp.core.errors import EditConflict, NotFoundOrForbidden, ValidationProblem

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("earlyhelp.api")

CONTENT_TYPE = "application/problem+json"
REALM = 'Bearer realm="Early Help Hub API"'
NOT_FOUND_DETAIL = "There is no record here, or you do not have access to it."


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    description: str


PROBLEM_TYPES = {
    t.slug: t
    for t in [
        ProblemType(
            "validation-error",
            "Your request has errors",
            422,
            "Some values are missing or not valid. `errors` has a list of messages for each "
            "field, named as in the request (`__all__` for the request as a whole). Nothing "
            "was saved.",
        ),
        ProblemType(
            "edit-conflict",
            "The record has changed since you read it",
            409,
            "Someone changed the record after you read it, so your change was not applied. "
            "Read the record again, check its current values and send your change with the "
            "new `version`.",
        ),
        ProblemType(
            "missing-scope",
            "Your token does not allow this",
            403,
            "The token is valid but was not issued with the scope this operation needs. Ask "
            "for a token with that scope; the scope is named in `detail` and in the "
            "WWW-Authenticate header.",
        ),
        ProblemType(
            "malformed-request",
            "The request could not be read",
            400,
            "The body is not valid JSON, or a header (such as Idempotency-Key) is malformed.",
        ),
        ProblemType(
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different request",
            422,
            "Within 24 hours an Idempotency-Key may be sent again only with the same method, "
            "path and body, and then the first answer is returned. Use a new key for a new "
            "request.",
        ),
    ]
}


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = Field(examples=["about:blank"])
    title: str
    status: int
    detail: str = ""
    instance: str = ""


class ValidationProblemDetails(Problem):
    errors: dict[str, list[str]] = Field(
        examples=[{"nhs_number": ["Enter a valid NHS number: 10 digits, like 943 476 5919"]}]
    )


def problem_response(
    request: HttpRequest,
    status: int,
    *,
    detail: str = "",
    slug: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    if slug:
        kind = PROBLEM_TYPES[slug]
        type_uri, title = reverse("api:problem_type", args=[slug]), kind.title
    else:
        type_uri, title = "about:blank", HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body), status=status, content_type=CONTENT_TYPE, headers=headers
    )
    return response


def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(request, 404, detail=NOT_FOUND_DETAIL)


def unauthorised(request: HttpRequest) -> HttpResponse:
    # RFC 6750: say why a token was refused, but not for a request that sent none.
    error = getattr(request, "api_auth_error", "")
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return problem_response(
        request,
        401,
        detail="Send a valid token (Authorization: Bearer ...) or sign in with a second factor.",
        headers={"WWW-Authenticate": challenge},
    )


class MissingScope(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class CsrfFailed(Exception):
    """A signed-in browser sent a change without the CSRF token."""


class MalformedRequest(Exception):
    pass


class UnsupportedMediaType(Exception):
    pass


class IdempotencyKeyReused(Exception):
    pass


def _field_name(loc: tuple[Any, ...]) -> str:
    """ninja's ('body', 'payload', 'nhs_number') -> 'nhs_number'; ('query', 'limit') -> 'limit'."""
    source, *rest = loc
    if source == "body":
        rest = rest[1:]  # the operation's name for the body
    return ".".join(str(part) for part in rest) or "__all__"


_MESSAGES = {
    "missing": "This field is required",
    "extra_forbidden": "This field is not part of the request",
    "model_attributes_type": "Send a JSON object",
    "dict_type": "Send a JSON object",
}


def validation_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field_name(tuple(error.get("loc", ("body",))))
        kind = str(error.get("type", ""))
        message = _MESSAGES.get(kind) or str(error.get("msg", "This value is not valid"))
        message = message.removeprefix("Value error, ")
        if name == "__all__" and kind == "missing":
            message = "Send a JSON object in the request body"
        errors.setdefault(name, []).append(message)
    return errors


def install_handlers(api: NinjaAPI) -> None:
    """Register a problem-details answer for every exception an operation can raise."""

    def invalid(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
        detail = "Some values are missing or not valid."
        if request.method not in ("GET", "HEAD"):
            detail += " Nothing was saved."
        return problem_response(request, 422, slug="validation-error", detail=detail, errors=errors)

    def validation_problem(request: HttpRequest, exc: ValidationProblem) -> HttpResponse:
        return invalid(request, exc.errors)

    def request_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return invalid(request, validation_errors(exc))

    def edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        return problem_response(
            request,
            409,
            slug="edit-conflict",
            detail="The record was changed after the version you sent. Nothing was saved.",
        )

    def missing_scope(request: HttpRequest, exc: MissingScope) -> HttpResponse:
        return problem_response(
            request,
            403,
            slug="missing-scope",
            detail=f"This operation needs a token with the scope '{exc.scope}'.",
            headers={
                "WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{exc.scope}"'
            },
        )

    def csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
        return problem_response(
            request,
            403,
            detail="A change from a signed-in browser must send the X-CSRFToken header.",
        )

    def malformed(request: HttpRequest, exc: MalformedRequest) -> HttpResponse:
        return problem_response(request, 400, slug="malformed-request", detail=str(exc))

    def media_type(request: HttpRequest, exc: UnsupportedMediaType) -> HttpResponse:
        return problem_response(request, 415, detail="Send the request body as application/json.")

    def key_reused(request: HttpRequest, exc: IdempotencyKeyReused) -> HttpResponse:
        return problem_response(
            request,
            422,
            slug="idempotency-key-reused",
            detail="This Idempotency-Key was already used for a different request.",
            errors={"Idempotency-Key": ["Use a new key for a new request"]},
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return unauthorised(request)
        if isinstance(exc, Throttled):
            return problem_response(
                request, 429, detail="Too many requests. Wait before sending more."
            )
        if exc.status_code == 400:
            # ninja raises this when the body is not JSON; its message may hold parser details.
            return problem_response(
                request, 400, slug="malformed-request", detail="The body is not valid JSON."
            )
        return problem_response(request, exc.status_code)

    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return not_found(request)

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Unexpected error in %s %s", request.method, request.path, exc_info=exc)
        return problem_response(
            request, 500, detail="Something went wrong on our side. It has been logged."
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ValidationProblem, validation_problem),
        (NinjaValidationError, request_validation),
        (EditConflict, edit_conflict),
        (MissingScope, missing_scope),
        (CsrfFailed, csrf_failed),
        (MalformedRequest, malformed),
        (UnsupportedMediaType, media_type),
        (IdempotencyKeyReused, key_reused),
        (HttpError, http_error),
        (NotFoundOrForbidden, missing),
        (Http404, missing),
        (Exception, unexpected),
    ]
    for exception_class, handler in handlers:
        # ninja types a handler as taking the exception or its class; it gets an instance.
        api.add_exception_handler(exception_class, handler)
