"""PostgreSQL stops and comes back while people use Kinplan: every answer meanwhile is the friendly 503 page (or a
success) — never a 500, never a dropped connection — requests succeed again within 10 s, and nothing saved before
is lost.

The real thing: gunicorn (2 workers) on a free loopback port against a scratch database on the suite's
PostgreSQL server, a signed-in social worker's browser session loading her caseload and a case page from two
threads, and the server stopped (`pg_ctl stop -m fast`), kept down for a few seconds, and started again.

Runs when the suite runs on PostgreSQL and KINPLAN_PG_CTL names the server's pg_ctl with its data folder (the test
adds `-m fast -w stop`, then `-w restart`, which starts the server again with the options it last ran with), e.g.
    KINPLAN_PG_CTL="runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg-55436/data"
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.db import connections

from tests.faults.support import ON_POSTGRESQL, ScratchDatabase, free_port

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="restarts the PostgreSQL server of DATABASE_URL"),
    pytest.mark.skipif(
        not os.environ.get("KINPLAN_PG_CTL"),
        reason="set KINPLAN_PG_CTL to the server's pg_ctl and data folder, e.g. 'pg_ctl -D /path/to/data'",
    ),
]

DOWN_FOR = 3.0  # seconds the server stays stopped
RECOVERY = 10.0  # seconds within which requests must succeed again
FRIENDLY = "Kinplan can&#x27;t reach its database just now"
PASSWORD = "correct-horse-battery-staple"  # the test users' password (kinplan/accounts/tests/factories.py)

DATA = """
from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases.tests.factories import CaseFactory
alice = UserFactory(username="alice")
print("CASE", CaseFactory(worker=alice, name="Ngata whānau").pk)
"""


@dataclass
class Answer:
    started: float
    url: str
    status: int | None
    friendly: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def clean_refusal(self) -> bool:
        return self.status == 503 and self.friendly


def pg_ctl(*args: str, log: Path) -> None:
    """Run pg_ctl; a started server inherits the log file, not a pipe we would wait on forever."""
    with log.open("ab") as output:
        subprocess.run(  # the command comes from KINPLAN_PG_CTL, split into arguments, no shell
            [*shlex.split(os.environ["KINPLAN_PG_CTL"]), *args],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            timeout=120,
            check=True,
        )


def start_gunicorn(database: ScratchDatabase, port: int, log: Path) -> subprocess.Popen[bytes]:
    server = database.popen(
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        log=log,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=30).status_code == 200:
                    return server
            except requests.RequestException:
                pass  # not listening yet, or still loading Kinplan
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {log.read_text()}")
    except BaseException:
        server.terminate()
        server.wait(timeout=30)
        raise


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=10,
    )
    assert response.status_code == 200 and "/accounts/login/" not in response.url, response.text[:2000]
    return session


def load(base: str, cookies: requests.cookies.RequestsCookieJar, urls: list[str], stop: threading.Event) -> list:
    """GET the pages in turn until told to stop, recording every answer."""
    session = requests.Session()
    session.cookies.update(cookies)
    answers = []
    while not stop.is_set():
        for url in urls:
            started = time.monotonic()
            try:
                response = session.get(f"{base}{url}", timeout=30, allow_redirects=False)
            except requests.RequestException as error:
                answers.append(Answer(started, url, None, error=repr(error)))
            else:
                friendly = FRIENDLY in response.text and response.headers.get("Retry-After") == "30"
                answers.append(Answer(started, url, response.status_code, friendly, response.text[:300]))
            time.sleep(0.05)
    return answers


def test_kinplan_survives_a_postgresql_restart_under_load(scratch_database, tmp_path):
    database = scratch_database
    database.manage("migrate", "--noinput", "--verbosity", "0")
    [case_line] = [line for line in database.manage("shell", "--no-imports", "-c", DATA).splitlines() if "CASE" in line]
    case_id = case_line.split()[1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(database, port, tmp_path / "gunicorn.log")
    try:
        # given a signed-in social worker who saved a new case just now
        session = sign_in(base)
        saved = session.post(
            f"{base}/api/v1/cases",
            json={
                "name": "Saved before the restart",
                "child": {"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": "2019-04-02"},
            },
            headers={"X-CSRFToken": session.cookies["csrftoken"]},
            timeout=30,
        )
        assert saved.status_code == 201, saved.text
        saved_id = saved.json()["id"]
        # and her pages being loaded from two threads
        stop = threading.Event()
        results: list[list[Answer]] = [[], []]
        urls = [["/caseload/", f"/cases/{case_id}/"], [f"/cases/{saved_id}/", "/caseload/"]]

        def run(i: int) -> None:
            results[i] = load(base, session.cookies, urls[i], stop)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        down = False
        try:
            time.sleep(1.5)
            # when PostgreSQL stops, stays down for a while, and starts again
            went_down = time.monotonic()
            down = True
            pg_ctl("-m", "fast", "-w", "stop", log=tmp_path / "postgresql.log")
            time.sleep(DOWN_FOR)
            pg_ctl("-w", "restart", log=tmp_path / "postgresql.log")
            down = False
            came_back = time.monotonic()
            time.sleep(RECOVERY)
        finally:
            if down:  # never leave the suite's server stopped
                pg_ctl("-w", "restart", log=tmp_path / "postgresql.log")
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        answers = sorted((answer for thread_answers in results for answer in thread_answers), key=lambda a: a.started)

        # then every answer was a success or the friendly 503 page: no 500, no dropped connection
        bad = [a for a in answers if not (a.ok or a.clean_refusal)]
        assert bad == [], f"{len(bad)} bad answers of {len(answers)}, e.g. {bad[:3]}"
        assert any(a.ok for a in answers if a.started < went_down), "the pages worked before the restart"
        assert any(a.clean_refusal for a in answers), "the outage was seen: some requests got the 503 page"
        # and within 10 s of the server's return, and from then on, every request succeeds
        after = [a for a in answers if a.started >= came_back]
        first_success = next((a.started for a in after if a.ok), None)
        assert first_success is not None and first_success - came_back <= RECOVERY, "requests succeed again"
        refusals = sum(a.clean_refusal for a in answers)
        print(f"{len(answers)} requests, {refusals} friendly 503s, 200 again {first_success - came_back:.2f} s after")
        assert all(a.ok for a in after if a.started >= first_success), "no more refusals once recovered"
        # and what was saved before the restart is still there
        kept = session.get(f"{base}/api/v1/cases/{saved_id}", timeout=30)
        assert kept.status_code == 200 and kept.json()["name"] == "Saved before the restart"
    finally:
        server.terminate()
        server.wait(timeout=30)
        connections.close_all()  # this process's own connections did not survive the restart either
