"""With a read replica configured, the audit log's lists, its export and its API read their entries from it and
write nothing there; what the reader is allowed to see, the export's own record and every view of a child's record
still go to the primary.

The replica here is the test settings' "reports" alias: a mirror of the test database with a connection of its own
(config/settings/test.py), so each query can be told apart by the connection that ran it. The rows are committed
(transaction=True): the mirror's connection cannot see another connection's uncommitted rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinplan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reports"])
WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class Queries:
    primary: list[str]
    replica: list[str]

    def on_replica(self, table: str) -> list[str]:
        return [sql for sql in self.replica if f'"{table}"' in sql]

    def on_primary(self, table: str) -> list[str]:
        return [sql for sql in self.primary if f'"{table}"' in sql]


def writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


@contextmanager
def queries() -> Iterator[Queries]:
    """The SQL each connection ran inside the block."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["reports"]) as replica,
    ):
        captured = Queries([], [])
        yield captured
    captured.primary = [query["sql"] for query in primary.captured_queries]
    captured.replica = [query["sql"] for query in replica.captured_queries]


@pytest.fixture
def replica(settings):
    """Reports read from the "reports" alias, as when DATABASE_REPLICA_URL is set."""
    settings.KINPLAN_REPORTS_DATABASE = "reports"


def exported(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


# --- the audit screen, its export and its API -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "table"), [("changes", "audit_auditevent"), ("views", "audit_recordview")])
def test_the_audit_screen_lists_entries_read_from_the_replica(client, replica, administrator, entries, kind, table):
    client.force_login(administrator)
    with queries() as sql:
        response = client.get(reverse("audit:log"), {"kind": kind})
    assert response.status_code == 200 and len(response.context["rows"]) == (5 if kind == "changes" else 3)
    assert sql.on_replica(table), "the entries were not read from the replica"
    assert not writes(sql.replica)
    # the primary is asked only what decides what the reader may see and the result of the last check
    entries_from_primary = [q for q in sql.on_primary(table) if "audit.verified" not in q]
    assert not entries_from_primary


def test_the_filter_offers_the_event_names_found_on_the_replica(client, replica, administrator, entries):
    client.force_login(administrator)
    with queries() as sql:
        response = client.get(reverse("audit:log"))
    assert "case.note" in dict(response.context["events"])
    assert any("DISTINCT" in q for q in sql.on_replica("audit_auditevent"))


@pytest.mark.parametrize(("kind", "table"), [("changes", "audit_auditevent"), ("views", "audit_recordview")])
def test_the_export_reads_the_replica_and_records_itself_on_the_primary(
    client, replica, administrator, entries, kind, table
):
    client.force_login(administrator)
    with queries() as sql:
        rows = exported(client.get(reverse("audit:export"), {"kind": kind}))
    if kind == "changes":
        assert [row["event"] for row in rows].count("case.note") == 5
    else:
        assert len(rows) == 3
    assert sql.on_replica(table) and not writes(sql.replica)
    # the export's own record (and its chain's head) is written on the primary
    assert [q.split()[0:3] for q in writes(sql.primary)] == [
        ["INSERT", "INTO", '"audit_auditevent"'],
        ["UPDATE", '"audit_auditchainhead"', "SET"],
    ]
    assert AuditEvent.objects.filter(event="audit.exported", actor=administrator).count() == 1


@pytest.mark.parametrize(("path", "table"), [("events", "audit_auditevent"), ("views", "audit_recordview")])
def test_the_audit_api_reads_the_replica(client, replica, administrator, entries, path, table):
    client.force_login(administrator)
    with queries() as sql:
        response = client.get(f"/api/v1/audit/{path}")
    assert response.status_code == 200 and response.json()["items"]
    assert sql.on_replica(table) and not writes(sql.replica)


def test_opening_a_childs_record_still_logs_the_view_on_the_primary(client, replica, alice, case):
    client.force_login(alice)
    with queries() as sql:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert any(q.upper().startswith("INSERT") for q in sql.on_primary("audit_recordview"))
    assert sql.replica == []  # a case page is no report


def test_a_record_read_from_the_replica_and_given_to_a_new_row_is_written_on_the_primary(replica, alice, case):
    from kinplan.audit.services import record_view_log
    from kinplan.cases.models import Case

    # given the case as read from the replica
    from_replica = Case.objects.using("reports").get(pk=case.pk)
    # when a view of it is logged (Django would send the new row to the database its case came from)
    with queries() as sql:
        record_view_log(user=alice, case=from_replica, path=f"/cases/{case.pk}/")
    # then it is written on the primary, through the router
    assert any(q.upper().startswith("INSERT") for q in sql.on_primary("audit_recordview"))
    assert not writes(sql.replica)
