"""Entries as the audit screen, its CSV export and its API show them: readable, and with what the reader may not
see left out (one place, so the three never differ)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.audit.chain import ACCESS, HISTORY, PROBLEMS, ChainBreak
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.audit.selectors import Hidden

# The part of Kinplan an event belongs to, by the first part of its dotted name.
AREAS = {
    "account": gettext_lazy("Account"),
    "admin": gettext_lazy("Administration"),
    "assessment": gettext_lazy("Assessment"),
    "audit": gettext_lazy("Audit"),
    "calendar": gettext_lazy("Calendar"),
    "case": gettext_lazy("Case"),
    "catalogue": gettext_lazy("Service catalogue"),
    "court": gettext_lazy("Court"),
    "directory": gettext_lazy("Provider directory"),
    "meeting": gettext_lazy("Meeting"),
    "permanent_care": gettext_lazy("Permanent care"),
    "person": gettext_lazy("Person"),
    "plan": gettext_lazy("Service plan"),
    "referral": gettext_lazy("Referral"),
    "user": gettext_lazy("Settings"),
}
# Events with a name of their own.
EVENTS = {
    "audit.exported": gettext_lazy("Audit log exported"),
    "audit.verified": gettext_lazy("Audit chains verified"),
    "audit.redacted": gettext_lazy("Entries redacted for erasure"),
    "case.created": gettext_lazy("Case opened"),
    "case.updated": gettext_lazy("Case changed"),
    "case.archived": gettext_lazy("Case archived"),
    "case.glass_broken": gettext_lazy("Restricted case opened (break the glass)"),
    "person.created": gettext_lazy("Person added"),
    "person.updated": gettext_lazy("Person changed"),
    "plan.created": gettext_lazy("Plan started"),
    "spreadsheet.exported": gettext_lazy("List downloaded as a spreadsheet"),
    "spreadsheet.imported": gettext_lazy("Cases imported from a spreadsheet"),
}
CHANNELS = {"web": gettext_lazy("Web"), "api": gettext_lazy("API")}


def event_label(event: str) -> str:
    """A person's name for a dotted event name: its own, or the part of Kinplan it belongs to."""
    label = EVENTS.get(event) or AREAS.get(event.split(".", 1)[0])
    return str(label) if label else event


def shown(value: Any) -> str:
    """A before or after value as text: — for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return shown(self.before)

    @property
    def after_text(self) -> str:
        return shown(self.after)


def _changes(changes: Any) -> list[Change]:
    if not isinstance(changes, dict):
        return []
    pairs = ((name, pair) for name, pair in changes.items())
    return [
        Change(name, *(pair if isinstance(pair, list) and len(pair) == 2 else (None, pair))) for name, pair in pairs
    ]


@dataclass(frozen=True)
class HistoryRow:
    id: int
    seq: int
    at: datetime.datetime
    actor_id: int | None
    who: str
    event: str
    event_label: str
    target_type: str
    target_id: str
    target_label: str  # "" when hidden from the reader
    case_id: int | None
    case_reference: str
    changes: list[Change] = field(default_factory=list)
    redacted: bool = False
    hidden: bool = False  # a restricted case the reader is not named on: who and when only

    @property
    def raw_changes(self) -> dict[str, list[Any]]:
        return {change.field: [change.before, change.after] for change in self.changes}


@dataclass(frozen=True)
class ViewRow:
    id: int
    seq: int
    at: datetime.datetime
    user_id: int
    who: str
    case_id: int | None
    case_reference: str
    case_name: str  # "" when hidden from the reader
    person_id: int | None
    person: str  # "" when hidden from the reader
    channel: str
    channel_label: str
    path: str  # "" when hidden from the reader
    redacted: bool = False
    hidden: bool = False


def _reference(case: Any) -> str:
    return (case.reference or "") if case is not None else ""


def history_rows(events: Iterable[AuditEvent], hidden: Hidden) -> list[HistoryRow]:
    """`events` (with actor and case loaded) as rows."""
    return [history_row(event, hidden) for event in events]


def history_row(event: AuditEvent, hidden: Hidden) -> HistoryRow:
    secret = event.case_id in hidden.case_ids or (
        event.target_type == "cases.person" and event.target_id.isdigit() and int(event.target_id) in hidden.person_ids
    )
    return HistoryRow(
        id=event.pk,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        who=str(event.actor) if event.actor_id else _("system"),
        event=event.event,
        event_label=event_label(event.event),
        target_type=event.target_type,
        target_id=event.target_id,
        target_label="" if secret else event.target_label,
        case_id=event.case_id,
        case_reference=_reference(event.case),
        changes=[] if secret else _changes(event.changes),
        redacted=event.redacted_at is not None,
        hidden=secret,
    )


def view_rows(views: Iterable[RecordView], hidden: Hidden) -> list[ViewRow]:
    """`views` (with user, case and person loaded) as rows."""
    return [view_row(view, hidden) for view in views]


def view_row(view: RecordView, hidden: Hidden) -> ViewRow:
    secret = view.case_id in hidden.case_ids or view.person_id in hidden.person_ids
    return ViewRow(
        id=view.pk,
        seq=view.seq,
        at=view.at,
        user_id=view.user_id,
        who=str(view.user),
        case_id=view.case_id,
        case_reference=_reference(view.case),
        case_name="" if secret or view.case is None else view.case.name,
        person_id=view.person_id,
        person="" if secret or view.person is None else view.person.full_name,
        channel=view.channel,
        channel_label=str(CHANNELS.get(view.channel, view.channel)),
        path="" if secret else view.path,
        redacted=view.redacted_at is not None,
        hidden=secret,
    )


@dataclass(frozen=True)
class ChainSummary:
    """One chain's result in the latest check, as the audit screen's panel shows it."""

    label: str
    entries: int
    intact: bool
    broken_seq: int | None
    problem: str


def chain_summaries(verified: AuditEvent | None) -> list[ChainSummary]:
    """The chains' results recorded by an "audit.verified" entry (see services.audit_verified)."""
    if verified is None or verified.redacted_at is not None:
        return []
    after = {name: pair[1] for name, pair in verified.changes.items() if isinstance(pair, list) and len(pair) == 2}
    summaries = []
    for name, label in ((HISTORY, _("History")), (ACCESS, _("Access log"))):
        if f"{name}_entries" not in after:
            continue
        problem = after.get(f"{name}_problem") or ""
        described = ChainBreak(0, None, None, problem).description if problem in PROBLEMS else problem
        summaries.append(
            ChainSummary(
                label,
                after[f"{name}_entries"],
                bool(after.get(f"{name}_intact")),
                after.get(f"{name}_broken_seq"),
                described,
            )
        )
    return summaries
