"""The hash chains behind history ("history") and the access log ("access").

Each entry has a gapless `seq`, a `content_digest` (sha256 of a canonical JSON of what it records) and a
`chain_hash` = sha256(previous chain_hash : seq : content_digest), the first entry's previous being GENESIS.
Writers append under a lock on the chain's head row, so concurrent writers still make one chain; the head
also remembers the last link, so entries cut off the end show too. `verify_chain` walks a chain and names the
first broken link. Redacted entries (erasure) keep their digest and links: their content cannot be checked
any more, but the chain around them still is, and their blanked columns must hold exactly what a redaction
leaves (BLANKED).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.audit.models import AppendOnlyModel, AuditChainHead, AuditEvent, RecordView

HISTORY, ACCESS = "history", "access"
GENESIS = "0" * 64
CHAINS: dict[str, type[AppendOnlyModel]] = {HISTORY: AuditEvent, ACCESS: RecordView}
# What each entry's digest covers, by attribute name.
CONTENT: dict[str, tuple[str, ...]] = {
    HISTORY: ("at", "actor_id", "event", "target_type", "target_id", "target_label", "case_id", "changes"),
    ACCESS: ("at", "user_id", "case_id", "person_id", "channel", "path"),
}
VERIFY_CHUNK = 2000
ERASED = "[erased]"
# What a redaction for erasure leaves in the columns it blanks. A redacted entry's content can no longer be checked
# against its digest, so it must hold exactly this: anything else was written into it afterwards.
BLANKED: dict[str, dict[str, Any]] = {
    HISTORY: {"target_label": ERASED, "changes": {}},
    ACCESS: {"path": ERASED},
}

E = TypeVar("E", bound=AppendOnlyModel)


# --- digests and links -------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """JSON as the database gives it back: PostgreSQL's jsonb returns a whole float such as 2.0 as 2."""
    kind = type(value)
    if kind is dict:
        return {key: _canonical(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_canonical(item) for item in value]
    if kind is float and value.is_integer():
        return int(value)
    return value


def content_digest(name: str, values: Mapping[str, Any]) -> str:
    """sha256 (hex) of an entry's content as canonical JSON: sorted keys, no spaces, UTF-8, time in UTC."""
    content = {field: values[field] for field in CONTENT[name]}
    content["at"] = values["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if "changes" in content:
        content["changes"] = _canonical(content["changes"])
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def link_hash(previous: str, seq: int, digest: str) -> str:
    """The entry's link: it covers the entry before it, its place and its content."""
    return hashlib.sha256(f"{previous}:{seq}:{digest}".encode()).hexdigest()


def json_safe(changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` as the JSON column will give it back (tuples become lists, keys strings), so the digest
    made now matches the one made from the stored row."""
    return json.loads(json.dumps(changes))


# --- appending ---------------------------------------------------------------------------------------


def _locked_head(name: str) -> AuditChainHead:
    """The chain's head, locked until the writer's transaction ends (SQLite's write lock does the same)."""
    try:
        return AuditChainHead.objects.select_for_update().get(name=name)
    except AuditChainHead.DoesNotExist:
        return _start_head(name)


def _start_head(name: str) -> AuditChainHead:
    """Migration 0003 makes the heads; a flushed test database has none: start one from the chain's last entry.
    Two writers starting at once make one head (the second insert is ignored)."""
    last = CHAINS[name].objects.order_by("-seq").values("seq", "chain_hash").first()
    head = AuditChainHead(name=name, seq=0, chain_hash=GENESIS) if last is None else AuditChainHead(name=name, **last)
    AuditChainHead.objects.bulk_create([head], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(name=name)


def _link(name: str, entry: AppendOnlyModel, head: AuditChainHead) -> None:
    """Give `entry` its time, place and hashes after the head's, and move the head to it."""
    entry.at = timezone.now()  # type: ignore[attr-defined]  # taken under the lock, so time follows seq
    entry.seq = head.seq + 1
    entry.content_digest = content_digest(name, {field: getattr(entry, field) for field in CONTENT[name]})
    entry.chain_hash = link_hash(head.chain_hash, entry.seq, entry.content_digest)
    head.seq, head.chain_hash = entry.seq, entry.chain_hash


def append(name: str, entry: E) -> E:
    """Add one entry to the end of chain `name`: one locked read, one insert, one update."""
    with transaction.atomic(savepoint=False):
        head = _locked_head(name)
        _link(name, entry, head)
        entry.save(force_insert=True)
        head.save(update_fields=["seq", "chain_hash"])
    return entry


def append_many(name: str, entries: Iterable[E]) -> list[E]:
    """Add many entries at once, in order, under one lock (for bulk writers such as data loads)."""
    entries = list(entries)
    if not entries:
        return entries
    with transaction.atomic(savepoint=False):
        head = _locked_head(name)
        for entry in entries:
            _link(name, entry, head)
        CHAINS[name].objects.bulk_create(entries, batch_size=1000)
        head.save(update_fields=["seq", "chain_hash"])
    return entries


# --- verifying ---------------------------------------------------------------------------------------

CONTENT_CHANGED, LINK_BROKEN, MISSING, HEAD_MISMATCH = "content_changed", "link_broken", "missing", "head_mismatch"
PROBLEMS = (CONTENT_CHANGED, LINK_BROKEN, MISSING, HEAD_MISMATCH)


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain does not hold: the entry (or the gap) and what is wrong there."""

    seq: int
    entry_id: int | None  # the entry found there (for a gap: the first one after it)
    at: datetime.datetime | None
    problem: str  # CONTENT_CHANGED, LINK_BROKEN, MISSING or HEAD_MISMATCH
    missing_to: int | None = None  # for MISSING: the last missing seq

    @property
    def description(self) -> str:
        if self.problem == MISSING:
            if self.missing_to and self.missing_to != self.seq:
                return _("entries %(first)s to %(last)s are missing") % {"first": self.seq, "last": self.missing_to}
            return _("the entry is missing")
        return {
            CONTENT_CHANGED: _("its content was changed after it was written"),
            LINK_BROKEN: _("its link to the entry before it is broken"),
            HEAD_MISMATCH: _("the chain's head does not match its last entry"),
        }[self.problem]


@dataclass(frozen=True)
class ChainReport:
    """What verifying one chain found."""

    name: str
    entries: int  # entries checked (all of them when the chain is intact)
    redacted: int  # of which redacted for erasure: their links checked, their content no longer can be
    head_seq: int
    head_hash: str
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None

    @property
    def label(self) -> str:
        return _("History") if self.name == HISTORY else _("Access log")


def verify_chain(name: str) -> ChainReport:
    """Walk chain `name` in order, recomputing each entry's digest (unless redacted) and link; stop at the first
    break. Entries appended while it runs (after the head it read first) are left for the next run."""
    model = CHAINS[name]
    head = _read_head(name)
    fields = ("id", "seq", "content_digest", "chain_hash", "redacted_at", *CONTENT[name])
    rows = model.objects.order_by("seq").values_list(*fields)
    if head is not None:
        rows = rows.filter(seq__lte=head.seq)
    previous, expected, redacted = GENESIS, 1, 0
    last: tuple[int, datetime.datetime] | None = None

    def report(broken: ChainBreak | None) -> ChainReport:
        return ChainReport(
            name, expected - 1, redacted, head.seq if head else 0, head.chain_hash if head else GENESIS, broken
        )

    for pk, seq, digest, chain_hash, redacted_at, *content in rows.iterator(chunk_size=VERIFY_CHUNK):
        at = content[0]
        if seq != expected:
            problem = MISSING if seq > expected else LINK_BROKEN
            return report(ChainBreak(expected, pk, at, problem, seq - 1 if problem == MISSING else None))
        values = dict(zip(CONTENT[name], content, strict=True))
        if redacted_at is not None:
            redacted += 1
            if any(values[column] != blank for column, blank in BLANKED[name].items()):
                return report(ChainBreak(seq, pk, at, CONTENT_CHANGED))
        elif content_digest(name, values) != digest:
            return report(ChainBreak(seq, pk, at, CONTENT_CHANGED))
        if link_hash(previous, seq, digest) != chain_hash:
            return report(ChainBreak(seq, pk, at, LINK_BROKEN))
        previous, expected, last = chain_hash, expected + 1, (pk, at)
    return report(_end_break(head, expected, previous, last))


def _read_head(name: str) -> AuditChainHead | None:
    return AuditChainHead.objects.filter(name=name).first()


def _end_break(
    head: AuditChainHead | None, expected: int, previous: str, last: tuple[int, datetime.datetime] | None
) -> ChainBreak | None:
    """The chain's end against its head: entries cut off the end leave the head pointing past them."""
    last_pk, last_at = last if last else (None, None)
    if head is None:
        return None if last is None else ChainBreak(expected - 1, last_pk, last_at, HEAD_MISMATCH)
    if head.seq >= expected:
        return ChainBreak(expected, None, None, MISSING, head.seq)
    if head.chain_hash != previous:
        return ChainBreak(expected - 1, last_pk, last_at, HEAD_MISMATCH)
    return None
