"""The chronology filter: kinds and a date range, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.chronology.models import EntryKind
from earlyhelp.chronology.selectors import Filters
from earlyhelp.people.forms import DayMonthYearField, GovukForm


class ChronologyFilterForm(GovukForm):
    kind = forms.MultipleChoiceField(
        label="Kind of event",
        choices=EntryKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select kinds of event from the list"},
    )
    date_from = DayMonthYearField(label="From")
    date_to = DayMonthYearField(label="To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To must be the same as or after From")
        return cleaned

    def filters(self) -> Filters:
        """What to show: everything while the form has errors."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            kinds=tuple(data.get("kind") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
