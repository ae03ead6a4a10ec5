"""The one way to write history and the access log: audit_record and record_view_log, called by services
inside their transaction (each entry chained to the one before: see chain.py); and redaction for erasure."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.audit.chain import ACCESS, BLANKED, HISTORY, ChainReport, append, append_many, json_safe
from kinplan.audit.models import AuditChainHead, AuditEvent, RecordView
from kinplan.core.concurrency import ensure_not_stale

if TYPE_CHECKING:
    from kinplan.accounts.models import User
    from kinplan.cases.models import Case, Person

Changes = dict[str, list[Any]]
M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    """A JSON-safe picture of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.time):  # a time of day as people write it: 10:30
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return value


def _value(instance: models.Model, name: str) -> Any:
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:  # a relation not set yet on a new record
        return None


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, JSON-safe, to diff against later."""
    return {name: _plain(_value(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Each field that changed, as [before, after]."""
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def apply_changes(
    instance: M, data: Mapping[str, Any], allowed: Iterable[str], check: Callable[[M], None] | None = None
) -> Changes:
    """Set `data` on `instance`, validate it (fields, then `check`) and save it; return each changed field's
    [before, after]. Fields outside `allowed` are refused; text is trimmed, as forms do. An edit based on a version
    of the record someone has changed since is refused (EditConflict: see kinplan.core.concurrency)."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    ensure_not_stale(instance)
    before = snapshot(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    if check is not None:
        check(instance)
    instance.save()
    return diff(before, snapshot(instance, data.keys()))


def created_changes(instance: models.Model, fields: Iterable[str]) -> Changes:
    """A new record's history: every field that has a value, as set from nothing."""
    return {name: [None, value] for name, value in snapshot(instance, fields).items() if value not in (None, "", [])}


def _event(
    *, actor: User | None, event: str, target: models.Model, case: Case | None, changes: Changes | None
) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        event=event,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        case=case,
        changes=json_safe(changes or {}),
    )


def audit_record(
    *,
    actor: User | None,
    event: str,
    target: models.Model,
    case: Case | None = None,
    changes: Changes | None = None,
) -> AuditEvent:
    """Append one history entry: who did `event` to `target`, with each field's before/after (chained)."""
    return append(HISTORY, _event(actor=actor, event=event, target=target, case=case, changes=changes))


@dataclass(frozen=True)
class AuditRecord:
    """One history entry for `audit_record_many`: the same arguments as `audit_record`."""

    actor: User | None
    event: str
    target: models.Model
    case: Case | None = None
    changes: Changes | None = None


def audit_record_many(records: Iterable[AuditRecord]) -> list[AuditEvent]:
    """Append many history entries in one go (bulk insert, one lock), in order: the only bulk writer."""
    events = [_event(**vars(record)) for record in records]
    return append_many(HISTORY, events)


def record_view_log(
    *, user: User, case: Case | None = None, person: Person | None = None, channel: str = "web", path: str = ""
) -> RecordView:
    """Log that `user` looked at a child's record (chained)."""
    view = RecordView(user=user, case=case, person=person, channel=channel, path=path[:300])
    return append(ACCESS, view)


# --- redaction for erasure ---------------------------------------------------------------------------


def _redaction_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the erasure.")})
    return reason


@transaction.atomic
def audit_redact(*, events: QuerySet[AuditEvent], reason: str, actor: User | None = None) -> int:
    """Erase what history entries say (label and changes become "[erased]" and {}) but keep who, when, which
    event and the chain's links, so the chain still verifies; the redaction itself is recorded. Returns how many
    entries were redacted (ones already redacted are left as they are)."""
    reason = _redaction_reason(reason)
    pending = AuditEvent.objects.filter(pk__in=events.values("pk"), redacted_at__isnull=True)
    seqs = list(pending.order_by("seq").values_list("seq", flat=True))
    count = pending._redact(**BLANKED[HISTORY], redacted_at=timezone.now())
    _record_redaction(actor=actor, chain=HISTORY, seqs=seqs, reason=reason)
    return count


@transaction.atomic
def record_view_redact(*, views: QuerySet[RecordView], reason: str, actor: User | None = None) -> int:
    """Erase the path of access-log entries (who looked, when and at which record stay); see `audit_redact`."""
    reason = _redaction_reason(reason)
    pending = RecordView.objects.filter(pk__in=views.values("pk"), redacted_at__isnull=True)
    seqs = list(pending.order_by("seq").values_list("seq", flat=True))
    count = pending._redact(**BLANKED[ACCESS], redacted_at=timezone.now())
    _record_redaction(actor=actor, chain=ACCESS, seqs=seqs, reason=reason)
    return count


def _record_redaction(*, actor: User | None, chain: str, seqs: list[int], reason: str) -> None:
    if seqs:
        changes: Changes = {"reason": [None, reason], "chain": [None, chain], "entries": [None, seqs]}
        audit_record(actor=actor, event="audit.redacted", target=AuditChainHead(name=chain), changes=changes)


# --- the audit screen's own acts -----------------------------------------------------------------------


def audit_verified(*, actor: User | None, reports: Iterable[ChainReport]) -> AuditEvent:
    """Record that the chains were verified, and what was found (the audit screen shows the latest)."""
    changes: Changes = {}
    for report in reports:
        changes[f"{report.name}_entries"] = [None, report.entries]
        changes[f"{report.name}_intact"] = [None, report.intact]
        if report.broken is not None:
            changes[f"{report.name}_broken_seq"] = [None, report.broken.seq]
            changes[f"{report.name}_problem"] = [None, report.broken.problem]
    return audit_record(actor=actor, event="audit.verified", target=AuditChainHead(name=HISTORY), changes=changes)


def audit_exported(*, actor: User, chain: str, filters: Mapping[str, Any]) -> AuditEvent:
    """Record that `actor` exported entries of a chain, and with which filter."""
    shown = {name: str(value) for name, value in filters.items() if value not in (None, "")}
    changes: Changes = {"chain": [None, chain], "filter": [None, shown]}
    return audit_record(actor=actor, event="audit.exported", target=AuditChainHead(name=chain), changes=changes)


def last_change(target: models.Model) -> AuditEvent | None:
    """The latest history entry about `target`: who saved it last, and when."""
    return (
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
