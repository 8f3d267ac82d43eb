from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "earlyhelp.alerts"
    label = "alerts"
