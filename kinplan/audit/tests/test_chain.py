"""History and the access log are hash chains: each entry linked to the one before; verify finds the first break."""

from __future__ import annotations

import datetime
import json

import pytest

from kinplan.audit.chain import (
    ACCESS,
    CONTENT_CHANGED,
    GENESIS,
    HEAD_MISMATCH,
    HISTORY,
    LINK_BROKEN,
    MISSING,
    content_digest,
    link_hash,
    verify_chain,
)
from kinplan.audit.models import AuditChainHead, AuditEvent, RecordView
from kinplan.audit.services import AuditRecord, audit_record, audit_record_many, audit_redact, record_view_redact
from kinplan.audit.tests.conftest import tamper

pytestmark = pytest.mark.django_db


def test_each_entry_takes_the_next_place_and_links_to_the_one_before(entries):
    # given five entries in history (after whatever the fixtures wrote)
    chain = list(AuditEvent.objects.order_by("seq"))
    # then the places run 1, 2, 3 … without a gap, each linked to the one before
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    previous = GENESIS
    for event in chain:
        assert event.chain_hash == link_hash(previous, event.seq, event.content_digest)
        previous = event.chain_hash
    # and the head remembers the last link
    head = AuditChainHead.objects.get(name=HISTORY)
    assert (head.seq, head.chain_hash) == (chain[-1].seq, chain[-1].chain_hash)


def test_the_digest_made_when_writing_matches_the_stored_row(alice, case):
    # given changes that JSON stores differently from how Python holds them (a tuple, a whole float, unicode)
    written = audit_record(
        actor=alice,
        event="case.note",
        target=case,
        case=case,
        changes={"cost": (None, 960.0), "name": ["Ngata", "Ngātā whānau — Åse"], "at": [None, {"b": 1, "a": 2}]},
    )
    # when the row is read back
    stored = AuditEvent.objects.values(
        "at", "actor_id", "event", "target_type", "target_id", "target_label", "case_id", "changes"
    ).get(pk=written.pk)
    # then its digest is the one written
    assert content_digest(HISTORY, stored) == written.content_digest


def test_the_time_of_each_entry_follows_its_place_in_the_chain(entries):
    times = list(AuditEvent.objects.order_by("seq").values_list("at", flat=True))
    assert times == sorted(times)


def test_an_intact_chain_verifies(entries):
    history, access = verify_chain(HISTORY), verify_chain(ACCESS)
    assert history.intact and history.entries == AuditEvent.objects.count()
    assert access.intact and access.entries == 3


def test_an_empty_chain_verifies(db):
    report = verify_chain(HISTORY)
    assert report.intact and report.entries == 0


def test_a_changed_entry_is_reported_at_its_place(entries):
    # given someone changed an entry's content in the database
    events, _views = entries
    target = events[2]
    tamper("UPDATE audit_auditevent SET target_label = %s WHERE id = %s", ["Someone else", target.pk])
    # when the chain is verified
    report = verify_chain(HISTORY)
    # then the first broken link is that entry, its content changed
    assert not report.intact
    assert (report.broken.seq, report.broken.entry_id, report.broken.problem) == (
        target.seq,
        target.pk,
        CONTENT_CHANGED,
    )
    assert report.entries == target.seq - 1


def test_a_changed_time_is_reported_too(entries):
    events, _views = entries
    earlier = events[1].at - datetime.timedelta(days=3)
    tamper("UPDATE audit_auditevent SET at = %s WHERE id = %s", [earlier, events[1].pk])
    assert verify_chain(HISTORY).broken.seq == events[1].seq


def test_an_entry_rewritten_with_a_fresh_digest_breaks_its_link(entries):
    # given a tamperer who also recomputed the digest of the entry they changed
    events, _views = entries
    target = events[3]
    values = AuditEvent.objects.values(
        "at", "actor_id", "event", "target_type", "target_id", "target_label", "case_id", "changes"
    ).get(pk=target.pk) | {"changes": {"n": [None, 99]}}
    tamper(
        "UPDATE audit_auditevent SET changes = %s, content_digest = %s WHERE id = %s",
        ['{"n": [null, 99]}', content_digest(HISTORY, values), target.pk],
    )
    # then the link no longer holds
    report = verify_chain(HISTORY)
    assert (report.broken.seq, report.broken.problem) == (target.seq, LINK_BROKEN)


def test_a_deleted_entry_in_the_middle_is_reported_missing(entries):
    _events, views = entries
    tamper("DELETE FROM audit_recordview WHERE id = %s", [views[1].pk])
    report = verify_chain(ACCESS)
    assert (report.broken.seq, report.broken.problem) == (views[1].seq, MISSING)
    assert report.broken.entry_id == views[2].pk  # the first entry after the gap


def test_entries_cut_off_the_end_are_reported_missing(entries):
    _events, views = entries
    tamper("DELETE FROM audit_recordview WHERE id IN (%s, %s)", [views[1].pk, views[2].pk])
    report = verify_chain(ACCESS)
    assert (report.broken.seq, report.broken.problem, report.broken.missing_to) == (views[1].seq, MISSING, views[2].seq)
    assert "missing" in report.broken.description


