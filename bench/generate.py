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
import datetime
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
    # The people who work with the families, in teams of about a dozen with a manager each.
    "accounts_team": ("id", "organisation_id", "name"),
    "accounts_user": (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "full_name",
        "job_title",
        "is_active",
        "is_staff",
        "date_joined",
    ),
    "accounts_membership": ("id", "user_id", "team_id", "role", "started_on", "ended_on"),
    # Teams around families, lead professionals, plans, outcomes and actions (issue 5).
    "plans_teamaroundfamilymember": (
        "id",
        "family_id",
        "practitioner_id",
        "organisation_id",
        "role_in_team",
        "is_lead_professional",
        "joined_on",
        "left_on",
    ),
    "plans_leadprofessionalhandover": (
        "id",
        "family_id",
        "from_member_id",
        "to_member_id",
        "family_view",
        "reason",
        "recorded_by_id",
        "recorded_at",
    ),
    "plans_plan": (
        "id",
        "family_id",
        "status",
        "family_words",
        "review_on",
        "agreed_at",
        "agreed_by_id",
        "created_by_id",
        "created_at",
        "updated_at",
        "version",
    ),
    # need_id: the generator makes no assessments, so no outcome is linked to an assessed need.
    "plans_planoutcome": ("id", "plan_id", "headline", "description", "need_id"),
    "plans_planaction": (
        "id",
        "plan_id",
        "outcome_id",
        "description",
        "owner_member_id",
        "owner_is_family",
        "due_on",
        "status",
        "progress_note",
        "created_by_id",
        "updated_at",
        "version",
    ),
    # About ten entries per person in the multi-agency chronology (issue 5 "Must show").
    "chronology_chronologyentry": (
        "id",
        "family_id",
        "person_id",
        "occurred_on",
        "kind",
        "summary",
        "category_id",
        "source_organisation_id",
        "recorded_by_id",
        "recorded_at",
        "source_type",
        "source_id",
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
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in COLUMNS:
            continue
        known = {f.column for f in model._meta.concrete_fields}
        missing = known - set(COLUMNS[table])
        if missing:
            raise GeneratorRefused(f"{table} has columns this generator does not fill: {missing}")
    with connection.cursor() as cursor:
        for table in ("people_person", "plans_plan", "chronology_chronologyentry"):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                raise GeneratorRefused(f"{table} is not empty: generate into a fresh database.")


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


# --- Casework: practitioners, teams around families, plans and the chronology --------------
#
# Figures marked (U) are our assumptions, not sourced: open-and-closed caseloads per
# practitioner by agency type, how many teams have a lead professional and an agreed plan,
# how actions stand. They give each practitioner a realistic tray (tens of families, not
# thousands) and the county a realistic volume of plans and actions.

# Involvements (open and ended) per named practitioner, by agency type (U).
CASELOAD = {
    "midwifery": 80,
    "health_visiting": 120,
    "family_nurse_partnership": 25,
    "early_help": 20,
    "childrens_social_care": 18,
    "police": 60,
    "housing": 60,
}
DEFAULT_CASELOAD = 40
TEAM_SIZE = 12  # practitioners to a team, each team with one manager (U)
LEAD_SHARE = 0.85  # teams of two or more agencies with a lead professional named (U)
AGREED_SHARE = 0.8  # of those, plans agreed (the rest still being written) (U)
CHRONOLOGY_PER_PERSON = (6, 14)  # entries per person, uniform: about 10 (issue 5)
NEED_TO_KNOW_SHARE = 0.05  # chronology entries in a need-to-know category (U)
ACTION_STATUSES = (
    ("not_started", 35),
    ("in_progress", 30),
    ("done", 30),
    ("stopped", 5),
)
HEADLINES = (
    ("housing", "A safe, settled home in the area before the baby is born"),
    ("early_years", "The baby's health checks and development reviews all done on time"),
    ("financial_stability", "Benefits sorted and rent paid every month"),
    ("health", "Mum's mood better, with support she chose"),
    ("family_relationships", "Calmer at home, with grandparents helping"),
    ("good_education", "Back in college with childcare arranged"),
)
ACTIONS = (
    "Book and attend the next health check",
    "Ring the housing office about the application",
    "Apply for Healthy Start vouchers",
    "Go to the stay-and-play at the family hub on Tuesdays",
    "Referral to the perinatal mental health team",
    "Safe sleep conversation and a cot from the baby bank",
    "Meet the college's student support adviser",
    "Budgeting session with the welfare rights adviser",
)
FAMILY_WORDS = (
    "We want a safe home and a healthy baby, and to manage on our own",
    "Somewhere of our own, and help with money until I am back at college",
    "Less stress at home, and the baby doing well",
)
FAMILY_VIEWS = (
    "Chose them: they already know the family",
    "Happy with this; asked for the same person at every visit",
    "Agreed at the first team meeting",
)
CHRONOLOGY = (
    ("attendance", "Attended the appointment"),
    ("attendance", "Seen at home; baby feeding well"),
    ("missed_appointment", "Did not attend the appointment; letter sent"),
    ("missed_appointment", "No answer at the door for the planned visit"),
    ("assessment", "Early help assessment completed with the family"),
    ("decision", "Agreed to continue support at the current level"),
    ("review", "Team around the family review held"),
    ("share", "Information shared with the health visitor, with consent"),
    ("incident", "Attended A&E with a minor injury"),
    ("move", "Moved to a new address"),
    ("other", "Phone call with mum about appointments"),
)
PRACTITIONER_GIVEN = (
    "Aisha", "Ben", "Claire", "Dan", "Emma", "Faisal", "Grace", "Hannah", "Imran", "Jo",
    "Kate", "Liam", "Megan", "Nadia", "Olu", "Priya", "Rachel", "Sam", "Tom", "Zoe",
)  # fmt: skip
PRACTITIONER_SURNAMES = (
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Owen", "Patel", "Roberts", "Shaw",
)  # fmt: skip


class Casework:
    """The practitioners named on involvements, and each family's team, plan and chronology.

    Practitioners are made as their caseloads fill (``CASELOAD`` involvements each), in
    teams of ``TEAM_SIZE`` with a manager; the first team of each demo team is the demo
    team itself. Draws from its own random generator, so the people tables come out exactly
    as before.
    """

    def __init__(
        self,
        *,
        seed: int,
        today: Any,
        now: Any,
        organisations: dict[str, int],
        agency_types: dict[int, str],
        teams: dict[tuple[str, str], int],
        category_ids: list[int],
    ) -> None:
        self.rng = random.Random(seed + 1)
        self.today = today
        self.now = now
        self.organisations = organisations
        self.agency_types = agency_types
        self.teams = teams
        self.category_ids = category_ids
        self.staff: list[tuple[int, str, str]] = []  # this batch's, for chronology_write
        # An unusable password ("!" first): nobody signs in with a password here.
        self.password = "!bench"  # noqa: S105
        # Per demo team: involvements given out, the current practitioner and team.
        self.given: dict[tuple[str, str], int] = {}
        self.current: dict[tuple[str, str], tuple[int, int]] = {}
        self.statuses = [s for s, _ in ACTION_STATUSES]
        self.status_weights = [w for _, w in ACTION_STATUSES]

    def _user(self, rows: Rows, team_id: int, role: str, job_title: str) -> int:
        user_id = rows.next_ids["accounts_user"]
        name = (
            f"{PRACTITIONER_GIVEN[user_id % len(PRACTITIONER_GIVEN)]} "
            f"{PRACTITIONER_SURNAMES[(user_id // 7) % len(PRACTITIONER_SURNAMES)]}"
        )
        rows.add(
            "accounts_user",
            self.password,
            None,
            False,
            f"bench-{user_id}@practitioner.example",
            name,
            job_title,
            True,
            False,
            self.now,
        )
        rows.add("accounts_membership", user_id, team_id, role, self.today, None)
        return user_id

    def staff_for(self, rows: Rows, agency: str, team: str) -> tuple[int, int]:
        """(team id, practitioner id) for the next involvement of this demo team."""
        key = (agency, team)
        organisation_id = self.organisations[agency]
        caseload = CASELOAD.get(self.agency_types[organisation_id], DEFAULT_CASELOAD)
        given = self.given.get(key, 0)
        self.given[key] = given + 1
        if given % caseload == 0:  # the last practitioner's caseload is full: a new one
            number = given // caseload
            if number % TEAM_SIZE == 0:
                team_number = number // TEAM_SIZE
                if team_number == 0:
                    team_id = self.teams[key]
                else:
                    team_id = rows.add(
                        "accounts_team", organisation_id, f"{team} {team_number + 1}"
                    )
                self._user(rows, team_id, "team_manager", "Team manager")
            else:
                team_id = self.current[key][0]
            self.current[key] = (team_id, self._user(rows, team_id, "practitioner", "Practitioner"))
        return self.current[key]

    def family(
        self,
        rows: Rows,
        family_id: int,
        plan: FamilyPlan,
        person_ids: list[int],
        involvements: list[tuple[int, int, Any, Any]],
    ) -> None:
        """The family's team, lead professional and plan, and who writes its chronology.

        ``involvements``: (organisation id, practitioner id, started on, ended on) each.
        """
        today = self.today
        working: dict[int, tuple[int, Any]] = {}  # practitioner -> (organisation, since)
        for organisation_id, practitioner_id, started_on, ended_on in involvements:
            if started_on <= today and (ended_on is None or ended_on >= today):
                working.setdefault(practitioner_id, (organisation_id, started_on))
        if len({organisation_id for organisation_id, _ in working.values()}) >= 2:
            self._team(rows, family_id, working)
        if not involvements:
            return
        # Who may have written the family's chronology: loaded into a temporary table, from
        # which PostgreSQL writes the entries itself (chronology_write).
        self.staff.append(
            (
                family_id,
                "{" + ",".join(str(o) for o, _, _, _ in involvements) + "}",
                "{" + ",".join(str(p) for _, p, _, _ in involvements) + "}",
            )
        )

    def _team(self, rows: Rows, family_id: int, working: dict[int, tuple[int, Any]]) -> None:
        rng, today, now = self.rng, self.today, self.now
        members = [
            (
                rows.add(
                    "plans_teamaroundfamilymember",
                    family_id,
                    practitioner_id,
                    organisation_id,
                    "",
                    False,
                    since,
                    None,
                ),
                practitioner_id,
            )
            for practitioner_id, (organisation_id, since) in working.items()
        ]
        if rng.random() >= LEAD_SHARE:
            return
        lead_index = rng.randrange(len(members))
        lead_id, lead_practitioner = members[lead_index]
        # The row was written as a plain member: make it the lead (a tuple, so rebuilt).
        table = rows.tables["plans_teamaroundfamilymember"]
        position = len(table) - len(members) + lead_index
        row = list(table[position])
        row[5] = True
        table[position] = tuple(row)
        rows.add(
            "plans_leadprofessionalhandover",
            family_id,
            None,
            lead_id,
            rng.choice(FAMILY_VIEWS),
            "",
            lead_practitioner,
            now,
        )
        agreed = rng.random() < AGREED_SHARE
        plan_id = rows.add(
            "plans_plan",
            family_id,
            "agreed" if agreed else "draft",
            rng.choice(FAMILY_WORDS),
            today + datetime.timedelta(days=rng.randint(-21, 56)) if agreed else None,
            now if agreed else None,
            lead_practitioner if agreed else None,
            lead_practitioner,
            now,
            now,
            1,
        )
        outcomes = [
            rows.add("plans_planoutcome", plan_id, headline, description, None)
            for headline, description in rng.sample(HEADLINES, rng.randint(2, 3))
        ]
        for _ in range(rng.randint(3, 5)):
            by_family = rng.random() < 0.25
            rows.add(
                "plans_planaction",
                plan_id,
                rng.choice(outcomes),
                rng.choice(ACTIONS),
                None if by_family else rng.choice(members)[0],
                by_family,
                today + datetime.timedelta(days=rng.randint(-30, 60)),
                rng.choices(self.statuses, self.status_weights)[0],
                "",
                lead_practitioner,
                now,
                1,
            )


CHRONOLOGY_SQL = """
INSERT INTO chronology_chronologyentry
    (family_id, person_id, occurred_on, kind, summary, category_id, source_organisation_id,
     recorded_by_id, recorded_at, source_type, source_id)
SELECT m.family_id, m.person_id,
       %(today)s::date - floor(r.d * CASE WHEN p.date_of_birth IS NULL THEN 270
           ELSE least(730, greatest(%(today)s::date - p.date_of_birth, 1)) END)::int,
       (%(kinds)s::text[])[r.k], (%(summaries)s::text[])[r.k],
       CASE WHEN r.c < %(need_to_know)s
           THEN (%(categories)s::int[])[1 + floor(r.c2 * cardinality(%(categories)s::int[]))::int]
       END,
       s.organisations[r.j], s.practitioners[r.j], %(now)s, '', ''
FROM people_familymember m
JOIN people_person p ON p.id = m.person_id
JOIN bench_family_staff s ON s.family_id = m.family_id
CROSS JOIN LATERAL generate_series(
    1, %(low)s + floor(random() * (%(high)s - %(low)s + 1))::int + 0 * m.id) AS g (n)
-- Each use of random() refers to the row (0 * g.n), so it is drawn again for every entry.
CROSS JOIN LATERAL (
    SELECT 1 + floor(random() * cardinality(%(kinds)s::text[]))::int + 0 * g.n AS k,
           1 + floor(random() * cardinality(s.organisations))::int + 0 * g.n AS j,
           random() + 0 * g.n AS c, random() + 0 * g.n AS c2, random() + 0 * g.n AS d
) r
"""


def chronology_staff_copy(cursor: Any, staff: list[tuple[int, str, str]]) -> None:
    """This batch's families with the agencies and practitioners that worked with them."""
    with cursor.copy(
        "COPY bench_family_staff (family_id, organisations, practitioners) FROM STDIN"
    ) as copy:
        for row in staff:
            copy.write_row(row)
    staff.clear()


def chronology_write(cursor: Any, casework: Casework, seed: int) -> int:
    """About ten entries per person, written by PostgreSQL from the families' staff.

    Ten million rows made and copied from Python would take minutes; made by one INSERT ...
    SELECT inside the database they take a fraction of that. ``setseed`` makes the draws
    repeatable for the same seed. Each entry comes from one of the agencies (and that
    agency's named practitioner) that worked with the family, on a day within the last two
    years and not before the person was born; about 5% carry a need-to-know category.
    """
    cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    cursor.execute(
        CHRONOLOGY_SQL,
        {
            "today": casework.today,
            "now": casework.now,
            "kinds": [kind for kind, _ in CHRONOLOGY],
            "summaries": [summary for _, summary in CHRONOLOGY],
            "need_to_know": NEED_TO_KNOW_SHARE,
            "categories": casework.category_ids,
            "low": CHRONOLOGY_PER_PERSON[0],
            "high": CHRONOLOGY_PER_PERSON[1],
        },
    )
    return int(cursor.rowcount)


def batch_rows(
    plans: Sequence[FamilyPlan],
    rows: Rows,
    organisations: dict[str, int],
    teams: dict[tuple[str, str], int],
    name_keys: dict[str, str],
    now: Any,
    casework: Casework | None = None,
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
        worked: list[tuple[int, int, Any, Any]] = []
        for i in plan.involvements:
            team_id, practitioner_id = (
                casework.staff_for(rows, i.agency, i.team)
                if casework is not None
                else (teams[(i.agency, i.team)], None)
            )
            rows.add(
                "people_involvement",
                organisations[i.agency],
                team_id,
                practitioner_id,
                person_ids[i.person] if i.person is not None else None,
                family_id if i.person is None else None,
                i.service,
                i.started_on,
                i.ended_on,
            )
            if practitioner_id is not None:
                worked.append((organisations[i.agency], practitioner_id, i.started_on, i.ended_on))
        if casework is not None:
            casework.family(rows, family_id, plan, person_ids, worked)


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
    from earlyhelp.sharing.models import InformationCategory

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
        casework = Casework(
            seed=seed,
            today=timezone.localdate(),
            now=now,
            organisations=organisations,
            agency_types={o.pk: o.agency_type for o in organisation_objects.values()},
            teams=teams,
            category_ids=list(
                InformationCategory.objects.order_by("pk").values_list("pk", flat=True)
            ),
        )
        # Check the new agencies' deferred foreign keys now: PostgreSQL will not alter a
        # table (as dropping and adding foreign keys does) with such checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        next_ids = {}
        for table in COLUMNS:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            next_ids[table] = cursor.fetchone()[0]
        restore = drop_indexes_and_foreign_keys(cursor)
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_family_staff "
            "(family_id integer, organisations integer[], practitioners integer[]) "
            "ON COMMIT DROP"
        )

        plans = families(persons, seed)
        while True:
            with timed(timings, "generating"):
                batch = list(itertools.islice(plans, BATCH_FAMILIES))
                rows = Rows(next_ids)
                batch_rows(batch, rows, organisations, teams, name_keys, now, casework)
            if not batch:
                break
            with timed(timings, "COPY"):
                for table, table_rows in rows.tables.items():
                    copy_rows(cursor, table, table_rows)
                    counts[table] += len(table_rows)
                chronology_staff_copy(cursor, casework.staff)
            print(f"  {counts['people_person']:>10,} persons", file=out, flush=True)

        with timed(timings, "chronology (in PostgreSQL)"):
            counts["chronology_chronologyentry"] = chronology_write(cursor, casework, seed)

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
