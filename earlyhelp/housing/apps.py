from django.apps import AppConfig


class HousingConfig(AppConfig):
    """Housing as a safeguarding partner: young-parent priority, in-area placements, child
    impact, notices and hand-over (issue 6).
    """

    name = "earlyhelp.housing"
    label = "housing"
    verbose_name = "Housing"
