"""The demo partnership (demo_load), its second-factor helper (demo_code) and the benchmark
generator that shares its families (bench/generate.py)."""

from __future__ import annotations

import base64
import datetime
import importlib.util
import io
import random
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import AgencyType, Membership, Organisation, Role, Team, User
from earlyhelp.core import demo
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
)


@pytest.fixture
def demo_mode(settings):  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True


def load(families: int = 12) -> str:
    out = io.StringIO()
    call_command("demo_load", families=families, stdout=out)
    return out.getvalue()


# The loader


@pytest.mark.django_db
def test_demo_load_refuses_without_demo_mode(settings):  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_load", families=3, stdout=io.StringIO())
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_default_demo_is_the_whole_partnership(demo_mode: None) -> None:
    out = io.StringIO()
    call_command("demo_load", stdout=out)
    today = timezone.localdate()

    # About 15 agencies of every type, one of them across the border.
    assert 14 <= Organisation.objects.count() <= 17
    assert set(Organisation.objects.values_list("agency_type", flat=True)) == set(AgencyType)
    outside = Organisation.objects.get(inside_partnership_area=False)
    inside_authorities = set(
        Organisation.objects.filter(inside_partnership_area=True).values_list(
            "local_authority", flat=True
        )
    )
    assert outside.local_authority not in inside_authorities
    assert Team.objects.filter(
        organisation__agency_type=AgencyType.EARLY_HELP, name="Front door"
    ).exists()

    # About 40 practitioners, every role, each in a team with a confirmed authenticator.
    users = User.objects.all()
    assert 35 <= users.count() <= 45
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role)
    for user in users:
        assert user.email.endswith(".example")
        assert user.memberships.exists()
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    # About 300 families of young parents and babies.
    assert Family.objects.count() == demo.DEMO_FAMILIES
    mothers = Person.objects.filter(family_members__relationship=Relationship.MOTHER)
    ages = [rules.age_on(m.date_of_birth, today) for m in mothers if m.date_of_birth]
    assert sum(age < rules.YOUNG_PARENT_AGE for age in ages) > len(ages) / 2
    assert any(age < rules.ADULT_AGE for age in ages)
    unborn = Person.objects.filter(is_unborn=True)
    assert unborn.count() > 30
    for baby in unborn:
        assert baby.date_of_birth is None
        assert baby.expected_date_of_delivery is not None
        assert rules.expected_delivery_problem(baby.expected_date_of_delivery, today) is None
    infants = Person.objects.filter(
        family_members__relationship=Relationship.CHILD,
        date_of_birth__gt=rules.add_months(today, -24),
    )
    assert infants.count() > 50
    relationships = set(FamilyMember.objects.values_list("relationship", flat=True))
    assert {Relationship.FATHER, Relationship.PARTNER_OF_PARENT, Relationship.GRANDPARENT} <= (
        relationships
    )

    # NHS numbers on most people: valid, unique, from the never-issued test range.
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n is not None]
    born = Person.objects.filter(is_unborn=False).count()
    assert len(numbers) > 0.8 * born
    assert len(set(numbers)) == len(numbers)
    assert all(rules.nhs_number_is_valid(n) and n.startswith("999") for n in numbers)

    # Every name key of every person and alias is in the table of distinct names.
    names = set(SearchName.objects.values_list("value", flat=True))
    for person in Person.objects.all():
        assert person.given_name_key == rules.name_key(person.given_name)
        assert person.family_name_key == rules.name_key(person.family_name)
        assert {person.given_name_key, person.family_name_key} - {""} <= names
    assert PersonAlias.objects.exists()
    for alias in PersonAlias.objects.all():
        assert {alias.given_name_key, alias.family_name_key} - {""} <= names

    # Address histories with valid postcodes, some outside the area, some homeless.
    assert all(
        rules.postcode_is_valid(p) for p in Address.objects.values_list("postcode", flat=True)
    )
    assert Address.objects.filter(inside_partnership_area=False).exists()
    assert Address.objects.filter(moved_out_on__isnull=False).exists()
    assert Address.objects.filter(accommodation_type=AccommodationType.TEMPORARY).exists()

    # Several agencies with most families; some of the work has ended.
    agencies: defaultdict[int, set[int]] = defaultdict(set)
    for family_id, organisation_id in Involvement.objects.filter(family__isnull=False).values_list(
        "family_id", "organisation_id"
    ):
        agencies[family_id].add(organisation_id)
    for family_id, organisation_id in Involvement.objects.filter(person__isnull=False).values_list(
        "person__family_members__family_id", "organisation_id"
    ):
        agencies[family_id].add(organisation_id)
    assert sum(len(a) >= 2 for a in agencies.values()) > 0.6 * demo.DEMO_FAMILIES
    assert Involvement.objects.filter(ended_on__isnull=False).exists()
    assert Involvement.objects.filter(ended_on__isnull=True).exists()
    assert Involvement.objects.filter(practitioner__isnull=False).exists()

    assert "Loaded the demo" in out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once(demo_mode: None) -> None:
    first = load()
    counts = (Organisation.objects.count(), User.objects.count(), Person.objects.count())

    second = load()

    assert "already loaded" in second
    assert (Organisation.objects.count(), User.objects.count(), Person.objects.count()) == counts
    assert "Loaded the demo" in first
    # The sign-in table comes both times.
    assert "/account/sign-in/" in first
    assert "/account/sign-in/" in second


