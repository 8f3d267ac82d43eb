from django.apps import AppConfig


class WorktrayConfig(AppConfig):
    """Work trays: a practitioner's families, actions, reviews and alerts; a manager's
    caseload and overdue work by team (issue 5).
    """

    name = "earlyhelp.worktray"
    label = "worktray"
    verbose_name = "Work trays"
