"""The audit screen's CSV export: every entry the current filter matches, streamed, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from kinplan.audit.models import AuditEvent, RecordView
from kinplan.audit.rows import HistoryRow, ViewRow, history_row, shown, view_row
from kinplan.audit.selectors import Hidden

CHUNK = 2000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): such cells get a quote first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HISTORY_COLUMNS = [
    "seq",
    "at",
    "who",
    "actor_id",
    "event",
    "event_label",
    "target_type",
    "target_id",
    "target",
    "case",
    "changes",
    "redacted",
    "hidden",
]
VIEW_COLUMNS = ["seq", "at", "who", "user_id", "case", "case_name", "person_id", "person", "channel", "path"]
VIEW_COLUMNS += ["redacted", "hidden"]


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet may open it: text that would run as a formula starts with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written, so csv.writer makes lines to stream."""

    def write(self, value: str) -> str:
        return value


def _lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheets read æ, ø, å and macrons as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def _history_cells(row: HistoryRow) -> list[Any]:
    changes = "; ".join(f"{c.field}: {shown(c.before)} → {shown(c.after)}" for c in row.changes)
    return [
        row.seq,
        row.at.isoformat(),
        row.who,
        row.actor_id or "",
        row.event,
        row.event_label,
        row.target_type,
        row.target_id,
        row.target_label,
        row.case_reference,
        changes,
        "yes" if row.redacted else "",
        "yes" if row.hidden else "",
    ]


def _view_cells(row: ViewRow) -> list[Any]:
    return [
        row.seq,
        row.at.isoformat(),
        row.who,
        row.user_id,
        row.case_reference,
        row.case_name,
        row.person_id or "",
        row.person,
        row.channel,
        row.path,
        "yes" if row.redacted else "",
        "yes" if row.hidden else "",
    ]


def history_csv(events: QuerySet[AuditEvent], hidden: Hidden) -> Iterator[str]:
    """CSV lines of `events`, read from the database a chunk at a time."""
    rows = (_history_cells(history_row(event, hidden)) for event in events.iterator(chunk_size=CHUNK))
    return _lines(HISTORY_COLUMNS, rows)


def views_csv(views: QuerySet[RecordView], hidden: Hidden) -> Iterator[str]:
    """CSV lines of `views`, read from the database a chunk at a time."""
    rows = (_view_cells(view_row(view, hidden)) for view in views.iterator(chunk_size=CHUNK))
    return _lines(VIEW_COLUMNS, rows)
