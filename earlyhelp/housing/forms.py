"""Forms for the housing pages: they turn what was typed into values; whether the values are
acceptable is housing.services' decision (its messages land on these fields)."""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.housing import rules
from earlyhelp.housing.models import CaseKind, HandoverService
from earlyhelp.housing.services import PART7_FUNCTIONS
from earlyhelp.people.forms import DayMonthYearField, GovukForm


def _text(label: str, hint: str = "", max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False, max_length=max_length)


def _textarea(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, max_length=5000, widget=forms.Textarea
    )


def _radios(label: str, choices: Any, message: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


def _yes(label: str, hint: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, help_text=hint, required=False)


def _date(label: str, hint: str = "For example, 27 11 2026") -> DayMonthYearField:
    return DayMonthYearField(label=label, help_text=hint)


RISKS = list(rules.RISK_LEVELS.items())


class CaseOpenForm(GovukForm):
    person = _radios("Who is the case for?", [], "Select the parent the case is for")
    kind = _radios("What kind of case is it?", CaseKind.choices, "Select the kind of case")
    reference = _text("Housing reference", "Optional. Your system's reference", 50)
    homeless = _yes("Homeless now or threatened with homelessness")
    pregnant = _yes("Pregnant")
    vulnerabilities = forms.MultipleChoiceField(
        label="Vulnerabilities",
        help_text="From the partnership's young-parent priority policy",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select vulnerabilities from the list"},
    )
    relevant_child_or_owed_s20 = _yes(
        "A relevant child, or owed accommodation under section 20 of the Children Act"
    )
    children_act_referral_on = _date(
        "Date referred for a Children Act assessment",
        "Needed first for a homeless 16- or 17-year-old (R-HOU-6). For example, 27 11 2026",
    )
    care_leaver = _yes("Care leaver")
    local_offer = _textarea(
        "The care leavers' local offer that applies", "For a care leaver (R-CL-3)"
    )
    corporate_parenting = _textarea(
        "How the corporate parenting principles were applied", "For a care leaver (R-CL-5)"
    )

    def __init__(
        self,
        data: Any = None,
        *,
        people: list[tuple[str, str]],
        vulnerabilities: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = people
        vulnerable = self.fields["vulnerabilities"]
        assert isinstance(vulnerable, forms.MultipleChoiceField)
        vulnerable.choices = vulnerabilities


class ChildImpactForm(GovukForm):
    sleeping_space = _textarea(
        "Where will the baby sleep? Is there a cot?", "Safe sleeping space for each child"
    )
    overcrowding = _textarea("Overcrowding")
    distance_from_support = _textarea(
        "Distance from the support the family uses",
        "Midwife, health visitor, Family Nurse Partnership, GP, substance service",
    )
    isolation = _textarea("Isolation", "Family, friends and community nearby")
    child_risk = _radios("Risk to the child", RISKS, "Select the risk to the child")
    tenancy_risk = _radios(
        "Risk to the tenancy", RISKS, "Select the risk to the tenancy", "Recorded separately"
    )
    tenancy_notes = _textarea("About the tenancy risk")


class PlacementForm(GovukForm):
    line_1 = _text("Address line 1")
    line_2 = _text("Address line 2 (optional)")
    town = _text("Town or city", max_length=100)
    postcode = _text("Postcode", max_length=10)
    local_authority = _text(
        "Local authority", "The housing authority whose district the address is in", 100
    )
    placement_type = _radios(
        "Type of accommodation",
        list(rules.PLACEMENT_TYPE_LABELS.items()),
        "Select the type of accommodation",
    )
    start_on = _date("Start date")
    end_on = _date("End date (optional)")
    no_alternative_reason = _textarea(
        "Why is there no alternative to bed and breakfast?",
        "Only for bed and breakfast: at most 6 weeks for a pregnant woman or children (R-HOU-4)",
    )
    trustee = _text("Adult trustee or co-tenant", "Needed when the tenant is under 18 (R-HOU-7)")
    part7_function = _radios(
        "Part 7 function used",
        list(PART7_FUNCTIONS.items()),
        "Select the Part 7 function the placement is made under",
        "For a placement outside the area: it goes in the notice (R-HOU-3)",
    )


class SuitabilityForm(GovukForm):
    distance_from_district = _textarea(rules.LOCATION_FACTORS["distance_from_district"])
    disruption_to_work_care_education = _textarea(
        rules.LOCATION_FACTORS["disruption_to_work_care_education"]
    )
    access_to_medical_and_support = _textarea(
        rules.LOCATION_FACTORS["access_to_medical_and_support"]
    )
    local_services_and_transport = _textarea(rules.LOCATION_FACTORS["local_services_and_transport"])
    why_nothing_nearer = _textarea(
        "Why was nothing nearer available?",
        "For this household: a general shortage is not enough (R-HOU-2)",
    )


class ApprovalForm(GovukForm):
    note = _textarea("Why do you approve this placement outside the area?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HandoverForm(GovukForm):
    service = _radios(
        "Service the support is handed to",
        HandoverService.choices,
        "Select the service the support is handed to",
    )
    receiving_team = _text("Receiving team")
    contact = _text("Contact (optional)")
    handed_over_on = _date("Date handed over")
    notes = _textarea("Notes (optional)")


class NoticeSentForm(GovukForm):
    sent_on = _date("Date the notice was sent")


class DutyToReferForm(GovukForm):
    person = _radios(
        "Who is homeless or threatened with homelessness?",
        [],
        "Select who is homeless or threatened with homelessness",
    )
    consent = _yes("They agreed to the referral", "A referral needs their consent (R-HOU-9)")
    chosen_authority = _text("Housing authority they chose", max_length=100)
    homeless_now = _yes("Homeless now")
    homeless_on = _date("If not, the date they are likely to become homeless")
    referred_on = _date("Date of the referral")
    notes = _textarea("Notes (optional)")

    def __init__(self, data: Any = None, *, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = people


class PriorityReviewForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlacementEndForm(GovukForm):
    end_on = _date("Date the household leaves")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
