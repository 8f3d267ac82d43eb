"""Pages: a plan's reviews, and recording a review (progress per need, the family's view,
the decision; a step up or down with its handover; closing with its reason and the outcome
per need). Reads through reviews.selectors (the sharing policy and the record of every
look), writes through reviews.services; outsiders get 404 (R-EHA-3, R-EHA-4, R-LON-2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.errors import EditConflict, ValidationProblem
from earlyhelp.core.http import page_actor, posted
from earlyhelp.levels.models import FrameworkLevel
from earlyhelp.levels.selectors import framework_in_force
from earlyhelp.levels.services import receiving_practitioners
from earlyhelp.plans.models import PlanStatus
from earlyhelp.plans.services import review_intervals
from earlyhelp.plans.views import CONFLICT, plans_page
from earlyhelp.reviews import rules, selectors, services
from earlyhelp.reviews.forms import ReviewForm

NOT_AGREED = "Only an agreed plan can be reviewed: agree it with the family first"


@require_GET
@plans_page("plans.plan")
def plan_reviews(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The plan's reviews, newest first, and its closure."""
    view = selectors.plan_reviews_view(actor=page_actor(request), plan_id=plan_pk, request=request)
    return render(request, "reviews/plan_reviews.html", {"view": view})


@require_http_methods(["GET", "POST"])
@plans_page("plans.plan")
def review_record(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Record a review of the agreed plan (one form; the closure fields on the same page)."""
    actor = page_actor(request)
    view = selectors.plan_reviews_view(actor=actor, plan_id=plan_pk, request=request)
    framework = framework_in_force()
    levels = list(FrameworkLevel.objects.filter(framework=framework)) if framework else []
    practitioners = receiving_practitioners()
    form = ReviewForm(
        posted(request),
        needs=view.outcomes,
        levels=levels,
        practitioners=practitioners,
        initial={"version": view.plan.version},
    )
    if request.method == "POST" and view.plan.status != PlanStatus.AGREED:
        form.add_problem(ValidationProblem({"__all__": [NOT_AGREED]}))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receiving = next((u for u in practitioners if u.pk == data["receiving_practitioner"]), None)
        try:
            review = services.review_record(
                actor=actor,
                plan=view.plan,
                version=data["version"],
                held_on=data["held_on"],
                family_view=data["family_view"],
                decision=data["decision"],
                progress=form.by_need("progress"),
                notes=form.by_need("note"),
                next_review_on=data["next_review_on"],
                rationale=data["rationale"],
                decided_level_code=data["decided_level"],
                handover=data["handover"],
                receiving_practitioner=receiving,
                closure_reason=data["closure_reason"],
                closure_results=form.by_need("result"),
            )
        except ValidationProblem as problem:
            form.add_problem(problem)
        except EditConflict:
            form.add_problem(ValidationProblem({"__all__": [CONFLICT]}))
        else:
            label = rules.DECISION_LABELS[rules.Decision(review.decision)]
            messages.success(request, f"Review recorded: {label.lower()}")
            return redirect("reviews:plan_reviews", plan_pk=plan_pk)
    return render(
        request,
        "reviews/review_form.html",
        {
            "view": view,
            "form": form,
            "default_next": rules.next_review_due(
                timezone.localdate(),
                view.current_level.decided_level.code if view.current_level else None,
                review_intervals(),
            ),
        },
    )
