"""Reviews pages, mounted at /reviews/."""

from django.urls import path

from earlyhelp.reviews import views

app_name = "reviews"

urlpatterns = [
    path("plans/<int:plan_pk>/", views.plan_reviews, name="plan_reviews"),
    path("plans/<int:plan_pk>/review/", views.review_record, name="review_record"),
]
