"""Levels of need pages, mounted at /levels/."""

from django.urls import URLPattern, path  # noqa: F401 - pages are added here

app_name = "levels"

urlpatterns: list[URLPattern] = []
