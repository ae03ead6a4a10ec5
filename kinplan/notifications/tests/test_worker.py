"""The background worker: the database queue runs the reminder job; two workers at once still send once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kinplan.notifications import services
from kinplan.notifications.management.commands.kinplan_worker import (
    ABANDONED_AFTER,
    HOST,
    new_worker_id,
    queue_reminder_run,
    release_abandoned_jobs,
)
from kinplan.notifications.models import Notification, ReminderKind, ReminderPreference
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory


@pytest.fixture(autouse=True)
def keep_the_test_transactions_connection(monkeypatch):
    """The worker closes stale connections between jobs; inside a test's transaction that would close the test's."""
    monkeypatch.setattr("kinplan.notifications.management.commands.kinplan_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def overdue_steps(case, n):
    goal = GoalFactory(plan=PlanFactory(case=case))
    for i in range(n):
        StepFactory(goal=goal, what=f"Step {i}", due_on=timezone.localdate() - datetime.timedelta(days=1 + i))


def test_the_worker_runs_the_queued_reminder_job(alice, case):
    overdue_steps(case, 2)
    call_command("kinplan_worker", "--once", verbosity=0)
    assert Notification.objects.filter(recipient=alice, kind=ReminderKind.STEP_OVERDUE).count() == 2
    [job] = DBTaskResult.objects.all()
    assert job.status == "SUCCESSFUL" and job.task_path.endswith("run_reminders")


def test_a_reminder_run_already_waiting_is_not_queued_twice(db):
    assert queue_reminder_run() is True
    assert queue_reminder_run() is False
    assert DBTaskResult.objects.count() == 1


def test_a_job_left_running_by_a_killed_worker_loses_nothing(alice, case):
    """A worker dies mid-job: its job row stays RUNNING, and the next run issues everything anyway."""
    overdue_steps(case, 3)
    queue_reminder_run()
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["dead-worker"])
    call_command("kinplan_worker", "--once", verbosity=0)
    assert Notification.objects.filter(recipient=alice).count() == 3


def dead_pid() -> int:
    """A process id that no process has now: a child that has exited and been reaped."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_job_of_a_dead_worker_on_this_machine_is_released_and_a_live_ones_is_not(db):
    queue_reminder_run()
    job = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=[f"{HOST}:{dead_pid()}:abcdefgh"]
    )
    assert release_abandoned_jobs() == 1
    assert DBTaskResult.objects.get(pk=job.pk).status == "FAILED"
    DBTaskResult.objects.filter(pk=job.pk).update(status="RUNNING", worker_ids=[new_worker_id()])  # this process
    assert release_abandoned_jobs() == 0


def test_a_job_of_a_worker_elsewhere_is_released_only_after_a_long_silence(db):
    queue_reminder_run()
    recently = timezone.now() - datetime.timedelta(minutes=5)
    DBTaskResult.objects.update(status="RUNNING", started_at=recently, worker_ids=["other-host:123:abcdefgh"])
    assert release_abandoned_jobs() == 0
    DBTaskResult.objects.update(started_at=timezone.now() - ABANDONED_AFTER - datetime.timedelta(minutes=1))
    assert release_abandoned_jobs() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_issue_and_email_each_reminder_once(alice, case):
    alice.email = "alice@example.org"
    alice.save()
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_OVERDUE, in_app=True, by_email=True)
    overdue_steps(case, 120)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(services.run_reminders())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.filter(recipient=alice).count() == 120
    assert len(mail.outbox) == 120
    assert sum(r["emailed"] for r in results) == 120
    assert Notification.objects.filter(email_state=Notification.EmailState.SENT).count() == 120
