from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "earlyhelp.plans"
    label = "plans"
