"""England and Wales bank holidays, from the ``govuk-bank-holidays`` package.

The package ships the GOV.UK bank-holidays feed with each release, so the service never
fetches it at run time (no network in production or CI); a newer release of the package
brings newer years. See docs/adr/0006-bank-holidays.md.
"""

from __future__ import annotations

import datetime
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def bank_holidays() -> frozenset[datetime.date]:
    """Every England and Wales bank holiday the package knows (2012 to two years ahead)."""
    feed = BankHolidays(use_cached_holidays=True)
    return frozenset(
        holiday["date"] for holiday in feed.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    )


def last_known_bank_holiday() -> datetime.date:
    """The feed's last date: a clock past it counts weekdays only, so tests warn before then."""
    return max(bank_holidays())
