from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    """One multi-agency timeline per family and per person (issue 5)."""

    name = "earlyhelp.chronology"
    label = "chronology"
    verbose_name = "Chronology"
