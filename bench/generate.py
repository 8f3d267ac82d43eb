"""Benchmark data: realistic young families on PostgreSQL, loaded with COPY.

    DATABASE_URL=postgres://... python3.12 -m uv run --frozen python bench/generate.py \\
        --persons 1000000

The families come from the demo's FamilyMaker (earlyhelp.core.demo), so benchmark data has
the demo's shape and sources: young mothers and their babies (some unborn), fathers, partners
and grandparents, address histories, aliases and the agencies involved, with ONS-shaped names
(Smith, Jones... then a long tail) and unique valid NHS numbers from the never-issued test
range 999 000 0000-999 999 9999 (about 909,000 of them; beyond that people have none).

Rows get their ids here, so families, members, addresses and involvements can point at their
persons without a round trip; that is why the people tables must be empty to start with (a
freshly migrated database). The organisations are the demo's, created if missing. It refuses
to run on SQLite: COPY is PostgreSQL's.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")  # a throwaway database: no SECRET_KEY needed

if TYPE_CHECKING:
    from earlyhelp.core.demo import FamilyPlan

# Families generated and copied per round: big enough that COPY start-up does not matter,
# small enough that memory stays flat (about 60,000 persons).
BATCH_FAMILIES = 20_000

# Column order of each COPY. The generator refuses to run if a model has gained a column
# that is missing here, rather than fail halfway through with a NOT NULL error.
COLUMNS = {
    "people_family": ("id", "name", "created_at", "updated_at", "version"),
    "people_person": (
        "id",
        "given_name",
        "family_name",
        "given_name_key",
        "family_name_key",
        "is_unborn",
        "date_of_birth",
        "expected_date_of_delivery",
        "sex",
        "nhs_number",
        "nhs_number_source",
        "ethnicity",
        "first_language",
        "created_at",
        "updated_at",
        "version",
    ),
    "people_familymember": (
        "id",
        "family_id",
        "person_id",
        "relationship",
        "joined_on",
        "left_on",
    ),
    "people_address": (
        "id",
        "person_id",
        "line_1",
        "line_2",
        "town",
        "postcode",
        "local_authority",
        "inside_partnership_area",
        "accommodation_type",
        "moved_in_on",
        "moved_out_on",
    ),
    "people_personalias": (
        "id",
        "person_id",
        "given_name",
        "family_name",
        "given_name_key",
        "family_name_key",
    ),
    "people_involvement": (
        "id",
        "organisation_id",
        "team_id",
        "practitioner_id",
        "person_id",
        "family_id",
        "service",
        "started_on",
        "ended_on",
    ),
}


class GeneratorRefused(Exception):
    pass


def check_database() -> None:
    """PostgreSQL, the columns we know and empty people tables, or a clear refusal."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        raise GeneratorRefused(
            f"bench/generate.py needs PostgreSQL (it loads with COPY), not {connection.vendor}: "
            "set DATABASE_URL=postgres://..."
        )
    for model in apps.get_app_config("people").get_models():
        table = model._meta.db_table
        if table not in COLUMNS:
            continue
        known = {f.column for f in model._meta.concrete_fields}
        missing = known - set(COLUMNS[table])
        if missing:
            raise GeneratorRefused(f"{table} has columns this generator does not fill: {missing}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM people_person)")
        if cursor.fetchone()[0]:
            raise GeneratorRefused("people_person is not empty: generate into a fresh database.")


class Rows:
    """One batch of rows per table, with ids counted on from the previous batch."""

    def __init__(self, next_ids: dict[str, int]) -> None:
        self.next_ids = next_ids
        self.tables: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}

    def add(self, table: str, *values: Any) -> int:
        row_id = self.next_ids[table]
        self.next_ids[table] = row_id + 1
        self.tables[table].append((row_id, *values))
        return row_id


