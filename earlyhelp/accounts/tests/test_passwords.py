"""Password rules after NCSC and ASVS: length and a common-password list, no composition."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ImproperlyConfigured, ValidationError

from earlyhelp.accounts.models import User
from earlyhelp.accounts.passwords import MaximumLengthValidator

# A person the similarity rule compares against; not saved, so no database is needed.
MAYA = User(
    email="m.jones@midwifery.example",
    full_name="Maya Okonkwo-Bright",
    job_title="Community midwife",
)


@pytest.mark.parametrize(
    ("password", "error"),
    [
        # Long enough and uncommon: accepted, with no rules about case, digits or symbols.
        ("correct horse battery staple", None),
        ("alllowercaseletters", None),
        ("a" * 11 + "b", None),
        ("x" * 64, None),
        ("ünïcødé pässwörd ✓", None),
        ("y" * 256, None),
        # Too short.
        ("short", "Password must be 12 characters or more"),
        ("elevenchars", "Password must be 12 characters or more"),
        # On the list of common passwords.
        (
            "password1234",
            "Password is on a list of commonly used passwords. Choose a different one",
        ),
        (
            "qwerty123456",
            "Password is on a list of commonly used passwords. Choose a different one",
        ),
        # Too close to the person's own details.
        ("m.jones@midwifery", "Password must not be similar to your email address"),
        ("maya okonkwo-bright", "Password must not be similar to your name"),
        ("community midwife", "Password must not be similar to your job title"),
        # Too long.
        ("z" * 257, "Password must be 256 characters or fewer"),
    ],
)
def test_password_rules(password, error) -> None:
    if error is None:
        password_validation.validate_password(password, MAYA)
        return
    with pytest.raises(ValidationError) as raised:
        password_validation.validate_password(password, MAYA)
    assert error in raised.value.messages


def test_help_text_describes_every_rule_and_no_composition_rule() -> None:
    help_texts = " ".join(password_validation.password_validators_help_texts())
    assert "at least 12 characters" in help_texts
    assert "up to 256 characters" in help_texts
    assert "commonly used" in help_texts
    for composition in ("uppercase", "number", "symbol", "special character"):
        assert composition not in help_texts.lower()


def test_ceiling_must_allow_at_least_64_characters() -> None:
    with pytest.raises(ImproperlyConfigured):
        MaximumLengthValidator(max_length=63)
    MaximumLengthValidator(max_length=64).validate("k" * 64)
