"""Pure rules about people: identifiers, ages, names and postcodes. No ORM, no request."""

from __future__ import annotations

import datetime
import re
import unicodedata

ADULT_AGE = 18
YOUNG_PARENT_AGE = 20
# An expected date of delivery is at most about ten months after today (a pregnancy is
# 40 weeks from the last period; booking can happen before 10 weeks).
MAX_MONTHS_TO_DELIVERY = 10

# The outward code (area and district) then the inward code (sector and unit), as in the
# BS 7666 postcode format; GIR 0AA is the one historic exception.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]"
    r"(\d[A-HJKPSTUW]?|[A-HK-Y]\d[ABEHMNPRV-Y]?|\d\d?|[A-HK-Y]\d\d?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2})$",
    re.ASCII,
)


def nhs_number_is_valid(value: str) -> bool:
    """R-CW-1: ten digits whose last is the modulus 11 check digit of the first nine.

    Weights 10 down to 2; check = 11 - (sum mod 11); 11 becomes 0 and 10 is never valid.
    """
    # ASCII digits only: \d would also accept other scripts' digits, which int() reads.
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(value[9])


def normalise_nhs_number(value: str) -> str:
    """Accept the usual '943 476 5919' and '943-476-5919' forms."""
    return re.sub(r"[\s-]", "", value)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_is_valid(value: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(value)))


def name_key(value: str) -> str:
    """Upper case, accents removed, only letters kept: "O'Brien-Smyth" -> "OBRIENSMYTH"."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))
    return letters.upper()


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Completed years on a date; someone born on 29 February has a birthday on 1 March."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_child(date_of_birth: datetime.date | None, on: datetime.date) -> bool:
    """R-WT-9: under 18 on the date is a child, whether or not they are also a parent."""
    return date_of_birth is not None and age_on(date_of_birth, on) < ADULT_AGE


def is_young_parent(date_of_birth: datetime.date | None, on: datetime.date) -> bool:
    """The cohort the review is about: a parent under 20 on the date."""
    return date_of_birth is not None and age_on(date_of_birth, on) < YOUNG_PARENT_AGE


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def date_of_birth_problem(date_of_birth: datetime.date, today: datetime.date) -> str | None:
    """A born child's date of birth cannot be in the future or implausibly long ago."""
    if date_of_birth > today:
        return "Date of birth must be today or in the past"
    if date_of_birth < datetime.date(today.year - 120, 1, 1):
        return "Date of birth must be within the last 120 years"
    return None


def expected_delivery_problem(expected: datetime.date, today: datetime.date) -> str | None:
    """An unborn baby's expected date is from today to ten months ahead."""
    if expected < today:
        return "Expected date of delivery must be today or in the future"
    if expected > add_months(today, MAX_MONTHS_TO_DELIVERY):
        return "Expected date of delivery must be within 10 months from today"
    return None
