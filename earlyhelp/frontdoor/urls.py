"""Front door pages, mounted at /frontdoor/."""

from django.urls import URLPattern, path

from earlyhelp.frontdoor import views

app_name = "frontdoor"

urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("families/<int:family_pk>/requests/new/", views.request_add, name="request_add"),
    path("requests/<int:request_pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("requests/<int:request_pk>/decide/", views.decide, name="decide"),
]
