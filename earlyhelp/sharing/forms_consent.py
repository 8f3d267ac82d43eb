"""Forms for consent, sharing decisions, telling the family and advice requests.

As in people.forms: a form turns what was typed into values, and sharing.services.consent
decides whether they are acceptable (its messages go on the matching fields). Forms check
only what the page alone asks, such as "with consent" without choosing which consent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.forms import BoundField
from django.forms.boundfield import BoundWidget

from earlyhelp.accounts.models import AgencyType, Organisation
from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.people.models import FamilyMember
from earlyhelp.sharing.models import (
    Consent,
    ConsentGiver,
    InformationCategory,
    LawfulBasis,
    NoConsentReason,
    NotSharingReason,
    Regime,
)

SELECT_FROM_LIST = "Select from the list"
NO_CONSENT_IN_FORCE = (
    "There is no consent in force for this family. Record the consent first, or share "
    "without consent with a reason and a lawful basis"
)


def _text_area(label: str, *, hint: str = "", max_length: int = 5000, rows: int = 5) -> Any:
    """A GOV.UK textarea. Not required: the service says what is missing."""
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": str(rows)}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
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


def _checkboxes(label: str, *, hint: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": SELECT_FROM_LIST, "invalid_list": SELECT_FROM_LIST},
    )


def _person_label(member: FamilyMember) -> str:
    return f"{member.person.display_name} ({member.get_relationship_display().lower()})"


class RevealingForm(GovukForm):
    """Radios that reveal further questions under an answer (GOV.UK conditional reveal).

    ``reveals`` maps a radio field to {answer: [fields shown under it]}; the template walks
    ``form.revealed.<field>`` for (radio, [fields]) pairs.
    """

    reveals: ClassVar[dict[str, dict[str, list[str]]]] = {}

    @property
    def revealed(self) -> dict[str, list[tuple[BoundWidget, list[BoundField]]]]:
        pairs: dict[str, list[tuple[BoundWidget, list[BoundField]]]] = {}
        for name, by_answer in self.reveals.items():
            pairs[name] = [
                (radio, [self[f] for f in by_answer.get(str(radio.data["value"]), [])])
                for radio in self[name]
            ]
        return pairs

    def hidden_questions(self) -> set[str]:
        """Fields under answers not chosen: hidden on the page, so not to be faulted."""
        hidden: set[str] = set()
        for name, by_answer in self.reveals.items():
            chosen = str(self.cleaned_data.get(name) or "")
            for answer, fields in by_answer.items():
                if answer != chosen:
                    hidden.update(fields)
        return hidden

    def _chosen(self, name: str, objects: dict[str, Any]) -> list[Any]:
        return [objects[value] for value in self.cleaned_data.get(name, []) if value in objects]


class ConsentForm(RevealingForm):
    """Consent to share, and its scope (R-IS-13)."""

    given_by = _radios("Who gave consent?", [], message="Select who gave consent")
    giver_kind = _radios(
        "As whom did they consent?",
        ConsentGiver.choices,
        message="Select whether a parent or the young person gave consent",
        hint="A child or young person with enough understanding consents for themselves",
    )
    competence_judgement = _text_area(
        "Why do you judge them able to decide for themselves?",
        hint="What they understood about what will be shared, with whom and why",
    )
    covers_people = _checkboxes("Whose information does it cover?")
    categories = _checkboxes(
        "Which sensitive information does it cover?",
        hint="Leave all unticked if it covers only general information",
    )
    organisations = _checkboxes("Which agencies does it cover?")
    agency_types = _checkboxes(
        "Which types of agency does it cover?",
        hint="Every agency of the type, for example every GP practice",
    )
    purpose = _text_area("What is it for?", max_length=500, rows=3)
    starts_on = DayMonthYearField(label="Date it starts", help_text="For example, 26 11 2026")
    expires_on = DayMonthYearField(
        label="Date it ends (optional)",
        help_text="Leave blank if it lasts until it is withdrawn. For example, 26 5 2027",
    )

    reveals = {"giver_kind": {ConsentGiver.YOUNG_PERSON: ["competence_judgement"]}}

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMember],
        organisations: Sequence[Organisation],
        categories: Sequence[InformationCategory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(m.person_id): m.person for m in members}
        self.organisation_objects = {str(o.pk): o for o in organisations}
        self.category_objects = {str(c.pk): c for c in categories}
        self._set_choices(
            "given_by",
            [(str(m.person_id), _person_label(m)) for m in members if not m.person.is_unborn],
        )
        self._set_choices("covers_people", [(str(m.person_id), _person_label(m)) for m in members])
        self._set_choices("organisations", [(str(o.pk), o.name) for o in organisations])
        self._set_choices("categories", [(str(c.pk), c.name) for c in categories])
        self._set_choices("agency_types", list(AgencyType.choices))

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def values(self) -> dict[str, Any]:
        """Keyword arguments for services.consent.consent_record."""
        data = self.cleaned_data
        return {
            "given_by": self.people.get(data.get("given_by") or ""),
            "giver_kind": data.get("giver_kind") or "",
            "competence_judgement": data.get("competence_judgement") or "",
            "covers_people": self._chosen("covers_people", self.people),
            "categories": self._chosen("categories", self.category_objects),
            "organisations": self._chosen("organisations", self.organisation_objects),
            "agency_types": list(data.get("agency_types") or []),
            "purpose": data.get("purpose") or "",
            "starts_on": data.get("starts_on"),
            "expires_on": data.get("expires_on"),
        }


class Decision:
    """The page's one question: share with consent, share without, or do not share."""

    WITH_CONSENT = "share_with_consent"
    WITHOUT_CONSENT = "share_without_consent"
    NOT_SHARING = "do_not_share"
    CHOICES: ClassVar[list[tuple[str, str]]] = [
        (WITH_CONSENT, "Share, with the consent recorded for this family"),
        (WITHOUT_CONSENT, "Share without consent"),
        (NOT_SHARING, "Do not share"),
    ]


