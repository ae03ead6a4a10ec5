"""History and the access log are append-only: the models refuse changes and deletion, and on PostgreSQL so does
the database itself."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from kinplan.audit.chain import ACCESS, HISTORY, verify_chain
from kinplan.audit.models import AppendOnlyError, AuditChainHead, AuditEvent, RecordView
from kinplan.audit.services import audit_record, audit_redact, record_view_redact

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def test_an_entry_cannot_be_saved_again(entries):
    events, _views = entries
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.target_label = "Someone else"
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).target_label != "Someone else"


def test_an_entry_cannot_be_deleted(entries):
    _events, views = entries
    with pytest.raises(AppendOnlyError):
        RecordView.objects.get(pk=views[0].pk).delete()
    assert RecordView.objects.filter(pk=views[0].pk).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: AuditEvent.objects.filter(event="case.note").update(target_label="x"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: RecordView.objects.all().update(path="/elsewhere/"),
        lambda: RecordView.objects.filter(channel="web").delete(),
        lambda: AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["target_label"]),
    ],
    ids=["update events", "delete events", "update views", "delete views", "bulk_update events"],
)
def test_bulk_changes_and_deletions_are_refused(entries, attempt):
    before = list(AuditEvent.objects.values_list("pk", "target_label")), RecordView.objects.count()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update fails its own transaction
        attempt()
    assert (list(AuditEvent.objects.values_list("pk", "target_label")), RecordView.objects.count()) == before


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET target_label = 'x' WHERE id = %s",
        "UPDATE audit_auditevent SET changes = '{}', redacted_at = now(), seq = seq + 1000 WHERE id = %s",
        "UPDATE audit_auditevent SET changes = '{}', redacted_at = now(), chain_hash = 'x' WHERE id = %s",
        "UPDATE audit_auditevent SET target_label = '[erased]', redacted_at = now(), actor_id = NULL WHERE id = %s",
        "UPDATE audit_auditevent SET target_label = 'A lie', changes = '{}', redacted_at = now() WHERE id = %s",
        """UPDATE audit_auditevent SET target_label = '[erased]', changes = '{"name": ["A", "Z"]}',
           redacted_at = now() WHERE id = %s""",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["change", "move", "relink", "change who", "a lie as redaction", "changes as redaction", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(entries, sql):
    events, _views = entries
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql, [events[0].pk])
    assert verify_chain(HISTORY).intact


@postgresql_only
def test_the_database_refuses_to_change_or_delete_a_view(entries):
    _events, views = entries
    for sql in ("UPDATE audit_recordview SET path = '/x/' WHERE id = %s", "DELETE FROM audit_recordview WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, [views[0].pk])
    assert verify_chain(ACCESS).intact


@postgresql_only
def test_the_database_lets_a_redaction_through(entries):
    events, views = entries
    audit_redact(events=AuditEvent.objects.filter(pk=events[0].pk), reason="Erasure request 7")
    record_view_redact(views=RecordView.objects.filter(pk=views[0].pk), reason="Erasure request 7")
    assert AuditEvent.objects.get(pk=events[0].pk).target_label == "[erased]"
    # but not a second one that would change the content again
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET target_label = 'back' WHERE id = %s", [events[0].pk])
    assert verify_chain(HISTORY).intact and verify_chain(ACCESS).intact


@postgresql_only
def test_the_chain_head_only_moves_forward(entries):
    with pytest.raises(DatabaseError, match="only moves forward"):
        _raw("UPDATE audit_auditchainhead SET seq = seq - 1 WHERE name = %s", ["history"])
    with pytest.raises(DatabaseError, match="only moves forward"):
        _raw("DELETE FROM audit_auditchainhead WHERE name = %s", ["access"])
    assert AuditChainHead.objects.count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_gapless_chain(alice, case):
    # given two requests writing history at the same moment, each in its own transactions
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def writer() -> None:
        try:
            start.wait()
            for n in range(50):
                with transaction.atomic():
                    audit_record(actor=alice, event="case.note", target=case, case=case, changes={"n": [None, n]})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then all 100 are in one chain, in order, without a gap, and it verifies
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 100
    report = verify_chain(HISTORY)
    assert report.intact and report.entries == len(seqs)
