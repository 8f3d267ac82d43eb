"""Board insights operations of the API (/api/v1/)."""

from ninja import Router

router = Router(tags=["Board insights"])
