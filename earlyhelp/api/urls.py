"""/api/v1/: the API's operations and OpenAPI document, its docs, and problems for the rest."""

from django.urls import URLPattern, path, re_path

from earlyhelp.api import views
from earlyhelp.api.api import api

app_name = "api"


def _guard(patterns: list) -> list:
    return [
        URLPattern(p.pattern, views.guarded(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


urlpatterns = [
    path("docs", views.docs, name="docs"),
    path("docs/assets/<str:name>", views.docs_asset, name="docs_asset"),
    path("problems/<slug:slug>", views.problem_type, name="problem_type"),
    *_guard(api.urls[0]),
    re_path(r"", views.unknown, name="unknown"),
]
