"""The fictional demo partnership: agencies, practitioners and young families (``make run``).

Everything here is invented. Wyvern, Marlshire, their towns, streets, agencies and people do not
exist; postcodes use areas (WY, MR) that no real UK postcode has, and NHS numbers come from the
test range that is never issued. The shape of the families follows the sourced figures in the
product's SYNTHETIC_DATA_FACTS.md, cited below as "facts §n"; figures marked (U) there and here
are our own assumptions.

FamilyMaker is shared with bench/generate.py, so the demo and the benchmark data look alike.
"""

from __future__ import annotations

import base64
import bisect
import dataclasses
import datetime
import itertools
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from faker.providers.person import en_GB, en_IE, en_IN, ro_RO, yo_NG

from earlyhelp.accounts.models import AgencyType, Membership, Organisation, Role, Team, User
from earlyhelp.accounts.totp import AUTHENTICATOR_APP_NAME
from earlyhelp.people import rules
from earlyhelp.people.models import (
    AccommodationType,
    Address,
    Family,
    FamilyMember,
    Involvement,
    Person,
    PersonAlias,
    Relationship,
    SearchName,
    Sex,
)

SEED = 20261126
# Apps whose demo.py adds records to the demo families, in this order.
DEMO_APPS = (
    "frontdoor",
    "assessments",
    "levels",
    "safersleep",
    "plans",
    "chronology",
    "reviews",
    "worktray",
    "housing",
    "notifications",
    "insights",
)
DEMO_FAMILIES = 300
PARTNERSHIP = "Wyvern Safeguarding Children Partnership"
# One password for every demo account, printed in the sign-in table. Long and not on Django's
# common-password list, so it passes the same validators as a real one.
DEMO_PASSWORD = "kestrel-lantern-harbour-47"  # noqa: S105 - printed for the demo on purpose
# Marks numbers we made up, as the facts file asks for a dataset-wide synthetic flag (facts §12).
SYNTHETIC_NHS_SOURCE = "Synthetic (NHS test range 999)"
DAY = datetime.timedelta(days=1)


class DemoRefused(Exception):
    """The demo shortcuts were asked for where they must not run."""


# --------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class LocalAuthority:
    name: str
    inside_partnership_area: bool
    # Fictional postcode area letters: no real postcode area is WY or MR (facts §12: no
    # reserved fictional range exists, so we use valid-looking codes that cannot geocode).
    postcode_area: str
    districts: range
    post_towns: tuple[str, ...]


WYVERN_CITY = LocalAuthority("Wyvern City", True, "WY", range(1, 10), ("WYVERN",))
WYVERN_VALE = LocalAuthority(
    "Wyvern Vale", True, "WY", range(10, 20), ("CADDENFORD", "WRENLOW", "SALLOWBY")
)
MARLSHIRE = LocalAuthority("Marlshire", False, "MR", range(1, 10), ("MARLBRIDGE", "HOLLINSMERE"))
LOCAL_AUTHORITIES = (WYVERN_CITY, WYVERN_VALE, MARLSHIRE)

# Unit letters never C, I, K, M, O or V (facts §12).
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_STREET_STEMS = (
    "Ash", "Beech", "Birch", "Rowan", "Willow", "Hawthorn", "Elm", "Holly", "Larch", "Alder",
    "Hazel", "Linden", "Kestrel", "Heron", "Wren", "Lark", "Mill", "Church", "Station", "Chapel",
    "School", "Bridge", "Market", "Park", "Victoria", "Albert", "Queen", "King", "Canal",
    "Quarry", "Orchard", "Meadow", "Brook", "Fountain", "Foundry", "Granary", "Tannery", "Wharf",
)  # fmt: skip
_STREET_TYPES = (
    "Road", "Street", "Close", "Avenue", "Lane", "Way", "Drive", "Crescent", "Gardens", "Court",
    "Grove", "Place", "Terrace", "Walk", "Rise", "View",
)  # fmt: skip
# Accommodation in named buildings rather than street houses.
_BUILDINGS = {
    AccommodationType.TEMPORARY: ("Court", "Flat"),
    AccommodationType.BED_AND_BREAKFAST: ("Guest House", "Room"),
    AccommodationType.HOSTEL: ("House", "Room"),
    AccommodationType.SUPPORTED: ("Lodge", "Flat"),
}


@dataclass(frozen=True, slots=True)
class Street:
    name: str
    town: str
    postcode: str
    authority: LocalAuthority


