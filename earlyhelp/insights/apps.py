from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Board insights: is the review's learning happening? Aggregate figures, trends and
    exports without identifiable data (issue 7).
    """

    name = "earlyhelp.insights"
    label = "insights"
    verbose_name = "Board insights"
