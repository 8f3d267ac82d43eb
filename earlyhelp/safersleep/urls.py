"""Safer sleep pages, mounted at /safersleep/."""

from django.urls import URLPattern, path

from earlyhelp.safersleep import views

app_name = "safersleep"

urlpatterns: list[URLPattern] = [
    path("families/<int:family_pk>/assessments/new/", views.assessment_add, name="assessment_add"),
    path(
        "families/<int:family_pk>/observations/new/",
        views.observation_add,
        name="observation_add",
    ),
    path("families/<int:family_pk>/disruptions/new/", views.disruption_add, name="disruption_add"),
    path(
        "assessments/<int:safer_sleep_assessment_pk>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path("contacts/<int:hv_contact_pk>/complete/", views.contact_complete, name="contact_complete"),
]
