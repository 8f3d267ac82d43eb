"""The family chronology page at county scale: p50 and p95, with a baseline in the same run.

Runs on the benchmark database (``bench/generate.py``: about ten chronology entries per
person, 5% in a need-to-know category, from the agencies working with each family). A
practitioner named on one of the family's involvements opens the family's chronology
(``/chronology/families/<id>/``: the newest 50 entries, each need-to-know entry checked with
``category_readable``), its next page (``?after=``) and one person's chronology, through the
whole Django stack (middleware, session, the sharing policy, the access record and its
seal). Families are drawn from those with the most entries (the worst case: big families
with long histories). Baseline, measured interleaved in the same run: the plain family list
page (``/people/families/``) for the same practitioners, as ``bench/policy.py`` measures it.

    DATABASE_URL=postgres://... python bench/chronology.py --requests 200
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Access records sealed as in production (at most every 0.2 s), not at every commit as in
# the tests: each page records its looks, and the seal is not what is being measured.
os.environ.setdefault("AUDIT_SEAL_INTERVAL_SECONDS", "0.2")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from search import percentile  # noqa: E402
from worktray import signed_in  # noqa: E402

from earlyhelp.accounts.models import User  # noqa: E402
from earlyhelp.chronology import selectors  # noqa: E402
from earlyhelp.chronology.models import ChronologyEntry  # noqa: E402
from earlyhelp.people.models import Family, Involvement  # noqa: E402

SAMPLE = 60  # families the requests are spread over


def sample_families(rng: random.Random) -> list[tuple[int, int, int, User]]:
    """(family id, entries, a person id, a practitioner who works with the family)."""
    biggest = list(
        ChronologyEntry.objects.values("family_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("family_id", "n")[: SAMPLE * 5]
    )
    if not biggest:
        raise SystemExit("No chronology: run bench/generate.py first.")
    chosen = []
    for family_id, n in rng.sample(biggest, min(SAMPLE, len(biggest))):
        involvement = (
            Involvement.objects.filter(
                family_id=family_id, ended_on__isnull=True, practitioner__isnull=False
            )
            .select_related("practitioner")
            .first()
        )
        person_id = (
            ChronologyEntry.objects.filter(family_id=family_id)
            .values_list("person_id", flat=True)
            .first()
        )
        if involvement is not None and involvement.practitioner is not None and person_id:
            chosen.append((family_id, n, person_id, involvement.practitioner))
    return chosen


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    rng = random.Random(args.seed)
    families = sample_families(rng)
    clients: dict[int, Client] = {}
    for _, _, _, user in families:
        if user.pk not in clients:
            clients[user.pk] = signed_in(user)
    second_pages = []
    for family_id, _, _, user in families:
        first = selectors.family_chronology(actor=user, family=Family.objects.get(pk=family_id))
        if first.next_after:
            second_pages.append(
                (clients[user.pk], f"/chronology/families/{family_id}/?after={first.next_after}")
            )
    measures: dict[str, list[tuple[Client, str]]] = {
        "family list page (baseline)": [
            (clients[user.pk], "/people/families/") for _, _, _, user in families
        ],
        "family chronology, newest 50": [
            (clients[user.pk], f"/chronology/families/{family_id}/")
            for family_id, _, _, user in families
        ],
        "family chronology, next page": second_pages
        or [(clients[families[0][3].pk], f"/chronology/families/{families[0][0]}/")],
        "person chronology": [
            (clients[user.pk], f"/chronology/people/{person_id}/")
            for _, _, person_id, user in families
        ],
    }
    for requests in measures.values():  # warm up
        for client, url in requests:
            timed(client, url)
    results: dict[str, list[float]] = {label: [] for label in measures}
    for i in range(args.requests):
        for label, requests in measures.items():
            client, url = requests[i % len(requests)]
            results[label].append(timed(client, url))
    sizes = sorted(n for _, n, _, _ in families)
    print(
        f"chronology entries {ChronologyEntry.objects.count():,}; {len(families)} families "
        f"with {sizes[0]} to {sizes[-1]} entries; {len(clients)} practitioners; "
        f"{args.requests} requests per measure"
    )
    base = results["family list page (baseline)"]
    print(f"{'measure':40} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9}")
    for label, times in results.items():
        print(
            f"{label:40} {statistics.median(times):8.2f} {percentile(times, 0.95):8.2f} "
            f"{percentile(times, 0.95) / percentile(base, 0.95):9.2f}"
        )


if __name__ == "__main__":
    main()
