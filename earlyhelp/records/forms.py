"""Forms for the information governance pages: they turn what was typed into values.

Whether the values are acceptable is records.services' decision; its messages are put on
the matching fields (``GovukForm.add_problem``), so the page and the API say the same thing.
"""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.records.rules import (
    ChildWishes,
    Competence,
    ExemptionKind,
    ExportSection,
    ReceivedVia,
    RecordClass,
    RequesterRelationship,
    RetentionTrigger,
)
from earlyhelp.sharing.models import InformationItem


def _text(label: str, *, hint: str = "", width: str = "", max_length: int = 200) -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    attrs.update({"autocomplete": "off", "spellcheck": "false"})
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _textarea(label: str, *, hint: str = "", max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _radios(
    label: str, choices: Any, *, required_message: str = "", hint: str = ""
) -> forms.ChoiceField:
    message = required_message or f"Select {label.lower()}"
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        required=bool(required_message),
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class SubjectAccessRequestForm(GovukForm):
    requester_name = _text("Name of the person asking", width="20")
    requester_relationship = _radios(
        "Who is asking?",
        RequesterRelationship.choices,
        required_message="Select who is asking",
    )
    received_via = _radios(
        "How did the request arrive?",
        ReceivedVia.choices,
        required_message="Select how the request arrived",
        hint="A request can come in any way, and does not need a form or a fee",
    )
    received_on = DayMonthYearField(
        label="Date the request arrived",
        help_text="The response is due one calendar month later. For example, 3 11 2026",
        required_message="Enter the date the request arrived",
    )
    nhs_number = _text(
        "NHS number of the person the request is about",
        hint="If you have it. Otherwise, enter their name and date of birth exactly as recorded",
        width="10",
        max_length=20,
    )
    given_name = _text("Given name", width="20", max_length=100)
    family_name = _text("Family name", width="20", max_length=100)
    date_of_birth = DayMonthYearField(
        label="Date of birth",
        help_text="For an unborn baby, the expected date of delivery. For example, 27 3 2009",
    )
    competence = _radios(
        "If they are under 18: do they understand the request well enough to decide about it?",
        Competence.choices,
        hint="Only for a child or an unborn baby",
    )
    competence_judgement = _textarea(
        "How did you judge their understanding?",
        hint="Only for a child. For example, who spoke to them, when, and what they understood",
    )
    child_wishes = _radios(
        "If a parent is asking for a competent young person's information: what does the "
        "young person want?",
        ChildWishes.choices,
        hint="Only when a person with parental responsibility asks",
    )
    child_wishes_note = _textarea("What the young person said", hint="Optional")


class SubjectAccessExemptionForm(GovukForm):
    kind = _radios("Exemption", ExemptionKind.choices, required_message="Select the exemption")
    withheld = _radios("What is withheld?", [], required_message="Select what is withheld")
    reason = _textarea(
        "Why is it withheld?",
        hint="For example, who was consulted about the serious harm test and what they said",
    )

    def __init__(self, *args: Any, items: list[InformationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                f"item:{item.pk}",
                f"Information recorded on {item.recorded_at:%d %B %Y} by "
                f"{item.source_organisation.name}: {item.summary}",
            )
            for item in items
        ]
        choices += [
            (f"section:{value}", f"All of: {label}") for value, label in ExportSection.choices
        ]
        field = self.fields["withheld"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.items = {str(item.pk): item for item in items}

    def target(self) -> tuple[InformationItem | None, str]:
        kind, _, value = self.cleaned_data["withheld"].partition(":")
        if kind == "item":
            return self.items[value], ""
        return None, value


class ResponseSentForm(GovukForm):
    sent_on = DayMonthYearField(
        label="Date the response was sent",
        help_text="For example, 1 12 2026",
        required_message="Enter the date the response was sent",
    )


class RetentionReviewForm(GovukForm):
    review_date = DayMonthYearField(
        label="Review date",
        help_text="Leave blank for today. A later date shows what would be due then, for "
        "planning; only a review for today can be carried out",
    )


class RetentionDestroyForm(GovukForm):
    confirmation_token = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        label="I have checked this list. Destroy these records permanently",
        required=False,
    )


class RetentionRuleForm(GovukForm):
    trigger = _radios(
        "The period counts from",
        RetentionTrigger.choices,
        required_message="Select what the period counts from",
    )
    period_years = forms.IntegerField(
        label="Period in years",
        min_value=1,
        max_value=150,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter a number of years from 1 to 150",
            "invalid": "Enter a number of years from 1 to 150",
            "min_value": "Enter a number of years from 1 to 150",
            "max_value": "Enter a number of years from 1 to 150",
        },
    )
    basis = _textarea(
        "What is the period based on?",
        hint="The law, the retention schedule or the decision, with its date",
    )


RECORD_CLASS_CHOICES = RecordClass.choices


class LegalHoldForm(GovukForm):
    family_number = forms.IntegerField(
        label="Family record number",
        help_text="For a hold on a whole household: the number in the family record's address",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the family record number as digits",
            "min_value": "Enter the family record number as digits",
        },
    )
    nhs_number = _text(
        "Or the person's NHS number", hint="For a hold on one person", width="10", max_length=20
    )
    given_name = _text("Or their given name", width="20", max_length=100)
    family_name = _text("Family name", width="20", max_length=100)
    date_of_birth = DayMonthYearField(label="Date of birth", help_text="For example, 27 3 2009")
    reason = _textarea(
        "Why must the records be kept?",
        hint="For example, the name of the inquiry or the Criminal Cases Review Commission's "
        "reference",
    )


class LegalHoldLiftForm(GovukForm):
    lift_reason = _textarea(
        "Why can the hold be lifted?",
        hint="For example, the inquiry has ended and confirmed it no longer needs the records",
    )
