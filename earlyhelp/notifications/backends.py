"""Where e-mails go: the local backend (development and tests) or GOV.UK Notify.

``NOTIFY_BACKEND`` chooses: "local" (the default) records each e-mail it would send in
``SentEmail``; "govuk" sends with the official client (``notifications-python-client``).

The local backend's ``deliver`` is called by the worker INSIDE the transaction that then
marks the batch sent (earlyhelp.notifications.outbox): sending and marking are one atomic
step, a worker killed mid-batch leaves neither, and its batch is sent once, later. A remote
service cannot join a database transaction, so GOV.UK Notify is called before the marking
transaction opens: a crash between Notify accepting an e-mail and the commit means the row
is tried again. Before trying again a row that may already have gone, the backend asks
Notify for an e-mail with the same ``reference`` and only sends if there is none
(at-least-once delivery made once-in-practice by the reference; ADR 0009).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from earlyhelp.notifications.models import SentEmail

ERROR_MAX = 500
# Notify's answers that mean "this request will never succeed": not worth repeating.
PERMANENT_STATUSES = frozenset({400, 403})


@dataclass(frozen=True)
class Delivery:
    reference: str
    email_address: str
    template_id: str
    personalisation: dict[str, str]
    # True when an earlier attempt was claimed and may have reached the provider.
    maybe_sent_before: bool = False


@dataclass(frozen=True)
class Result:
    ok: bool
    provider_id: str = ""
    error: str = ""
    permanent: bool = False


class Backend(Protocol):
    name: str
    # True: deliver writes only to our database, inside the worker's transaction (sending
    # and marking sent are one atomic step). False: a remote service, called before that
    # transaction opens.
    transactional: bool

    def deliver(self, deliveries: Sequence[Delivery]) -> dict[str, Result]:
        """Send each e-mail; the result of each by reference."""
        ...


class LocalBackend:
    """Records the e-mails in ``SentEmail`` (unique reference) in the caller's transaction."""

    name = "local"
    transactional = True
    # Tests only (NOTIFY_TEST_KILL_AT): e-mails recorded by this process so far.
    recorded = 0

    def deliver(self, deliveries: Sequence[Delivery]) -> dict[str, Result]:
        maybe = [d.reference for d in deliveries if d.maybe_sent_before]
        already = set(
            SentEmail.objects.filter(reference__in=maybe).values_list("reference", flat=True)
        )
        now = timezone.now()
        new = [
            SentEmail(
                reference=d.reference,
                email_address=d.email_address,
                template_id=d.template_id,
                personalisation=d.personalisation,
                sent_at=now,
            )
            for d in deliveries
            if d.reference not in already
        ]
        SentEmail.objects.bulk_create(new)
        self._die_if_asked(len(new))
        return {d.reference: Result(ok=True, provider_id="local") for d in deliveries}

    def _die_if_asked(self, count: int) -> None:
        """The crash test's worker dies here: e-mails recorded, nothing committed yet."""
        kill_at = getattr(settings, "NOTIFY_TEST_KILL_AT", None)
        before = LocalBackend.recorded
        LocalBackend.recorded += count
        if kill_at is not None and before < kill_at <= LocalBackend.recorded:
            os.kill(os.getpid(), signal.SIGKILL)


class GovukNotifyBackend:
    """GOV.UK Notify through the official client, one request per e-mail, with ``reference``."""

    name = "govuk"
    transactional = False

    def __init__(self, api_key: str) -> None:
        if not api_key:
            raise ImproperlyConfigured("NOTIFY_API_KEY must be set for NOTIFY_BACKEND=govuk")
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)

    def deliver(self, deliveries: Sequence[Delivery]) -> dict[str, Result]:
        return {d.reference: self._one(d) for d in deliveries}

    def _one(self, delivery: Delivery) -> Result:
        from notifications_python_client.errors import APIError

        try:
            if delivery.maybe_sent_before:
                found = self.client.get_all_notifications(reference=delivery.reference)
                earlier = (found or {}).get("notifications") or []
                if earlier:
                    return Result(ok=True, provider_id=str(earlier[0].get("id", ""))[:64])
            response = self.client.send_email_notification(
                email_address=delivery.email_address,
                template_id=delivery.template_id,
                personalisation=delivery.personalisation,
                reference=delivery.reference,
            )
        except APIError as error:
            status = getattr(error, "status_code", 0)
            return Result(
                ok=False,
                error=f"GOV.UK Notify answered {status}: {error.message}"[:ERROR_MAX],
                permanent=status in PERMANENT_STATUSES,
            )
        except Exception as error:  # network failures and the like: try again later
            return Result(ok=False, error=f"{type(error).__name__}: {error}"[:ERROR_MAX])
        return Result(ok=True, provider_id=str(response.get("id", ""))[:64])


def get_backend() -> Backend:
    name = getattr(settings, "NOTIFY_BACKEND", "local")
    if name == "local":
        return LocalBackend()
    if name == "govuk":
        return GovukNotifyBackend(getattr(settings, "NOTIFY_API_KEY", ""))
    raise ImproperlyConfigured(f"Unknown NOTIFY_BACKEND {name!r}: use 'local' or 'govuk'")
