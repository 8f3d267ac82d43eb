"""Work trays pages, mounted at /worktray/."""

from django.urls import URLPattern, path

from earlyhelp.worktray import views

app_name = "worktray"

urlpatterns: list[URLPattern] = [
    path("", views.tray, name="tray"),
    path("team/", views.team, name="team"),
    path("team/<int:user_pk>/", views.team_member, name="team_member"),
]
