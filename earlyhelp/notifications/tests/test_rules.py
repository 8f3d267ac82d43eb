"""The outbox's pure rules: what an alert e-mail may say (R-IS-12, R-IS-11 minimum
necessary) and when a failed e-mail is tried again (ADR 0009)."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.notifications import rules

MINUTE = datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        (0, datetime.timedelta(0)),
        (1, MINUTE),
        (2, 2 * MINUTE),
        (3, 4 * MINUTE),
        (6, 32 * MINUTE),
        (9, 256 * MINUTE),  # capped below
        (1000, rules.MAX_RETRY_DELAY),
    ],
)
def test_backoff_doubles_after_each_failure_up_to_a_cap(
    attempts: int, expected: datetime.timedelta
) -> None:
    assert rules.retry_delay(attempts=attempts, base=MINUTE) == min(expected, rules.MAX_RETRY_DELAY)


@pytest.mark.parametrize(
    ("attempts", "max_attempts", "permanent", "expected"),
    [
        (1, 6, False, rules.Outcome.RETRY),
        (5, 6, False, rules.Outcome.RETRY),
        (6, 6, False, rules.Outcome.FAILED),
        (7, 6, False, rules.Outcome.FAILED),
        (1, 6, True, rules.Outcome.FAILED),  # a refused request is not repeated
        (1, 1, False, rules.Outcome.FAILED),
    ],
)
def test_failed_e_mails_are_retried_then_fail_visibly(
    attempts: int, max_attempts: int, permanent: bool, expected: rules.Outcome
) -> None:
    assert (
        rules.after_failure(attempts=attempts, max_attempts=max_attempts, permanent=permanent)
        == expected
    )


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("safer_sleep_red_flag", "Safer sleep red flag"),
        ("plan_review_overdue", "Plan review overdue"),
        ("request_for_support.decided", "Request for support decided"),
        ("break-glass", "Break glass"),
        ("", "Alert"),
    ],
)
def test_an_e_mail_names_the_kind_of_alert_in_words(kind: str, title: str) -> None:
    assert rules.kind_title(kind) == title


def test_an_e_mail_says_only_the_kind_and_where_to_sign_in_r_is_12() -> None:
    personalisation = rules.alert_personalisation(
        kind="safer_sleep_red_flag", service_url="https://hub.example/"
    )
    assert personalisation == {
        "alert_kind": "Safer sleep red flag",
        "sign_in_url": "https://hub.example/alerts/",
    }
    assert rules.email_text(personalisation) == (
        "You have a new alert in Early Help Hub: Safer sleep red flag. "
        "Sign in to see it: https://hub.example/alerts/"
    )
