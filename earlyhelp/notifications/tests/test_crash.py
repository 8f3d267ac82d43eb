"""Exactly once, with the real worker: ``manage.py db_worker`` is killed mid-batch (SIGKILL,
so nothing is tidied up), restarted, and every e-mail is then recorded once (issue 5 item 5,
ADR 0009).

The worker and the seeding run as separate processes sharing a real database: on SQLite a
database file of the test's own (migrated here), on PostgreSQL the test database (committed
data, so the test is transactional).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
EMAILS = 60
BATCH = 25
KILL_AT = 30  # in the second batch: 25 sent and committed, 5 recorded but not committed


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def state(env: dict[str, str]) -> dict[str, object]:
    done = run(env, "-m", "earlyhelp.notifications.tests.outbox_probe", "state")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of the worker processes: a database they and the probe share."""
    env = {
        **os.environ,
        "TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "NOTIFY_BACKEND": "local",
        "NOTIFY_BATCH_SIZE": str(BATCH),
        "NOTIFY_CLAIM_LEASE_SECONDS": "1",
        "DEBUG": "0",
    }
    env.pop("NOTIFY_TEST_KILL_AT", None)
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
        run(env, "manage.py", "migrate", "--no-input")
    return env


def test_a_worker_killed_mid_batch_sends_every_e_mail_exactly_once_after_restart(
    shared_database: dict[str, str],
) -> None:
    env = shared_database
    run(env, "-m", "earlyhelp.notifications.tests.outbox_probe", "seed", str(EMAILS))
    assert state(env)["statuses"] == {"queued": EMAILS}
    worker = [
        "manage.py",
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0",
    ]

    crashed = run({**env, "NOTIFY_TEST_KILL_AT": str(KILL_AT)}, *worker, check=False)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    after_crash = state(env)
    assert after_crash["statuses"] == {
        "sent": BATCH,
        "sending": BATCH,
        "queued": EMAILS - 2 * BATCH,
    }
    assert after_crash["sent_emails"] == BATCH  # the 5 recorded in the killed batch are gone

    # Restart: the sweep (as ``make run`` does) enqueues the send task again, since the
    # dead worker's task stays "running"; the claimed batch goes once its lease runs out.
    for _ in range(30):
        run(env, "manage.py", "notifications_sweep")
        run(env, *worker)
        now = state(env)
        if now["statuses"] == {"sent": EMAILS}:
            break
        time.sleep(0.5)
    assert now["statuses"] == {"sent": EMAILS}
    assert now["sent_emails"] == now["distinct_references"] == EMAILS
    assert now["same_references"] is True
    # The killed batch was attempted twice; every other e-mail once.
    assert now["attempts"] == {"1": EMAILS - BATCH, "2": BATCH}
