"""Forms for the team and plan pages: they turn what was typed into values; whether the
values are acceptable is plans.services' decision (its messages land on these fields)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q

from earlyhelp.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from earlyhelp.assessments.rules import HEADLINE_OUTCOMES
from earlyhelp.people.forms import DayMonthYearField, GovukForm
from earlyhelp.people.models import (
    PARENT_RELATIONSHIPS,
    Family,
    FamilyMember,
    Involvement,
    Person,
)
from earlyhelp.plans.models import ActionStatus, TeamAroundFamilyMember
from earlyhelp.plans.selectors import AssessedNeed
from earlyhelp.plans.services import CHOOSE_NEED
from earlyhelp.sharing.services.team import CHOOSE_PARENT, PARENT_MUST_AGREE

# The add-a-member choice for a parent's personal adviser from the leaving care service.
ADVISER = "adviser"
NOT_INVOLVED = (
    "Choose a practitioner from an agency working with the family, or a parent's personal "
    "adviser with the parent's agreement"
)
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Candidate:
    """A practitioner who may join the team: their agency works with the family today."""

    practitioner: User
    organisation: Organisation

    @property
    def value(self) -> str:
        return f"{self.practitioner.pk}:{self.organisation.pk}"

    @property
    def label(self) -> str:
        return f"{self.practitioner} ({self.organisation.name})"


def team_candidates(
    *, family: Family, today: datetime.date, exclude_team: bool = True
) -> list[Candidate]:
    """Practitioners of the agencies involved today with the family or one of its members
    (R-WT-5 "members from each involved agency"), who are not in the team already (unless
    ``exclude_team`` is False, so that the service can say "already a member").

    An involvement naming a practitioner offers that practitioner; one naming a team, that
    team's casework staff; one naming only an agency, its casework staff (at most
    MAX_CANDIDATES in all). The family was already authorised by the caller.
    """
    persons = FamilyMember.objects.filter(family=family, left_on__isnull=True).values("person_id")
    involvements = Involvement.objects.filter(
        Q(family=family) | Q(person__in=persons), started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    who = Q(pk__in=[])
    for practitioner_id, team_id, organisation_id in involvements.values_list(
        "practitioner_id", "team_id", "organisation_id"
    ):
        if practitioner_id is not None:
            who |= Q(user_id=practitioner_id, team__organisation_id=organisation_id)
        elif team_id is not None:
            who |= Q(team_id=team_id)
        else:
            who |= Q(team__organisation_id=organisation_id)
    in_team = TeamAroundFamilyMember.objects.filter(family=family, left_on__isnull=True).values(
        "practitioner_id"
    )
    memberships = Membership.objects.filter(
        who, ended_on__isnull=True, role__in=CASEWORK_ROLES, user__is_active=True
    )
    if exclude_team:
        memberships = memberships.exclude(user_id__in=in_team)
    memberships = memberships.select_related("user", "team__organisation").order_by(
        "user__full_name", "user_id", "team__organisation__name"
    )
    found: dict[tuple[int, int], Candidate] = {}
    for m in memberships[:MAX_CANDIDATES]:
        key = (m.user_id, m.team.organisation_id)
        found.setdefault(key, Candidate(practitioner=m.user, organisation=m.team.organisation))
    return list(found.values())


def family_parents(family: Family) -> list[Person]:
    """The family's current parents: whose personal adviser may join (R-CL-2)."""
    return [
        m.person
        for m in FamilyMember.objects.filter(
            family=family, left_on__isnull=True, relationship__in=PARENT_RELATIONSHIPS
        )
        .select_related("person")
        .order_by("pk")
    ]


def _textarea(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, max_length=5000, widget=forms.Textarea
    )


def _radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


class LeadProfessionalForm(GovukForm):
    member = _radios("Who is the lead professional?", [], "Choose a member of the team")
    family_view = _textarea(
        "What did the family say about who their lead professional is?",
        "In their words, for example: Chloe asked for Hana because she already knows her",
    )
    reason = _textarea("Why is the role changing?", "Only needed when handing over")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, data: Any = None, *, members: list[TeamAroundFamilyMember], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.pk), f"{m.practitioner} ({m.organisation.name})") for m in members]


class PlanStartForm(GovukForm):
    family_words = _textarea(
        "In the family's words, what do they want to change?",
        "Write what they said, as they said it",
    )


NOT_FROM_ASSESSMENT = "none"


