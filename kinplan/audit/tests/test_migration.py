"""Databases in use already hold history: the migration chains those entries, oldest first, and makes the heads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kinplan.audit.chain import ACCESS, HISTORY, verify_chain
from kinplan.audit.models import AuditChainHead, AuditEvent
from kinplan.audit.services import audit_record

BEFORE_THE_CHAIN = [("audit", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_chain_are_chained_by_the_migration(alice, case):
    latest = [("audit", MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0][1])]
    try:
        # given history and views written before the chain existed
        old = migrate(BEFORE_THE_CHAIN)
        OldEvent, OldView = old.get_model("audit", "AuditEvent"), old.get_model("audit", "RecordView")
        for n in range(5):
            OldEvent.objects.create(
                actor_id=alice.pk,
                event="case.note",
                target_type="cases.case",
                target_id=str(case.pk),
                target_label=str(case),
                case_id=case.pk,
                changes={"n": [None, n], "cost": [None, 12.0]},
            )
        OldView.objects.create(user_id=alice.pk, case_id=case.pk, path="/cases/1/")
        # when the chain's migrations run
        migrate(latest)
    finally:
        migrate(latest)
    # then those entries form intact chains, in the order they were written, and the heads point at their ends
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert verify_chain(HISTORY).intact and verify_chain(HISTORY).entries == 5
    assert verify_chain(ACCESS).intact and verify_chain(ACCESS).entries == 1
    assert AuditChainHead.objects.get(name=HISTORY).seq == 5
    # and new entries carry the chain on
    audit_record(actor=alice, event="case.note", target=case, case=case)
    assert verify_chain(HISTORY).entries == 6 and verify_chain(HISTORY).intact
