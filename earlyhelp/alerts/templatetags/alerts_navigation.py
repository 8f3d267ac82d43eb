"""The open-alert count beside "Alerts" in the navigation: ``{% alerts_open_count as n %}``."""

from __future__ import annotations

from typing import Any

from django import template

from earlyhelp.accounts.models import User
from earlyhelp.alerts.selectors import alert_open_count

register = template.Library()


@register.simple_tag(takes_context=True)
def alerts_open_count(context: dict[str, Any]) -> str:
    """ "0" to "99" or "99+" for the signed-in practitioner; "0" for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return "0"
    return alert_open_count(actor=user)
