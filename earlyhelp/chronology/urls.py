"""Chronology pages, mounted at /chronology/."""

from django.urls import URLPattern, path

from earlyhelp.chronology import views

app_name = "chronology"

urlpatterns: list[URLPattern] = [
    path("families/<int:family_pk>/", views.family_chronology, name="family"),
    path("families/<int:family_pk>/print/", views.family_chronology_print, name="family_print"),
    path("families/<int:family_pk>/pdf/", views.family_chronology_pdf, name="family_pdf"),
    path("people/<int:person_pk>/", views.person_chronology, name="person"),
]
