"""The e-mail outbox for the system administrator, mounted at /notifications/."""

from django.urls import URLPattern, path

from earlyhelp.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("", views.outbox, name="outbox"),
    path("<int:notification_id>/retry/", views.retry, name="retry"),
]
