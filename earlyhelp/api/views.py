"""The pages around the API: browsable docs, problem type pages, and problems for bad URLs."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ninja
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from earlyhelp.api.problems import CONTENT_TYPE, PROBLEM_TYPES, not_found, problem_response

logger = logging.getLogger("earlyhelp.api")

# Swagger UI as shipped inside django-ninja: no CDN, so the docs work offline and under our CSP.
NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI over the OpenAPI document, for a signed-in (second factor done) user."""
    user = request.user
    if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return redirect_to_login(request.get_full_path())
    return render(request, "api/docs.html", {"openapi_url": reverse("api:openapi-json")})


@require_GET
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in DOCS_ASSETS:
        return not_found(request)
    return FileResponse((NINJA_STATIC / name).open("rb"), content_type=DOCS_ASSETS[name])


@require_GET
def problem_type(request: HttpRequest, slug: str) -> HttpResponse:
    """What a problem ``type`` means, for the person reading an error."""
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        return not_found(request)
    return render(request, "api/problem_type.html", {"problem": kind})


@csrf_exempt
def unknown(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other URL under /api/v1/: a problem, not the HTML 404 page."""
    return not_found(request)


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap each ninja URL so that what happens before or around an operation is a problem too.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises when it is read), a body that is
    not JSON, a method the path does not have, and a 404 from ninja's root view would otherwise
    be Django's HTML or plain-text answers.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in BODY_METHODS:
            try:
                body = request.body
            except RequestDataTooBig:
                return problem_response(
                    request, 413, detail="The request body is larger than 1 MiB."
                )
            if body and not _is_json(request.content_type or ""):
                return problem_response(
                    request, 415, detail="Send the request body as application/json."
                )
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        except Exception:
            # Operations answer their own errors; this is for the views around them.
            logger.exception("Unexpected error in %s %s", request.method, request.path)
            return problem_response(
                request, 500, detail="Something went wrong on our side. It has been logged."
            )
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            return problem_response(
                request,
                405,
                detail=f"This path answers {response['Allow']}.",
                headers={"Allow": response["Allow"]},
            )
        return response

    return wrapped
