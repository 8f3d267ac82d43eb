"""Password rules after NCSC guidance and OWASP ASVS v5 (V6.2): long passwords, a list of
common passwords, nothing close to the person's own details, no composition rules and no
forced rotation.

The first three wrap Django's validators only to word their messages in GOV.UK style.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ImproperlyConfigured, ValidationError

# ASVS v5 6.2.9: at least 64 characters must be allowed.
LONGEST_CEILING_ALLOWED = 64


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return (
            f"Must be at least {self.min_length} characters. Three or four random words work well."
        )


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Password is on a list of commonly used passwords. Choose a different one"

    def get_help_text(self) -> str:
        return "Must not be a commonly used password."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Compares with this service's fields: Django's defaults (first_name, last_name) do not
    exist on our User, so without this the name would never be checked."""

    DEFAULT_USER_ATTRIBUTES = ("email", "full_name", "job_title")
    # Django reports the field's verbose name; people know them by these words.
    ATTRIBUTE_WORDS = {"email": "email address", "full name": "name", "job title": "job title"}

    def __init__(
        self,
        user_attributes: tuple[str, ...] = DEFAULT_USER_ATTRIBUTES,
        max_similarity: float = 0.7,
    ) -> None:
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as error:
            verbose_name = str((error.params or {}).get("verbose_name", ""))
            words = self.ATTRIBUTE_WORDS.get(verbose_name, verbose_name)
            raise ValidationError(
                f"Password must not be similar to your {words}",
                code="password_too_similar",
            ) from error

    def get_help_text(self) -> str:
        return "Must not be similar to your name, job title or email address."


class MaximumLengthValidator:
    """Rejects passwords longer than ``max_length`` characters (256 unless configured).

    A ceiling stops megabyte-long "passwords" from tying up the password hasher, while still
    allowing any passphrase a person or a password manager would use.
    """

    def __init__(self, max_length: int = 256) -> None:
        if max_length < LONGEST_CEILING_ALLOWED:
            raise ImproperlyConfigured(
                f"MaximumLengthValidator must allow at least {LONGEST_CEILING_ALLOWED} characters"
            )
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_error_message(self) -> str:
        return f"Password must be {self.max_length} characters or fewer"

    def get_help_text(self) -> str:
        return f"Can be up to {self.max_length} characters."
