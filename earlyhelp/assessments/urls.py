"""Early-help assessments pages, mounted at /assessments/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "assessments"

urlpatterns: list[URLPattern] = []
