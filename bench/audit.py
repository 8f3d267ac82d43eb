"""Chained audit inserts per second with 8 concurrent writers, on PostgreSQL.

Each writer is its own process with its own connection, writing one audit event per
transaction (the way services write them), for a fixed number of events. Measured twice in
one run: with the hash chain (sealed after each commit, the product's behaviour) and as a
baseline with sealing switched off (plain inserts into the same table). ``audit_verify``
must then find the whole chain intact.

    DATABASE_URL=postgres://... python bench/audit.py --writers 8 --events 2000
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "1")
# Production's sealing interval (tests seal at every commit).
os.environ.setdefault("AUDIT_SEAL_INTERVAL_SECONDS", "0.2")


def _setup() -> None:
    import django

    django.setup()


def writer(
    n: int,
    events: int,
    chained: bool,
    actor_id: int,
    person_id: int,
    ready: Any,
    times: Any,
) -> None:
    """One writer process: set up, wait for the others, then write and report its times."""
    _setup()
    from django.db import connection, transaction

    from earlyhelp.accounts.models import User
    from earlyhelp.core import audit
    from earlyhelp.people.models import Person

    if not chained:
        audit.seal_after_commit = lambda model: None  # type: ignore[assignment]
    actor = User.objects.get(pk=actor_id)
    person = Person.objects.get(pk=person_id)
    ready.wait()  # start-up (interpreter, Django) is not part of the measure
    start = time.perf_counter()
    for i in range(events):
        with transaction.atomic():
            audit.audit_record(
                actor=actor, action="bench.write", obj=person, summary=f"writer {n} event {i}"
            )
    times.put((start, time.perf_counter()))
    connection.close()


def run(writers: int, events: int, chained: bool, actor_id: int, person_id: int) -> float:
    """Events per second over the time from the first writer's start to the last one's end."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(writers)
    times = context.Queue()
    processes = [
        context.Process(target=writer, args=(n, events, chained, actor_id, person_id, ready, times))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    spans = [times.get() for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a writer failed with exit code {process.exitcode}")
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return writers * events / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--events", type=int, default=2000, help="per writer")
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from earlyhelp.accounts.models import User
    from earlyhelp.core.chain import chain_seal
    from earlyhelp.core.models import AuditEvent
    from earlyhelp.people.models import Person

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    actor, _ = User.objects.get_or_create(
        email="bench-audit@bench.example", defaults={"full_name": "Bench audit"}
    )
    person = Person.objects.filter(is_unborn=False).first() or Person.objects.create(
        family_name="Bench", family_name_key="BENCH", date_of_birth="2008-01-01"
    )
    chain_seal(AuditEvent)
    connection.close()

    baseline = run(args.writers, args.events, False, actor.pk, person.pk)
    chained = run(args.writers, args.events, True, actor.pk, person.pk)
    # The baseline's rows were never sealed: seal them now so the chain verifies whole.
    chain_seal(AuditEvent)
    print(f"writers: {args.writers}; events per writer per run: {args.events}; PostgreSQL")
    print(f"{'measure':48} {'events/s':>10}")
    print(f"{'baseline: plain inserts, one per transaction':48} {baseline:10.0f}")
    print(f"{'hash-chained inserts, sealed after commit':48} {chained:10.0f}")
    print(f"ratio chained / baseline: {chained / baseline:.2f}")
    call_command("audit_verify")


if __name__ == "__main__":
    main()
