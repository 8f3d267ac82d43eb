"""Board insights pages, mounted at /insights/."""

from django.urls import URLPattern, path

from earlyhelp.insights import views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("measures/<slug:measure_id>/", views.measure_detail, name="measure"),
    path(
        "measures/<slug:measure_id>/<slug:table>.csv",
        views.measure_export,
        {"fmt": "csv"},
        name="export",
    ),
    path(
        "measures/<slug:measure_id>/<slug:table>.xlsx",
        views.measure_export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path("measures/<slug:measure_id>/families/", views.measure_families, name="families"),
    path("quarterly-return.csv", views.quarterly_return, {"fmt": "csv"}, name="quarterly_return"),
    path(
        "quarterly-return.xlsx",
        views.quarterly_return,
        {"fmt": "xlsx"},
        name="quarterly_return_xlsx",
    ),
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("recompute/", views.recompute, name="recompute"),
]