class OutcomeForm(GovukForm):
    """An outcome of the plan: the assessed need it answers (if any), its Supporting Families
    headline (R-SF-1) and what will be different. Only needs the actor may read are offered
    (``plans.selectors.assessed_needs``); the service checks the choice again."""

    need = _radios("Which assessed need is this outcome about?", [], CHOOSE_NEED)
    headline = _radios(
        "Supporting Families headline outcome",
        [(k.value, v) for k, v in HEADLINE_OUTCOMES.items()],
        "Select the Supporting Families headline outcome this is about",
    )
    description = _textarea("What will be different for the family?")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, needs: list[AssessedNeed], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not needs:
            del self.fields["need"]
            return
        need = self.fields["need"]
        assert isinstance(need, forms.ChoiceField)
        need.choices = [(n.value, n.label) for n in needs] + [
            (NOT_FROM_ASSESSMENT, "Not from the assessment")
        ]
        self.fields[
            "headline"
        ].help_text = (
            "For an outcome from the assessment, leave this unselected to use the need's headline"
        )

    @property
    def offers_needs(self) -> bool:
        return "need" in self.fields

    def need_id(self) -> int | None:
        """The chosen need's id, or None for an outcome not from the assessment."""
        value = self.cleaned_data.get("need") or NOT_FROM_ASSESSMENT
        return None if value == NOT_FROM_ASSESSMENT else int(value)


class PlanAgreeForm(GovukForm):
    review_on = DayMonthYearField(label="Review date", help_text="For example, 15 1 2027")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(GovukForm):
    description = _textarea("What will be done?", "Specific, measurable and realistic")
    owner = _radios("Who will do it?", [], "Choose who owns the action")
    due_on = DayMonthYearField(label="Due date", help_text="For example, 15 1 2027")
    outcome = forms.TypedChoiceField(
        label="Which outcome is it for?", choices=[], required=False, coerce=int, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        members: list[TeamAroundFamilyMember],
        outcomes: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("family", "The family")] + [
            (str(m.pk), f"{m.practitioner} ({m.organisation.name})") for m in members
        ]
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [("", "Not linked to one outcome")] + [
            (str(o.pk), o.description[:80]) for o in outcomes
        ]


class ActionUpdateForm(GovukForm):
    status = _radios("Status", ActionStatus.choices, "Select the action's status")
    progress_note = _textarea("Progress", "What has happened since the last update")
    version = forms.IntegerField(widget=forms.HiddenInput)


class TeamMemberAddForm(GovukForm):
    """Who joins the team: a practitioner of an involved agency, or a parent's personal
    adviser where the parent agrees (R-WT-5, R-CL-2)."""

    who = _radios("Who is joining the team?", [], "Choose who is joining the team")
    adviser_email = forms.CharField(
        label="The personal adviser's work email address",
        required=False,
        max_length=254,
        error_messages={"max_length": "The email address must be 254 characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    personal_adviser_for = _radios("Whose personal adviser are they?", [], CHOOSE_PARENT)
    parent_agreed = forms.BooleanField(
        label="The parent agrees to their personal adviser joining the team",
        help_text="Only for a personal adviser. Ask the parent first",
        required=False,
    )
    role_in_team = forms.CharField(
        label="Their role in the team (optional)",
        help_text="For example, health visitor for the baby",
        required=False,
        max_length=200,
        error_messages={"max_length": "Their role in the team must be 200 characters or fewer"},
    )
    joined_on = DayMonthYearField(
        label="Date they joined", help_text="Leave blank for today. For example, 15 1 2027"
    )

    def __init__(
        self,
        data: Any = None,
        *,
        candidates: list[Candidate],
        parents: list[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.candidates = {c.value: c for c in candidates}
        self.parents = {str(p.pk): p for p in parents}
        who = self.fields["who"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [(c.value, c.label) for c in candidates] + [
            (ADVISER, "A parent's personal adviser from the leaving care service")
        ]
        parent = self.fields["personal_adviser_for"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [(str(p.pk), str(p)) for p in parents]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        who = data.get("who")
        if "who" in self.fields and not who and "who" not in self.errors:
            self.add_error("who", "Choose who is joining the team")
        if who == ADVISER:
            email = (data.get("adviser_email") or "").strip()
            if not email and "adviser_email" not in self.errors:
                self.add_error("adviser_email", "Enter the personal adviser's work email address")
            elif email:
                adviser = User.objects.filter(email__iexact=email, is_active=True).first()
                if adviser is None:
                    self.add_error(
                        "adviser_email",
                        "Enter the work email address of a personal adviser who uses "
                        "Early Help Hub",
                    )
                data["adviser"] = adviser
            if not data.get("personal_adviser_for") and "personal_adviser_for" not in self.errors:
                self.add_error("personal_adviser_for", CHOOSE_PARENT)
            if not data.get("parent_agreed"):
                self.add_error("parent_agreed", PARENT_MUST_AGREE)
        return data


class TeamMemberEndForm(GovukForm):
    left_on = DayMonthYearField(
        label="Date they left the team",
        help_text="For example, 15 1 2027",
        required_message="Enter the date they left the team",
    )
