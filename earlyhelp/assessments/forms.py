"""Forms for the assessment pages. They turn what was typed into values; the services decide
whether the values are acceptable, and their messages go on the matching fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from earlyhelp.assessments import rules
from earlyhelp.assessments.models import AssessmentSubject
from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.people.models import FamilyMember
from earlyhelp.sharing.models import InformationCategory

TEXT_MAX = 10_000


def _text_area(label: str, *, hint: str = "", rows: int = 5, max_length: int = TEXT_MAX) -> Any:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": str(rows)}),
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


def _text(label: str, *, hint: str = "", max_length: int = 200) -> Any:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=True)


class StartForm(GovukForm):
    agreed_by = forms.ChoiceField(
        label="Who in the family agreed to the assessment?",
        help_text="Early help is voluntary: the assessment starts only with the family's agreement",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a member of this family"},
    )
    agreed_on = DayMonthYearField(label="Date they agreed", help_text="For example, 2 11 2026")
    agreement_note = _text_area(
        "What the family agreed to (optional)",
        hint="For example, which agencies will contribute",
        rows=3,
    )

    def __init__(self, *args: Any, members: Sequence[FamilyMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.person_id): m for m in members if not m.person.is_unborn}
        field = self.fields["agreed_by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (key, f"{m.person.display_name} ({m.get_relationship_display().lower()})")
            for key, m in self.members.items()
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        member = self.members.get(data.get("agreed_by") or "")
        return {
            "agreed_by": member.person if member else None,
            "agreed_on": data.get("agreed_on"),
            "agreement_note": data.get("agreement_note") or "",
        }


class ContributionForm(GovukForm):
    """One agency's contribution: who it is about, which dimension, strengths and the need."""

    subject = forms.ChoiceField(
        label="Who is it about?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select someone the assessment covers"},
    )
    dimension = forms.ChoiceField(
        label="Which part of the assessment?",
        help_text="The domains and dimensions of the assessment framework",
        required=False,
        error_messages={"invalid_choice": "Select a dimension of the assessment framework"},
    )
    strengths = _text_area("Strengths", hint="What is going well, and who helps", rows=6)
    need = _text_area("Need (optional)", hint="What is not going well, in plain words", rows=6)
    need_outcome = forms.ChoiceField(
        label="Supporting Families headline outcome for this need",
        help_text="Each need is tagged with one headline",
        required=False,
        choices=[("", "Select an outcome"), *rules.HEADLINE_OUTCOMES.items()],
        error_messages={"invalid_choice": "Select a headline outcome from the list"},
    )
    sleeping_arrangements = _text_area(
        "Sleeping arrangements",
        hint="Where the baby sleeps, or will sleep, and on what",
        rows=3,
    )
    safer_sleep_advice = _text_area(
        "Safer-sleep advice given",
        hint="What you advised, and how the parents responded",
        rows=3,
    )
    category = forms.ChoiceField(
        label="Need-to-know category (optional)",
        help_text=(
            "Choose one if this is sensitive, such as mental health or domestic abuse: other "
            "agencies then see it only with a sharing basis that covers it"
        ),
        required=False,
        error_messages={"invalid_choice": "Select a category from the list"},
    )

    def __init__(
        self,
        *args: Any,
        subjects: Sequence[AssessmentSubject],
        categories: Sequence[InformationCategory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = {str(s.pk): s for s in subjects}
        self.categories = {c.code: c for c in categories}
        self._set_choices("subject", [(k, s.person.display_name) for k, s in self.subjects.items()])
        grouped: list[Any] = [("", "Select a dimension")]
        for info in rules.DOMAINS:
            grouped.append(
                (
                    info.name,
                    [(d.code, d.name) for d in rules.DIMENSIONS if d.domain == info.domain],
                )
            )
        self._set_choices("dimension", grouped)
        self._set_choices(
            "category",
            [("", "None: anyone working with the family may read it")]
            + [(c.code, c.name) for c in categories],
        )

    def _set_choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        dimension = data.get("dimension") or ""
        found = rules.DIMENSION_BY_CODE.get(dimension)
        return {
            "subject": self.subjects.get(data.get("subject") or ""),
            "domain": found.domain.value if found else "",
            "dimension": dimension,
            "strengths": data.get("strengths") or "",
            "need": data.get("need") or "",
            "need_outcome": data.get("need_outcome") or "",
            "sleeping_arrangements": data.get("sleeping_arrangements") or "",
            "safer_sleep_advice": data.get("safer_sleep_advice") or "",
            "category": self.categories.get(data.get("category") or ""),
        }

    def dimension_groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """(domain, [(code, name, selected)]) for the grouped select."""
        chosen = str(self["dimension"].value() or "")
        return [
            (
                info.name,
                [
                    (d.code, d.name, d.code == chosen)
                    for d in rules.DIMENSIONS
                    if d.domain == info.domain
                ],
            )
            for info in rules.DOMAINS
        ]


class ContributionChangeForm(ContributionForm):
    version = _version()


class SubjectForm(GovukForm):
    voice = _text_area(
        "Their voice, in their own words",
        hint="What they said about their life, their hopes and the help they want",
        rows=6,
    )
    care_experienced = forms.BooleanField(
        label="They are care-experienced (looked after as a child, or a care leaver)",
        required=False,
    )
    responsible_local_authority = _text(
        "Responsible local authority", hint="The authority that looked after them", max_length=100
    )
    personal_adviser = _text("Personal adviser", hint="Name and how to contact them")
    version = _version()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "voice": data.get("voice") or "",
            "care_experienced": bool(data.get("care_experienced")),
            "responsible_local_authority": data.get("responsible_local_authority") or "",
            "personal_adviser": data.get("personal_adviser") or "",
        }


class ClockForm(GovukForm):
    started_on = DayMonthYearField(
        label="Date of the referral to children's social care",
        help_text="The 45 working days run from this date. For example, 2 11 2026",
    )
    version = _version()


class OverdueReasonForm(GovukForm):
    overdue_reason = _text_area("Why is the assessment taking longer than 45 working days?")
    version = _version()


class TransitionForm(GovukForm):
    """Complete or sign off: the version read, and a reason if past the 45 working days."""

    overdue_reason = _text_area(
        "Why it took longer than 45 working days",
        hint="Only needed when the assessment is past its due date",
        rows=3,
    )
    version = _version()
