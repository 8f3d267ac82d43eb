from django.urls import path

from earlyhelp.accounts import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/security-code/", views.totp_verify, name="totp_verify"),
    path("sign-in/set-up-authenticator-app/", views.totp_enrol, name="totp_enrol"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("change-password/", views.password_change, name="password_change"),
    path("set-password/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    # System administrators only.
    path("manage/", manage_views.account_list, name="account_list"),
    path("manage/new/", manage_views.account_create, name="account_create"),
    path("manage/<int:account_id>/", manage_views.account_detail, name="account_detail"),
    path(
        "manage/<int:account_id>/memberships/new/",
        manage_views.membership_add,
        name="membership_add",
    ),
    path(
        "manage/<int:account_id>/memberships/<int:membership_id>/end/",
        manage_views.membership_end,
        name="membership_end",
    ),
    path(
        "manage/<int:account_id>/deactivate/",
        manage_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "manage/<int:account_id>/reactivate/",
        manage_views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "manage/<int:account_id>/reset-authenticator-app/",
        manage_views.authenticator_reset,
        name="authenticator_reset",
    ),
    path(
        "manage/<int:account_id>/set-password-link/",
        manage_views.password_set_link,
        name="password_set_link",
    ),
]
