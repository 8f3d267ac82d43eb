"""Pure rules of the e-mail outbox: what an e-mail may say, and when a failed one is tried
again. No database, no clock: the time is passed in (house style).

What an e-mail may say (R-IS-12, R-IS-11 "minimum necessary"): that there is a new alert, of
a kind, and where to sign in. Never a family's or person's name, a date of birth, an address
or an information category: e-mail leaves the service and is read on phones.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

# Kinds raised today, in words for an e-mail. A kind not listed is worded from its code,
# which names a kind of event and never a person.
KIND_TITLES: dict[str, str] = {
    "safer_sleep_red_flag": "Safer sleep red flag",
    "safer_sleep_reassessment": "Safer sleep reassessment needed",
    "risk_recorded": "Risk recorded for a family you work with",
    "risk_held_elsewhere": "New information held by another agency",
    "plan_review_overdue": "Plan review overdue",
    "plan_action_overdue": "Plan action overdue",
    "front_door_decision_overdue": "Front door decision overdue",
}

# Longest wait between two attempts, however many failures came before.
MAX_RETRY_DELAY = datetime.timedelta(hours=6)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "queued"
    FAILED = "failed"


def kind_title(kind: str) -> str:
    """ "safer_sleep_red_flag" -> "Safer sleep red flag"; unknown codes worded from the code."""
    if kind in KIND_TITLES:
        return KIND_TITLES[kind]
    words = kind.replace(".", " ").replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return (text[:1].upper() + text[1:]) if text else "Alert"


def alert_personalisation(*, kind: str, service_url: str) -> dict[str, str]:
    """The only things an alert e-mail says: the kind of alert and where to sign in."""
    return {"alert_kind": kind_title(kind), "sign_in_url": service_url.rstrip("/") + "/alerts/"}


def email_text(personalisation: dict[str, str]) -> str:
    """The body of the Notify template, for the local backend's record and the ADR."""
    return (
        f"You have a new alert in Early Help Hub: {personalisation.get('alert_kind', 'Alert')}. "
        f"Sign in to see it: {personalisation.get('sign_in_url', '')}"
    )


def retry_delay(
    *, attempts: int, base: datetime.timedelta, cap: datetime.timedelta = MAX_RETRY_DELAY
) -> datetime.timedelta:
    """Exponential backoff: base after the first failure, doubling each time, capped."""
    if attempts < 1:
        return datetime.timedelta(0)
    return min(base * (2 ** min(attempts - 1, 30)), cap)


def after_failure(*, attempts: int, max_attempts: int, permanent: bool) -> Outcome:
    """A failed attempt (``attempts`` made so far): try again later, or give up visibly.

    A permanent failure (the provider refused the request itself, e.g. a bad address) is not
    worth repeating; any other is retried until ``max_attempts`` have been made.
    """
    if permanent or attempts >= max_attempts:
        return Outcome.FAILED
    return Outcome.RETRY
