"""Chronology pages, mounted at /chronology/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "chronology"

urlpatterns: list[URLPattern] = []
