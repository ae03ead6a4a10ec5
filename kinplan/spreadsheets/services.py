"""What an export leaves in the history, and the import (kinplan.spreadsheets.imports) that writes cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.audit.services import audit_record


def export_record(*, actor: User, export: str, rows: int, filters: Mapping[str, Any]) -> AuditEvent:
    """Record that `actor` downloaded a list of cases (`export`: caseload or referrals), how filtered and how many
    rows: one entry for the list, as the page's view of a list is not logged per case."""
    shown = {name: str(value) for name, value in filters.items() if value not in (None, "")}
    changes = {"export": [None, export], "rows": [None, rows], "filter": [None, shown]}
    return audit_record(actor=actor, event="spreadsheet.exported", target=actor, changes=changes)
