"""The review form: it turns what was typed into values; whether they are acceptable is
reviews.services' decision (its messages land on these fields, named as the service names
them: progress_<need>, result_<need>, decided_level...)."""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.accounts.models import User
from earlyhelp.levels.models import FrameworkLevel
from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.plans.models import PlanOutcome
from earlyhelp.reviews import rules


def _textarea(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, max_length=5000, widget=forms.Textarea
    )


def _radios(label: str, choices: Any, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select one of the options"},
    )


class ReviewForm(GovukForm):
    held_on = DayMonthYearField(
        label="When was the review held?", help_text="For example, 15 1 2027"
    )
    family_view = _textarea("What did the family say about how things are going?", "In their words")
    decision = _radios(
        "What was decided?", [(d.value, label) for d, label in rules.DECISION_LABELS.items()]
    )
    next_review_on = DayMonthYearField(
        label="Next review date (optional)",
        help_text="Leave blank for the interval set for the family's level of need",
    )
    rationale = _textarea(
        "Why was this decided?", "Needed when stepping up or down: the level decision's rationale"
    )
    decided_level = _radios(
        "Which level of need does the family step to?",
        [],
        "When stepping up or down, or closing with a step (for example to universal services)",
    )
    receiving_practitioner = forms.TypedChoiceField(
        label="Who receives the family?",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a practitioner from the list"},
    )
    handover = _textarea("Handover", "What the receiving practitioner needs to know")
    closure_reason = _radios(
        "Why is the plan closing?",
        [(r.value, label) for r, label in rules.CLOSURE_REASON_LABELS.items()],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        needs: list[PlanOutcome],
        levels: list[FrameworkLevel],
        practitioners: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.needs = needs
        level_field = self.fields["decided_level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [(lv.code, lv.name) for lv in levels]
        receiving = self.fields["receiving_practitioner"]
        assert isinstance(receiving, forms.ChoiceField)
        receiving.choices = [("", "Choose a practitioner")] + [
            (u.pk, u.full_name) for u in practitioners
        ]
        for need in needs:
            self.fields[rules.progress_field(need.pk)] = _radios(
                f"Progress: {need.description}",
                [(p.value, label) for p, label in rules.PROGRESS_LABELS.items()],
            )
            self.fields[f"note_{need.pk}"] = _textarea(
                f"Notes on progress: {need.description} (optional)"
            )
            self.fields[rules.result_field(need.pk)] = _radios(
                f"Outcome at closure: {need.description}",
                [(r.value, label) for r, label in rules.NEED_RESULT_LABELS.items()],
                "Only when closing the plan",
            )
        # The error summary follows the page's order.
        self.order_fields(
            ["held_on"]
            + [f"{kind}_{n.pk}" for n in needs for kind in ("progress", "note")]
            + ["family_view", "decision", "next_review_on", "rationale", "decided_level"]
            + ["receiving_practitioner", "handover", "closure_reason"]
            + [rules.result_field(n.pk) for n in needs]
        )

    def need_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[rules.progress_field(n.pk)], self[f"note_{n.pk}"]) for n in self.needs]

    def result_fields(self) -> list[forms.BoundField]:
        return [self[rules.result_field(n.pk)] for n in self.needs]

    def by_need(self, prefix: str) -> dict[int, str]:
        return {
            n.pk: self.cleaned_data.get(f"{prefix}_{n.pk}") or ""
            for n in self.needs
            if self.cleaned_data.get(f"{prefix}_{n.pk}")
        }
