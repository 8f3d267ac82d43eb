"""API operations: consent."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Sharing"])
