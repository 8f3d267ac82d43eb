from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """See, plan, do, review: reviews of the plan, step up and step down, closure and the
    Supporting Families successful outcome (issue 5).
    """

    name = "earlyhelp.reviews"
    label = "reviews"
    verbose_name = "Reviews"
