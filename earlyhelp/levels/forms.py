"""The levels-of-need decision form: indicators by domain, then the level, rationale and
(when stepping up or down) the handover. The service decides what is acceptable; the form
turns what was typed into values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from earlyhelp.accounts.models import User
from earlyhelp.levels.models import FrameworkDomain, FrameworkIndicator, FrameworkLevel
from earlyhelp.people.forms import GovukForm
from earlyhelp.people.models import FamilyMember

SELECT_FROM_LIST = "Select from the list"
WHOLE_FAMILY = ""


@dataclass(frozen=True)
class IndicatorBox:
    id: str
    indicator: FrameworkIndicator
    checked: bool


@dataclass(frozen=True)
class DomainGroup:
    domain: FrameworkDomain
    boxes: list[IndicatorBox]


class LevelDecisionForm(GovukForm):
    person = forms.ChoiceField(
        label="Who is the decision about?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": SELECT_FROM_LIST},
    )
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": SELECT_FROM_LIST, "invalid_list": SELECT_FROM_LIST},
    )
    decided_level = forms.ChoiceField(
        label="What level have you decided?",
        help_text="The suggestion supports your decision; it does not make it",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a level from this framework"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this level: if it differs from the suggestion, say why",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": "5"}),
        error_messages={"max_length": "Rationale must be 5000 characters or fewer"},
    )
    handover = forms.CharField(
        label="Handover",
        help_text="Only when stepping up or down: what the receiving practitioner needs to know",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": "4"}),
        error_messages={"max_length": "Handover must be 5000 characters or fewer"},
    )
    receiving_practitioner = forms.ChoiceField(
        label="Receiving practitioner",
        help_text="Only when stepping up or down: who takes over",
        required=False,
        error_messages={"invalid_choice": "Select an active practitioner from the list"},
    )
    previous_decision = forms.CharField(required=False, widget=forms.HiddenInput)
    suggested_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        members: list[FamilyMember],
        indicators: list[FrameworkIndicator],
        levels: list[FrameworkLevel],
        practitioners: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self._indicators = indicators
        self._members = {str(m.person_id): m for m in members}
        self._practitioners = {str(u.pk): u for u in practitioners}
        self._set_choices(
            "person",
            [(WHOLE_FAMILY, "The whole family")]
            + [
                (
                    str(m.person_id),
                    f"{m.person.display_name} ({m.get_relationship_display().lower()})",
                )
                for m in members
            ],
        )
        self._set_choices("indicators", [(i.code, i.code) for i in indicators if i.in_use])
        self._set_choices("decided_level", [(lv.code, lv.name) for lv in levels])
        self._set_choices(
            "receiving_practitioner",
            [("", "Select a practitioner")] + [(str(u.pk), u.full_name) for u in practitioners],
        )

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def error_anchor(self, name: str) -> str:
        if name == "indicators":
            return "id_indicators_0"
        return super().error_anchor(name)

    def groups(self) -> list[DomainGroup]:
        """The indicators in use, grouped by domain, numbered in page order for the ids."""
        chosen = set(self["indicators"].value() or [])
        groups: dict[int, DomainGroup] = {}
        number = 0
        for indicator in self._indicators:
            if not indicator.in_use:
                continue
            group = groups.setdefault(indicator.domain_id, DomainGroup(indicator.domain, []))
            group.boxes.append(
                IndicatorBox(f"id_indicators_{number}", indicator, indicator.code in chosen)
            )
            number += 1
        return list(groups.values())

    def codes(self) -> list[str]:
        return list(self.cleaned_data.get("indicators") or [])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        member = self._members.get(data.get("person") or "")
        return {
            "person": member.person if member is not None else None,
            "indicator_codes": self.codes(),
            "decided_level_code": data.get("decided_level") or "",
            "rationale": data.get("rationale") or "",
            "handover": data.get("handover") or "",
            "receiving_practitioner": self._practitioners.get(
                data.get("receiving_practitioner") or ""
            ),
        }

    def previous_decision_id(self) -> int | None:
        value = self.cleaned_data.get("previous_decision") or ""
        return int(value) if value.isdigit() else None