class Places:
    """Streets with one postcode unit each (a unit covers about 15 addresses, facts §12)."""

    def __init__(self, rng: random.Random, streets_per_authority: int) -> None:
        self.rng = rng
        stems = _STREET_STEMS + tuple(en_GB.Provider.last_names)
        used: set[str] = set()
        self.streets: dict[str, list[Street]] = {}
        self.buildings: dict[tuple[str, str], tuple[str, Street]] = {}
        for authority in LOCAL_AUTHORITIES:
            # Half the units the districts can hold, so a fresh postcode is quick to find.
            capacity = len(authority.districts) * 10 * len(_UNIT_LETTERS) ** 2
            count = min(streets_per_authority, capacity // 2)
            streets: list[Street] = []
            while len(streets) < count:
                district = rng.choice(authority.districts)
                postcode = (
                    f"{authority.postcode_area}{district} {rng.randrange(10)}"
                    f"{rng.choice(_UNIT_LETTERS)}{rng.choice(_UNIT_LETTERS)}"
                )
                if postcode in used:
                    continue
                used.add(postcode)
                # Districts map to post towns in order, as real districts do.
                town_index = authority.districts.index(district) * len(authority.post_towns)
                town = authority.post_towns[town_index // len(authority.districts)]
                name = f"{rng.choice(stems)} {rng.choice(_STREET_TYPES)}"
                streets.append(Street(name, town, postcode, authority))
            self.streets[authority.name] = streets
            for kind, (suffix, _unit) in _BUILDINGS.items():
                building = f"{rng.choice(_STREET_STEMS)} {suffix}"
                self.buildings[(authority.name, kind)] = (building, rng.choice(streets))

    def address(
        self,
        authority: LocalAuthority,
        accommodation_type: str,
        moved_in_on: datetime.date,
        moved_out_on: datetime.date | None,
    ) -> AddressPlan:
        rng = self.rng
        building = self.buildings.get((authority.name, accommodation_type))
        if building is not None:
            name, street = building
            unit = _BUILDINGS[AccommodationType(accommodation_type)][1]
            line_1, line_2 = f"{unit} {rng.randint(1, 24)}, {name}", street.name
        else:
            street = rng.choice(self.streets[authority.name])
            number = f"{rng.randint(1, 30)} {street.name}"
            flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.3 else ""
            line_1, line_2 = f"{flat}{number}", ""
        return AddressPlan(
            line_1=line_1,
            line_2=line_2,
            town=street.town,
            postcode=street.postcode,
            local_authority=authority.name,
            inside_partnership_area=authority.inside_partnership_area,
            accommodation_type=accommodation_type,
            moved_in_on=moved_in_on,
            moved_out_on=moved_out_on,
        )


# --------------------------------------------------------------------------------------------
# Names (facts §11)

# ONS baby names 2023, England and Wales, with counts; Mohammed and Mohammad are counted
# separately from Muhammad, which gives search realistic spelling variants.
BABY_BOYS_2023 = {
    "Muhammad": 4661, "Noah": 4382, "Oliver": 3556, "George": 3494, "Leo": 3416,
    "Arthur": 3387, "Luca": 3195, "Theodore": 2666, "Oscar": 2632, "Henry": 2490,
    "Mohammed": 1601, "Mohammad": 835,
}  # fmt: skip
BABY_GIRLS_2023 = {
    "Olivia": 2906, "Amelia": 2663, "Isla": 2337, "Lily": 2290, "Freya": 2086, "Ava": 2050,
    "Ivy": 1997, "Florence": 1899, "Willow": 1833, "Isabella": 1795,
}  # fmt: skip
BIRTHS_2023 = 591_072  # ONS, facts §1
BOYS_SHARE = 0.51  # (U) facts §11
# Mothers under 20 today were born around 2005-09; 2008's top ten, ranks only (facts §11).
PARENT_GIRLS_2008 = (
    "Olivia", "Ruby", "Emily", "Grace", "Jessica", "Chloe", "Sophie", "Lily", "Amelia", "Evie",
)  # fmt: skip
PARENT_BOYS_2008 = (
    "Jack", "Oliver", "Thomas", "Harry", "Joshua", "Alfie", "Charlie", "Daniel", "James",
    "William",
)  # fmt: skip
# No 2008 counts were found, so we assume the top ten's 2023 share (U): about 11% of boys and
# 7.6% of girls (facts §11).
TOP_TEN_SHARE_BOYS = 0.11
TOP_TEN_SHARE_GIRLS = 0.076
# Shares of the population (facts §11); ranks 5 to 10 continue Taylor's Zipf-like fall (U).
TOP_SURNAMES = {"Smith": 0.013, "Jones": 0.010, "Williams": 0.0065, "Taylor": 0.006}
for _rank, _name in enumerate(("Brown", "Davies", "Evans", "Thomas", "Wilson", "Johnson"), 5):
    TOP_SURNAMES[_name] = 0.006 * 4 / _rank
# The long tail of surnames: English-looking compounds no list holds.
_SURNAME_PARTS = (
    ("Ash", "Brad", "Brom", "Card", "Chet", "Dun", "Fair", "Hal", "Hart", "Kings", "Lang", "Mar",
     "Nether", "Old", "Pen", "Red", "Ross", "Shel", "Thorn", "Whit", "Wood", "Ather", "Bar",
     "Black", "Bram", "Cal", "Crom", "Ed", "Elm", "Fen", "Gold", "Hollin", "Kel", "Lid", "Mel",
     "Nor", "Pick", "Rad", "Sal", "Stan", "Tam", "Wad", "Wel", "Win", "York", "Hazle"),
    ("by", "croft", "don", "field", "ford", "ham", "hurst", "ley", "low", "more", "shaw", "ton",
     "well", "wick", "worth", "wood", "bury", "combe", "dale", "gate", "stock", "thwaite"),
)  # fmt: skip
# (U) Other first names common in recent ONS lists and among people born around 2000-09,
# ranks not sourced: they sit at the top of the tails, before the Faker lists.
RECENT_BOYS = (
    "Archie", "Freddie", "Finley", "Theo", "Albie", "Ezra", "Jude", "Teddy", "Rory", "Lucas",
    "Tommy", "Isaac", "Ronnie", "Elijah", "Reggie", "Hudson", "Jacob", "Max", "Louie", "Mason",
    "Harrison", "Ethan", "Arlo", "Sonny", "Roman", "Reuben", "Jaxon", "Kai", "Riley", "Logan",
)  # fmt: skip
RECENT_GIRLS = (
    "Sophia", "Mia", "Daisy", "Sienna", "Poppy", "Elsie", "Emilia", "Isabelle", "Rosie",
    "Harper", "Evelyn", "Phoebe", "Millie", "Ella", "Matilda", "Maya", "Luna", "Aria", "Violet",
    "Bonnie", "Mila", "Margot", "Ellie", "Maisie", "Lottie", "Orla", "Eliza", "Aurora",
)  # fmt: skip
YOUNG_ADULT_MEN = (
    "Kyle", "Callum", "Liam", "Connor", "Jordan", "Ryan", "Lewis", "Kieran", "Bradley", "Jake",
    "Tyler", "Reece", "Dylan", "Luke", "Ben", "Nathan", "Jamie", "Owen", "Aaron", "Kayden",
)  # fmt: skip
YOUNG_ADULT_WOMEN = (
    "Megan", "Jade", "Courtney", "Shannon", "Bethany", "Abbie", "Kayleigh", "Leah", "Paige",
    "Holly", "Amber", "Ellie", "Lauren", "Jasmine", "Niamh", "Caitlin", "Demi", "Tia", "Keira",
)  # fmt: skip
# The long tail of first names (facts §11: 62,729 distinct names for 657,076 babies in 2018,
# many given to only one or two). We make it from joined names and respellings (U).
JOINED_NAME: dict[str, float] = {Sex.FEMALE: 0.08, Sex.MALE: 0.03}
SECOND_NAMES: dict[str, tuple[str, ...]] = {
    Sex.FEMALE: ("Mae", "Rose", "Grace", "May", "Louise", "Leigh", "Jo", "Belle"),
    Sex.MALE: ("James", "Lee", "Jay", "Ray", "John"),
}
RESPELLED = 0.06
_RESPELLINGS = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        ("leigh$", "lee"), ("ey$", "ie"), ("ie$", "y"), ("(?<!e)y$", "ie"), ("a$", "ah"),
        ("ah$", "a"), ("on$", "en"), ("en$", "on"), ("ph", "f"), ("cks", "x"), ("ck", "k"),
        ("ee", "i"), ("nn", "n"), ("^c(?=[aoulr])", "k"), ("ss", "s"),
    )
)  # fmt: skip


def respell(name: str, rng: random.Random) -> str:
    """A plausible other spelling, "Kayleigh" -> "Kaylee", or the name as it was."""
    rules_that_fit = [(p, r) for p, r in _RESPELLINGS if p.search(name)]
    if not rules_that_fit:
        return name
    pattern, replacement = rng.choice(rules_that_fit)
    respelled = pattern.sub(replacement, name, count=1)
    return respelled[:1].upper() + respelled[1:]


NICKNAMES = {
    "Jessica": "Jess", "Charlotte": "Charlie", "Daniel": "Danny", "Joshua": "Josh",
    "Thomas": "Tom", "William": "Will", "James": "Jamie", "Oliver": "Ollie", "Rebecca": "Becky",
    "Samantha": "Sam", "Michael": "Mikey", "Alexander": "Alex", "Kayleigh": "Kayla",
    "Nicola": "Nicky", "Elizabeth": "Beth", "Christopher": "Chris", "Matthew": "Matt",
    "Bethany": "Beth", "Callum": "Cal", "Jordan": "Jordy", "Megan": "Meg", "Abbie": "Abi",
}  # fmt: skip


