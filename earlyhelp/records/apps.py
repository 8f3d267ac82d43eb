from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Information governance: subject access requests, retention and legal holds."""

    name = "earlyhelp.records"
    label = "records"
    verbose_name = "Records management"
