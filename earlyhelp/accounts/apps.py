from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earlyhelp.accounts"
    label = "accounts"

    def ready(self) -> None:
        from earlyhelp.accounts import signals  # noqa: F401  (connects the receivers)