YES_NO = [("yes", "Yes"), ("no", "No, it is not safe to tell them")]


class SharingDecisionForm(RevealingForm):
    """A decision to share or not to share, with what, with whom, why and on what basis."""

    about_people = _checkboxes("Whose information is it?")
    what = _text_area(
        "What information?",
        hint="Only what the agencies need: not the whole record",
    )
    purpose = _text_area("What is it for?", max_length=500, rows=3)
    recipients = _checkboxes("Which agencies?")
    categories = _checkboxes(
        "Does it include sensitive information?",
        hint="Leave all unticked if it is only general information",
    )
    decision = _radios(
        "Will you share this information?",
        Decision.CHOICES,
        message="Select whether you will share",
        hint="Consent is not needed to share when a child may be at risk of harm",
    )
    consent = _radios("Which consent?", [], message="Select a consent that is in force")
    no_consent_reason = _radios(
        "Why without consent?",
        NoConsentReason.choices,
        message="Select why you are sharing without consent",
    )
    lawful_basis = _radios(
        "Lawful basis",
        [(b.value, b.label) for b in LawfulBasis if b != LawfulBasis.CONSENT],
        message="Select the lawful basis for sharing without consent",
    )
    not_sharing_reason = _radios(
        "Why not share?",
        NotSharingReason.choices,
        message="Select why you decided not to share",
    )
    regime = _radios(
        "Data protection regime",
        Regime.choices,
        message="Select the data protection regime",
        hint="Police processing for law enforcement is under DPA 2018 Part 3",
    )
    reasons = _text_area(
        "Reasons for your decision",
        hint="Why it is necessary, proportionate and relevant, or why not",
    )
    access_until = DayMonthYearField(
        label="Until when may they see the family's record? (optional)",
        help_text="Only if you are sharing. Leave blank for no end date. For example, 26 5 2027",
    )
    inform_family = _radios(
        "Will you tell the family what you shared?",
        YES_NO,
        message="Select whether you will tell the family",
        hint="Only if you are sharing. If yes, a task to tell them is created for you",
    )
    unsafe_to_inform_reason = _text_area(
        "Why is it not safe to tell them?", hint="For example, it would put the child at risk"
    )

    reveals = {
        "decision": {
            Decision.WITH_CONSENT: ["consent"],
            Decision.WITHOUT_CONSENT: ["no_consent_reason", "lawful_basis"],
            Decision.NOT_SHARING: ["not_sharing_reason"],
        },
        "inform_family": {"no": ["unsafe_to_inform_reason"]},
    }

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMember],
        organisations: Sequence[Organisation],
        categories: Sequence[InformationCategory],
        consents: Sequence[Consent],
        duty_to_share: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(m.person_id): m.person for m in members}
        self.organisation_objects = {str(o.pk): o for o in organisations}
        self.category_objects = {str(c.pk): c for c in categories}
        self.consent_objects = {str(c.pk): c for c in consents}
        self._set_choices("about_people", [(str(m.person_id), _person_label(m)) for m in members])
        self._set_choices("recipients", [(str(o.pk), o.name) for o in organisations])
        self._set_choices("categories", [(str(c.pk), c.name) for c in categories])
        self._set_choices("consent", [(str(c.pk), _consent_label(c)) for c in consents])
        if not consents:
            self.fields["consent"].help_text = NO_CONSENT_IN_FORCE
        if duty_to_share:
            # R-CW-3: once the duty to share is in force, this is the only reason not to.
            self._set_choices(
                "not_sharing_reason",
                [
                    (
                        NotSharingReason.MORE_DETRIMENTAL.value,
                        NotSharingReason.MORE_DETRIMENTAL.label,
                    )
                ],
            )

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if not decision and "decision" not in self.errors:
            self.add_error("decision", "Select whether you will share")
        if decision == Decision.WITH_CONSENT and not cleaned.get("consent"):
            self.add_error(
                "consent",
                "Select the consent you are sharing under"
                if self.consent_objects
                else NO_CONSENT_IN_FORCE,
            )
        if decision in (Decision.WITH_CONSENT, Decision.WITHOUT_CONSENT):
            if not cleaned.get("inform_family"):
                self.add_error("inform_family", "Select whether you will tell the family")
            elif cleaned["inform_family"] == "no" and not cleaned.get("unsafe_to_inform_reason"):
                self.add_error("unsafe_to_inform_reason", "Enter why it is not safe to tell them")
        return cleaned

    def values(self) -> dict[str, Any]:
        """Keyword arguments for services.consent.sharing_decision_record.

        Answers under a choice not taken are dropped: they were hidden on the page.
        """
        data = self.cleaned_data
        decision = data.get("decision") or ""
        share = decision in (Decision.WITH_CONSENT, Decision.WITHOUT_CONSENT)
        with_consent = decision == Decision.WITH_CONSENT
        tell = data.get("inform_family") != "no"
        return {
            "share": share,
            "what": data.get("what") or "",
            "purpose": data.get("purpose") or "",
            "reasons": data.get("reasons") or "",
            "about_people": self._chosen("about_people", self.people),
            "recipients": self._chosen("recipients", self.organisation_objects),
            "categories": self._chosen("categories", self.category_objects),
            "consent": self.consent_objects.get(data.get("consent") or "")
            if with_consent
            else None,
            "no_consent_reason": (
                data.get("no_consent_reason") or "" if decision == Decision.WITHOUT_CONSENT else ""
            ),
            "lawful_basis": (
                data.get("lawful_basis") or "" if decision == Decision.WITHOUT_CONSENT else ""
            ),
            "regime": data.get("regime") or "",
            "not_sharing_reason": data.get("not_sharing_reason") or "" if not share else "",
            "access_until": data.get("access_until") if share else None,
            "unsafe_to_inform_reason": (
                data.get("unsafe_to_inform_reason") or "" if share and not tell else ""
            ),
        }


def _consent_label(consent: Consent) -> str:
    until = f", until {consent.expires_on:%-d %B %Y}" if consent.expires_on else ""
    return f"From {consent.given_by.display_name}, for {consent.purpose}{until}"


class WithdrawConsentForm(GovukForm):
    note = _text_area(
        "Anything to note about the withdrawal? (optional)",
        hint="For example, how the family told you",
        max_length=500,
        rows=3,
    )


class InformFamilyForm(GovukForm):
    note = _text_area("How and when did you tell the family?", rows=3)


class AdviceAskForm(GovukForm):
    question = _text_area(
        "Your question",
        hint="Leave out names unless the information governance lead needs them",
    )
    urgent = forms.BooleanField(label="It is urgent", required=False)


class AdviceAnswerForm(GovukForm):
    answer = _text_area("Your answer")
