"""The disclosure log: call whenever information leaves the service (R-IS-1, R-IS-4)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from earlyhelp.core.chain import seal_after_commit
from earlyhelp.sharing.models import Disclosure, DisclosureKind


def disclosure_record(
    *,
    actor: Any,
    kind: DisclosureKind,
    what: str,
    recipient: str,
    purpose: str,
    basis: str,
    family_id: int | None = None,
    person_id: int | None = None,
    decision_id: int | None = None,
    request: HttpRequest | None = None,
) -> Disclosure:
    """Record what left, to whom, for what and on what basis, in the caller's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    disclosure = Disclosure.objects.create(
        kind=kind,
        actor=user,
        client=getattr(request, "api_client_name", "") if request is not None else "",
        what=what[:500],
        recipient=recipient[:300],
        purpose=purpose[:500],
        basis=basis[:300],
        family_id_ref=family_id,
        person_id_ref=person_id,
        decision_id_ref=decision_id,
    )
    seal_after_commit(Disclosure)
    return disclosure
