"""Person search benchmark on PostgreSQL: typo in the name, with and without date of birth.

Measures, in one run and through the whole Django stack (middleware, session, policy, access
record), the API search operation and a baseline one-query JSON view (/health/), and reports
p50 and p95 of each and their ratio. Run ``bench/run.sh`` (it starts a private cluster and
generates the persons first) or, against an existing database::

    DATABASE_URL=postgres://... python bench/search.py --queries 300
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# The benchmark is one client sending thousands of searches a minute on purpose.
os.environ.setdefault("API_RATE_LIMIT", "1000000/min")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from earlyhelp.accounts.models import (  # noqa: E402
    AgencyType,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from earlyhelp.people.models import Family, Involvement, Person  # noqa: E402


def typo(word: str, rng: random.Random) -> str:
    """One realistic slip: a letter dropped, doubled, swapped with the next, or mistyped."""
    if len(word) < 4:
        return word + word[-1].lower()
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]


def bench_user(role: Role) -> User:
    organisation, _ = Organisation.objects.get_or_create(
        name="Bench Early Help",
        defaults={"agency_type": AgencyType.EARLY_HELP, "local_authority": "Bench"},
    )
    team, _ = Team.objects.get_or_create(organisation=organisation, name=f"Bench {role}")
    user, created = User.objects.get_or_create(
        email=f"bench-{role}@bench.example", defaults={"full_name": f"Bench {role}"}
    )
    if created:
        Membership.objects.create(user=user, team=team, role=role)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def timed(client: Client, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    rng = random.Random(args.seed)
    persons = Person.objects.count()
    front_door = bench_user(Role.FRONT_DOOR)
    practitioner = bench_user(Role.PRACTITIONER)
    # The practitioner's agency works with a thousand families, so the policy filter has
    # real work to do.
    if not Involvement.objects.filter(organisation__name="Bench Early Help").exists():
        organisation = Organisation.objects.get(name="Bench Early Help")
        family_ids = list(Family.objects.order_by("?").values_list("id", flat=True)[:1000])
        Involvement.objects.bulk_create(
            Involvement(
                organisation=organisation, family_id=fid, service="Bench", started_on="2026-01-01"
            )
            for fid in family_ids
        )
    max_id = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample: list[Person] = []
    while len(sample) < args.queries:
        person = Person.objects.filter(
            id__gte=rng.randrange(1, max_id + 1), is_unborn=False
        ).first()
        if person and person.given_name:
            sample.append(person)
    name_only = [
        f"/api/v1/people/search?name={p.given_name}+{typo(p.family_name, rng)}" for p in sample
    ]
    with_dob = [
        f"/api/v1/people/search?name={p.given_name}+{typo(p.family_name, rng)}"
        f"&date_of_birth={p.date_of_birth.isoformat()}"
        for p in sample
        if p.date_of_birth
    ]
    baseline = ["/health/"] * args.queries

    results: dict[str, list[float]] = {}
    for label, user in (("front door", front_door), ("practitioner", practitioner)):
        client = signed_in_client(user)
        timed(client, name_only[:20] + baseline[:20])  # warm connections and caches
        results[f"baseline one-query JSON view ({label})"] = timed(client, baseline)
        results[f"search, typo in name ({label})"] = timed(client, name_only)
        results[f"search, typo in name + date of birth ({label})"] = timed(client, with_dob)

    print(f"persons: {persons:,}; queries per row: {args.queries}; PostgreSQL; in-process client")
    print(f"{'measure':58} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline p95':>19}")
    for label, times in results.items():
        who = label[label.index("(") :]
        base = percentile(results[f"baseline one-query JSON view {who}"], 0.95)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{label:58} {p50:8.2f} {p95:8.2f} {p95 / base:19.1f}")


if __name__ == "__main__":
    main()