def test_a_head_that_does_not_match_the_last_entry_is_reported(entries):
    tamper("UPDATE audit_auditchainhead SET chain_hash = %s WHERE name = 'access'", ["f" * 64])
    report = verify_chain(ACCESS)
    assert report.broken.problem == HEAD_MISMATCH


def test_entries_written_after_verify_read_the_head_are_left_for_next_time(entries, alice, case, monkeypatch):
    """Verify reads the head first, then the entries up to it: a writer appending meanwhile breaks nothing."""
    from kinplan.audit import chain
    from kinplan.audit.services import record_view_log

    read_head = chain._read_head

    def head_then_one_more(name):
        head = read_head(name)
        record_view_log(user=alice, case=case)  # another request appends meanwhile
        return head

    monkeypatch.setattr(chain, "_read_head", head_then_one_more)
    report = verify_chain(ACCESS)
    assert report.intact and report.entries == 3
    assert RecordView.objects.count() == 4


def test_a_redacted_entry_still_verifies_and_is_counted(entries, administrator):
    # given an entry redacted for erasure
    events, views = entries
    audit_redact(events=AuditEvent.objects.filter(pk=events[1].pk), reason="Erasure request 12", actor=administrator)
    record_view_redact(views=RecordView.objects.filter(pk=views[0].pk), reason="Erasure request 12")
    # then its content is gone but the chains still hold
    erased = AuditEvent.objects.get(pk=events[1].pk)
    assert (erased.target_label, erased.changes, erased.redacted_at is not None) == ("[erased]", {}, True)
    assert erased.content_digest == events[1].content_digest and erased.chain_hash == events[1].chain_hash
    assert RecordView.objects.get(pk=views[0].pk).path == "[erased]"
    history, access = verify_chain(HISTORY), verify_chain(ACCESS)
    assert history.intact and history.redacted == 1
    assert access.intact and access.redacted == 1


def test_a_redaction_is_itself_recorded_with_its_reason_and_the_places_it_blanked(entries, administrator):
    events, _views = entries
    count = audit_redact(
        events=AuditEvent.objects.filter(pk__in=[events[0].pk, events[4].pk]), reason="Erasure request 12"
    )
    assert count == 2
    stub = AuditEvent.objects.get(event="audit.redacted")
    assert stub.changes == {
        "reason": [None, "Erasure request 12"],
        "chain": [None, "history"],
        "entries": [None, [events[0].seq, events[4].seq]],
    }
    assert audit_redact(events=AuditEvent.objects.filter(pk=events[0].pk), reason="again") == 0  # already done


def test_a_redaction_needs_a_reason(entries):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audit_redact(events=AuditEvent.objects.all(), reason="  ")
    assert not AuditEvent.objects.filter(redacted_at__isnull=False).exists()


def test_a_content_change_hidden_as_a_redaction_still_leaves_the_link_checked(entries):
    """Marking an entry redacted skips its content check, not its link: a rewritten digest still shows."""
    events, _views = entries
    tamper(
        "UPDATE audit_auditevent SET redacted_at = %s, content_digest = %s WHERE id = %s",
        [events[2].at, "0" * 64, events[2].pk],
    )
    assert verify_chain(HISTORY).broken.seq == events[2].seq


@pytest.mark.parametrize(
    ("label", "changes"),
    [("A lie", {}), ("[erased]", {"name": ["A", "Z"]})],
    ids=["label", "changes"],
)
def test_content_written_into_an_entry_marked_redacted_shows_as_changed(entries, label, changes):
    """A redacted entry can no longer be checked against its digest, so it must hold exactly what a redaction
    leaves: anything else written there under the cover of a redaction is reported."""
    events, _views = entries
    tamper(
        "UPDATE audit_auditevent SET redacted_at = %s, target_label = %s, changes = %s WHERE id = %s",
        [events[2].at, label, json.dumps(changes), events[2].pk],
    )
    broken = verify_chain(HISTORY).broken
    assert (broken.seq, broken.problem) == (events[2].seq, CONTENT_CHANGED)


def test_the_bulk_writer_chains_entries_in_order(alice, case):
    # given history already holding entries
    audit_record(actor=alice, event="case.note", target=case, case=case)
    # when many are added at once
    added = audit_record_many(
        AuditRecord(actor=alice, event="case.note", target=case, case=case, changes={"n": [None, n]}) for n in range(30)
    )
    # then they follow on, in order, and the chain holds
    first = added[0].seq
    assert [e.seq for e in AuditEvent.objects.filter(pk__in=[e.pk for e in added]).order_by("seq")] == list(
        range(first, first + 30)
    )
    assert verify_chain(HISTORY).intact
    assert audit_record_many([]) == []


def test_a_missing_head_is_started_from_the_last_entry(entries, alice, case):
    """A flushed test database has no head rows: the next writer makes one that carries the chain on."""
    tamper("DELETE FROM audit_auditchainhead")
    audit_record(actor=alice, event="case.note", target=case, case=case)
    assert verify_chain(HISTORY).intact
    assert AuditChainHead.objects.get(name=HISTORY).seq == AuditEvent.objects.count()


def test_history_without_a_head_is_reported(entries):
    tamper("DELETE FROM audit_auditchainhead WHERE name = 'history'")
    assert verify_chain(HISTORY).broken.problem == HEAD_MISMATCH
