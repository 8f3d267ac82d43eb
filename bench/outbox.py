"""E-mail outbox throughput to the local backend, on PostgreSQL (issue 5: 500 per second).

Queues N notifications (default 20,000) for 100 practitioners, then runs the worker's code
path (earlyhelp.notifications.outbox.outbox_process: claim a batch with skip-locked, record
each e-mail in SentEmail and mark the batch sent, in one transaction) with 1 and with 2
worker processes, and reports notifications sent per second. Baseline, measured in the same
run: plain inserts of the same e-mail rows (SentEmail), one transaction per batch, with no
outbox around them. Every run then checks that each notification was sent exactly once.

    scripts/postgres.sh start /tmp/eh-outbox    # prints a DATABASE_URL
    DATABASE_URL=postgres://... python bench/outbox.py --notifications 20000
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
os.environ.setdefault("NOTIFY_BACKEND", "local")

RECIPIENTS = 100


def _setup() -> None:
    import django

    django.setup()


def worker(size: int, ready: Any, times: Any) -> None:
    """One worker process: set up, wait for the others, empty the outbox, report."""
    _setup()
    from django.db import connection

    from earlyhelp.notifications.backends import LocalBackend
    from earlyhelp.notifications.outbox import outbox_process

    ready.wait()  # start-up (interpreter, Django) is not part of the measure
    start = time.perf_counter()
    sent = outbox_process(backend=LocalBackend(), size=size)
    times.put((start, time.perf_counter(), sent))
    connection.close()


def run_workers(workers: int, size: int) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(workers)
    times = context.Queue()
    processes = [context.Process(target=worker, args=(size, ready, times)) for _ in range(workers)]
    for process in processes:
        process.start()
    spans = [times.get() for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a worker failed with exit code {process.exitcode}")
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    sent = sum(n for _, _, n in spans)
    return sent / elapsed, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notifications", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200, help="notifications per batch")
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.db import connection, transaction

    from earlyhelp.accounts.models import User
    from earlyhelp.notifications import rules
    from earlyhelp.notifications.models import Notification, NotificationStatus, SentEmail

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    n, size = args.notifications, args.batch
    users = [
        User.objects.get_or_create(
            email=f"bench-outbox-{i}@bench.example", defaults={"full_name": f"Bench {i}"}
        )[0]
        for i in range(RECIPIENTS)
    ]
    personalisation = rules.alert_personalisation(
        kind="safer_sleep_red_flag", service_url=settings.NOTIFY_SERVICE_URL
    )

    def rows() -> list[Notification]:
        return [
            Notification(
                recipient=users[i % RECIPIENTS],
                template_id=settings.NOTIFY_ALERT_TEMPLATE_ID,
                personalisation=personalisation,
            )
            for i in range(n)
        ]

    def clear() -> None:
        SentEmail.objects.all().delete()
        Notification.objects.filter(recipient__in=users).delete()

    clear()
    # Baseline: the same e-mail rows inserted plainly, a batch per transaction.
    queued = rows()
    start = time.perf_counter()
    for first in range(0, n, size):
        with transaction.atomic():
            SentEmail.objects.bulk_create(
                SentEmail(
                    reference=r.reference,
                    email_address=r.recipient.email,
                    template_id=r.template_id,
                    personalisation=r.personalisation,
                )
                for r in queued[first : first + size]
            )
    baseline = n / (time.perf_counter() - start)
    clear()

    results: list[tuple[str, float]] = []
    queue_rate = 0.0
    for workers in (1, 2):
        start = time.perf_counter()
        with transaction.atomic():
            Notification.objects.bulk_create(rows(), batch_size=1000)
        queue_rate = n / (time.perf_counter() - start)
        connection.close()
        rate, sent = run_workers(workers, size)
        statuses = set(Notification.objects.values_list("status", flat=True))
        emails = SentEmail.objects.count()
        distinct = SentEmail.objects.values("reference").distinct().count()
        if sent != n or statuses != {NotificationStatus.SENT} or not emails == distinct == n:
            raise SystemExit(f"not exactly once: sent {sent}, e-mails {emails}, {statuses}")
        results.append((f"outbox worker path, {workers} worker process(es)", rate))
        clear()

    print(f"notifications: {n}; batch: {size}; recipients: {RECIPIENTS}; PostgreSQL")
    print(f"{'measure':52} {'per second':>10}")
    print(f"{'baseline: plain inserts of the e-mail rows':52} {baseline:10.0f}")
    print(f"{'queueing: outbox rows inserted':52} {queue_rate:10.0f}")
    for name, rate in results:
        print(f"{name:52} {rate:10.0f}")
    print("every notification sent exactly once in each run")


if __name__ == "__main__":
    main()
