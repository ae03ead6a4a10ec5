"""Backup and restore round-trip the demo data with nothing lost, on the database the suite runs on.

The commands run as an operator runs them: `manage.py` in a subprocess, against a database of their own (a
temporary SQLite file, or a scratch database on the PostgreSQL server of DATABASE_URL) that is migrated and given
a small demo data set there. Every table is compared before and after, row by row (a sha256 over its rows in
primary-key order), not just counted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands

from kinplan.core.management.commands.kinplan_backup import manifest_path

ENGINE = settings.DATABASES["default"]["ENGINE"]
ON_POSTGRESQL = ENGINE == "django.db.backends.postgresql"
ON_SQLITE = ENGINE == "django.db.backends.sqlite3"
MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]

# Run in the subprocess: migrate, then (separately) the demo data set, with one family per worker, plus today's
# reminders so that the notification and task tables hold rows too.
SEED = """
from django.core.management import call_command
from kinplan.notifications.services import run_reminders
call_command("seed_demo", cases_per_worker=1, verbosity=0)
run_reminders()
"""

# Run in the subprocess: every table's row count and a sha256 over its rows in primary-key order.
SNAPSHOT = """
import hashlib, json
from django.apps import apps
from django.db import connection

def encode(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)

def digest(rows):
    sha, count = hashlib.sha256(), 0
    for row in rows:
        sha.update(json.dumps(list(row), default=encode, sort_keys=True).encode() + b"\\n")
        count += 1
    return [count, sha.hexdigest()]

result = {}
for model in apps.get_models(include_auto_created=True):
    meta = model._meta
    if meta.proxy or not meta.managed or meta.db_table in result:
        continue
    fields = [field.attname for field in meta.concrete_fields]
    result[meta.db_table] = digest(model._base_manager.order_by("pk").values_list(*fields).iterator())
with connection.cursor() as cursor:
    tables = sorted(connection.introspection.table_names(cursor))
    for table in tables:
        if table not in result:  # django_migrations and any table without a model
            cursor.execute("SELECT * FROM %s ORDER BY 1" % connection.ops.quote_name(table))
            result[table] = digest(cursor.fetchall())
print("SNAPSHOT " + json.dumps({"tables": tables, "rows": result}))
"""

# Run in the subprocess: change the data after the backup, so that the restore has something to undo.
ALTER = """
from kinplan.accounts.models import Organisation
from kinplan.cases.models import Person
from kinplan.notifications.models import Notification
Person.objects.update(given_name="Changed after the backup")
Notification.objects.all().delete()
Organisation.objects.create(name="Made after the backup")
"""

# Run in the subprocess after a restore: new rows still get fresh ids (the sequences came back too).
NEW_ROW = """
from kinplan.accounts.models import Organisation
Organisation.objects.create(name="Made after the restore")
print("NEW ROW OK")
"""


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*MANAGE, *args], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=600, check=False
    )
    if check:
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).stdout


def snapshot(env: dict[str, str]) -> dict[str, Any]:
    [line] = [line for line in shell(env, SNAPSHOT).splitlines() if line.startswith("SNAPSHOT ")]
    return json.loads(line.removeprefix("SNAPSHOT "))


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


class SQLiteDatabases:
    """A live database file in a temporary folder, and a migrated but empty copy to start again from."""

    def __init__(self, folder: Path) -> None:
        self.live = folder / "kinplan.sqlite3"
        self.migrated = folder / "migrated.sqlite3"
        self.env = environment(f"sqlite:///{self.live}")

    def keep_migrated(self) -> None:
        shutil.copyfile(self.live, self.migrated)

    def start_again_from_migrated(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.live}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.migrated, self.live)

    def drop(self) -> None:
        pass


class PostgreSQLDatabases:
    """A scratch database on the suite's PostgreSQL server, and a migrated but empty template beside it."""

    def __init__(self) -> None:
        self.server = dj_database_url.parse(os.environ["DATABASE_URL"])
        suffix = uuid.uuid4().hex[:8]
        self.live, self.migrated = f"kinplan_backup_test_{suffix}", f"kinplan_backup_test_{suffix}_migrated"
        self.execute(f'CREATE DATABASE "{self.live}"')
        self.env = environment(self.url(self.live))

    def url(self, name: str) -> str:
        s = self.server
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{name}"

    def execute(self, *statements: str) -> None:
        import psycopg

        s = self.server
        with psycopg.connect(
            host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None, dbname="postgres"
        ) as db:
            db.autocommit = True
            for statement in statements:
                db.execute(statement)

    def keep_migrated(self) -> None:
        self.execute(f'CREATE DATABASE "{self.migrated}" TEMPLATE "{self.live}"')

    def start_again_from_migrated(self) -> None:
        self.execute(
            f'DROP DATABASE "{self.live}" WITH (FORCE)', f'CREATE DATABASE "{self.live}" TEMPLATE "{self.migrated}"'
        )

    def drop(self) -> None:
        self.execute(
            f'DROP DATABASE IF EXISTS "{self.live}" WITH (FORCE)', f'DROP DATABASE IF EXISTS "{self.migrated}"'
        )


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[SQLiteDatabases | PostgreSQLDatabases]:
    if ON_POSTGRESQL:
        made: SQLiteDatabases | PostgreSQLDatabases = PostgreSQLDatabases()
    elif ON_SQLITE:
        made = SQLiteDatabases(tmp_path)
    else:  # pragma: no cover
        pytest.skip("Kinplan backs up SQLite and PostgreSQL")
    try:
        yield made
    finally:
        made.drop()


