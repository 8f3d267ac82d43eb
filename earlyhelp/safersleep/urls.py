"""Safer sleep pages, mounted at /safersleep/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "safersleep"

urlpatterns: list[URLPattern] = []
