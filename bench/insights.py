"""Board insights at county scale: recomputing every measure, and the board page p95.

Runs on the benchmark database (``bench/generate.py``: young families with their members,
addresses, agencies, teams around families, plans and actions). In one run:

- the recompute (``insights.services.figures_recompute``) timed whole, and its parts: reading
  the facts (bulk queries), counting (in memory) and storing the figures;
- the board page (``/insights/``) and one measure's page (``/insights/measures/<id>/``) for a
  board analyst, through the whole Django stack, p50 and p95;
- the baseline, measured in the same run: the signed-in home page (``/``) for the same
  analyst, the stack without any figures.

    DATABASE_URL=postgres://... python bench/insights.py --requests 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AUDIT_SEAL_INTERVAL_SECONDS", "0.2")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from search import percentile  # noqa: E402

from earlyhelp.accounts.models import Membership, Organisation, Role, Team, User  # noqa: E402
from earlyhelp.insights import services  # noqa: E402
from earlyhelp.insights.measures import MEASURES, facts_load, figures_compute  # noqa: E402
from earlyhelp.insights.models import MeasureFigure  # noqa: E402
from earlyhelp.people.models import Family, Person  # noqa: E402


def analyst() -> User:
    organisation = Organisation.objects.order_by("pk").first()
    assert organisation, "no organisations: run bench/generate.py first"
    team, _ = Team.objects.get_or_create(organisation=organisation, name="Bench insight")
    user, created = User.objects.get_or_create(
        email="bench-analyst@bench.example", defaults={"full_name": "Bench analyst"}
    )
    if created:
        Membership.objects.create(user=user, team=team, role=Role.BOARD_ANALYST)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def timed(client: Client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def row(name: str, times: list[float]) -> str:
    return (
        f"| {name} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | "
        f"{max(times):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    today = timezone.localdate()
    print(f"{Person.objects.count():,} persons, {Family.objects.count():,} families")

    start = time.perf_counter()
    periods = services.figure_periods(today)
    facts = facts_load(today=today, since=min(p.start for p in periods))
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    figures = sum(1 for _ in figures_compute(facts, periods))
    counted = time.perf_counter() - start
    cohort = len(facts.spans)
    del facts
    start = time.perf_counter()
    result = services.figures_recompute(today=today)
    whole = time.perf_counter() - start
    print(f"{cohort:,} families ever in the cohort; {len(MEASURES)} measures")
    print(f"facts read: {loaded:.1f} s; counted: {counted:.1f} s ({figures:,} figures)")
    print(f"figures_recompute whole (read, count, store {result.figures:,} rows): {whole:.1f} s")
    print(f"MeasureFigure rows: {MeasureFigure.objects.count():,}")

    client = signed_in(analyst())
    measure_url = "/insights/measures/coverage-assessment/"
    for url in ("/", "/insights/", measure_url):
        timed(client, url, 5)  # warm up
    results = {
        "home page (baseline)": timed(client, "/", args.requests),
        "board page /insights/": timed(client, "/insights/", args.requests),
        "measure page": timed(client, measure_url, args.requests),
    }
    print("| page | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, times in results.items():
        print(row(name, times))


if __name__ == "__main__":
    main()
