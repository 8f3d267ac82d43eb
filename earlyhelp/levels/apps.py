from django.apps import AppConfig


class LevelsConfig(AppConfig):
    """The threshold framework and levels-of-need decisions (R-WT-2, R-LON-1 to R-LON-6)."""

    name = "earlyhelp.levels"
    label = "levels"
    verbose_name = "Levels of need"