@pytest.mark.django_db
def test_demo_load_does_nothing_where_agencies_already_exist(demo_mode: None) -> None:
    Organisation.objects.create(name="A real agency", agency_type=AgencyType.POLICE)

    assert demo.demo_load(families=3) is False
    assert Organisation.objects.count() == 1
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_sign_in_table_has_a_line_per_role(demo_mode: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORT", "8123")

    out = load(families=3)

    assert "http://127.0.0.1:8123/account/sign-in/" in out
    rows = demo.sign_in_rows()
    assert [row.role for row in rows] == [role.label for role in Role]
    for row in rows:
        line = next(line for line in out.splitlines() if row.email in line)
        assert row.role in line
        assert row.name in line
        assert demo.DEMO_PASSWORD in line
        assert row.totp_secret in line
        device = TOTPDevice.objects.get(user__email=row.email)
        assert base64.b32decode(row.totp_secret) == device.bin_key
    assert f"make demo-code EMAIL={rows[0].email}" in out


@pytest.mark.django_db
def test_demo_password_signs_in_and_passes_the_validators(demo_mode: None) -> None:
    load(families=3)
    user = User.objects.get(email=demo.sign_in_rows()[0].email)

    password_validation.validate_password(demo.DEMO_PASSWORD, user)
    assert user.check_password(demo.DEMO_PASSWORD)
    assert len(demo.DEMO_PASSWORD) >= 12


# The second factor without a phone


@pytest.mark.django_db
def test_demo_account_signs_in_with_the_printed_password_and_demo_code(
    demo_mode: None, client: Client
) -> None:
    load(families=3)
    email = demo.sign_in_rows()[0].email

    response = client.post(
        reverse("accounts:sign_in"), {"email": email, "password": demo.DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:totp_verify")
    out = io.StringIO()
    call_command("demo_code", email, stdout=out)
    response = client.post(reverse("accounts:totp_verify"), {"code": out.getvalue().strip()})

    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_demo_code_prints_a_code_the_device_accepts(demo_mode: None) -> None:
    load(families=3)
    email = demo.sign_in_rows()[0].email
    out = io.StringIO()

    call_command("demo_code", email, stdout=out)

    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    assert TOTPDevice.objects.get(user__email=email).verify_token(code)


@pytest.mark.django_db
def test_demo_code_refuses_without_demo_mode(demo_mode: None, settings) -> None:  # type: ignore[no-untyped-def]
    load(families=3)
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_code", demo.sign_in_rows()[0].email, stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_code_refuses_accounts_outside_the_demo(demo_mode: None) -> None:
    user = User.objects.create_user("nadia@nhs.example.org", "x" * 20, full_name="Nadia")
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)

    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", user.email, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No demo account"):
        call_command("demo_code", "nobody@midwifery.wyvern.example", stdout=io.StringIO())


# The parts, without a database


def test_nhs_check_digit_matches_the_worked_examples() -> None:
    # facts §13: 943 476 5919, and two test-range numbers we computed.
    assert demo.nhs_check_digit("943476591") == 9
    assert demo.nhs_check_digit("999291417") == 3
    assert demo.nhs_check_digit("999776317") == 3


def test_synthetic_nhs_numbers_are_unique_valid_and_never_issued() -> None:
    numbers = list(zip(range(50_000), demo.synthetic_nhs_numbers(random.Random(1)), strict=False))
    values = [n for _, n in numbers]

    assert len(set(values)) == len(values) == 50_000
    assert all(n.startswith("999") and rules.nhs_number_is_valid(n) for n in values)


def test_places_have_valid_fictional_postcodes() -> None:
    places = demo.Places(random.Random(2), streets_per_authority=200)

    streets = [s for streets in places.streets.values() for s in streets]
    assert len(streets) == 3 * 200
    assert len({s.postcode for s in streets}) == len(streets)
    for street in streets:
        assert rules.postcode_is_valid(street.postcode)
        assert street.postcode[:2] in {"WY", "MR"}  # no real postcode area uses these


def test_surnames_have_the_ons_head_and_a_long_tail() -> None:
    surnames = demo.Names.build().surnames
    rng = random.Random(3)
    picks = Counter(surnames.pick(rng) for _ in range(50_000))

    assert surnames.share("Smith") == pytest.approx(0.013)
    assert picks.most_common(1)[0][0] == "Smith"
    assert 0.010 < picks["Smith"] / 50_000 < 0.016
    # The commonest tail name is no commoner than the rarest of the top ten.
    assert surnames.share(surnames.values[10]) <= surnames.share("Johnson")
    assert len(picks) > 2_000


@pytest.mark.parametrize(
    ("name", "respelled"),
    [("Kayleigh", "Kaylee"), ("Callum", "Kallum"), ("Mollie", "Molly"), ("Chloe", "Chloe")],
)
def test_respell_gives_a_plausible_other_spelling(name: str, respelled: str) -> None:
    assert demo.respell(name, random.Random(0)) == respelled


def make_families(seed: int, count: int, today: datetime.date) -> list[demo.FamilyPlan]:
    rng = random.Random(seed)
    maker = demo.FamilyMaker(
        rng=rng,
        today=today,
        names=demo.Names.build(),
        places=demo.Places(rng, streets_per_authority=100),
        nhs_numbers=demo.synthetic_nhs_numbers(rng),
    )
    return [maker.family() for _ in range(count)]


def test_family_maker_is_repeatable() -> None:
    today = datetime.date(2026, 11, 26)
    assert make_families(7, 50, today) == make_families(7, 50, today)
    assert make_families(7, 50, today) != make_families(8, 50, today)


def test_family_plans_are_consistent() -> None:
    today = datetime.date(2026, 11, 26)
    for plan in make_families(11, 2_000, today):
        mother = plan.members[0]
        assert mother.relationship == Relationship.MOTHER
        assert mother.date_of_birth is not None
        for person in plan.members:
            if person.is_unborn:
                assert person.expected_date_of_delivery is not None
                assert (
                    rules.expected_delivery_problem(person.expected_date_of_delivery, today) is None
                )
                assert not person.addresses
            else:
                assert person.date_of_birth is not None
                assert person.date_of_birth <= today
            current = [a for a in person.addresses if a.moved_out_on is None]
            assert len(current) == (0 if person.is_unborn else 1)
            for address in person.addresses:
                assert address.moved_in_on <= today
                assert address.moved_out_on is None or address.moved_out_on >= address.moved_in_on
                if person.date_of_birth and person.relationship == Relationship.CHILD:
                    assert address.moved_in_on >= person.date_of_birth
        for involvement in plan.involvements:
            assert involvement.started_on <= today
            assert involvement.ended_on is None or involvement.started_on <= involvement.ended_on
            assert involvement.person is None or involvement.person < len(plan.members)
            assert involvement.team in demo.AGENCY_BY_KEY[involvement.agency].teams


# The benchmark generator


def bench_generator() -> ModuleType:
    path = Path(settings.BASE_DIR) / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_bench_generator_refuses_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("about SQLite")
    generator = bench_generator()

    with pytest.raises(generator.GeneratorRefused, match="PostgreSQL"):
        generator.generate(persons=10, seed=1, out=io.StringIO())
    assert not Person.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_bench_generator_loads_families_with_copy() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    generator = bench_generator()

    def indexes() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'people_%' ORDER BY 1"
            )
            return [row[0] for row in cursor.fetchall()]

    before = indexes()
    counts = generator.generate(persons=500, seed=5, out=io.StringIO())

    assert Person.objects.count() == counts["people_person"] == 500
    assert Family.objects.count() == counts["people_family"] > 100
    assert FamilyMember.objects.count() == 500
    assert Involvement.objects.count() == counts["people_involvement"] > 500
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n is not None]
    assert len(set(numbers)) == len(numbers) > 300
    assert all(rules.nhs_number_is_valid(n) for n in numbers)
    keys = set(SearchName.objects.values_list("value", flat=True))
    assert set(Person.objects.values_list("family_name_key", flat=True)) <= keys
    assert indexes() == before  # every index dropped for the load is back
    # The id sequences moved past the copied ids, so ordinary inserts still work.
    Family.objects.create(name="After the benchmark")


@pytest.mark.django_db(transaction=True)
def test_demo_history_verifies_and_an_edit_is_caught(settings) -> None:
    """The demo's audit trail is a sealed chain: intact gives exit 0, an edited row exit 1."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    from earlyhelp.core import demo
    from earlyhelp.core.models import AuditEvent

    settings.DEMO_MODE = True
    demo.demo_load(families=12)
    assert AuditEvent.objects.filter(row_hash__isnull=False).count() >= 10
    call_command("audit_verify")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary = 'edited' WHERE id = %s",
            [AuditEvent.objects.order_by("id").values_list("id", flat=True)[3]],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert caught.value.returncode == 1
