"""What the fault tests share: a database of their own, and Kinplan's commands run as real processes against it.

`ScratchDatabase` is a temporary SQLite file, or — when the suite runs on PostgreSQL (DATABASE_URL) — a scratch
database created on that server and dropped afterwards. `manage(...)` runs manage.py against it; `query(...)`
reads it directly, without Django, so the test process never shares a connection with the processes under test.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail saying `what` was awaited once `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {seconds:g} s waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ScratchDatabase:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if ON_POSTGRESQL:
            self.server = dj_database_url.parse(os.environ["DATABASE_URL"])
            self.name = f"kinplan_fault_test_{uuid.uuid4().hex[:8]}"
            self.admin(f'CREATE DATABASE "{self.name}"')
            s = self.server
            password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
            url = f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{self.name}"
        else:
            self.name = str(folder / "kinplan.sqlite3")
            url = f"sqlite:///{self.name}"
        self.env = dict(os.environ)
        self.env.update(
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_LOG_LEVEL="ERROR",
        )

    # --- PostgreSQL server ---------------------------------------------------------------------------------

    def _connect(self, dbname: str) -> Any:
        import psycopg

        s = self.server
        connection = psycopg.connect(
            host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None, dbname=dbname
        )
        connection.autocommit = True
        return connection

    def admin(self, statement: str) -> None:
        with self._connect("postgres") as server:
            server.execute(statement)

    # --- the database under test ---------------------------------------------------------------------------

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Read the database directly (no Django, no shared connection)."""
        if ON_POSTGRESQL:
            with self._connect(self.name) as db:
                return list(db.execute(sql).fetchall())
        db = sqlite3.connect(self.name, timeout=20)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def manage(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600) -> str:
        result = subprocess.run(  # our own manage.py, arguments only
            [*MANAGE, *args],
            env={**self.env, **(env or {})},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def popen(self, *command: str, env: dict[str, str] | None = None, log: Path) -> subprocess.Popen[bytes]:
        """Start a long-running process (a worker, the web server) against this database; output into `log`."""
        with log.open("ab") as output:
            return subprocess.Popen(
                list(command),
                env={**self.env, **(env or {})},
                cwd=settings.BASE_DIR,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def drop(self) -> None:
        if ON_POSTGRESQL:
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
