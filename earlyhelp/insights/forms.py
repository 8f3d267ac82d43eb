"""Board insights forms: the period and slice filter, and the yearly self-assessment."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from earlyhelp.insights import rules, selectors
from earlyhelp.insights.models import Breakdown
from earlyhelp.people.forms import GovukForm


def _month_value(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def parse_month(value: str) -> datetime.date | None:
    """ "2026-11" -> 1 November 2026; anything else -> None."""
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        return None


class FigureFilterForm(GovukForm):
    """From and to months, and one agency type or one area. Unknown choices are problems
    shown in the GOV.UK error summary, never a 500."""

    from_month = forms.ChoiceField(
        label="From",
        required=False,
        error_messages={"invalid_choice": "Select a month from the list"},
    )
    to_month = forms.ChoiceField(
        label="To",
        required=False,
        error_messages={"invalid_choice": "Select a month from the list"},
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    area = forms.ChoiceField(
        label="Area",
        required=False,
        error_messages={"invalid_choice": "Select an area from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = [(_month_value(m), f"{m:%B %Y}") for m in reversed(selectors.figure_months())]
        choices = {
            "from_month": [("", "Earliest"), *months],
            "to_month": [("", "Latest"), *months],
            "agency": [("", "All agencies"), *selectors.breakdown_keys(Breakdown.AGENCY)],
            "area": [("", "All areas"), *selectors.breakdown_keys(Breakdown.AREA)],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = parse_month(data.get("from_month") or "")
        end = parse_month(data.get("to_month") or "")
        for field, messages in rules.period_problems(start, end).items():
            self.add_error(field, messages)
        if data.get("agency") and data.get("area"):
            self.add_error("area", "Choose an agency or an area, not both")
        return data

    def chosen(self) -> selectors.FigureFilter:
        """The checked filter (call after is_valid)."""
        data = self.cleaned_data if self.is_bound else {}
        return selectors.filter_check(
            start=parse_month(data.get("from_month") or ""),
            end=parse_month(data.get("to_month") or ""),
            agency=data.get("agency") or "",
            area=data.get("area") or "",
        )


class SelfAssessmentForm(GovukForm):
    """R-SF-5: a rating and a narrative for each of the 5 areas of the guide."""

    year = forms.IntegerField(
        label="Year",
        error_messages={
            "required": "Enter the year the self-assessment is for",
            "invalid": "Enter the year as 4 numbers, like 2026",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ratings = [(r.value, label) for r, label in rules.GUIDE_RATING_LABELS.items()]
        for area, label in rules.GUIDE_AREA_LABELS.items():
            self.fields[f"{area.value}_rating"] = forms.ChoiceField(
                label=f"{label}: rating",
                choices=ratings,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{area.value}_narrative"] = forms.CharField(
                label=f"{label}: what the rating rests on",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def area_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"{area.value}_rating"], self[f"{area.value}_narrative"])
            for area, label in rules.GUIDE_AREA_LABELS.items()
        ]

    def areas(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            area.value: (
                data.get(f"{area.value}_rating") or "",
                data.get(f"{area.value}_narrative") or "",
            )
            for area in rules.GuideArea
        }
