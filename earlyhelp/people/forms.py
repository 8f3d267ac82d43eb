"""Forms for the people pages.

A form turns what was typed into values: text, dates, choices. Whether the values are
acceptable is people.services' decision, and its messages are put on the matching fields
(``GovukForm.add_problem``), so the page and the API say the same thing. Forms check only
what a service cannot be asked: a date that is not a date, a missing answer to a question
only the page asks, and the search (a read, which has no service).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from earlyhelp.accounts.models import Organisation
from earlyhelp.core.errors import ValidationProblem
from earlyhelp.people import rules
from earlyhelp.people.models import AccommodationType, Relationship, Sex
from earlyhelp.people.search import SearchCriteria
from earlyhelp.people.services import PersonDetails

DATE_PARTS = ("day", "month", "year")
NHS_NUMBER_HINT = "10 digits, like 943 476 5919"
INVALID_NHS_NUMBER = "Enter a valid NHS number: 10 digits, like 943 476 5919"
INVALID_POSTCODE = "Enter a full UK postcode, like LS1 4AP"
YES_NO = [("yes", "Yes"), ("no", "No")]

# Relationships of the first person recorded with a new family: the baby's carers.
FIRST_MEMBER_RELATIONSHIPS = [
    (r.value, r.label)
    for r in (
        Relationship.MOTHER,
        Relationship.FATHER,
        Relationship.PARTNER_OF_PARENT,
        Relationship.GRANDPARENT,
        Relationship.OTHER_CARER,
    )
]


def _text(
    label: str,
    *,
    hint: str = "",
    width: str = "",
    max_length: int = 100,
    required: bool = False,
    **attrs: str,
) -> forms.CharField:
    """A GOV.UK text input. Not required by default: the service says what is missing."""
    widget_attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    widget_attrs.update({k.replace("_", "-"): v for k, v in attrs.items()})
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=widget_attrs),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _nhs_number(label: str = "NHS number") -> forms.CharField:
    return _text(
        label,
        hint=f"Optional. {NHS_NUMBER_HINT}",
        width="10",
        max_length=20,
        inputmode="numeric",
        spellcheck="false",
        autocomplete="off",
    )


def _radios(
    label: str, choices: Any, *, required_message: str, hint: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class DayMonthYearWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    def __init__(self) -> None:
        super().__init__({part: forms.TextInput() for part in DATE_PARTS})
        # The boxes the last error was about; empty means the whole date. Always reassigned,
        # never changed in place: copies of the widget share the value until then.
        self.parts_in_error: frozenset[str] = frozenset()

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # BoundField marks a field with errors aria-invalid: highlight the boxes concerned.
        invalid = bool(attrs and attrs.get("aria-invalid"))
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
            subwidget["has_error"] = invalid and (
                not self.parts_in_error or part in self.parts_in_error
            )
        return context


class DayMonthYearField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK date input's error messages."""

    widget = DayMonthYearWidget

    def __init__(self, *, label: str, required_message: str = "", **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=bool(required_message),
            error_messages={"required": required_message} if required_message else None,
            **kwargs,
        )

    def _problem(self, message: str, parts: tuple[str, ...] = ()) -> forms.ValidationError:
        assert isinstance(self.widget, DayMonthYearWidget)
        self.widget.parts_in_error = frozenset(parts)
        return forms.ValidationError(message, code="invalid")

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(self.widget, DayMonthYearWidget):
            self.widget.parts_in_error = frozenset()
        if isinstance(value, datetime.date) or value is None:
            return value
        typed = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=False))
        typed = {part: typed.get(part, "") for part in DATE_PARTS}
        if not any(typed.values()):
            return None
        label = self.label or "Date"
        missing = tuple(part for part in DATE_PARTS if not typed[part])
        if missing:
            raise self._problem(f"{label} must include a {' and '.join(missing)}", missing)
        not_numbers = tuple(part for part in DATE_PARTS if not typed[part].isdigit())
        if not_numbers:
            raise self._problem(f"{label} must be a real date", not_numbers)
        if len(typed["year"]) != 4:
            raise self._problem("Year must include 4 numbers", ("year",))
        try:
            return datetime.date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError as error:
            # 31 February, month 13 and the like.
            raise self._problem(f"{label} must be a real date") from error


