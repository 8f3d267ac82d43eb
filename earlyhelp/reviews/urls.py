"""Reviews pages, mounted at /reviews/."""

from django.urls import URLPattern

app_name = "reviews"

urlpatterns: list[URLPattern] = []
