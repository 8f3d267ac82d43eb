from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """The whole-family early-help assessment and its contributions (R-WT-4, R-EHA-1, R-TIME-2)."""

    name = "earlyhelp.assessments"
    label = "assessments"
    verbose_name = "Early-help assessments"
