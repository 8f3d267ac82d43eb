"""Early-help assessments pages, mounted at /assessments/."""

from django.urls import URLPattern, path

from earlyhelp.assessments import views

app_name = "assessments"

urlpatterns: list[URLPattern] = [
    path("families/<int:family_pk>/start/", views.assessment_start, name="assessment_start"),
    path("<int:assessment_pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "<int:assessment_pk>/contributions/new/",
        views.contribution_add,
        name="contribution_add",
    ),
    path(
        "contributions/<int:contribution_pk>/change/",
        views.contribution_change,
        name="contribution_change",
    ),
    path("<int:assessment_pk>/drafts/<str:form_key>/", views.draft, name="draft"),
    path("subjects/<int:subject_pk>/change/", views.subject_change, name="subject_change"),
    path("<int:assessment_pk>/clock/", views.clock_start, name="clock_start"),
    path("<int:assessment_pk>/overdue-reason/", views.overdue_reason, name="overdue_reason"),
    path("<int:assessment_pk>/complete/", views.assessment_complete, name="assessment_complete"),
    path("<int:assessment_pk>/sign-off/", views.assessment_sign_off, name="assessment_sign_off"),
]
