"""Housing pages, mounted at /housing/."""

from django.urls import URLPattern, path

from earlyhelp.housing import views

app_name = "housing"

urlpatterns: list[URLPattern] = [
    path("", views.work_tray, name="work_tray"),
    path("board/", views.board, name="board"),
    path("families/<int:family_pk>/", views.family, name="family"),
    path("families/<int:family_pk>/cases/new/", views.case_open, name="case_open"),
    path("families/<int:family_pk>/duty-to-refer/", views.duty_to_refer, name="duty_to_refer"),
    path(
        "cases/<int:housing_case_pk>/priority-review/",
        views.priority_review,
        name="priority_review",
    ),
    path("cases/<int:housing_case_pk>/child-impact/", views.child_impact, name="child_impact"),
    path("cases/<int:housing_case_pk>/placements/new/", views.placement_new, name="placement_new"),
    path(
        "placements/<int:housing_placement_pk>/suitability/", views.suitability, name="suitability"
    ),
    path("placements/<int:housing_placement_pk>/approval/", views.approval, name="approval"),
    path("placements/<int:housing_placement_pk>/end/", views.placement_end, name="placement_end"),
    path(
        "placements/<int:housing_placement_pk>/handovers/new/",
        views.handover_new,
        name="handover_new",
    ),
    path("notices/<int:housing_notice_pk>/letter/", views.notice_letter, name="notice_letter"),
    path("notices/<int:housing_notice_pk>/letter.pdf", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:housing_notice_pk>/sent/", views.notice_sent, name="notice_sent"),
]
