"""Back up Kinplan's database into one file, with a manifest beside it (`<path>.json`).

SQLite: the online backup API copies the live database in one step — a consistent snapshot even while Kinplan
runs (WAL) — into a single self-contained file, then `PRAGMA integrity_check` on the copy. PostgreSQL:
`pg_dump --format=custom` of the configured database, inside an exported snapshot, so the row counts in the
manifest are exactly those of the dump. The manifest (engine, latest migration per app, rows per table, when,
the file's sha256) is what `kinplan_restore` checks before it replaces anything.

The helpers here are shared with `kinplan_restore`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST_FORMAT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The tables the restore summary names (model labels); every table is counted and checked all the same.
MAIN_MODELS = [
    "accounts.Organisation",
    "accounts.User",
    "cases.Case",
    "cases.Person",
    "cases.Participant",
    "assessments.Assessment",
    "planning.Plan",
    "planning.Step",
    "referrals.Referral",
    "meetings.Meeting",
    "court.CourtOrder",
    "permanent_care.SupportArrangement",
    "notifications.Notification",
    "audit.AuditEvent",
]
# Connection OPTIONS that libpq also reads from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def engine_of(db: BaseDatabaseWrapper) -> str:
    """`sqlite` or `postgresql`; any other database has no backup command."""
    if db.vendor not in ENGINES:
        raise CommandError(f"Kinplan backs up SQLite and PostgreSQL databases, not {db.vendor}.")
    return db.vendor


def sqlite_path(db: BaseDatabaseWrapper) -> Path:
    """The live SQLite database file; an in-memory database has none."""
    name = str(db.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise CommandError("The database is in memory: there is no file to back up or restore.")
    return Path(name)


def file_kind(path: Path) -> str:
    """What a backup file holds, from its first bytes: `sqlite`, `postgresql` or `unknown`."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def migration_state(db: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest migration applied to the database, per app (empty for a database never migrated)."""
    recorder = MigrationRecorder(db)
    try:
        if not recorder.has_table():
            return {}
        applied: Iterable[tuple[str, str]] = recorder.applied_migrations()
    except DatabaseError as error:
        raise CommandError(f"Cannot read the database's migrations: {error}".strip()) from error
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


def count_rows(cursor: Any, tables: Iterable[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in cursor.fetchall()]


def postgresql_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return [row[0] for row in cursor.fetchall()]


def sqlite_integrity(db: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise CommandError(f"The integrity check of {what} failed: {'; '.join(result[:5])}")


def quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def postgresql_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's tools (pg_dump, pg_restore) at the configured database."""
    env = dict(os.environ)
    for setting, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(setting):
            env[variable] = str(settings_dict[setting])
    for option, variable in PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def tool(name: str) -> str:
    """The path of a PostgreSQL client tool, or a clear error."""
    found = shutil.which(name)
    if not found:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools (the same major version as the server or "
            f"newer, e.g. `apt-get install postgresql-client`) and make sure {name} is on the PATH."
        )
    return found


def run_tool(arguments: list[str], env: dict[str, str]) -> None:
    """Run pg_dump or pg_restore (arguments, never a shell string); its own message if it fails."""
    try:
        result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise CommandError(f"Cannot run {arguments[0]}: {error.strerror or error}.") from error
    if result.returncode != 0:
        name = Path(arguments[0]).name
        raise CommandError(f"{name} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout}")


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    target = manifest_path(path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.chmod(0o600)
    os.replace(partial, target)


def read_manifest(path: Path) -> dict[str, Any]:
    target = manifest_path(path)
    try:
        manifest = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CommandError(
            f"No manifest beside the backup ({target}): kinplan_backup writes it, and the restore needs it to check "
            "the backup is whole and made by a compatible Kinplan. Keep the two files together."
        ) from error
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read the manifest {target}: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise CommandError(f"{target} is not a Kinplan backup manifest.")
    return manifest


class Command(BaseCommand):
    help = (
        "Back up the database into a file (SQLite: online backup API; PostgreSQL: pg_dump --format=custom) and "
        "write a manifest beside it (<path>.json): engine, latest migration per app, rows per table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file to write (replaced if it exists).")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        target = Path(path).expanduser().absolute()
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        engine = engine_of(connection)
        if engine == "postgresql":
            tool("pg_dump")
        if engine == "sqlite":
            live = sqlite_path(connection)
            if not live.exists():
                raise CommandError(f"There is no database at {live}.")
            if target_is(target, live):
                raise CommandError("The backup cannot be written over the live database.")
        migrations = migration_state(connection)
        if not migrations:
            raise CommandError("The database has no Kinplan tables yet (run `manage.py migrate`): nothing to back up.")
        partial = target.with_name(target.name + ".partial")
        try:
            tables = self.sqlite_backup(partial) if engine == "sqlite" else self.postgresql_backup(partial)
            partial.chmod(0o600)  # the records of children and families: readable by the owner only
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        manifest = {
            "format": MANIFEST_FORMAT,
            "engine": engine,
            "database": str(connection.settings_dict["NAME"]),
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "file": target.name,
            "size": target.stat().st_size,
            "sha256": sha256_of(target),
            "migrations": migrations,
            "tables": tables,
        }
        write_manifest(target, manifest)
        self.stdout.write(
            f"Backed up the {ENGINES[engine]} database {manifest['database']} to {target} "
            f"({manifest['size']:,} bytes): {len(tables)} tables, {sum(tables.values()):,} rows. "
            f"Manifest: {manifest_path(target)}"
        )

    def sqlite_backup(self, partial: Path) -> dict[str, int]:
        """Copy the live database into `partial` in one step, make it self-contained, check it, count it."""
        source_path = sqlite_path(connection)
        partial.unlink(missing_ok=True)
        try:
            source = sqlite3.connect(source_path, timeout=20)
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)  # pages=-1: all of it in one step, under one read lock
                copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
                sqlite_integrity(copy, "the backup")
                return count_rows(copy.cursor(), sqlite_tables(copy.cursor()), quote_sqlite)
            finally:
                copy.close()
                source.close()
        except sqlite3.Error as error:
            raise CommandError(f"The SQLite backup failed: {error}.") from error

    def postgresql_backup(self, partial: Path) -> dict[str, int]:
        """pg_dump inside an exported snapshot, so the counts taken in that snapshot are the dump's."""
        pg_dump = tool("pg_dump")
        env = postgresql_environment(connection.settings_dict)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                tables = count_rows(cursor, postgresql_tables(cursor), connection.ops.quote_name)
                run_tool(
                    [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={partial}"],
                    env,
                )
        except DatabaseError as error:
            raise CommandError(f"Cannot read the database: {error}".strip()) from error
        return tables


def target_is(path: Path, other: Path) -> bool:
    return path.resolve() == other.resolve()
