"""Work trays pages, mounted at /worktray/."""

from django.urls import URLPattern

app_name = "worktray"

urlpatterns: list[URLPattern] = []