def _tail_shares(count: int, start: float, mass: float) -> list[float]:
    """``count`` shares falling from below ``start`` as rank**-s, adding up to ``mass``.

    The exponent is found by bisection so that the tail carries what the head leaves and its
    commonest name is never commoner than the head's rarest (a Zipf-like fall, facts §11).
    """
    ranks = range(2, count + 2)

    def total(exponent: float) -> float:
        return sum(start * rank**-exponent for rank in ranks)

    if count == 0:
        return []
    if total(0.0) <= mass:  # too few names to fall at all: share equally
        return [mass / count] * count
    low, high = 0.0, 20.0
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if total(middle) > mass else (low, middle)
    return [start * rank**-high for rank in ranks]


class Table[T]:
    """A weighted choice prepared once, so each draw is one bisect."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]

    def share(self, value: T) -> float:
        index = self.values.index(value)
        previous = self.cumulative[index - 1] if index else 0.0
        return (self.cumulative[index] - previous) / self.total


class NamePool(Table[str]):
    """Names with a sourced head, then long Zipf-like tails (facts §11).

    ``head`` maps names to their share of everyone. What it leaves is split between the
    ``tails`` by their weights, each tail commonest name first. With no head, ``top_share`` is
    the share the commonest tail name falls from.
    """

    def __init__(
        self,
        head: dict[str, float],
        tails: Sequence[tuple[Sequence[str], float]],
        top_share: float = 0.02,
    ) -> None:
        start = min(head.values(), default=top_share)
        left = max(1.0 - sum(head.values()), 0.0)
        weights = sum(weight for _, weight in tails)
        shares = dict(head)
        for names, weight in tails:
            fresh = list(dict.fromkeys(n for n in names if n not in shares))  # each name once
            shares |= zip(
                fresh, _tail_shares(len(fresh), start, left * weight / weights), strict=True
            )
        super().__init__(shares)


def _zipf_head(names: Sequence[str], share: float) -> dict[str, float]:
    harmonic = sum(1 / rank for rank in range(1, len(names) + 1))
    return {name: share / (rank * harmonic) for rank, name in enumerate(names, 1)}


@dataclass(frozen=True)
class Names:
    surnames: NamePool
    baby_boys: NamePool
    baby_girls: NamePool
    young_men: NamePool
    young_women: NamePool
    older_men: NamePool
    older_women: NamePool

    @classmethod
    def build(cls) -> Names:
        # Faker's lists are alphabetical; shuffled (always the same way) so that a name's place
        # in its tail, and so how common it is, does not depend on its first letter.
        order = random.Random(SEED)

        def mixed(*lists: Sequence[str]) -> list[str]:
            names = [name for names in lists for name in names]
            order.shuffle(names)
            return names

        def with_others(english: Sequence[str], kind: str) -> list[tuple[Sequence[str], float]]:
            """English and Irish names for most people, then South Asian, Nigerian and
            Romanian names in about their share of an English town (U: not in the facts)."""
            return [
                (english, 0.86),
                (mixed(getattr(en_IN.Provider, kind)), 0.07),
                (mixed(getattr(yo_NG.Provider, kind)), 0.04),
                (mixed(getattr(ro_RO.Provider, kind)), 0.03),
            ]

        # en_GB's surnames come with weights: commonest first once sorted.
        gb_surnames = sorted(en_GB.Provider.last_names.items(), key=lambda kv: -kv[1])
        english_surnames = (
            [name for name, _ in gb_surnames]
            + mixed(en_IE.Provider.last_names)
            + mixed([a + b for a in _SURNAME_PARTS[0] for b in _SURNAME_PARTS[1]])
        )
        boys = [*RECENT_BOYS, *PARENT_BOYS_2008, *YOUNG_ADULT_MEN]
        boys += mixed(en_IE.Provider.first_names_male)
        girls = [*RECENT_GIRLS, *PARENT_GIRLS_2008, *YOUNG_ADULT_WOMEN]
        girls += mixed(en_IE.Provider.first_names_female)
        born_2023_boys = BIRTHS_2023 * BOYS_SHARE
        born_2023_girls = BIRTHS_2023 * (1 - BOYS_SHARE)
        return cls(
            surnames=NamePool(TOP_SURNAMES, with_others(english_surnames, "last_names")),
            baby_boys=NamePool(
                {n: c / born_2023_boys for n, c in BABY_BOYS_2023.items()},
                with_others(boys, "first_names_male"),
            ),
            baby_girls=NamePool(
                {n: c / born_2023_girls for n, c in BABY_GIRLS_2023.items()},
                with_others(girls, "first_names_female"),
            ),
            young_men=NamePool(
                _zipf_head(PARENT_BOYS_2008, TOP_TEN_SHARE_BOYS),
                with_others([*YOUNG_ADULT_MEN, *boys], "first_names_male"),
            ),
            young_women=NamePool(
                _zipf_head(PARENT_GIRLS_2008, TOP_TEN_SHARE_GIRLS),
                with_others([*YOUNG_ADULT_WOMEN, *girls], "first_names_female"),
            ),
            # Faker's en_GB first names are typical of the 1960s-80s: grandparents.
            older_men=NamePool({}, [(en_GB.Provider.first_names_male, 1.0)]),
            older_women=NamePool({}, [(en_GB.Provider.first_names_female, 1.0)]),
        )


# --------------------------------------------------------------------------------------------
# NHS numbers (facts §13)


def nhs_check_digit(nine_digits: str) -> int | None:
    """The modulus 11 check digit, or None when the nine digits can never be issued."""
    total = sum(int(d) * w for d, w in zip(nine_digits, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


# A multiplier with no factor in common with 10**6 walks every six-digit tail exactly once in a
# scrambled order: unique numbers without remembering the ones already given.
_NHS_STEP = 618_033


def synthetic_nhs_numbers(rng: random.Random) -> Iterator[str]:
    """Unique, valid NHS numbers from the test range 999 000 0000-999 999 9999, never issued.

    About 909,000 exist (one tail in eleven has no valid check digit); the iterator then ends.
    """
    offset = rng.randrange(1_000_000)
    for i in range(1_000_000):
        nine = f"999{(offset + i * _NHS_STEP) % 1_000_000:06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            yield f"{nine}{check}"


# --------------------------------------------------------------------------------------------
# Agencies and practitioners


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    agency_type: AgencyType
    authority: LocalAuthority
    email_domain: str
    teams: tuple[str, ...]


AGENCIES = (
    AgencySpec(
        "midwifery",
        "Wyvern Hospitals NHS Foundation Trust Maternity",
        AgencyType.MIDWIFERY,
        WYVERN_CITY,
        "midwifery.wyvern.example",
        ("Community midwives", "Specialist midwives"),
    ),
    AgencySpec(
        "health_visiting",
        "Wyvern Community Health Visiting",
        AgencyType.HEALTH_VISITING,
        WYVERN_CITY,
        "healthvisiting.wyvern.example",
        ("Health visitors north", "Health visitors south"),
    ),
    AgencySpec(
        "fnp",
        "Wyvern Family Nurse Partnership",
        AgencyType.FAMILY_NURSE_PARTNERSHIP,
        WYVERN_CITY,
        "fnp.wyvern.example",
        ("Family nurses",),
    ),
    AgencySpec(
        "gp",
        "Caddenford Road Surgery",
        AgencyType.GP_PRACTICE,
        WYVERN_VALE,
        "caddenfordroad.wyvern.example",
        ("Practice team",),
    ),
    AgencySpec(
        "camhs",
        "Wyvern CAMHS",
        AgencyType.CAMHS,
        WYVERN_CITY,
        "camhs.wyvern.example",
        ("Getting help team",),
    ),
    AgencySpec(
        "adult_mental_health",
        "Wyvern Perinatal Mental Health Service",
        AgencyType.ADULT_MENTAL_HEALTH,
        WYVERN_CITY,
        "mentalhealth.wyvern.example",
        ("Perinatal mental health team",),
    ),
    AgencySpec(
        "police",
        "Wyvern Constabulary",
        AgencyType.POLICE,
        WYVERN_CITY,
        "police.wyvern.example",
        ("Public protection unit",),
    ),
    AgencySpec(
        "childrens_social_care",
        "Wyvern Children's Social Care",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        WYVERN_CITY,
        "socialcare.wyvern.example",
        ("Assessment team", "Children in care and care leavers", "Information governance"),
    ),
    AgencySpec(
        "early_help",
        "Wyvern Early Help Service",
        AgencyType.EARLY_HELP,
        WYVERN_CITY,
        "earlyhelp.wyvern.example",
        ("Front door", "Family support", "Partnership business unit"),
    ),
    AgencySpec(
        "housing",
        "Wyvern Housing Options",
        AgencyType.HOUSING,
        WYVERN_CITY,
        "housing.wyvern.example",
        ("Housing options",),
    ),
    AgencySpec(
        "education",
        "Wyvern College",
        AgencyType.EDUCATION,
        WYVERN_VALE,
        "college.wyvern.example",
        ("Student support",),
    ),
    AgencySpec(
        "family_hub",
        "Sallowby Family Hub",
        AgencyType.FAMILY_HUB,
        WYVERN_VALE,
        "familyhub.wyvern.example",
        ("Family hub team",),
    ),
    AgencySpec(
        "substance_misuse",
        "Wyvern Young People's Recovery Service",
        AgencyType.SUBSTANCE_MISUSE,
        WYVERN_CITY,
        "recovery.wyvern.example",
        ("Young people's team",),
    ),
    AgencySpec(
        "domestic_abuse",
        "Safe Harbour Wyvern",
        AgencyType.DOMESTIC_ABUSE,
        WYVERN_CITY,
        "safeharbour.wyvern.example",
        ("IDVA service",),
    ),
    AgencySpec(
        "voluntary_sector",
        "Young Parents Together",
        AgencyType.VOLUNTARY_SECTOR,
        WYVERN_VALE,
        "ypt.wyvern.example",
        ("Peer support",),
    ),
    # The neighbouring authority a family moved from: outside the partnership area.
    AgencySpec(
        "marlshire_social_care",
        "Marlshire Children's Services",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        MARLSHIRE,
        "childrens.marlshire.example",
        ("Children's social work",),
    ),
)
AGENCY_BY_KEY = {spec.key: spec for spec in AGENCIES}
DEMO_EMAIL_DOMAINS = tuple(spec.email_domain for spec in AGENCIES)

# (agency, team, role, job title, how many). The first of each role is the one the sign-in
# table shows, so each role's first line is its most typical place.
STAFF: tuple[tuple[str, str, Role, str, int], ...] = (
    ("midwifery", "Community midwives", Role.PRACTITIONER, "Community midwife", 3),
    ("early_help", "Family support", Role.TEAM_MANAGER, "Early help team manager", 1),
    ("early_help", "Front door", Role.FRONT_DOOR, "Front door worker", 3),
    ("housing", "Housing options", Role.HOUSING_OFFICER, "Housing options officer", 2),
    (
        "childrens_social_care",
        "Information governance",
        Role.IG_LEAD,
        "Information governance lead",
        1,
    ),
    ("early_help", "Partnership business unit", Role.BOARD_ANALYST, "Partnership analyst", 1),
    (
        "early_help",
        "Partnership business unit",
        Role.SYSTEM_ADMINISTRATOR,
        "Systems administrator",
        1,
    ),
    ("midwifery", "Community midwives", Role.TEAM_MANAGER, "Community midwifery team leader", 1),
    ("midwifery", "Specialist midwives", Role.PRACTITIONER, "Specialist midwife, young parents", 1),
    ("health_visiting", "Health visitors north", Role.PRACTITIONER, "Health visitor", 2),
    ("health_visiting", "Health visitors south", Role.PRACTITIONER, "Health visitor", 2),
    ("health_visiting", "Health visitors south", Role.TEAM_MANAGER, "Health visiting lead", 1),
    ("fnp", "Family nurses", Role.PRACTITIONER, "Family nurse", 2),
    ("fnp", "Family nurses", Role.TEAM_MANAGER, "FNP supervisor", 1),
    ("gp", "Practice team", Role.PRACTITIONER, "General practitioner", 1),
    ("camhs", "Getting help team", Role.PRACTITIONER, "CAMHS practitioner", 1),
    (
        "adult_mental_health",
        "Perinatal mental health team",
        Role.PRACTITIONER,
        "Perinatal mental health nurse",
        1,
    ),
    ("police", "Public protection unit", Role.PRACTITIONER, "Detective constable", 2),
    ("childrens_social_care", "Assessment team", Role.PRACTITIONER, "Social worker", 2),
    ("childrens_social_care", "Assessment team", Role.TEAM_MANAGER, "Team manager", 1),
    (
        "childrens_social_care",
        "Children in care and care leavers",
        Role.PRACTITIONER,
        "Personal adviser",
        1,
    ),
    ("early_help", "Family support", Role.PRACTITIONER, "Family support worker", 3),
    ("education", "Student support", Role.PRACTITIONER, "Young parents' education adviser", 1),
    ("family_hub", "Family hub team", Role.PRACTITIONER, "Family hub worker", 2),
    ("substance_misuse", "Young people's team", Role.PRACTITIONER, "Recovery worker", 1),
    ("domestic_abuse", "IDVA service", Role.PRACTITIONER, "IDVA", 1),
    ("voluntary_sector", "Peer support", Role.PRACTITIONER, "Peer support worker", 1),
    ("marlshire_social_care", "Children's social work", Role.PRACTITIONER, "Social worker", 1),
)


def agencies_create() -> tuple[dict[str, Organisation], dict[tuple[str, str], Team]]:
    """The demo agencies and their teams, reusing any that exist (the benchmark calls this)."""
    organisations: dict[str, Organisation] = {}
    teams: dict[tuple[str, str], Team] = {}
    for spec in AGENCIES:
        organisation, _ = Organisation.objects.get_or_create(
            name=spec.name,
            defaults={
                "agency_type": spec.agency_type,
                "local_authority": spec.authority.name,
                "inside_partnership_area": spec.authority.inside_partnership_area,
            },
        )
        organisations[spec.key] = organisation
        for team_name in spec.teams:
            team, _ = Team.objects.get_or_create(organisation=organisation, name=team_name)
            teams[(spec.key, team_name)] = team
    return organisations, teams


# --------------------------------------------------------------------------------------------
# Families


@dataclass(slots=True)
class AddressPlan:
    line_1: str
    line_2: str
    town: str
    postcode: str
    local_authority: str
    inside_partnership_area: bool
    accommodation_type: str
    moved_in_on: datetime.date
    moved_out_on: datetime.date | None


@dataclass(slots=True)
class PersonPlan:
    relationship: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: datetime.date | None = None
    expected_date_of_delivery: datetime.date | None = None
    nhs_number: str | None = None
    joined_on: datetime.date | None = None
    left_on: datetime.date | None = None
    addresses: list[AddressPlan] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None


@dataclass(slots=True)
class InvolvementPlan:
    agency: str  # an AgencySpec.key
    team: str
    service: str
    started_on: datetime.date
    ended_on: datetime.date | None = None
    person: int | None = None  # index into FamilyPlan.members; None for the whole family


@dataclass(slots=True)
class FamilyPlan:
    name: str
    members: list[PersonPlan]
    involvements: list[InvolvementPlan]


# Mother's age when her baby is born: (U) blend of Khashan 2010 (33% aged 14-17) and the
# MCS cohort, as the facts file suggests (facts §1).
MOTHER_AGE_AT_BIRTH = Table({14: 0.6, 15: 2.4, 16: 8, 17: 17, 18: 30, 19: 42})
# Where the family is now (U): expecting a first baby, a baby under two, a baby and another
# on the way, or two children (by age 6, 41% have two: facts §10).
STAGES = Table({"expecting": 35, "infant": 50, "infant_and_expecting": 8, "two_children": 7})
# Levels of need (facts §9, U): L2 has 1-2 agencies, L3 3-6, L4 adds children's social care.
LEVELS = Table({2: 30, 3: 55, 4: 15})
LIVES_WITH_FATHER = 0.30  # GUS: 30% of mothers under 20 at 10 months (facts §10)
FATHER_ELSEWHERE = 0.25  # (U) a father who is not at home but is part of the family
PARTNER_NOT_FATHER = 0.10  # (U) 22% of children have half- or step-siblings (facts §10)
WITH_GRANDPARENT = 0.21  # GUS: 21% at child age 2 (facts §10)
# 22% of female care leavers become teenage mothers, about 6% of all under-20 mothers
# (facts §7); a caseload known to several agencies holds more of them (U).
CARE_EXPERIENCED = 0.10
# Current accommodation when not living with a grandparent (U). Temporary, B&B and hostel
# together make about 9.5% of all families, within the facts' 8-12% (facts §8).
ACCOMMODATION_SHARES = {
    AccommodationType.SOCIAL_RENT: 36,
    AccommodationType.PRIVATE_RENT: 23,
    AccommodationType.SUPPORTED: 12,
    AccommodationType.WITH_FAMILY: 10,
    AccommodationType.TEMPORARY: 7,
    AccommodationType.BED_AND_BREAKFAST: 2,
    AccommodationType.HOSTEL: 3,
    AccommodationType.OWNER_OCCUPIED: 4,
    AccommodationType.OTHER: 3,
}
ACCOMMODATION = Table(ACCOMMODATION_SHARES)
# Care leavers more often live in supported housing and seldom with family (U).
CARE_LEAVER_ACCOMMODATION = Table(
    ACCOMMODATION_SHARES | {AccommodationType.SUPPORTED: 36, AccommodationType.WITH_FAMILY: 1}
)
HOMELESS = frozenset(
    {
        AccommodationType.TEMPORARY,
        AccommodationType.BED_AND_BREAKFAST,
        AccommodationType.HOSTEL,
    }
)
# The baby's surname when parents are not married (U; 69.3% of births outside marriage are
# registered jointly, facts §10).
BABY_SURNAME = Table({"mother": 55, "father": 35, "both": 10})
EARLIER_ADDRESSES = Table({0: 30, 1: 35, 2: 25, 3: 10})  # (U) young people move often
GRANDPARENT_TENURE = Table(
    {
        AccommodationType.SOCIAL_RENT: 50,
        AccommodationType.OWNER_OCCUPIED: 30,
        AccommodationType.PRIVATE_RENT: 20,
    }
)


class FamilyMaker:
    """Plans one fictional young family at a time, with no database: plain data only."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: datetime.date,
        names: Names,
        places: Places,
        nhs_numbers: Iterator[str],
    ) -> None:
        self.rng = rng
        self.today = today
        self.names = names
        self.places = places
        self.nhs_numbers = nhs_numbers
        self.latest_delivery = rules.add_months(today, rules.MAX_MONTHS_TO_DELIVERY)

    # small helpers

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def _born_aged(self, years: int, on: datetime.date) -> datetime.date:
        """A date of birth that makes someone ``years`` old on ``on``."""
        return rules.add_months(on, -12 * years) - datetime.timedelta(days=self.rng.randrange(365))

    def _first_name(self, pool: NamePool, sex: str) -> str:
        name = pool.pick(self.rng)
        if self._chance(RESPELLED):
            name = respell(name, self.rng)
        if sex in JOINED_NAME and self._chance(JOINED_NAME[sex]):
            name = f"{name}-{self.rng.choice(SECOND_NAMES[sex])}"
        return name

    def _nhs_number(self, p: float) -> str | None:
        return next(self.nhs_numbers, None) if self._chance(p) else None

    def _authority(self, outside_share: float) -> LocalAuthority:
        if self._chance(outside_share):
            return MARLSHIRE
        return WYVERN_CITY if self._chance(0.6) else WYVERN_VALE

    def _history(
        self,
        person: PersonPlan,
        current: AddressPlan,
        earlier: int,
        not_before: datetime.date,
        outside_share: float = 0.08,
    ) -> None:
        """Give ``person`` the current address and up to ``earlier`` older ones before it."""
        person.addresses.append(current)
        moved_out = current.moved_in_on
        for _ in range(earlier):
            moved_in = moved_out - datetime.timedelta(days=self.rng.randint(60, 900))
            if moved_in < not_before:
                break
            kind = ACCOMMODATION.pick(self.rng)
            authority = self._authority(outside_share)
            person.addresses.append(self.places.address(authority, kind, moved_in, moved_out))
            moved_out = moved_in

    # the family

    def family(self) -> FamilyPlan:
        rng, today, names = self.rng, self.today, self.names
        stage = STAGES.pick(rng)
        level = LEVELS.pick(rng)
        care_experienced = self._chance(CARE_EXPERIENCED)
        if care_experienced:
            level = max(level, 3)

        # Children first: their dates fix everyone else's.
        born: list[datetime.date] = []
        expected: datetime.date | None = None
        if stage in ("infant", "infant_and_expecting"):
            born.append(self._days_ago(0 if stage == "infant" else 90, 729))
        elif stage == "two_children":
            older = self._days_ago(730, 1500)
            gap = (today - older).days - 300
            born += [older, older + datetime.timedelta(days=rng.randint(300, max(gap, 300)))]
        if stage in ("expecting", "infant_and_expecting"):
            earliest = born[-1] + datetime.timedelta(days=300) if born else today + DAY
            expected = max(today + datetime.timedelta(days=rng.randint(7, 280)), earliest)
            expected = min(expected, self.latest_delivery)
        first_event = born[0] if born else expected
        assert first_event is not None

        age_at_first = MOTHER_AGE_AT_BIRTH.pick(rng)
        mother_born = self._born_aged(age_at_first, first_event)
        surname = names.surnames.pick(rng)
        mother = PersonPlan(
            Relationship.MOTHER,
            self._first_name(names.young_women, Sex.FEMALE),
            surname,
            Sex.FEMALE,
            date_of_birth=mother_born,
            nhs_number=self._nhs_number(0.97),
        )
        members = [mother]

        # Fathers are often a little older (U).
        father_age = max(15, min(age_at_first + round(rng.gauss(3, 3)), 35))
        father_surname = names.surnames.pick(rng)
        father_at_home = self._chance(LIVES_WITH_FATHER)
        father_elsewhere = not father_at_home and self._chance(FATHER_ELSEWHERE)
        partner = not father_at_home and self._chance(PARTNER_NOT_FATHER)
        grandparent = not care_experienced and self._chance(WITH_GRANDPARENT)

        baby_surname = {
            "mother": surname,
            "father": father_surname,
            "both": f"{surname}-{father_surname}",
        }[BABY_SURNAME.pick(rng)]
        children = []
        for day in born:
            sex = Sex.MALE if self._chance(BOYS_SHARE) else Sex.FEMALE
            child = PersonPlan(
                Relationship.CHILD,
                self._first_name(names.baby_boys if sex == Sex.MALE else names.baby_girls, sex),
                baby_surname,
                sex,
                date_of_birth=day,
                # Every baby born in England gets an NHS number at birth.
                nhs_number=self._nhs_number(1.0),
                joined_on=day,
            )
            children.append(child)
        if expected is not None:
            children.append(
                PersonPlan(
                    Relationship.UNBORN_BABY,
                    "",
                    baby_surname,
                    Sex.NOT_KNOWN,
                    expected_date_of_delivery=expected,
                )
            )
        members += children

        # Where they live now.
        if grandparent:
            kind = AccommodationType.WITH_FAMILY
            authority = self._authority(0.0)
        else:
            kind = (CARE_LEAVER_ACCOMMODATION if care_experienced else ACCOMMODATION).pick(rng)
            # A few are placed outside the area, mostly in temporary accommodation (U).
            authority = self._authority(0.15 if kind in HOMELESS else 0.02)
        # Not before she was 12 (some mothers are 14 now), never in the future.
        twelfth = mother_born + datetime.timedelta(days=12 * 365)
        moved_in = min(max(self._days_ago(14, 540), twelfth), today)
        home = self.places.address(authority, kind, moved_in, None)
        self._history(
            mother,
            home,
            earlier=EARLIER_ADDRESSES.pick(rng),
            not_before=mother_born + datetime.timedelta(days=14 * 365),
        )
        for child in children:
            if child.date_of_birth is None:
                continue  # an unborn baby lives with its mother and has no address of its own
            for address in mother.addresses:
                if address.moved_out_on is None or address.moved_out_on >= child.date_of_birth:
                    child.addresses.append(
                        dataclasses.replace(
                            address, moved_in_on=max(address.moved_in_on, child.date_of_birth)
                        )
                    )

        family_formed = mother.addresses[0].moved_in_on
        if father_at_home or father_elsewhere:
            father = PersonPlan(
                Relationship.FATHER,
                self._first_name(names.young_men, Sex.MALE),
                father_surname,
                Sex.MALE,
                date_of_birth=self._born_aged(father_age, first_event),
                nhs_number=self._nhs_number(0.85),
                joined_on=family_formed,
            )
            assert father.date_of_birth is not None
            adult_from = father.date_of_birth + datetime.timedelta(days=14 * 365)
            if father_at_home:
                self._history(father, dataclasses.replace(home), 1, adult_from)
            else:
                own = self.places.address(
                    self._authority(0.1),
                    ACCOMMODATION.pick(rng),
                    max(self._days_ago(30, 900), adult_from),
                    None,
                )
                self._history(father, own, 1, adult_from)
                if self._chance(0.2):  # (U) some fathers leave the family's life
                    father.left_on = self._days_ago(0, (today - family_formed).days)
            members.append(father)
        if partner:
            partner_plan = PersonPlan(
                Relationship.PARTNER_OF_PARENT,
                self._first_name(names.young_men, Sex.MALE),
                names.surnames.pick(rng),
                Sex.MALE,
                date_of_birth=self._born_aged(rng.randint(17, 30), today),
                nhs_number=self._nhs_number(0.8),
                joined_on=family_formed,
            )
            assert partner_plan.date_of_birth is not None
            partner_from = partner_plan.date_of_birth + datetime.timedelta(days=14 * 365)
            self._history(partner_plan, dataclasses.replace(home), 1, partner_from)
            members.append(partner_plan)
        if grandparent:
            woman = self._chance(0.85)
            gran = PersonPlan(
                Relationship.GRANDPARENT,
                (names.older_women if woman else names.older_men).pick(rng),
                surname if self._chance(0.7) else names.surnames.pick(rng),
                Sex.FEMALE if woman else Sex.MALE,
                date_of_birth=self._born_aged(rng.randint(17, 30), mother_born),
                nhs_number=self._nhs_number(0.95),
                joined_on=family_formed,
            )
            # The mother lives in her parent's home; they have lived there far longer.
            gran.addresses.append(
                dataclasses.replace(
                    home,
                    accommodation_type=GRANDPARENT_TENURE.pick(rng),
                    moved_in_on=min(home.moved_in_on, mother_born),
                )
            )
            members.append(gran)

        # Some adults are known by another name: a nickname or an earlier surname (U).
        for person in members:
            if person.date_of_birth is None or person.relationship == Relationship.CHILD:
                continue
            if self._chance(0.07):
                nickname = NICKNAMES.get(person.given_name)
                if nickname:
                    person.aliases.append((nickname, person.family_name))
                else:
                    person.aliases.append((person.given_name, names.surnames.pick(rng)))

        involvements = self._involvements(
            members=members,
            level=level,
            care_experienced=care_experienced,
            expected=expected,
            born=born,
            age_at_first=age_at_first,
        )
        return FamilyPlan(f"{surname} household", members, involvements)

    def _involvements(
        self,
        *,
        members: list[PersonPlan],
        level: int,
        care_experienced: bool,
        expected: datetime.date | None,
        born: list[datetime.date],
        age_at_first: int,
    ) -> list[InvolvementPlan]:
        """Which agencies work with the family (facts §9, U). The mother is members[0]."""
        rng, today = self.rng, self.today
        mother = members[0]
        assert mother.date_of_birth is not None
        under_18 = rules.age_on(mother.date_of_birth, today) < rules.ADULT_AGE
        home = mother.addresses[0]
        weeks = datetime.timedelta(weeks=1)

        def work(
            agency: str,
            team: str,
            service: str,
            started: datetime.date | None = None,
            *,
            ended: datetime.date | None = None,
            with_mother: bool = False,
        ) -> InvolvementPlan:
            started = min(started or self._days_ago(7, 365), today)
            return InvolvementPlan(
                agency, team, service, started, ended, 0 if with_mother else None
            )

        core: list[InvolvementPlan] = []
        # Midwives from booking (about 10 weeks: 30 weeks before the due date) to 10-28 days
        # after the birth.
        if expected is not None:
            core.append(
                work("midwifery", "Community midwives", "Antenatal care", expected - 30 * weeks)
            )
        if born:
            discharged = born[-1] + datetime.timedelta(days=rng.randint(10, 28))
            core.append(
                work(
                    "midwifery",
                    "Community midwives",
                    "Antenatal and postnatal care",
                    born[-1] - 30 * weeks,
                    ended=discharged if discharged <= today else None,
                    with_mother=True,
                )
            )
        # FNP takes first-time mothers up to 19 by 28 weeks and stays until the child is two:
        # 23% of those eligible enrolled, 52% of 13-15-year-olds (facts §1, Cavallaro 2022).
        first_due = born[0] if born else expected
        assert first_due is not None
        first_time = len(born) + (expected is not None) == 1
        if first_time and self._chance(0.52 if age_at_first <= 15 else 0.23):
            core.append(
                work(
                    "fnp",
                    "Family nurses",
                    "Family Nurse Partnership programme",
                    first_due - 14 * weeks,
                )
            )
        elif born:  # health visitors from the new birth visit at 10-14 days
            core.append(
                work(
                    "health_visiting",
                    rng.choice(AGENCY_BY_KEY["health_visiting"].teams),
                    "Healthy Child Programme",
                    born[0] + datetime.timedelta(days=rng.randint(10, 14)),
                )
            )
        core.append(
            work(
                "gp",
                "Practice team",
                "Registered patient",
                self._days_ago(7, 2000),
                with_mother=True,
            )
        )
        if level == 2:
            return core[:2]

        # From level 3 the early help service coordinates, and each need drawn brings its
        # service; a few universal offers fill up to the 3-6 agencies of level 3 (facts §9).
        needed = [work("early_help", "Family support", "Early help assessment")]
        if care_experienced:
            needed.append(
                work(
                    "childrens_social_care",
                    "Children in care and care leavers",
                    "Leaving care personal adviser",
                    self._days_ago(30, 1500),
                    with_mother=True,
                )
            )
        if home.accommodation_type in HOMELESS:
            # The housing team placed them, so its work began a little before the move.
            placed = home.moved_in_on - datetime.timedelta(days=rng.randint(0, 60))
            needed.append(work("housing", "Housing options", "Homelessness relief duty", placed))
        high = level == 4
        # Domestic abuse: 10.5% of women 16-19 in a year (facts §6); more in this caseload (U).
        if self._chance(0.4 if high else 0.2):
            needed.append(work("domestic_abuse", "IDVA service", "IDVA support", with_mother=True))
            if self._chance(0.6):
                needed.append(
                    work("police", "Public protection unit", "Domestic abuse incident follow-up")
                )
        # Perinatal mental health: 1 in 5 mothers, two to three times that under 20 (facts §6).
        if self._chance(0.45 if high else 0.3):
            if under_18:
                needed.append(
                    work("camhs", "Getting help team", "CAMHS getting help", with_mother=True)
                )
            else:
                needed.append(
                    work(
                        "adult_mental_health",
                        "Perinatal mental health team",
                        "Perinatal mental health",
                        with_mother=True,
                    )
                )
        if self._chance(0.15 if high else 0.06):  # 5-8% have a flagged misuse (facts §6, U)
            needed.append(
                work(
                    "substance_misuse",
                    "Young people's team",
                    "Young people's substance misuse support",
                    with_mother=True,
                )
            )
        # Under 18s stay in education or training; 48% of FNP clients were NEET (facts §10).
        education = work(
            "education",
            "Student support",
            "Young parents' education and Care to Learn",
            with_mother=True,
        )
        if under_18:
            needed.append(education)
        # A family that moved in from Marlshire, whose social worker handed over (U).
        if any(
            a.local_authority == MARLSHIRE.name and a.moved_out_on is not None
            for a in mother.addresses
        ) and self._chance(0.5):
            started = self._days_ago(200, 700)
            needed.append(
                work(
                    "marlshire_social_care",
                    "Children's social work",
                    "Child in need plan (transferred to Wyvern)",
                    started,
                    ended=started + datetime.timedelta(days=rng.randint(30, 180)),
                )
            )
        if high:
            plan = "Child protection plan" if self._chance(0.4) else "Child in need plan"
            needed.append(work("childrens_social_care", "Assessment team", plan))
        offers = [
            work("family_hub", "Family hub team", "Baby and me group"),
            work("voluntary_sector", "Peer support", "Young parents peer support"),
            work("housing", "Housing options", "Housing advice"),
        ]
        if not under_18:
            offers.append(education)
        rng.shuffle(offers)
        chosen = core + needed
        chosen += offers[: max(0, rng.randint(3, 6) - len(chosen))]

        # Some work has finished (U): about one in five, apart from the dated ones above.
        for involvement in chosen:
            open_days = (today - involvement.started_on).days
            if involvement.ended_on is None and open_days > 14 and self._chance(0.2):
                involvement.ended_on = involvement.started_on + datetime.timedelta(
                    days=rng.randint(14, open_days)
                )
        return chosen


