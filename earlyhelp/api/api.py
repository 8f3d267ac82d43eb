"""The /api/v1/ NinjaAPI: its routers, authentication, problem details and OpenAPI document.

Operations live in each app's ``api.py`` (a Router) and are mounted here.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from earlyhelp.api.auth import ClientRateThrottle, requires
from earlyhelp.api.idempotency import idempotent
from earlyhelp.api.openapi import document
from earlyhelp.api.problems import MissingScope, install_handlers, unauthorised

DESCRIPTION = """\
The Early Help Hub API, version 1. Every operation applies the partnership's sharing policy to
the account the request acts as, and every look at a record is recorded (for a token, with its
label as the client's name).

**Authentication.** Either `Authorization: Bearer <token>` (tokens are issued with
`manage.py api_token_issue` and carry scopes: `people:read`, `people:write`, `search`,
`sharing:read`, `sharing:write`, `assessments:read`, `assessments:write`), or the
signed-in browser session (after the second factor; changes must send `X-CSRFToken`).

**Errors** are RFC 9457 problem details (`application/problem+json`). A record that does not
exist and one you may not see give the same 404. A 422 lists messages per field in `errors`.

**Retries.** Send `Idempotency-Key` with a POST to make a retry safe: the same request with the
same key within 24 hours returns the first answer and writes nothing.
"""


class EarlyHelpAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The function's name ("person_get"), which names the service it calls; client
        # generators turn it into a method name. Names are unique across routers (tested).
        return str(operation.view_func.__name__)


def _credentials_required(view: Any) -> Any:
    """The OpenAPI document answers to a valid token (any scope) or a verified session."""
    auth = requires(None)

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            if any(check(request) for check in auth):
                return view(request, *args, **kwargs)
        except MissingScope:  # pragma: no cover - no scope is asked for
            pass
        return unauthorised(request)

    return wrapped


api = EarlyHelpAPI(
    title="Early Help Hub API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    # The browsable docs are our own page (earlyhelp.api.views.docs): local files, CSP nonce.
    docs_url=None,
    docs_decorator=_credentials_required,
    throttle=[ClientRateThrottle()],
)
install_handlers(api)
api.add_decorator(idempotent, mode="operation")
api.add_router("/", "earlyhelp.people.api.router")
api.add_router("/", "earlyhelp.sharing.api.consent.router")
api.add_router("/", "earlyhelp.sharing.api.access.router")
api.add_router("/", "earlyhelp.records.api.router")
api.add_router("/", "earlyhelp.frontdoor.api.router")
api.add_router("/", "earlyhelp.assessments.api.router")
api.add_router("/", "earlyhelp.levels.api.router")
api.add_router("/", "earlyhelp.safersleep.api.router")
api.add_router("/", "earlyhelp.plans.api.router")
api.add_router("/", "earlyhelp.chronology.api.router")
api.add_router("/", "earlyhelp.alerts.api.router")
api.add_router("/", "earlyhelp.reviews.api.router")
api.add_router("/", "earlyhelp.notifications.api.router")
api.add_router("/", "earlyhelp.worktray.api.router")
api.add_router("/", "earlyhelp.housing.api.router")
api.add_router("/", "earlyhelp.insights.api.router")
