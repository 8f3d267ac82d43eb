from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail notifications through GOV.UK Notify, sent from a transactional outbox by a
    background worker (issue 5).
    """

    name = "earlyhelp.notifications"
    label = "notifications"
    verbose_name = "Notifications"
