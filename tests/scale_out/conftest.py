"""Scale-out tests: Kinplan's real processes — app servers under gunicorn and background workers — started against
the test database on PostgreSQL, as several machines would run them against one database server.

The test writes its data in committed transactions (`transactional_db`), so the processes see it; they are stopped
before the test database is emptied again, also when the test fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.faults.support import MANAGE, free_port

STARTUP_SECONDS = 60  # loading Kinplan on a busy two-core machine


def database_url() -> str:
    """The test database (not the one DATABASE_URL names: pytest-django made its own) as a URL for a subprocess."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Stack:
    """The processes of one test, their logs, and the folder where the e-mail they send lands."""

    folder: Path
    env: dict[str, str]
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    @property
    def outbox(self) -> Path:
        return self.folder / "outbox"

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # our own interpreter and manage.py / gunicorn, arguments only
                list(command), env=self.env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def app_server(self, name: str) -> str:
        """Start gunicorn (one worker process) on a free loopback port; its base URL once /healthz answers."""
        port = free_port()
        server = self.start(
            name,
            *(sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"),
            *("--timeout", "60", "--graceful-timeout", "5"),
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise AssertionError(f"{name} exited at start:\n{self.log(name)}")
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    return base
            except requests.RequestException:
                pass  # not listening yet, or still loading Kinplan
            time.sleep(0.2)
        raise AssertionError(f"{name} did not answer /healthz within {STARTUP_SECONDS} s:\n{self.log(name)}")

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        """Start `manage.py kinplan_worker`: it queues a reminder run at once and works the queue."""
        return self.start(name, *MANAGE, "kinplan_worker", "--every", "3600", "--poll", "0.2", "--verbosity", "0")

    def stop(self, name: str | None = None) -> None:
        """SIGTERM (a worker finishes its job, gunicorn its requests), then SIGKILL for any still there after 10 s."""
        chosen = [(n, p) for n, p in self.processes if name in (None, n)]
        for _name, process in chosen:
            if process.poll() is None:
                process.terminate()
        for _name, process in chosen:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def stack(transactional_db: Any, tmp_path: Path) -> Iterator[Stack]:
    """Kinplan's processes against the test database, e-mail written one file per message to `stack.outbox`.

    Requested after `transactional_db`, so it is torn down first: every process is stopped before the tables are
    emptied (a process still connected would hold the flush up)."""
    (tmp_path / "outbox").mkdir()
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_REPLICA_URL"}
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="ERROR",
        # the fault tests' mail server: one file per message accepted, after a short delay (a real SMTP round trip)
        DJANGO_EMAIL_BACKEND="tests.faults.slow_email.SlowFileEmailBackend",
        KINPLAN_FAULT_MAIL_DIR=str(tmp_path / "outbox"),
        KINPLAN_FAULT_MAIL_DELAY="0.1",
    )
    running = Stack(tmp_path, env)
    try:
        yield running
    finally:
        running.stop()
