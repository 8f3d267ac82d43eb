"""people.rules, table by table, without a database."""

from __future__ import annotations

import datetime

import pytest

from earlyhelp.people import rules

D = datetime.date


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),  # the NHS's own example
        ("9990000018", True),
        ("9992914173", True),
        ("9997763173", True),
        # Check digit 11 becomes 0.
        ("9990000050", True),
        ("9990000051", False),
        # Check digit 10: no last digit makes these valid.
        *[(f"999000000{d}", False) for d in range(10)],
        ("9434765918", False),  # wrong check digit
        ("943476591", False),  # nine digits
        ("94347659190", False),  # eleven digits
        ("943 476 5919", False),  # spaces are removed before the check, not by it
        ("94347659A9", False),
        # Full-width digits look right but are not ASCII.
        ("".join(chr(0xFF10 + int(d)) for d in "9434765919"), False),
        ("", False),
    ],
)
def test_nhs_number_is_valid(number: str, valid: bool) -> None:
    """R-CW-1: the NHS number is 10 digits with a modulus 11 check digit."""
    assert rules.nhs_number_is_valid(number) is valid


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 9434765919 ", "9434765919"),
        ("", ""),
    ],
)
def test_normalise_nhs_number(typed: str, normalised: str) -> None:
    """R-CW-1: the usual ways of writing the number all mean the same number."""
    assert rules.normalise_nhs_number(typed) == normalised


@pytest.mark.parametrize(
    ("postcode", "valid"),
    [
        ("LS1 4AP", True),
        ("ls14ap", True),
        ("  ls1   4ap ", True),
        ("SW1A 1AA", True),
        ("EC1A 1BB", True),
        ("W1A 0AX", True),
        ("M1 1AE", True),
        ("B33 8TH", True),
        ("CR2 6XH", True),
        ("DN55 1PT", True),
        ("GIR 0AA", True),
        ("LS1", False),  # outward code only
        ("LS1 4A", False),
        ("12345", False),
        ("QS1 1AA", False),  # Q never starts a postcode
        ("LS1 4CP", False),  # C never appears in the inward code
        ("LS\u0661 4AP", False),  # an Arabic-Indic digit one
        ("", False),
    ],
)
def test_postcode_is_valid(postcode: str, valid: bool) -> None:
    assert rules.postcode_is_valid(postcode) is valid


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("ls14ap", "LS1 4AP"), ("sw1a1aa", "SW1A 1AA"), ("LS1  4AP", "LS1 4AP"), ("LS1", "LS1")],
)
def test_normalise_postcode(typed: str, normalised: str) -> None:
    assert rules.normalise_postcode(typed) == normalised


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ashworth", "ASHWORTH"),
        ("O'Brien-Smyth", "OBRIENSMYTH"),
        ("Zoë", "ZOE"),
        ("Siân", "SIAN"),
        ("  de la Cruz ", "DELACRUZ"),
        ("2009", ""),
        ("", ""),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert rules.name_key(name) == key


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2009, 5, 14), D(2026, 5, 13), 16),
        (D(2009, 5, 14), D(2026, 5, 14), 17),
        (D(2009, 5, 14), D(2026, 11, 26), 17),
        (D(2026, 11, 26), D(2026, 11, 26), 0),
        # Born on 29 February: the birthday is 1 March in other years.
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
        (D(2008, 2, 29), D(2028, 2, 29), 20),
        (D(2008, 2, 29), D(2028, 2, 28), 19),
    ],
)
def test_age_on(born: datetime.date, on: datetime.date, age: int) -> None:
    assert rules.age_on(born, on) == age


@pytest.mark.parametrize(
    ("born", "on", "child"),
    [
        (D(2009, 5, 14), D(2027, 5, 13), True),  # the day before the 18th birthday
        (D(2009, 5, 14), D(2027, 5, 14), False),  # 18 today
        (D(2008, 2, 29), D(2026, 2, 28), True),
        (D(2008, 2, 29), D(2026, 3, 1), False),
        (None, D(2026, 11, 26), False),  # no date of birth: not known to be a child
    ],
)
def test_is_child(born: datetime.date | None, on: datetime.date, child: bool) -> None:
    """R-WT-9: under 18 is a child in their own right, parent or not."""
    assert rules.is_child(born, on) is child


@pytest.mark.parametrize(
    ("born", "on", "young_parent"),
    [
        (D(2007, 2, 2), D(2027, 2, 1), True),
        (D(2007, 2, 2), D(2027, 2, 2), False),
        (None, D(2026, 11, 26), False),
    ],
)
def test_is_young_parent(born: datetime.date | None, on: datetime.date, young_parent: bool) -> None:
    assert rules.is_young_parent(born, on) is young_parent


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 11, 26), 10, D(2027, 9, 26)),
        (D(2026, 12, 31), 10, D(2027, 10, 31)),
        (D(2026, 4, 30), 10, D(2027, 2, 28)),  # no 30 February: the last day instead
        (D(2027, 4, 30), 10, D(2028, 2, 29)),  # a leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
    ],
)
def test_add_months(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert rules.add_months(day, months) == expected


TODAY = D(2026, 11, 26)


@pytest.mark.parametrize(
    ("expected", "today", "problem"),
    [
        (TODAY, TODAY, None),
        (TODAY - datetime.timedelta(days=1), TODAY, "today or in the future"),
        (D(2027, 9, 26), TODAY, None),  # exactly 10 months ahead
        (D(2027, 9, 27), TODAY, "within 10 months"),
        (D(2027, 2, 28), D(2026, 4, 30), None),
        (D(2027, 3, 1), D(2026, 4, 30), "within 10 months"),
    ],
)
def test_expected_delivery_problem(
    expected: datetime.date, today: datetime.date, problem: str | None
) -> None:
    found = rules.expected_delivery_problem(expected, today)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (TODAY, None),
        (TODAY + datetime.timedelta(days=1), "today or in the past"),
        (D(1906, 1, 1), None),  # 120 years ago, from 1 January
        (D(1905, 12, 31), "within the last 120 years"),
    ],
)
def test_date_of_birth_problem(born: datetime.date, problem: str | None) -> None:
    found = rules.date_of_birth_problem(born, TODAY)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found
