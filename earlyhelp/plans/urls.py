"""Plans pages, mounted at /plans/."""

from django.urls import URLPattern, path

from earlyhelp.plans import views

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("families/<int:family_pk>/team/", views.team, name="team"),
    path(
        "families/<int:family_pk>/team/members/new/",
        views.team_member_new,
        name="team_member_add",
    ),
    path(
        "team-members/<int:team_member_pk>/end/",
        views.team_member_end_page,
        name="team_member_end",
    ),
    path("families/<int:family_pk>/plan/", views.plan, name="plan"),
    path("families/<int:family_pk>/plan/actions/new/", views.action_add, name="action_add"),
    path("families/<int:family_pk>/plan/family-copy/", views.family_copy, name="family_copy"),
    path(
        "families/<int:family_pk>/plan/family-copy.pdf",
        views.family_copy_pdf,
        name="family_copy_pdf",
    ),
    path("actions/<int:action_pk>/", views.action_update, name="action_update"),
]
