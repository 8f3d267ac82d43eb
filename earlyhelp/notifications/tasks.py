"""The background task that empties the outbox (Django's task framework, django-tasks-db).

``notifications_send`` is enqueued when a change that queued e-mails commits; the worker
(``manage.py db_worker``, started by ``make run``) runs it. When it finishes with e-mails
still waiting (retries with backoff, or a batch claimed by a worker that died), it enqueues
itself again to run when the earliest of them falls due. A worker killed while running the
task leaves that task "running" for ever: ``manage.py notifications_sweep`` (run by
``make run`` before the worker starts, and by cron in production) enqueues the task again
whenever e-mails are waiting and no task is. ADR 0009.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.tasks import task, task_backends
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from earlyhelp.notifications.outbox import next_due, outbox_process


@task()
def notifications_send() -> int:
    """Send every e-mail that is due; then wake again for the next one waiting."""
    sent = outbox_process()
    notifications_sweep()
    return sent


def task_waiting(*, due_by: datetime.datetime | None = None) -> bool:
    """Is a send task already waiting to run (by ``due_by``, when given)?

    Only the database backend can say; with any other, assume none is.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task_backends[notifications_send.backend], DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=notifications_send.module_path
    )
    if due_by is not None:
        # "As soon as possible" is stored as the largest date.
        waiting = waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=due_by))
    return waiting.exists()


def notifications_sweep() -> bool:
    """Enqueue the send task for the earliest waiting e-mail, unless a task will run by then.

    Returns True when it enqueued one.
    """
    due = next_due()
    if due is None or task_waiting(due_by=due):
        return False
    now = timezone.now()
    if due <= now:
        notifications_send.enqueue()
    else:
        notifications_send.using(run_after=due).enqueue()
    return True