class GovukForm(forms.Form):
    """A form whose errors feed the GOV.UK error summary and accept services' problems."""

    def error_anchor(self, name: str) -> str:
        """The id of the box an error about this field takes the user to."""
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, DayMonthYearWidget):
            part = next((p for p in DATE_PARTS if p in widget.parts_in_error), "day")
            return f"{bound.auto_id}_{DATE_PARTS.index(part)}"
        if isinstance(widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return str(bound.auto_id)

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for each error, in the order of the page."""
        links: list[tuple[str, str]] = []
        visible = self.visible_fields()
        first = f"#{self.error_anchor(visible[0].name)}" if visible else ""
        links.extend((first, str(message)) for message in self.non_field_errors())
        for bound in self:
            href = "" if bound.is_hidden else f"#{self.error_anchor(bound.name)}"
            links.extend((href, str(message)) for message in bound.errors)
        return links

    def add_problem(self, problem: ValidationProblem) -> None:
        """Show a service's messages on the fields they are about (unknown ones on the form)."""
        for key, messages in problem.errors.items():
            target = key if key in self.fields else None
            already = [str(m) for m in self.errors.get(target or NON_FIELD_ERRORS, [])]
            for message in messages:
                if message not in already:
                    self.add_error(target, message)


class SearchForm(GovukForm):
    name = _text(
        "Name",
        hint="Given name and family name, or just the family name",
        max_length=200,
        spellcheck="false",
        autocomplete="off",
    )
    date_of_birth = DayMonthYearField(
        label="Date of birth",
        help_text="For an unborn baby, the expected date of delivery. For example, 27 3 2009",
    )
    nhs_number = _text(
        "NHS number",
        hint=NHS_NUMBER_HINT,
        width="10",
        max_length=20,
        inputmode="numeric",
        spellcheck="false",
        autocomplete="off",
    )
    postcode = _text(
        "Postcode",
        hint="A current or previous postcode",
        width="10",
        max_length=20,
        spellcheck="false",
        autocomplete="off",
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if name and not rules.name_key(name):
            raise forms.ValidationError("Name must include at least one letter")
        return name

    def clean_nhs_number(self) -> str:
        number = rules.normalise_nhs_number(self.cleaned_data["nhs_number"])
        if number and not rules.nhs_number_is_valid(number):
            raise forms.ValidationError(INVALID_NHS_NUMBER)
        return number

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"]
        if postcode and not rules.postcode_is_valid(postcode):
            raise forms.ValidationError(INVALID_POSTCODE)
        return rules.normalise_postcode(postcode) if postcode else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and self.criteria().is_empty():
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number or postcode to search"
            )
        return cleaned

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        return SearchCriteria(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number", ""),
            postcode=data.get("postcode", ""),
        )


def _sex() -> forms.ChoiceField:
    return _radios("Sex", Sex.choices, required_message="Select their sex, or 'Not known'")


class PersonForm(GovukForm):
    """Change a person's details. An unborn baby has an expected date instead of a birth date."""

    given_name = _text("Given name", width="20", spellcheck="false", autocomplete="off")
    family_name = _text("Family name", width="20", spellcheck="false", autocomplete="off")
    sex = _sex()
    date_of_birth = DayMonthYearField(label="Date of birth", help_text="For example, 27 3 2009")
    expected_date_of_delivery = DayMonthYearField(
        label="Expected date of delivery", help_text="For example, 14 6 2027"
    )
    nhs_number = _nhs_number()
    nhs_number_source = _text(
        "Where the NHS number came from",
        hint="Optional. For example, birth notification or GP record",
        width="20",
    )
    ethnicity = _text("Ethnicity", hint="Optional. As the person describes it", width="20")
    first_language = _text("First language", hint="Optional", width="20")
    # Optimistic concurrency: the version the form was filled from.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, is_unborn: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_unborn = is_unborn
        del self.fields["date_of_birth" if is_unborn else "expected_date_of_delivery"]

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            sex=data["sex"],
            date_of_birth=data.get("date_of_birth"),
            is_unborn=self.is_unborn,
            expected_date_of_delivery=data.get("expected_date_of_delivery"),
            nhs_number=data["nhs_number"],
            nhs_number_source=data["nhs_number_source"],
            ethnicity=data["ethnicity"],
            first_language=data["first_language"],
        )


class RecordBirthForm(GovukForm):
    date_of_birth = DayMonthYearField(
        label="Date of birth",
        help_text="For example, 27 3 2027",
        required_message="Enter the baby's date of birth",
    )
    given_name = _text("Given name", width="20", spellcheck="false", autocomplete="off")
    sex = _radios("Sex", Sex.choices, required_message="Select the baby's sex, or 'Not known'")
    nhs_number = _nhs_number()


