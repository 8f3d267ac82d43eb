from django.apps import AppConfig


class SaferSleepConfig(AppConfig):
    """Safer-sleep assessments, health visiting contacts, disruption of routine (R-SS, R-HCP-1)."""

    name = "earlyhelp.safersleep"
    label = "safersleep"
    verbose_name = "Safer sleep"

    def ready(self) -> None:
        from earlyhelp.safersleep import signals  # noqa: F401 - connects the receivers
