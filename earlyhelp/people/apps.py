from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "earlyhelp.people"
    label = "people"
