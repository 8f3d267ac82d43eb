"""Answers remembered for the rest of one request, and forgotten at the first change.

A family page asks "may this practitioner see this family?" once for the page and again in
each panel. The answer cannot change within the request unless the request itself changes
something, and every change writes an audit event (``audit_record`` calls
``request_memo_clear``). Outside a request (commands, tests calling services) nothing is
remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("request_memo", default=None)


def request_memo() -> dict[Hashable, Any] | None:
    """This request's memo, or None outside a request."""
    return _memo.get()


def request_memo_clear() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    """A fresh memo for each request, dropped when the response leaves."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
