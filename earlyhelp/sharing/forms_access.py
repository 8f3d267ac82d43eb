"""Forms for recording information, emergency access and its review.

As in people.forms, a form only turns what was typed into values; whether they are acceptable
is the service's decision, and its messages land on the matching fields (``add_problem``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.people.forms import INVALID_NHS_NUMBER, NHS_NUMBER_HINT, DayMonthYearField, GovukForm
from earlyhelp.people.rules import nhs_number_is_valid, normalise_nhs_number
from earlyhelp.sharing.models import BreakGlassReview, InformationCategory
from earlyhelp.sharing.services.break_glass import REASON_MIN_LENGTH, PersonIdentifiers

GENERAL = "general"


def _text(label: str, *, hint: str = "", max_length: int = 200, width: str = "") -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={**attrs, "autocomplete": "off"}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _textarea(label: str, *, hint: str = "", max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


class InformationForm(GovukForm):
    """What your agency knows about a person (R-IS-4, R-IS-5, R-IS-12)."""

    category = forms.ChoiceField(
        label="What kind of information is it?",
        help_text=(
            "Information in a sensitive category is shown in full only to agencies that need "
            "it and have a basis to see it; others may see a short flag"
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of information it is",
            "invalid_choice": "Select what kind of information it is",
        },
    )
    summary = _text("Summary", hint="One line that others will read first")
    detail = _textarea("Detail", hint="Optional. What happened, when, and what you did")
    referrer = _text(
        "Who told you",
        hint="Optional. A person or organisation outside your agency, if someone told you",
        width="20",
    )
    referrer_confidential = forms.BooleanField(
        label="Keep who told you confidential: only your agency will see their name",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in InformationCategory.objects.order_by("name")}
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (GENERAL, "General information: everyone who works with the person can read it"),
            *[(code, c.name) for code, c in self.categories.items()],
        ]

    def chosen_category(self) -> InformationCategory | None:
        return self.categories.get(self.cleaned_data["category"])


class BreakGlassForm(GovukForm):
    """Who the emergency is about, and why it cannot wait."""

    nhs_number = forms.CharField(
        label="NHS number",
        help_text=f"If you know it. {NHS_NUMBER_HINT}",
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
        error_messages={"max_length": INVALID_NHS_NUMBER},
    )
    given_name = _text("Given name", hint="Exactly as it would be recorded", width="20")
    family_name = _text("Family name", width="20")
    date_of_birth = DayMonthYearField(label="Date of birth", help_text="For example, 27 3 2009")
    reason = _textarea(
        "Why do you need emergency access now?",
        hint=(
            f"At least {REASON_MIN_LENGTH} characters. Say what the risk to the child is and "
            "why it cannot wait for the front door. Information governance will read this"
        ),
        max_length=2000,
    )

    def clean_nhs_number(self) -> str:
        number = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if number and not nhs_number_is_valid(number):
            raise forms.ValidationError(INVALID_NHS_NUMBER)
        return number

    def identifiers(self) -> PersonIdentifiers:
        data = self.cleaned_data
        return PersonIdentifiers(
            nhs_number=data["nhs_number"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data.get("date_of_birth"),
        )


class BreakGlassReviewForm(GovukForm):
    review = forms.ChoiceField(
        label="Was this use of emergency access justified?",
        choices=BreakGlassReview.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = _textarea(
        "Note",
        hint="Why you decided this. The practitioner's manager may read it",
        max_length=2000,
    )
