"""Your alerts, mounted at /alerts/."""

from django.urls import URLPattern, path

from earlyhelp.alerts import views

app_name = "alerts"

urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
