"""Information governance pages, mounted at /records/: only the information governance lead."""

from django.urls import path

from earlyhelp.records import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/new/", views.sar_new, name="sar_new"),
    path("subject-access/<int:pk>/", views.sar_detail, name="sar_detail"),
    path(
        "subject-access/<int:pk>/exemptions/new/",
        views.sar_exemption_add,
        name="sar_exemption_add",
    ),
    path(
        "subject-access/<int:pk>/response.pdf",
        views.sar_download,
        {"format": "pdf"},
        name="sar_download_pdf",
    ),
    path(
        "subject-access/<int:pk>/response.json",
        views.sar_download,
        {"format": "json"},
        name="sar_download_json",
    ),
    path("subject-access/<int:pk>/sent/", views.sar_response_sent, name="sar_response_sent"),
    path("retention/", views.retention, name="retention"),
    path(
        "retention/reviews/<int:pk>/",
        views.retention_review_detail,
        name="retention_review_detail",
    ),
    path(
        "retention/rules/<slug:record_class>/change/",
        views.retention_rule_change,
        name="retention_rule_change",
    ),
    path("legal-holds/", views.legal_hold_list, name="legal_hold_list"),
    path("legal-holds/new/", views.legal_hold_new, name="legal_hold_new"),
    path("legal-holds/<int:pk>/lift/", views.legal_hold_lift, name="legal_hold_lift"),
]
