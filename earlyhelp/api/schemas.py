"""Types shared by every app's API operations: safe text, record ids in paths, pages."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from django.urls import register_converter
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

# Ids in paths are 1 to 18 digits, so every id matched fits a 64-bit column and anything
# longer is simply an unknown URL (404), never an overflow in the database.
MAX_ID = 10**18 - 1


class RecordIdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "record_id")


def _plain_text(value: str) -> str:
    """No NUL, no other control characters but tab and newlines, no lone surrogates.

    PostgreSQL refuses NUL in text and no encoder accepts a lone surrogate: both would
    otherwise fail deep in a save as a server error instead of a 422.
    """
    for character in value:
        category = unicodedata.category(character)
        if category == "Cs" or (category == "Cc" and character not in "\t\r\n"):
            raise ValueError("Enter text without control characters")
    return value


Text = Annotated[str, AfterValidator(_plain_text)]
Name = Annotated[str, Field(max_length=100), AfterValidator(_plain_text)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    """A request body: unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema):
    count: int = Field(description="How many there are in all")
    limit: int
    offset: int
