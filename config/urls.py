from django.urls import include, path

urlpatterns = [
    path("", include("earlyhelp.core.urls")),
    path("account/", include("earlyhelp.accounts.urls")),
    path("people/", include("earlyhelp.people.urls")),
    path("sharing/", include("earlyhelp.sharing.urls")),
    path("api/v1/", include("earlyhelp.api.urls")),
    path("records/", include("earlyhelp.records.urls")),
    path("frontdoor/", include("earlyhelp.frontdoor.urls")),
    path("assessments/", include("earlyhelp.assessments.urls")),
    path("levels/", include("earlyhelp.levels.urls")),
    path("safersleep/", include("earlyhelp.safersleep.urls")),
    path("plans/", include("earlyhelp.plans.urls")),
    path("chronology/", include("earlyhelp.chronology.urls")),
    path("alerts/", include("earlyhelp.alerts.urls")),
    path("reviews/", include("earlyhelp.reviews.urls")),
    path("notifications/", include("earlyhelp.notifications.urls")),
    path("worktray/", include("earlyhelp.worktray.urls")),
    path("housing/", include("earlyhelp.housing.urls")),
    path("insights/", include("earlyhelp.insights.urls")),
]

handler400 = "earlyhelp.core.views.bad_request"
handler403 = "earlyhelp.core.views.permission_denied"
handler404 = "earlyhelp.core.views.page_not_found"
handler500 = "earlyhelp.core.views.server_error"
