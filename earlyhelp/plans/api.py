"""Plans over /api/v1/: the same services and selectors as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Plans"])
