"""Helpers for the audit tests: writing rows behind the guards' backs, as a tamperer with database access would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection


@contextmanager
def guards_off() -> Iterator[None]:
    """On PostgreSQL the triggers refuse tampering: switch them off for this connection, as a superuser could
    (ALTER TABLE … DISABLE TRIGGER would wait for the test transaction's pending foreign-key checks). SQLite has
    no triggers."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def tamper(sql: str, params: list | tuple = ()) -> None:
    """Run raw SQL against the audit tables, bypassing the models and the triggers."""
    with guards_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def entries(alice, case):
    """Five history entries and three views in alice's case."""
    from kinplan.audit.services import audit_record, record_view_log

    events = [
        audit_record(actor=alice, event="case.note", target=case, case=case, changes={"n": [None, n]}) for n in range(5)
    ]
    views = [record_view_log(user=alice, case=case, path=f"/cases/{case.pk}/") for _ in range(3)]
    return events, views
