"""People pages, mounted at /people/."""

from django.urls import path

from earlyhelp.people import views

app_name = "people"

urlpatterns = [
    path("", views.search_people, name="search"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/change/", views.person_edit, name="person_edit"),
    path("<int:pk>/record-birth/", views.record_birth, name="record_birth"),
    path("<int:pk>/addresses/new/", views.address_add, name="address_add"),
    # One name, two subjects: reverse with family_pk or person_pk.
    path(
        "<int:person_pk>/involvements/new/",
        views.involvement_add,
        name="involvement_add",
    ),
    path("families/", views.family_list, name="family_list"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
    path("families/<int:pk>/members/new/", views.member_add, name="member_add"),
    path(
        "families/<int:family_pk>/involvements/new/",
        views.involvement_add,
        name="involvement_add",
    ),
    path("involvements/<int:pk>/end/", views.involvement_end, name="involvement_end"),
]
