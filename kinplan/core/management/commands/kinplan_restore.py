"""Replace everything in the database with a backup made by `kinplan_backup`.

It checks before it touches anything: the file is readable and of the database's engine, its manifest is beside
it and matches it (sha256), and the database is at the same migrations as the backup. It then asks for `--yes`.
SQLite: the online backup API copies the backup into the live database (other connections wait on its lock).
PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`, so a failed restore changes nothing.
Afterwards every table's row count must match the manifest.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from kinplan.core.management.commands.kinplan_backup import (
    ENGINES,
    MAIN_MODELS,
    count_rows,
    engine_of,
    file_kind,
    migration_state,
    postgresql_environment,
    postgresql_tables,
    quote_sqlite,
    read_manifest,
    run_tool,
    sha256_of,
    sqlite_integrity,
    sqlite_path,
    sqlite_tables,
    tool,
)


def migrations_differ(current: dict[str, str], backup: dict[str, str]) -> list[str]:
    """One line per app whose latest migration differs between the database and the backup."""
    return [
        f"  {app}: database {current.get(app, '(none)')}, backup {backup.get(app, '(none)')}"
        for app in sorted(set(current) | set(backup))
        if current.get(app) != backup.get(app)
    ]


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by kinplan_backup (needs --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file (its manifest <path>.json must be beside it).")
        parser.add_argument("--yes", action="store_true", help="Yes, replace everything in the database.")

    def handle(self, *args: Any, path: str, yes: bool, **options: Any) -> None:
        source = Path(path).expanduser().absolute()
        engine = engine_of(connection)
        if engine == "postgresql":
            tool("pg_restore")
        manifest = self.checked_manifest(source, engine)
        database = str(connection.settings_dict["NAME"])
        if not yes:
            raise CommandError(
                f"Restoring replaces everything in the {ENGINES[engine]} database {database} with the backup "
                f"made {manifest['created_at']}. Run again with --yes to go ahead."
            )
        connection.close()
        tables = self.sqlite_restore(source) if engine == "sqlite" else self.postgresql_restore(source)
        self.check_restored(tables, manifest)
        self.stdout.write(
            f"Restored {source} (a backup of {manifest['database']} made {manifest['created_at']}) into the "
            f"{ENGINES[engine]} database {database}."
        )
        for table, count in self.main_tables(tables):
            self.stdout.write(f"  {table:<42} {count:>10,} rows")
        self.stdout.write(
            f"Every table's row count matches the manifest: {len(tables)} tables, {sum(tables.values()):,} rows."
        )

    def checked_manifest(self, source: Path, engine: str) -> dict[str, Any]:
        """The backup's manifest, once the file, its engine and the database's migrations are right for it."""
        kind = file_kind(source)
        if kind == "unknown":
            raise CommandError(
                f"{source} is not a Kinplan backup: neither an SQLite database nor a pg_dump custom-format archive."
            )
        if kind != engine:
            raise CommandError(
                f"{source} is a {ENGINES[kind]} backup, but this Kinplan runs on {ENGINES[engine]}. Restore it with "
                f"DATABASE_URL pointing at a {ENGINES[kind]} database."
            )
        manifest = read_manifest(source)
        if manifest.get("engine") != engine:
            raise CommandError(f"The manifest of {source} describes a {manifest.get('engine')} backup.")
        if sha256_of(source) != manifest.get("sha256"):
            raise CommandError(
                f"{source} does not match its manifest (the sha256 differs): the file is damaged, or is not the "
                "backup the manifest describes."
            )
        if engine == "sqlite" and not sqlite_path(connection).exists():
            raise CommandError(
                f"There is no database at {sqlite_path(connection)}: run `manage.py migrate` first, then restore."
            )
        self.check_migrations(migration_state(connection), manifest.get("migrations") or {})
        return manifest

    def check_migrations(self, current: dict[str, str], backup: dict[str, str]) -> None:
        if not current:
            raise CommandError("The database has no tables yet: run `manage.py migrate` first, then restore.")
        differences = migrations_differ(current, backup)
        if differences:
            raise CommandError(
                "The database is not at the same migrations as the backup, so the backup cannot be restored "
                "into it:\n" + "\n".join(differences) + "\nMigrate the database to the backup's migrations first "
                "(`manage.py migrate` with the Kinplan version that made the backup), then restore; afterwards "
                "`manage.py migrate` brings it up to date."
            )

    def sqlite_restore(self, source: Path) -> dict[str, int]:
        live = sqlite_path(connection)
        try:
            backup = sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)
            database = sqlite3.connect(live, timeout=20)
            try:
                sqlite_integrity(backup, "the backup")
                backup.backup(database)  # replaces every page of the live database, under its write lock
                sqlite_integrity(database, "the restored database")
                return count_rows(database.cursor(), sqlite_tables(database.cursor()), quote_sqlite)
            finally:
                database.close()
                backup.close()
        except sqlite3.Error as error:
            raise CommandError(f"The SQLite restore failed: {error}.") from error

    def postgresql_restore(self, source: Path) -> dict[str, int]:
        pg_restore = tool("pg_restore")
        name = str(connection.settings_dict["NAME"])
        run_tool(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--no-password",
                f"--dbname={name}",
                str(source),
            ],
            postgresql_environment(connection.settings_dict),
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # pg_restore leaves the planner without statistics
                return count_rows(cursor, postgresql_tables(cursor), connection.ops.quote_name)
        except DatabaseError as error:
            raise CommandError(f"Cannot read the restored database: {error}".strip()) from error

    def check_restored(self, tables: dict[str, int], manifest: dict[str, Any]) -> None:
        expected: dict[str, int] = manifest.get("tables") or {}
        differences = [
            f"  {table}: {tables.get(table, 'missing')} rows, the manifest says {expected.get(table, 'missing')}"
            for table in sorted(set(tables) | set(expected))
            if tables.get(table) != expected.get(table)
        ]
        if differences:
            raise CommandError("The restored database does not match the manifest:\n" + "\n".join(differences))

    def main_tables(self, tables: dict[str, int]) -> list[tuple[str, int]]:
        main = []
        for label in MAIN_MODELS:
            try:
                table = apps.get_model(label)._meta.db_table
            except LookupError:
                continue
            if table in tables:
                main.append((table, tables[table]))
        return main
