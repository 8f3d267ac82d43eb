"""Forms for signing in and for managing accounts. Error messages follow the GOV.UK Design
System's wording; templates render the fields as GOV.UK components."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.accounts.rules import security_code_normalise, security_code_well_formed
from earlyhelp.core.errors import ValidationProblem


class GovukForm(forms.Form):
    """Ids without the ``id_`` prefix, and one way to show errors a service raised."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def add_problem(self, problem: ValidationProblem) -> None:
        for field, messages in problem.errors.items():
            for message in messages:
                self.add_error(
                    None if field == "__all__" or field not in self.fields else field, message
                )


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        # Generous, but a ceiling keeps huge bodies away from the password hasher.
        max_length=1024,
        error_messages={
            "required": "Enter your password",
            "max_length": "Enter a correct email address and password",
        },
    )


class SecurityCodeForm(GovukForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={"required": "Enter the security code"},
    )

    def clean_code(self) -> str:
        code = security_code_normalise(self.cleaned_data["code"])
        if not security_code_well_formed(code):
            raise forms.ValidationError("Enter the security code using only 6 digits")
        return code


def _password_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        error_messages={"required": f"Enter your {label.lower()}"},
    )


class PasswordSetForm(GovukForm):
    """A new password, checked against every rule in AUTH_PASSWORD_VALIDATORS."""

    new_password = _password_field("New password")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        return password


class PasswordChangeForm(PasswordSetForm):
    current_password = _password_field("Current password")

    field_order = ["current_password", "new_password"]

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Your current password is not correct")
        return password


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name}: {obj.name}"


def _team_field() -> TeamChoiceField:
    return TeamChoiceField(
        label="Team",
        queryset=Team.objects.select_related("organisation").order_by("organisation__name", "name"),
        empty_label="Select a team",
        error_messages={"required": "Select a team", "invalid_choice": "Select a team"},
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class MembershipForm(GovukForm):
    team = _team_field()
    role = _role_field()


class AccountCreateForm(GovukForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter their full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. They use it to sign in.",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Job title must be 200 characters or fewer"},
    )
    team = _team_field()
    role = _role_field()


class AccountSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email address", required=False, max_length=200)
