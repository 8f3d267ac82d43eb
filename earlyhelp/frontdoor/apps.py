from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    """Requests for support and the front door's decisions (R-WT-3, R-WT-8, R-TIME-1)."""

    name = "earlyhelp.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
