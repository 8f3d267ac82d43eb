"""Levels of need pages, mounted at /levels/."""

from earlyhelp.levels import views

app_name = "levels"

urlpatterns = views.urlpatterns