class AddressForm(GovukForm):
    line_1 = _text("Address line 1", max_length=200, autocomplete="off")
    line_2 = _text("Address line 2 (optional)", max_length=200, autocomplete="off")
    town = _text("Town or city", width="20", autocomplete="off")
    # Longer than any postcode, so that nonsense gets the postcode message, not a length one.
    postcode = _text("Postcode", width="10", max_length=20, spellcheck="false", autocomplete="off")
    local_authority = _text(
        "Local authority", hint="The council for this address, like Wyvern", width="20"
    )
    inside_partnership_area = _radios(
        "Is the address inside the partnership's area?",
        YES_NO,
        required_message="Select yes if the address is inside the partnership's area",
    )
    accommodation_type = _radios(
        "Type of accommodation",
        AccommodationType.choices,
        required_message="Select the type of accommodation",
    )
    moved_in_on = DayMonthYearField(
        label="Date they moved in",
        help_text="For example, 1 9 2026",
        required_message="Enter the date they moved in",
    )


class DuplicateCheckMixin(forms.Form):
    """Shown with the likely existing records of someone about to be recorded."""

    not_a_duplicate = forms.BooleanField(label="None of these is the same person", required=False)

    NOT_CONFIRMED = (
        "Open the existing record, or select 'None of these is the same person' to record "
        "someone new"
    )


class FamilyCreateForm(DuplicateCheckMixin, GovukForm):
    """A new family with its first member (usually the mother) and any unborn baby."""

    name = forms.CharField(
        label="Name for the family",
        help_text="Usually the household's family name, like 'Ashworth household'",
        max_length=200,
        error_messages={"required": "Enter a name for the family, like 'Ashworth household'"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    relationship = _radios(
        "How are they related to the family?",
        FIRST_MEMBER_RELATIONSHIPS,
        required_message="Select how they are related to the family",
    )
    given_name = _text("Given name", width="20", spellcheck="false", autocomplete="off")
    family_name = _text("Family name", width="20", spellcheck="false", autocomplete="off")
    date_of_birth = DayMonthYearField(label="Date of birth", help_text="For example, 27 3 2009")
    nhs_number = _nhs_number()
    expecting = _radios(
        "Is there an unborn baby?",
        YES_NO,
        required_message="Select yes if there is an unborn baby",
    )
    expected_date_of_delivery = DayMonthYearField(
        label="Expected date of delivery", help_text="For example, 14 6 2027"
    )

    def first_member(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data["nhs_number"],
            nhs_number_source="Recorded by practitioner" if data["nhs_number"] else "",
        )

    def unborn_baby(self) -> PersonDetails | None:
        data = self.cleaned_data
        if data["expecting"] != "yes":
            return None
        return PersonDetails(
            given_name="",
            family_name=data["family_name"],
            is_unborn=True,
            expected_date_of_delivery=data.get("expected_date_of_delivery"),
        )


class MemberAddForm(DuplicateCheckMixin, GovukForm):
    """A new person in a family: a partner, a grandparent, a child or another unborn baby."""

    relationship = _radios(
        "How are they related to the family?",
        Relationship.choices,
        required_message="Select how they are related to the family",
    )
    given_name = _text(
        "Given name",
        hint="Leave blank for an unborn baby",
        width="20",
        spellcheck="false",
        autocomplete="off",
    )
    family_name = _text("Family name", width="20", spellcheck="false", autocomplete="off")
    sex = _sex()
    date_of_birth = DayMonthYearField(
        label="Date of birth", help_text="Leave blank for an unborn baby. For example, 27 3 2009"
    )
    expected_date_of_delivery = DayMonthYearField(
        label="Expected date of delivery",
        help_text="Only for an unborn baby. For example, 14 6 2027",
    )
    nhs_number = _nhs_number()

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        is_unborn = data["relationship"] == Relationship.UNBORN_BABY
        return PersonDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            sex=data["sex"],
            date_of_birth=data.get("date_of_birth"),
            is_unborn=is_unborn,
            expected_date_of_delivery=data.get("expected_date_of_delivery"),
            nhs_number=data["nhs_number"],
            nhs_number_source="Recorded by practitioner" if data["nhs_number"] else "",
        )


class InvolvementForm(GovukForm):
    """Your agency starts working with a family or a person."""

    organisation = forms.ChoiceField(
        label="Agency",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your agency",
            "invalid_choice": "Select your agency",
        },
    )
    service = _text(
        "Service",
        hint="For example, antenatal care. If you leave this blank, the type of agency is used",
        max_length=200,
    )
    started_on = DayMonthYearField(
        label="Start date", help_text="Leave blank for today. For example, 1 9 2026"
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(pk, o.name) for pk, o in self.organisations.items()]
        if len(organisations) == 1:
            # Nothing to choose: the page names the agency instead of asking.
            field.widget = forms.HiddenInput()
            field.initial = str(organisations[0].pk)

    def chosen_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class InvolvementEndForm(GovukForm):
    ended_on = DayMonthYearField(
        label="End date", help_text="Leave blank for today. For example, 26 11 2026"
    )
