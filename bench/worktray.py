"""Work trays at county scale: a practitioner's tray and a team manager's view, p50 and p95.

Runs on the benchmark database (``bench/generate.py``, which gives every involvement a named
practitioner in teams of about a dozen with a manager, teams around families, plans and
actions). Through the whole Django stack (middleware, session, the sharing policy, the
access records and their seals), in one run:

- the work tray (``/worktray/``: the first ten of my families, my actions, my reviews due and
  my open alerts) and one whole list (``?show=families``, ``?show=actions``) for the busiest
  practitioners (the top tenth by families in their teams around families);
- the team manager's view (``/worktray/team/``) and a drill-down into one team member's tray
  (``/worktray/team/<id>/``) for the managers of those practitioners;
- the baseline, measured in the same run: the plain family list page (``/people/families/``)
  for the same practitioners, as ``bench/policy.py`` measures it.

    DATABASE_URL=postgres://... python bench/worktray.py --requests 200
"""

from __future__ import annotations

import argparse
import datetime
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
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from search import percentile  # noqa: E402

from earlyhelp.accounts.models import Membership, Role, User  # noqa: E402
from earlyhelp.alerts.models import Alert  # noqa: E402
from earlyhelp.chronology.models import ChronologyEntry  # noqa: E402
from earlyhelp.people.models import Family, Person  # noqa: E402
from earlyhelp.plans.models import Plan, PlanAction, TeamAroundFamilyMember  # noqa: E402

SAMPLE = 40  # practitioners (and their managers) the requests are spread over
ALERTS_EACH = 30  # alerts per sampled practitioner, a third still open (U)


def signed_in(user: User) -> Client:
    TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user, name="bench").persistent_id
    session.save()
    return client


def busiest_practitioners(rng: random.Random) -> list[tuple[User, int]]:
    """A sample from the top tenth of practitioners by families in their teams."""
    loads = list(
        TeamAroundFamilyMember.objects.filter(left_on__isnull=True)
        .values("practitioner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("practitioner_id", "n")
    )
    if not loads:
        raise SystemExit("No teams around families: run bench/generate.py first.")
    top = loads[: max(SAMPLE, len(loads) // 10)]
    chosen = rng.sample(top, min(SAMPLE, len(top)))
    users = User.objects.in_bulk([pk for pk, _ in chosen])
    return [(users[pk], n) for pk, n in chosen]


def managers_of(practitioners: list[User]) -> list[tuple[User, User]]:
    """(manager, practitioner) for each practitioner whose team has a manager."""
    pairs = []
    for practitioner in practitioners:
        team_ids = Membership.objects.filter(user=practitioner, ended_on__isnull=True).values_list(
            "team_id", flat=True
        )
        manager = (
            User.objects.filter(
                memberships__team_id__in=list(team_ids),
                memberships__role=Role.TEAM_MANAGER,
                memberships__ended_on__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if manager is not None:
            pairs.append((manager, practitioner))
    return pairs


def add_alerts(rng: random.Random, practitioners: list[User]) -> None:
    """Some alerts in each sampled practitioner's inbox, a third open, some days old (once)."""
    if Alert.objects.filter(kind="bench").exists():
        return
    now = timezone.now()
    Alert.objects.bulk_create(
        [
            Alert(
                recipient=user,
                kind="bench",
                title="Overdue review",
                url="/worktray/",
                created_at=now - datetime.timedelta(hours=rng.randrange(1, 24 * 20)),
                acknowledged_at=None if n % 3 == 0 else now,
            )
            for user in practitioners
            for n in range(ALERTS_EACH)
        ],
        batch_size=5000,
    )


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
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    rng = random.Random(args.seed)
    sample = busiest_practitioners(rng)
    practitioners = [user for user, _ in sample]
    add_alerts(rng, practitioners)
    pairs = managers_of(practitioners)
    clients = {u.pk: signed_in(u) for u in practitioners + [m for m, _ in pairs]}
    measures: dict[str, list[tuple[Client, str]]] = {
        "family list page (baseline)": [
            (clients[u.pk], "/people/families/") for u in practitioners
        ],
        "work tray (four lists)": [(clients[u.pk], "/worktray/") for u in practitioners],
        "work tray: all my families, page 1": [
            (clients[u.pk], "/worktray/?show=families") for u in practitioners
        ],
        "work tray: all my actions, page 1": [
            (clients[u.pk], "/worktray/?show=actions") for u in practitioners
        ],
        "manager: team overview": [(clients[m.pk], "/worktray/team/") for m, _ in pairs],
        "manager: a team member's tray": [
            (clients[m.pk], f"/worktray/team/{p.pk}/") for m, p in pairs
        ],
    }
    # Warm up every client and page once (connections, caches, prepared statements).
    for requests in measures.values():
        for client, url in requests:
            timed(client, url)
    results: dict[str, list[float]] = {label: [] for label in measures}
    # Interleaved, so that other work on the machine falls on every measure alike.
    for i in range(args.requests):
        for label, requests in measures.items():
            client, url = requests[i % len(requests)]
            results[label].append(timed(client, url))
    loads = sorted(n for _, n in sample)
    print(
        f"persons {Person.objects.count():,}; families {Family.objects.count():,}; "
        f"team members {TeamAroundFamilyMember.objects.count():,}; plans "
        f"{Plan.objects.count():,}; actions {PlanAction.objects.count():,}; chronology "
        f"entries {ChronologyEntry.objects.count():,}"
    )
    print(
        f"{len(sample)} practitioners, families in their teams: {loads[0]} to {loads[-1]} "
        f"(median {statistics.median(loads):.0f}); {len(pairs)} manager/practitioner pairs; "
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
