"""Front door pages, mounted at /frontdoor/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "frontdoor"

urlpatterns: list[URLPattern] = []
