"""Errors that services raise and every interface (page or API) turns into a clear answer."""

from __future__ import annotations


class NotFoundOrForbidden(Exception):
    """Missing and forbidden look the same to the user: both answer 404."""


class ValidationProblem(Exception):
    """Bad input: a message per field (``__all__`` for the whole request). Nothing was saved."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class EditConflict(Exception):
    """Someone else changed the record since it was read; the change was not applied."""
