from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    from earlyhelp.sharing.policies import can_open_family_records

    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "can_open_family_records": bool(
            user is not None and user.is_authenticated and can_open_family_records(user)
        ),
    }