def test_a_backup_restores_the_demo_data_with_nothing_lost(databases, tmp_path):
    # given a database holding the demo data set
    env = databases.env
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    databases.keep_migrated()
    shell(env, SEED)
    before = snapshot(env)
    assert before["rows"]["cases_case"][0] > 20 and before["rows"]["notifications_notification"][0] > 0
    backup = tmp_path / ("backup.sqlite3" if ON_SQLITE else "backup.dump")

    # when it is backed up
    printed = manage(env, "kinplan_backup", str(backup)).stdout

    # then the backup has a manifest that describes it
    assert f"to {backup}" in printed
    manifest = json.loads(manifest_path(backup).read_text())
    assert manifest["engine"] == ("sqlite" if ON_SQLITE else "postgresql")
    assert manifest["migrations"]["cases"].startswith("00") and manifest["created_at"]
    assert {table: rows for table, (rows, _sha) in before["rows"].items()} == manifest["tables"]
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    # when the data changes afterwards, a restore without --yes refuses and changes nothing
    shell(env, ALTER)
    altered = snapshot(env)
    assert altered["rows"]["cases_person"] != before["rows"]["cases_person"]
    refused = manage(env, "kinplan_restore", str(backup), check=False)
    assert refused.returncode == 1 and "Run again with --yes" in refused.stderr

    # and with --yes it brings back every row of every table, exactly
    printed = manage(env, "kinplan_restore", str(backup), "--yes").stdout
    assert "Every table's row count matches the manifest" in printed and "cases_case" in printed
    assert snapshot(env) == before

    # and into a freshly migrated, empty database just the same
    databases.start_again_from_migrated()
    manage(env, "kinplan_restore", str(backup), "--yes")
    assert snapshot(env) == before
    assert "NEW ROW OK" in shell(env, NEW_ROW)
    if "audit_verify" in get_commands():
        manage(env, "audit_verify")  # the history's hash chain survived intact

    # and a backup made at other migrations is refused, saying why and what to do
    later = tmp_path / "later.backup"
    shutil.copyfile(backup, later)
    manifest["migrations"]["cases"] = "9999_from_a_later_kinplan"
    manifest_path(later).write_text(json.dumps(manifest))
    refused = manage(env, "kinplan_restore", str(later), "--yes", check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "cases: database 00" in refused.stderr and "backup 9999_from_a_later_kinplan" in refused.stderr
    assert "Migrate the database to the backup's migrations first" in refused.stderr


def test_an_unreadable_backup_is_a_clear_error_not_a_traceback(tmp_path):
    env = environment(os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'kinplan.sqlite3'}"))
    result = manage(env, "kinplan_restore", str(tmp_path / "missing.backup"), "--yes", check=False)
    assert result.returncode == 1
    assert "Cannot read" in result.stderr and "missing.backup" in result.stderr
    assert "Traceback" not in result.stderr


# --- the refusals, in process: each before the database is touched (these tests may not use it) -----------


def restore(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("kinplan_restore", str(path), "--yes")
    return str(refused.value)


def test_a_backup_of_the_other_engine_is_refused(tmp_path):
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP\x01\x0e\x00" if ON_SQLITE else b"SQLite format 3\x00" + bytes(100))
    message = restore(other)
    assert "backup, but this Kinplan runs on" in message


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    assert "is not a Kinplan backup" in restore(notes)


def test_a_backup_without_its_manifest_is_refused(tmp_path):
    backup = tmp_path / "kinplan.backup"
    backup.write_bytes(b"SQLite format 3\x00" + bytes(100) if ON_SQLITE else b"PGDMP\x01\x0e\x00")
    assert "No manifest beside the backup" in restore(backup)


def test_a_backup_that_does_not_match_its_manifest_is_refused(tmp_path):
    backup = tmp_path / "kinplan.backup"
    backup.write_bytes(b"SQLite format 3\x00" + bytes(100) if ON_SQLITE else b"PGDMP\x01\x0e\x00")
    engine = "sqlite" if ON_SQLITE else "postgresql"
    manifest_path(backup).write_text(json.dumps({"format": 1, "engine": engine, "sha256": "0" * 64}))
    assert "does not match its manifest" in restore(backup)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump and pg_restore are PostgreSQL's")
@pytest.mark.parametrize(("command", "tool"), [("kinplan_backup", "pg_dump"), ("kinplan_restore", "pg_restore")])
def test_a_missing_postgresql_tool_is_a_clear_error(tmp_path, monkeypatch, command, tool):
    monkeypatch.setattr("kinplan.core.management.commands.kinplan_backup.shutil.which", lambda name: None)
    with pytest.raises(CommandError, match=f"{tool} was not found. Install the PostgreSQL client tools"):
        call_command(command, str(tmp_path / "kinplan.dump"), *(["--yes"] if command == "kinplan_restore" else []))
