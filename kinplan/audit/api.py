"""The audit log over the API: history and access-log entries in the reader's scope, with the screen's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kinplan.accounts.models import User
from kinplan.accounts.reauth import ensure_recent_sign_in
from kinplan.audit import export, selectors, services
from kinplan.audit.chain import ACCESS, HISTORY, ChainReport, verify_chain
from kinplan.audit.forms import AuditFilterForm
from kinplan.audit.permissions import can_audit, can_verify_chains
from kinplan.audit.rows import history_rows, view_rows
from kinplan.core.errors import ensure

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    seq: int
    at: datetime.datetime
    actor_id: int | None
    who: str
    event: str
    event_label: str
    target_type: str
    target_id: str
    target_label: str
    case_id: int | None
    case_reference: str
    changes: dict[str, list[Any]]
    redacted: bool
    hidden: bool


class ViewOut(Schema):
    id: int
    seq: int
    at: datetime.datetime
    user_id: int
    who: str
    case_id: int | None
    case_reference: str
    case_name: str
    person_id: int | None
    person: str
    channel: str
    path: str
    redacted: bool
    hidden: bool


class EventPage(Schema):
    items: list[EventOut]
    next_before: int | None


class ViewPage(Schema):
    items: list[ViewOut]
    next_before: int | None


class AuditQuery(Schema):
    who: int | None = None
    case: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    before: int | None = None
    limit: int | None = None


class EventQuery(AuditQuery):
    event: str = ""


class ViewQuery(AuditQuery):
    channel: str = ""


def _filters(request: HttpRequest, query: AuditQuery) -> tuple[User, selectors.AuditFilters, int | None, int]:
    user: User = request.user  # type: ignore[assignment]
    ensure(can_audit(user), _("Only administrators and site managers can see the audit log."))
    form = AuditFilterForm({k: v for k, v in query.dict().items() if v is not None and k != "limit"})
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    limit = query.limit or settings.KINPLAN_PAGE_SIZE
    if not 1 <= limit <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and 200 entries.")})
    return user, form.filters(), form.cleaned_data["before"], limit


@router.get("/audit/events", response=EventPage, summary="Changes (history) you may audit, newest first")
def list_events(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    """Administrators: everything; site managers: their site's cases and staff. Page with `before=next_before`."""
    user, filters, before, limit = _filters(request, query)
    events, more = selectors.page_of(selectors.filtered_events(user=user, filters=filters), before=before, size=limit)
    rows = history_rows(events, selectors.hidden_from(user=user))
    return {"items": [vars(row) | {"changes": row.raw_changes} for row in rows], "next_before": more}


@router.get("/audit/views", response=ViewPage, summary="Views of children's records (access log) you may audit")
def list_views(request: HttpRequest, query: Query[ViewQuery]) -> dict[str, Any]:
    """Who looked at which case or person, when and how (web or API), newest first; filters as for events."""
    user, filters, before, limit = _filters(request, query)
    views, more = selectors.page_of(selectors.filtered_views(user=user, filters=filters), before=before, size=limit)
    rows = view_rows(views, selectors.hidden_from(user=user))
    return {"items": [vars(row) for row in rows], "next_before": more}


class ChainReportOut(Schema):
    chain: str = Field(..., description="history or access")
    label: str
    entries: int = Field(..., description="Entries checked (all of them when the chain is intact).")
    redacted: int = Field(..., description="Of which redacted for erasure: links checked, content no longer can be.")
    intact: bool
    broken_seq: int | None = Field(None, description="Where the chain first does not hold.")
    problem: str = Field("", description="What is wrong there, in words.")


def _report(report: ChainReport) -> dict[str, Any]:
    broken = report.broken
    return {
        "chain": report.name,
        "label": str(report.label),
        "entries": report.entries,
        "redacted": report.redacted,
        "intact": report.intact,
        "broken_seq": broken.seq if broken else None,
        "problem": str(broken.description) if broken else "",
    }


@router.post(
    "/audit/verify",
    response=list[ChainReportOut],
    summary="Check both audit chains now (administrators); the result is recorded in history",
)
def verify_chains(request: HttpRequest) -> list[dict[str, Any]]:
    """As the audit screen's 'Verify now': each chain's entries checked, and where it first breaks, if it does."""
    user: User = request.user  # type: ignore[assignment]
    ensure(can_verify_chains(user), _("Only administrators can check the audit chains."))
    reports = [verify_chain(HISTORY), verify_chain(ACCESS)]
    services.audit_verified(actor=user, reports=reports)
    return [_report(report) for report in reports]


CSV: dict[str, Any] = {
    "responses": {
        200: {
            "description": "Every entry the filter matches (not one page), as CSV.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _csv(lines: Any, kind: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="kinplan-{kind}-{stamp}.csv"'
    return response


@router.get(
    "/audit/events/export",
    summary="Export the changes the filter matches as CSV (recorded in history)",
    openapi_extra=CSV,
)
def export_events(request: HttpRequest, query: Query[EventQuery]) -> StreamingHttpResponse:
    """As the audit screen's export: all the entries, not a page; the export itself is recorded in history."""
    user, filters, _before, _limit = _filters(request, query)
    ensure_recent_sign_in(request)
    services.audit_exported(actor=user, chain=HISTORY, filters=vars(filters))
    rows = selectors.filtered_events(user=user, filters=filters)
    return _csv(export.history_csv(rows, selectors.hidden_from(user=user)), selectors.CHANGES)


@router.get(
    "/audit/views/export",
    summary="Export the views (access log) the filter matches as CSV (recorded in history)",
    openapi_extra=CSV,
)
def export_views(request: HttpRequest, query: Query[ViewQuery]) -> StreamingHttpResponse:
    """As the audit screen's export of the access log; the export itself is recorded in history."""
    user, filters, _before, _limit = _filters(request, query)
    ensure_recent_sign_in(request)
    services.audit_exported(actor=user, chain=ACCESS, filters=vars(filters))
    rows = selectors.filtered_views(user=user, filters=filters)
    return _csv(export.views_csv(rows, selectors.hidden_from(user=user)), selectors.VIEWS)
