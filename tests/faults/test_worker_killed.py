"""A background worker killed (SIGKILL) while it sends reminder e-mail: the next worker picks the work up again,
every reminder reaches its recipient exactly once, and no job is left stuck in the queue.

The real processes: `manage.py kinplan_worker` against a database of its own (a SQLite file, or a scratch database
on the suite's PostgreSQL server), sending through a slow e-mail backend that writes one file per message.
The unit-level version of this is kinplan/notifications/tests/test_worker.py.
"""

from __future__ import annotations

import email
import email.policy
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.support import MANAGE, ScratchDatabase, wait_for

pytestmark = pytest.mark.faults

STEPS = 6  # overdue steps; each reminds the case's worker and the person doing it
EXPECTED = 2 * STEPS
DELAY = 0.4  # seconds per e-mail

# Run in the subprocess: alice's case has STEPS overdue steps that bob is doing; both want these reminders by e-mail.
DATA = """
import datetime
from django.utils import timezone
from kinplan.accounts.tests.factories import TeamFactory, UserFactory
from kinplan.cases.tests.factories import CaseFactory
from kinplan.notifications.models import ReminderKind, ReminderPreference
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

team = TeamFactory(name="East")
alice = UserFactory(username="alice", team=team, email="alice@example.org")
bob = UserFactory(username="bob", team=team, email="bob@example.org")
for user in (alice, bob):
    ReminderPreference.objects.create(user=user, kind=ReminderKind.STEP_OVERDUE, in_app=True, by_email=True)
goal = GoalFactory(plan=PlanFactory(case=CaseFactory(worker=alice, name="Ngata whānau")))
today = timezone.localdate()
for i in range(STEPS):
    due_on = today - datetime.timedelta(days=1 + i)
    StepFactory(goal=goal, what=f"Overdue step {i}", due_on=due_on, responsible_user=bob)
"""

WORKER = [*MANAGE, "kinplan_worker", "--every", "3600", "--poll", "0.2", "--verbosity", "0"]


def mails(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


def received(folder: Path) -> Counter[tuple[str, str]]:
    """How many messages each (recipient, subject) got."""
    counted: Counter[tuple[str, str]] = Counter()
    for path in mails(folder):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        counted[(str(message["To"]), str(message["Subject"]))] += 1
    return counted


def pending(database: ScratchDatabase) -> int:
    return database.query("SELECT COUNT(*) FROM notifications_notification WHERE email_state = 'pending'")[0][0]


def test_a_killed_worker_loses_no_reminder_and_sends_none_twice(scratch_database, tmp_path):
    database = scratch_database
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    mail = {
        "DJANGO_EMAIL_BACKEND": "tests.faults.slow_email.SlowFileEmailBackend",
        "KINPLAN_FAULT_MAIL_DIR": str(outbox),
        "KINPLAN_FAULT_MAIL_DELAY": str(DELAY),
    }
    # given reminders that are due, which their recipients want by e-mail
    database.manage("migrate", "--noinput", "--verbosity", "0")
    database.manage("shell", "--no-imports", "-c", f"STEPS = {STEPS}\n{DATA}")

    # when the worker is killed outright in the middle of sending them
    first = database.popen(*WORKER, env=mail, log=tmp_path / "worker-1.log")
    try:
        wait_for(lambda: len(mails(outbox)) >= 3, 180, "the first worker to send three e-mails")
        time.sleep(DELAY / 2)  # halfway through the next message
    finally:
        first.kill()
        first.wait(timeout=30)
    sent_by_the_first = len(mails(outbox))
    assert 3 <= sent_by_the_first < EXPECTED, "the worker should have died part-way through"

    # and another worker starts
    second = database.popen(*WORKER, env=mail, log=tmp_path / "worker-2.log")
    try:
        wait_for(
            lambda: len(mails(outbox)) >= EXPECTED and pending(database) == 0,
            180,
            f"the second worker to send the rest ({(tmp_path / 'worker-2.log').read_text()})",
        )
        time.sleep(3 * DELAY + 1)  # a message sent twice would arrive now
    finally:
        second.terminate()  # SIGTERM: the worker stops cleanly
        second.wait(timeout=60)

    # then every reminder wanted by e-mail reached its recipient exactly once
    wanted = database.query(
        "SELECT u.email, n.title, n.email_state FROM notifications_notification n"
        " JOIN accounts_user u ON u.id = n.recipient_id WHERE n.email_state <> 'not_wanted'"
    )
    expected = Counter((address, f"Kinplan: {title}"[:200]) for address, title, _state in wanted)
    got = received(outbox)
    problems = []
    if len(expected) != EXPECTED:
        problems.append(f"{len(expected)} reminders wanted by e-mail, not {EXPECTED}")
    if missing := sorted(expected - got):
        problems.append(f"never sent: {missing}")
    if twice := sorted((key, n) for key, n in got.items() if n > 1):
        problems.append(f"sent more than once (the first worker had sent {sent_by_the_first}): {twice}")
    if unexpected := sorted(set(got) - set(expected)):
        problems.append(f"sent but not a reminder: {unexpected}")
    if unsent := [row for row in wanted if row[2] != "sent"]:
        problems.append(f"not marked sent: {unsent}")
    # and no job is left stuck in the queue (a RUNNING job whose worker is dead never finishes)
    jobs = database.query("SELECT id, status, worker_ids FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
    if stuck := [job for job in jobs if job[1] in ("RUNNING", "READY")]:
        problems.append(f"jobs left unfinished after every worker stopped: {stuck} (all jobs: {jobs})")
    assert not problems, "\n".join(problems)
