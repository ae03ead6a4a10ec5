"""The background worker: runs queued jobs, and queues the reminder run every few minutes.

Several may run at once (each reminder is still sent once); one that is killed loses nothing, because reminders
are re-derived from the records on every run and unsent e-mail stays pending until a worker sends it.
"""

from __future__ import annotations

import datetime
import os
import socket
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kinplan.notifications.tasks import run_reminders

HOST = socket.gethostname()[:40]
# A job RUNNING this long on another machine is taken as abandoned (on this machine, a dead pid tells at once).
ABANDONED_AFTER = datetime.timedelta(hours=1)


class WorkerLost(Exception):
    """The worker running a job stopped (killed, crashed, machine lost) before finishing it."""


def new_worker_id() -> str:
    """host:pid:random, so that another worker on the same machine can tell whether this one still lives."""
    return f"{HOST}:{os.getpid()}:{get_random_string(8)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(job: DBTaskResult, now: datetime.datetime) -> bool:
    host, _, rest = (job.worker_ids[-1] if job.worker_ids else "").partition(":")
    pid = rest.partition(":")[0]
    if host == HOST and pid.isdigit():
        return int(pid) != os.getpid() and not _alive(int(pid))
    return job.started_at is not None and now - job.started_at > ABANDONED_AFTER


def release_abandoned_jobs() -> int:
    """Mark FAILED the jobs left RUNNING by a worker that died, so none stays stuck; returns how many."""
    now = timezone.now()
    released = 0
    for job in DBTaskResult.objects.running():
        if _abandoned(job, now):
            job.set_failed(WorkerLost(f"Worker {job.worker_ids[-1] if job.worker_ids else '?'} stopped mid-job."))
            released += 1
    return released


def queue_reminder_run() -> bool:
    """Queue a reminder run unless one is already waiting; returns whether one was queued."""
    if DBTaskResult.objects.ready().filter(task_path=run_reminders.module_path).exists():
        return False
    run_reminders.enqueue()
    return True


class Command(BaseCommand):
    help = "Run Kinplan's background jobs (reminders, e-mail) from the database queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=settings.KINPLAN_REMINDER_RUN_SECONDS,
            help="Seconds between reminder runs (default: %(default)s).",
        )
        parser.add_argument("--poll", type=float, default=2.0, help="Seconds between looks at the queue.")
        parser.add_argument("--once", action="store_true", help="Queue one reminder run, work the queue, then stop.")

    def handle(self, *args: Any, every: float, poll: float, once: bool, **options: Any) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=new_worker_id(),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if options["verbosity"] > 0:
            self.stdout.write(f"Kinplan worker {worker.worker_id[:8]}: reminders every {every:g} s")
        next_run = 0.0
        while worker.running:
            close_old_connections()
            if time.monotonic() >= next_run:
                release_abandoned_jobs()
                queue_reminder_run()
                next_run = time.monotonic() + every
            worker.run()  # works the queue until it is empty
            if once:
                return
            time.sleep(poll)
