"""Forms for safer sleep. As elsewhere, a form turns what was typed into values; whether they
are acceptable is the service's decision, its messages landing on the matching fields."""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.people.models import Person
from earlyhelp.safersleep import rules

YES_NO = [("yes", "Yes"), ("no", "No")]


def _textarea(label: str, *, hint: str = "", max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _yes_no(label: str, *, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select yes or no"},
    )


def _yes_no_value(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SaferSleepForm(GovukForm):
    def error_anchor(self, name: str) -> str:
        bound = self[name]
        if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_0"
        return super().error_anchor(name)


class _BabyMixin(SaferSleepForm):
    person = forms.ChoiceField(
        label="Which baby is it about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the baby", "invalid_choice": "Select the baby"},
    )
    assessed_on = DayMonthYearField(
        label="Date", help_text="For example, 26 11 2026", required_message=""
    )
    equipment = forms.MultipleChoiceField(
        label="Equipment the family needs",
        help_text="Optional. Select all that apply; say in the plan who provides it and when",
        choices=rules.Equipment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select equipment from the list"},
    )

    def __init__(self, *args: Any, babies: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.babies = {str(b.pk): b for b in babies}
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, b.display_name) for key, b in self.babies.items()]
        if len(babies) == 1 and not self.initial.get("person"):
            self.initial["person"] = str(babies[0].pk)

    def chosen_baby(self) -> Person | None:
        return self.babies.get(self.cleaned_data.get("person") or "")


class AssessmentForm(_BabyMixin):
    """The structured assessment (R-SS-2) at a contact (R-SS-1), with the advice given
    (R-EHA-5) and, for a red flag, the plan (R-SS-3)."""

    contact = forms.ChoiceField(
        label="Which contact is this?",
        choices=rules.AssessmentContact.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the contact this assessment was recorded at",
            "invalid_choice": "Select the contact this assessment was recorded at",
        },
    )
    sleeping_arrangements = _textarea(
        "Where and how does the baby sleep?",
        hint="For example, in their own cot in the parents' room, on their back",
    )
    conversation = _textarea(
        "The conversation about safer sleep",
        hint="The advice you gave and what the family said",
    )
    action_plan = _textarea(
        "Action plan",
        hint="Needed when there is a red flag: what will change, who does what, and by when",
    )
    complete_contact = forms.BooleanField(
        label="This visit also completes the health visiting contact", required=False
    )
    in_home = _yes_no("Was the contact in the family's home?", hint="Optional")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in rules.RISK_FIELDS:
            self.fields[name] = _yes_no(rules.RISK_QUESTIONS[name][0])
        # The risk questions come after the contact and the date, before the narrative.
        order = ["person", "contact", "assessed_on", *rules.RISK_FIELDS]
        self.order_fields(order)

    def risks(self) -> rules.SleepRisks:
        return rules.SleepRisks(
            **{name: _yes_no_value(self.cleaned_data.get(name, "")) for name in rules.RISK_FIELDS}
        )

    def risk_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in rules.RISK_FIELDS]


class ObservationForm(_BabyMixin):
    """What any agency saw of the baby's sleep (R-SS-4): only what was seen."""

    seen = forms.MultipleChoiceField(
        label="What did you see or hear?",
        help_text="Select all that apply",
        choices=[(name, rules.RISK_QUESTIONS[name][1]) for name in rules.RISK_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select from the list"},
    )
    sleeping_arrangements = _textarea(
        "Where does the baby sleep?", hint="Optional. What you saw: a cot, a sofa, a shared bed"
    )
    conversation = _textarea(
        "What did you say to the family?",
        hint="Needed if you saw sofa sleeping, or bed-sharing with smoking, drink or drugs",
    )
    action_plan = _textarea(
        "What happens next?",
        hint="Needed for the same risks: for example, health visitor asked to call today",
    )

    def risks(self) -> rules.SleepRisks:
        seen = set(self.cleaned_data.get("seen", []))
        return rules.SleepRisks(**{name: (True if name in seen else None) for name in seen})


class DisruptionForm(SaferSleepForm):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=rules.DisruptionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what happened",
            "invalid_choice": "Select what happened",
        },
    )
    occurred_on = DayMonthYearField(
        label="When did it happen?", help_text="For example, 24 11 2026"
    )
    details = _textarea(
        "Details",
        hint="Optional, unless you chose other. Only what the health visitor needs to know",
    )


class ContactCompleteForm(SaferSleepForm):
    completed_on = DayMonthYearField(
        label="Date of the contact", help_text="For example, 26 11 2026"
    )
    in_home = _yes_no("Was the contact in the family's home?")
    delegated_note = forms.CharField(
        label="If someone else delivered it for the named health visitor, who and why",
        help_text="Optional. The named health visitor stays accountable",
        max_length=500,
        required=False,
        error_messages={"max_length": "Enter 500 characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def in_home_value(self) -> bool | None:
        return _yes_no_value(self.cleaned_data.get("in_home", ""))
