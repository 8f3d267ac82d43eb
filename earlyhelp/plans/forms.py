"""Forms for the team and plan pages: they turn what was typed into values; whether the
values are acceptable is plans.services' decision (its messages land on these fields)."""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.assessments.rules import HEADLINE_OUTCOMES
from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.plans.models import ActionStatus, TeamAroundFamilyMember


def _textarea(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, max_length=5000, widget=forms.Textarea
    )


def _radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


class LeadProfessionalForm(GovukForm):
    member = _radios("Who is the lead professional?", [], "Choose a member of the team")
    family_view = _textarea(
        "What did the family say about who their lead professional is?",
        "In their words, for example: Chloe asked for Hana because she already knows her",
    )
    reason = _textarea("Why is the role changing?", "Only needed when handing over")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, data: Any = None, *, members: list[TeamAroundFamilyMember], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.pk), f"{m.practitioner} ({m.organisation.name})") for m in members]


class PlanStartForm(GovukForm):
    family_words = _textarea(
        "In the family's words, what do they want to change?",
        "Write what they said, as they said it",
    )


class OutcomeForm(GovukForm):
    headline = _radios(
        "Supporting Families headline outcome",
        [(k.value, v) for k, v in HEADLINE_OUTCOMES.items()],
        "Select the Supporting Families headline outcome this is about",
    )
    description = _textarea("What will be different for the family?")
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanAgreeForm(GovukForm):
    review_on = DayMonthYearField(label="Review date", help_text="For example, 15 1 2027")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(GovukForm):
    description = _textarea("What will be done?", "Specific, measurable and realistic")
    owner = _radios("Who will do it?", [], "Choose who owns the action")
    due_on = DayMonthYearField(label="Due date", help_text="For example, 15 1 2027")
    outcome = forms.TypedChoiceField(
        label="Which outcome is it for?", choices=[], required=False, coerce=int, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        members: list[TeamAroundFamilyMember],
        outcomes: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("family", "The family")] + [
            (str(m.pk), f"{m.practitioner} ({m.organisation.name})") for m in members
        ]
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [("", "Not linked to one outcome")] + [
            (str(o.pk), o.description[:80]) for o in outcomes
        ]


class ActionUpdateForm(GovukForm):
    status = _radios("Status", ActionStatus.choices, "Select the action's status")
    progress_note = _textarea("Progress", "What has happened since the last update")
    version = forms.IntegerField(widget=forms.HiddenInput)
