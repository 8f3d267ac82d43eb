"""Plans pages, mounted at /plans/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "plans"

urlpatterns: list[URLPattern] = []
