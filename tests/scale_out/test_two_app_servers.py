"""Two app servers behind a load balancer, one PostgreSQL, background workers: nothing depends on which server a
request reaches, and each reminder is still sent once.

The real processes (tests/scale_out/conftest.py): gunicorn twice, each on its own port, and `manage.py
kinplan_worker` twice at once, all against the test database. A social worker signs in through the login form on
server A and carries on with the same session on server B; she and the servers between them make reminders due
(app servers never run reminders themselves: the workers queue and run them); both workers look for reminders at
the same moment. Then every reminder exists once and every e-mail arrived once, what is read on one server is read
on the other, and a sign-in lockout counts the failures made on either server.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import time
from collections import Counter

import pytest
import requests
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kinplan.accounts.tests.factories import TEST_PASSWORD, TeamFactory, UserFactory
from kinplan.cases.tests.factories import CaseFactory
from kinplan.notifications.models import Notification, ReminderKind, ReminderPreference
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from tests.faults.support import wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="app servers in other processes need a database server they share: PostgreSQL only (the SQLite test "
        "database lives in this process's memory)",
    ),
    pytest.mark.django_db(transaction=True),
]

TODAY = timezone.localdate()
REMINDED_BY_EMAIL = [ReminderKind.STEP_DUE_SOON, ReminderKind.STEP_OVERDUE]


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


def sign_in(base: str, username: str, password: str = TEST_PASSWORD) -> tuple[requests.Session, requests.Response]:
    """Through the login form, as a browser does: the page first (for its CSRF cookie), then the form. The browser
    (with the cookies it was given) and the answer to the form."""
    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=30).raise_for_status()
    answer = browser.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    return browser, answer


def browser_with(cookies: requests.cookies.RequestsCookieJar) -> requests.Session:
    """A browser holding these cookies; its writes carry the CSRF token, as kinplan.js does for htmx and the API."""
    browser = requests.Session()
    browser.cookies.update(cookies)
    browser.headers["X-CSRFToken"] = cookies["csrftoken"]
    return browser


def received(outbox) -> Counter[tuple[str, str]]:
    """How many messages each (recipient, subject) got."""
    counted: Counter[tuple[str, str]] = Counter()
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        counted[(str(message["To"]), str(message["Subject"]))] += 1
    return counted


def unfinished_jobs() -> int:
    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def test_two_app_servers_share_sessions_and_lockouts_and_two_workers_send_each_reminder_once(stack):
    # given alice's case, whose plan has two overdue steps that bob is doing; bob wants those reminders by e-mail
    team = TeamFactory(name="East")
    alice = UserFactory(username="alice", team=team, email="alice@example.org")
    bob = UserFactory(username="bob", team=team, email="bob@example.org")
    UserFactory(username="charlie", team=team)
    case = CaseFactory(worker=alice, name="Ngata whānau")
    goal = GoalFactory(plan=PlanFactory(case=case), title="The children are safe at home")
    for n in (1, 4):
        StepFactory(goal=goal, what=f"Overdue visit {n}", due_on=days(-n), responsible_user=bob)
    for kind in REMINDED_BY_EMAIL:
        ReminderPreference.objects.create(user=bob, kind=kind, in_app=True, by_email=True)
    # and two app servers
    server_a, server_b = stack.app_server("app-a"), stack.app_server("app-b")

    # when alice signs in on server A
    browser, signed_in = sign_in(server_a, "alice")
    assert signed_in.status_code == 200 and "/accounts/login/" not in signed_in.url, signed_in.text[:1000]
    on_a = browser_with(browser.cookies)
    # then server B knows her by the same session cookie (sessions live in the database)
    on_b = browser_with(browser.cookies)
    caseload = on_b.get(f"{server_b}/", timeout=30)
    assert caseload.status_code == 200 and "/accounts/login/" not in caseload.url
    assert case.reference in caseload.text

    # when she chooses e-mail for step reminders on server B, and adds a step due soon on each server
    choices = {kind: {"in_app": True, "by_email": True} for kind in REMINDED_BY_EMAIL}
    saved = on_b.put(f"{server_b}/api/v1/me/settings", json={"language": "", "reminders": choices}, timeout=30)
    assert saved.status_code == 200, saved.text
    for server, base, on, due in (("A", server_a, on_a, 1), ("B", server_b, on_b, 2)):
        step = {"what": f"Check in with Nan (added on {server})", "responsible": "worker", "due_on": days(due)}
        step |= {"responsible_user_id": bob.pk, "timeline": "this week"}
        added = on.post(f"{base}/api/v1/goals/{goal.pk}/steps", json=step, timeout=30)
        assert added.status_code == 201, added.text

    # and two workers look for reminders at the same moment
    stack.worker("worker-1")
    stack.worker("worker-2")
    expected_reminders = 2 * 4  # four steps, each reminding alice (the case's worker) and bob (doing it)
    wait_for(
        lambda: (
            Notification.objects.count() >= expected_reminders
            and not Notification.objects.filter(email_state=Notification.EmailState.PENDING).exists()
            and unfinished_jobs() == 0
        ),
        45,
        "the workers to issue and e-mail the reminders",
    )
    time.sleep(1)  # a reminder issued or sent twice would arrive now
    stack.stop("worker-1")
    stack.stop("worker-2")

    # then each reminder exists once, and each e-mail arrived once
    reminders = list(Notification.objects.select_related("recipient"))
    keys = Counter((n.recipient.username, n.key) for n in reminders)
    assert len(keys) == expected_reminders and set(keys.values()) == {1}, keys
    assert {n.email_state for n in reminders} == {Notification.EmailState.SENT}
    wanted = Counter((n.recipient.email, f"Kinplan: {n.title}"[:200]) for n in reminders)
    got = received(stack.outbox)
    assert got == wanted, f"sent twice: {[k for k, v in got.items() if v > 1]}; never sent: {sorted(wanted - got)}"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1

    # and what she reads on one server is read on the other
    mine = on_a.get(f"{server_a}/api/v1/notifications", timeout=30).json()
    assert mine["unread_count"] == 4 and len(mine["items"]) == 4
    read = on_b.post(f"{server_b}/api/v1/notifications/{mine['items'][0]['id']}/read", timeout=30)
    assert read.status_code == 200 and read.json() == {"marked_read": 1}
    assert on_a.get(f"{server_a}/api/v1/notifications", timeout=30).json()["unread_count"] == 3

    # when someone guesses charlie's password, by turns on each server
    guesses = [sign_in(base, "charlie", "wrong-password-123")[1].status_code for base in [server_a, server_b] * 2]
    assert guesses == [200, 200, 200, 200]
    # then the fifth failure locks him out, whichever server counted the others (attempts live in the database)
    assert sign_in(server_a, "charlie", "wrong-password-123")[1].status_code == 429
    assert sign_in(server_b, "charlie")[1].status_code == 429  # even with his password, until the lockout ends

    # and no process failed along the way
    for name in ("app-a", "app-b", "worker-1", "worker-2"):
        assert "Traceback" not in stack.log(name), stack.log(name)
