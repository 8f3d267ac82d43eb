"""Forms for requesting support, acknowledging and deciding.

As elsewhere: a form turns what was typed into values and frontdoor.services decides whether
they are acceptable (its messages go on the matching fields). Forms check only choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from earlyhelp.accounts.models import Organisation
from earlyhelp.frontdoor.rules import (
    AGREEMENT_LABELS,
    CIRCUMSTANCE_LABELS,
    ROUTE_LABELS,
    URGENCY_LABELS,
    Agreement,
)
from earlyhelp.people.forms import GovukForm
from earlyhelp.people.models import FamilyMember
from earlyhelp.sharing.forms_consent import RevealingForm
from earlyhelp.sharing.models import Consent, InformationCategory, SharingDecision

SELECT_FROM_LIST = "Select from the list"
WHOLE_FAMILY = "family"
NO_CATEGORY = "none"
WRITTEN_BASIS = "written"
RELOAD = "The page was out of date. Reload it and try again"


def _text_area(label: str, *, hint: str = "", max_length: int = 5000, rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": str(rows)}),
        error_messages={"max_length": f"Enter {max_length} characters or fewer"},
    )


def _radios(label: str, choices: Any, *, message: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RequestForm(RevealingForm):
    """A request for support (R-WT-3, R-WT-7)."""

    about_person = _radios(
        "Who is it mainly about?", [], message="Select a member of this family or the whole family"
    )
    concern = _text_area(
        "What are you worried about?",
        hint="What has happened, how it affects the children or the unborn baby, and what "
        "help you think is needed",
        rows=6,
    )
    category = _radios(
        "Does it include sensitive information?",
        [],
        message=SELECT_FROM_LIST,
        hint="Sensitive information is shown only to those who may read it",
    )
    circumstances = forms.MultipleChoiceField(
        label="Do any of these apply? (optional)",
        help_text="Each one prompts the front door to consider early help",
        choices=[(c.value, label) for c, label in CIRCUMSTANCE_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": SELECT_FROM_LIST},
    )
    family_knows = _text_area(
        "What does the family know about this request?",
        hint="Early help is voluntary: the family should know what you are asking for and why",
        rows=3,
    )
    agreement = _radios(
        "Does the family agree to the request?",
        [(a.value, label) for a, label in AGREEMENT_LABELS.items()],
        message="Select whether the family agrees to the request",
    )
    not_asked_reason = _text_area("Why has the family not been asked?", rows=3)
    urgency = _radios(
        "How urgent is it?",
        [(u.value, label) for u, label in URGENCY_LABELS.items()],
        message="Select how urgent this is",
    )
    sharing_basis = _radios(
        "On what basis are you sharing this with the front door?",
        [],
        message=SELECT_FROM_LIST,
    )
    sharing_basis_note = _text_area(
        "The basis for sharing",
        hint="For example: Chloe agreed at her appointment today; or safeguarding, UK GDPR "
        "Art 6(1)(e) and DPA 2018 Sch 1 para 18",
        max_length=500,
        rows=2,
    )
    requesting_organisation = _radios(
        "On behalf of which agency?", [], message="Select an agency you work for"
    )

    reveals = {
        "agreement": {Agreement.NOT_ASKED.value: ["not_asked_reason"]},
        "sharing_basis": {WRITTEN_BASIS: ["sharing_basis_note"]},
    }

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMember],
        consents: Sequence[Consent],
        decisions: Sequence[SharingDecision],
        categories: Sequence[InformationCategory],
        organisations: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(m.person_id): m.person for m in members}
        self.category_objects = {str(c.pk): c for c in categories}
        self.consent_objects = {f"consent-{c.pk}": c for c in consents}
        self.decision_objects = {f"decision-{d.pk}": d for d in decisions}
        self.organisation_objects = {str(o.pk): o for o in organisations}
        _set_choices(
            self,
            "about_person",
            [(WHOLE_FAMILY, "The whole family")]
            + [
                (
                    str(m.person_id),
                    f"{m.person.display_name} ({m.get_relationship_display().lower()})",
                )
                for m in members
            ],
        )
        _set_choices(
            self,
            "category",
            [(NO_CATEGORY, "No")] + [(str(c.pk), f"Yes: {c.name.lower()}") for c in categories],
        )
        _set_choices(
            self,
            "sharing_basis",
            [
                (key, f"Consent from {c.given_by.display_name}: {c.purpose}")
                for key, c in self.consent_objects.items()
            ]
            + [
                (key, f"Decision to share of {d.decided_at:%-d %B %Y}: {d.purpose}")
                for key, d in self.decision_objects.items()
            ]
            + [(WRITTEN_BASIS, "Another basis: write it here")],
        )
        _set_choices(self, "requesting_organisation", [(str(o.pk), o.name) for o in organisations])
        if len(organisations) == 1:
            self.fields["requesting_organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("requesting_organisation", str(organisations[0].pk))

    def values(self) -> dict[str, Any]:
        """Keyword arguments for services.request_for_support_make."""
        data = getattr(self, "cleaned_data", {})
        basis = data.get("sharing_basis") or ""
        return {
            "about_person": self.people.get(data.get("about_person") or ""),
            "concern": data.get("concern") or "",
            "category": self.category_objects.get(data.get("category") or ""),
            "circumstances": list(data.get("circumstances") or []),
            "family_knows": data.get("family_knows") or "",
            "agreement": data.get("agreement") or "",
            "not_asked_reason": data.get("not_asked_reason") or "",
            "urgency": data.get("urgency") or "",
            "consent": self.consent_objects.get(basis),
            "sharing_decision": self.decision_objects.get(basis),
            "sharing_basis_note": (data.get("sharing_basis_note") or "")
            if basis == WRITTEN_BASIS
            else "",
            "requesting_organisation": self.organisation_objects.get(
                data.get("requesting_organisation") or ""
            ),
        }


class VersionForm(GovukForm):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": RELOAD,
            "invalid": RELOAD,
            "min_value": RELOAD,
        },
    )


class AcknowledgeForm(VersionForm):
    """Acknowledge the request: the requester is told (R-TIME-1)."""


class DecideForm(VersionForm):
    """The front door's decision on the type of response (R-WT-3, R-WT-8)."""

    route = _radios(
        "What is the response?",
        [(r.value, label) for r, label in ROUTE_LABELS.items()],
        message="Select the type of response",
    )
    reasons = _text_area(
        "Reasons for the decision",
        hint="What you considered, including any prompts to consider early help",
        rows=6,
    )
    family_agrees = forms.BooleanField(
        label="The family now agrees to early help",
        help_text="Early help and a team around the family need the family's agreement",
        required=False,
    )