# --------------------------------------------------------------------------------------------
# Loading the demo


def _refuse_unless_demo_mode() -> None:
    if not getattr(settings, "DEMO_MODE", False):
        raise DemoRefused(
            "The demo needs DEMO_MODE=1 (and DEBUG=1): it prints passwords and "
            "second-factor secrets, so it never runs on a real service."
        )


def demo_is_loaded() -> bool:
    return Organisation.objects.exists()


def demo_load(*, families: int = DEMO_FAMILIES, today: datetime.date | None = None) -> bool:
    """Load the demo partnership once. False (and no change) when agencies already exist."""
    _refuse_unless_demo_mode()
    with transaction.atomic():
        if demo_is_loaded():
            return False
        rng = random.Random(SEED)
        fake = Faker("en_GB")
        fake.seed_instance(SEED)
        today = today or timezone.localdate()
        organisations, teams = agencies_create()
        caseworkers = _practitioners_create(rng, fake, teams)
        maker = FamilyMaker(
            rng=rng,
            today=today,
            names=Names.build(),
            places=Places(rng, streets_per_authority=max(40, families // 3)),
            nhs_numbers=synthetic_nhs_numbers(rng),
        )
        plans = [maker.family() for _ in range(families)]
        _families_save(rng, plans, organisations, teams, caseworkers)
        for app in DEMO_APPS:
            # Each later app adds its own records to the families saved above.
            import_module(f"earlyhelp.{app}.demo").demo_add(rng=rng, today=today)
        _history_record(rng)
    return True


def _history_record(rng: random.Random) -> None:
    """A little of the audit trail a live service would have: who recorded each family and
    who has looked at it, so that the audit pages and ``audit_verify`` have a chain to check.
    The rows are sealed when the load commits."""
    from earlyhelp.accounts.models import CASEWORK_ROLES, User
    from earlyhelp.core.access import access_record
    from earlyhelp.core.audit import audit_record
    from earlyhelp.core.models import AccessAction
    from earlyhelp.people.models import Involvement

    practitioners = {u.pk: u for u in User.objects.filter(memberships__role__in=CASEWORK_ROLES)}
    first_involvement: dict[int | None, Involvement] = {}
    for involvement in (
        Involvement.objects.filter(family__isnull=False, practitioner__isnull=False)
        .select_related("family")
        .order_by("started_on", "id")
    ):
        first_involvement.setdefault(involvement.family_id, involvement)
    for involvement in first_involvement.values():
        actor = practitioners.get(involvement.practitioner_id or 0)
        if actor is None:
            continue
        family = involvement.family
        assert family is not None
        audit_record(actor=actor, action="family.create", obj=family, summary=family.name)
        for _ in range(rng.randint(0, 3)):
            access_record(actor=actor, action=AccessAction.VIEW, obj=family, route="involvement")


def _practitioners_create(
    rng: random.Random, fake: Faker, teams: dict[tuple[str, str], Team]
) -> dict[tuple[str, str], list[User]]:
    """The demo staff. Returns the practitioners of each team who can hold involvements."""
    # One hash for every account: hashing ~40 times would add seconds to `make run`, and the
    # accounts share one password anyway.
    password = make_password(DEMO_PASSWORD)
    users: list[User] = []
    memberships: list[Membership] = []
    caseworkers: dict[tuple[str, str], list[User]] = {}
    emails: set[str] = set()
    for agency, team_name, role, job_title, count in STAFF:
        domain = AGENCY_BY_KEY[agency].email_domain
        for _ in range(count):
            given, family = fake.first_name(), fake.last_name()
            local = f"{rules.name_key(given)}.{rules.name_key(family)}".lower()
            email, n = f"{local}@{domain}", 1
            while email in emails:
                n += 1
                email = f"{local}{n}@{domain}"
            emails.add(email)
            user = User(email=email, full_name=f"{given} {family}", job_title=job_title)
            user.password = password
            users.append(user)
            memberships.append(Membership(user=user, team=teams[(agency, team_name)], role=role))
            if role in (Role.PRACTITIONER, Role.HOUSING_OFFICER):
                caseworkers.setdefault((agency, team_name), []).append(user)
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    TOTPDevice.objects.bulk_create(
        # A known key from the seeded generator: the demo works without a phone (demo_code).
        TOTPDevice(
            user=user, name=AUTHENTICATOR_APP_NAME, confirmed=True, key=rng.randbytes(20).hex()
        )
        for user in users
    )
    return caseworkers


def _families_save(
    rng: random.Random,
    plans: list[FamilyPlan],
    organisations: dict[str, Organisation],
    teams: dict[tuple[str, str], Team],
    caseworkers: dict[tuple[str, str], list[User]],
) -> None:
    families = Family.objects.bulk_create([Family(name=plan.name) for plan in plans])
    persons = Person.objects.bulk_create(
        [
            Person(
                given_name=m.given_name,
                family_name=m.family_name,
                given_name_key=rules.name_key(m.given_name),
                family_name_key=rules.name_key(m.family_name),
                is_unborn=m.is_unborn,
                date_of_birth=m.date_of_birth,
                expected_date_of_delivery=m.expected_date_of_delivery,
                sex=m.sex,
                nhs_number=m.nhs_number,
                nhs_number_source=SYNTHETIC_NHS_SOURCE if m.nhs_number else "",
            )
            for plan in plans
            for m in plan.members
        ]
    )
    members: list[FamilyMember] = []
    addresses: list[Address] = []
    aliases: list[PersonAlias] = []
    involvements: list[Involvement] = []
    keys: set[str] = set()
    people = iter(persons)
    for plan, family in zip(plans, families, strict=True):
        family_persons = [next(people) for _ in plan.members]
        for m, person in zip(plan.members, family_persons, strict=True):
            keys.update((person.given_name_key, person.family_name_key))
            members.append(
                FamilyMember(
                    family=family,
                    person=person,
                    relationship=m.relationship,
                    joined_on=m.joined_on,
                    left_on=m.left_on,
                )
            )
            addresses += [Address(person=person, **dataclasses.asdict(a)) for a in m.addresses]
            for given, surname in m.aliases:
                alias = PersonAlias(
                    person=person,
                    given_name=given,
                    family_name=surname,
                    given_name_key=rules.name_key(given),
                    family_name_key=rules.name_key(surname),
                )
                keys.update((alias.given_name_key, alias.family_name_key))
                aliases.append(alias)
        for plan_involvement in plan.involvements:
            # Most work has a named practitioner when the team has one (U).
            staff = caseworkers.get((plan_involvement.agency, plan_involvement.team), [])
            practitioner = rng.choice(staff) if staff and rng.random() < 0.7 else None
            index = plan_involvement.person
            involvements.append(
                Involvement(
                    organisation=organisations[plan_involvement.agency],
                    team=teams[(plan_involvement.agency, plan_involvement.team)],
                    practitioner=practitioner,
                    person=family_persons[index] if index is not None else None,
                    family=family if index is None else None,
                    service=plan_involvement.service,
                    started_on=plan_involvement.started_on,
                    ended_on=plan_involvement.ended_on,
                )
            )
    FamilyMember.objects.bulk_create(members)
    Address.objects.bulk_create(addresses)
    PersonAlias.objects.bulk_create(aliases)
    Involvement.objects.bulk_create(involvements)
    SearchName.objects.bulk_create(
        [SearchName(value=key) for key in sorted(keys) if key], ignore_conflicts=True
    )


# --------------------------------------------------------------------------------------------
# Signing in to the demo


def _demo_email_filter(prefix: str = "") -> Q:
    query = Q()
    for domain in DEMO_EMAIL_DOMAINS:
        query |= Q(**{f"{prefix}email__iendswith": f"@{domain}"})
    return query


@dataclass(frozen=True)
class SignInRow:
    role: str
    name: str
    email: str
    totp_secret: str  # base32, as authenticator apps take it


def sign_in_rows() -> list[SignInRow]:
    """One demo account per role: the first created."""
    rows = []
    for role in Role:
        membership = (
            Membership.objects.filter(_demo_email_filter("user__"), role=role, ended_on=None)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            continue
        device = TOTPDevice.objects.filter(user=membership.user, confirmed=True).first()
        secret = base64.b32encode(device.bin_key).decode() if device else "(no device)"
        rows.append(SignInRow(role.label, membership.user.full_name, membership.user.email, secret))
    return rows


def sign_in_table(rows: Sequence[SignInRow], *, port: str) -> str:
    header = ("Role", "Name", "E-mail", "Password", "TOTP secret (base32)")
    lines = [(r.role, r.name, r.email, DEMO_PASSWORD, r.totp_secret) for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    example = rows[0].email if rows else "..."
    return "\n".join(
        [
            f"{PARTNERSHIP} (fictional demo data)",
            f"Sign in at http://127.0.0.1:{port}{reverse('accounts:sign_in')}",
            "",
            fmt(header),
            fmt(["-" * w for w in widths]),
            *(fmt(line) for line in lines),
            "",
            f"Get the current 6-digit code with: make demo-code EMAIL={example}",
            "(or add the TOTP secret to any authenticator app)",
        ]
    )


def demo_code(email: str) -> str:
    """The current TOTP code of a demo account, so the demo works without a phone."""
    _refuse_unless_demo_mode()
    if not email.lower().endswith(tuple(f"@{d}" for d in DEMO_EMAIL_DOMAINS)):
        raise DemoRefused(f"{email} is not a demo account (demo e-mails end in .example).")
    device = (
        TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).order_by("id").first()
    )
    if device is None:
        raise DemoRefused(f"No demo account with a confirmed authenticator for {email}.")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