def families(persons: int, seed: int) -> Iterator[FamilyPlan]:
    """Family plans until exactly ``persons`` people; the last family may lose members."""
    from django.utils import timezone

    from earlyhelp.core import demo

    rng = random.Random(seed)
    maker = demo.FamilyMaker(
        rng=rng,
        today=timezone.localdate(),
        names=demo.Names.build(),
        # Gives about 12 distinct addresses to a postcode unit (about 15 in facts §12).
        places=demo.Places(rng, streets_per_authority=max(100, persons // 25)),
        nhs_numbers=demo.synthetic_nhs_numbers(rng),
    )
    made = 0
    while made < persons:
        plan = maker.family()
        # Mother first, so a shortened family keeps her, and only she has person involvements.
        plan.members = plan.members[: persons - made]
        plan.involvements = [
            i for i in plan.involvements if i.person is None or i.person < len(plan.members)
        ]
        made += len(plan.members)
        yield plan


def batch_rows(
    plans: Sequence[FamilyPlan],
    rows: Rows,
    organisations: dict[str, int],
    teams: dict[tuple[str, str], int],
    name_keys: dict[str, str],
    now: Any,
) -> None:
    from earlyhelp.core.demo import SYNTHETIC_NHS_SOURCE
    from earlyhelp.people.rules import name_key

    def key(name: str) -> str:
        # Names repeat a great deal; each distinct one is normalised once and kept for
        # people_searchname.
        found = name_keys.get(name)
        if found is None:
            found = name_keys[name] = name_key(name)
        return found

    for plan in plans:
        family_id = rows.add("people_family", plan.name, now, now, 1)
        person_ids = []
        for m in plan.members:
            person_id = rows.add(
                "people_person",
                m.given_name,
                m.family_name,
                key(m.given_name),
                key(m.family_name),
                m.is_unborn,
                m.date_of_birth,
                m.expected_date_of_delivery,
                m.sex,
                m.nhs_number,
                SYNTHETIC_NHS_SOURCE if m.nhs_number else "",
                "",
                "",
                now,
                now,
                1,
            )
            person_ids.append(person_id)
            rows.add(
                "people_familymember", family_id, person_id, m.relationship, m.joined_on, m.left_on
            )
            for a in m.addresses:
                rows.add(
                    "people_address",
                    person_id,
                    a.line_1,
                    a.line_2,
                    a.town,
                    a.postcode,
                    a.local_authority,
                    a.inside_partnership_area,
                    a.accommodation_type,
                    a.moved_in_on,
                    a.moved_out_on,
                )
            for given, surname in m.aliases:
                rows.add(
                    "people_personalias",
                    person_id,
                    given,
                    surname,
                    key(given),
                    key(surname),
                )
        for i in plan.involvements:
            rows.add(
                "people_involvement",
                organisations[i.agency],
                teams[(i.agency, i.team)],
                None,
                person_ids[i.person] if i.person is not None else None,
                family_id if i.person is None else None,
                i.service,
                i.started_on,
                i.ended_on,
            )


def drop_indexes_and_foreign_keys(cursor: Any) -> list[str]:
    """Drop what makes COPY slow and return the SQL that puts it back.

    PostgreSQL's advice for bulk loads ("Populating a Database"): building an index once is
    much faster than updating it row by row, and adding a foreign key checks all rows with one
    join instead of a trigger per row (Django's are deferred, so those would all pile up at
    commit). Primary keys and constraint-backed indexes stay. All of it happens inside the load's
    transaction, so a failed load leaves the schema as it was.
    """
    tables = list(COLUMNS)
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in foreign_keys
    ]


def copy_rows(cursor: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    columns = ", ".join(COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextlib.contextmanager
def timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - started


def generate(*, persons: int, seed: int, out: TextIO) -> dict[str, int]:
    """Load ``persons`` people in families; returns the rows written per table."""
    from django.db import connection, transaction
    from django.utils import timezone

    from earlyhelp.core import demo

    check_database()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    counts = dict.fromkeys([*COLUMNS, "people_searchname"], 0)
    name_keys: dict[str, str] = {}
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, which has copy()
        organisation_objects, team_objects = demo.agencies_create()
        organisations = {key: o.pk for key, o in organisation_objects.items()}
        teams = {key: t.pk for key, t in team_objects.items()}
        # Check the new agencies' deferred foreign keys now: PostgreSQL will not alter a
        # table (as dropping and adding foreign keys does) with such checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        next_ids = {}
        for table in COLUMNS:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            next_ids[table] = cursor.fetchone()[0]
        restore = drop_indexes_and_foreign_keys(cursor)

        plans = families(persons, seed)
        while True:
            with timed(timings, "generating"):
                batch = list(itertools.islice(plans, BATCH_FAMILIES))
                rows = Rows(next_ids)
                batch_rows(batch, rows, organisations, teams, name_keys, now)
            if not batch:
                break
            with timed(timings, "COPY"):
                for table, table_rows in rows.tables.items():
                    copy_rows(cursor, table, table_rows)
                    counts[table] += len(table_rows)
            print(f"  {counts['people_person']:>10,} persons", file=out, flush=True)

        with timed(timings, "COPY"):
            # Every distinct name key once, for fuzzy search (people.models.SearchName).
            cursor.execute("CREATE TEMPORARY TABLE bench_names (value text) ON COMMIT DROP")
            with cursor.copy("COPY bench_names (value) FROM STDIN") as copy:
                for value in set(name_keys.values()) - {""}:
                    copy.write_row((value,))
            cursor.execute(
                "INSERT INTO people_searchname (value) SELECT value FROM bench_names "
                "ON CONFLICT (value) DO NOTHING"
            )
            counts["people_searchname"] = cursor.rowcount
            # Ids were given here, so move each identity sequence past them.
            for table in COLUMNS:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                    f"FROM {table} HAVING max(id) IS NOT NULL"
                )
        with timed(timings, "indexes and foreign keys"):
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # faster index builds
            for statement in restore:
                cursor.execute(statement)
            timings["commit"] = -time.perf_counter()
    timings["commit"] += time.perf_counter()
    with timed(timings, "ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics before anyone benchmarks
    elapsed = time.perf_counter() - started

    for table, count in counts.items():
        print(f"{table:<22}{count:>12,} rows", file=out)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person WHERE nhs_number IS NOT NULL")
        with_nhs = cursor.fetchone()[0]
    print(f"persons with an NHS number: {with_nhs:,} of {counts['people_person']:,}", file=out)
    total = sum(counts.values())
    print(
        f"{total:,} rows in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s, "
        f"{counts['people_person'] / elapsed:,.0f} persons/s",
        file=out,
    )
    print("  " + ", ".join(f"{phase} {t:.1f} s" for phase, t in timings.items()), file=out)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=None, help="default: the demo's seed")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from earlyhelp.core.demo import SEED

    try:
        generate(
            persons=args.persons, seed=SEED if args.seed is None else args.seed, out=sys.stdout
        )
    except GeneratorRefused as refused:
        print(refused, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
