"""The audit screen: who changed or looked at what, filtered, exported; and the chains' check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kinplan.accounts.models import User
from kinplan.accounts.reauth import recent_sign_in_required
from kinplan.audit import export, selectors, services
from kinplan.audit.chain import ACCESS, HISTORY, verify_chain
from kinplan.audit.forms import AuditFilterForm
from kinplan.audit.permissions import can_audit, can_verify_chains
from kinplan.audit.rows import CHANNELS, chain_summaries, event_label, history_rows, view_rows
from kinplan.core.errors import ensure

KINDS = {selectors.CHANGES: HISTORY, selectors.VIEWS: ACCESS}


def _kind(request: HttpRequest) -> str:
    return selectors.VIEWS if request.GET.get("kind") == selectors.VIEWS else selectors.CHANGES


def _query(request: HttpRequest, **extra: str) -> str:
    """The current filter as a query string, without the page cursor (plus `extra`)."""
    query = request.GET.copy()
    query.pop("before", None)
    query.update(extra)
    return query.urlencode()


def _entries(user: User, kind: str, form: AuditFilterForm) -> tuple[list[Any], int | None]:
    if not form.is_valid():
        return [], None
    filters, size = form.filters(), settings.KINPLAN_PAGE_SIZE
    hidden = selectors.hidden_from(user=user)
    if kind == selectors.VIEWS:
        views, more = selectors.page_of(
            selectors.filtered_views(user=user, filters=filters), before=form.cleaned_data["before"], size=size
        )
        return view_rows(views, hidden), more
    events, more = selectors.page_of(
        selectors.filtered_events(user=user, filters=filters), before=form.cleaned_data["before"], size=size
    )
    return history_rows(events, hidden), more


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Changes (history) or views (access log) in the reader's scope, newest first, a page at a time."""
    user: User = request.user  # type: ignore[assignment]
    ensure(can_audit(user), _("Only administrators and site managers can see the audit log."))
    kind = _kind(request)
    form = AuditFilterForm(request.GET)
    rows, next_before = _entries(user, kind, form)
    context = {
        "kind": kind,
        "form": form,
        "rows": rows,
        "next_before": next_before,
        "paged": bool(request.GET.get("before")),
        "query": _query(request),
        "users": selectors.users_in_scope(user=user),
        "events": [(name, event_label(name)) for name in selectors.event_names(user=user)]
        if kind == selectors.CHANGES
        else [],
        "channels": list(CHANNELS.items()),
        "can_verify": can_verify_chains(user),
    }
    if context["can_verify"]:
        verified = selectors.last_verification()
        context |= {"verified": verified, "verification": chain_summaries(verified)}
    return render(request, "audit/audit_log.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_GET
@recent_sign_in_required  # an export takes everything the filter matches out of Kinplan: prove it is you
def audit_export(request: HttpRequest) -> HttpResponse:
    """The current filter's entries (all of them, not one page) as CSV; the export is recorded in history."""
    user: User = request.user  # type: ignore[assignment]
    ensure(can_audit(user), _("Only administrators and site managers can see the audit log."))
    kind = _kind(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the filter before exporting."))
        return redirect(f"{reverse('audit:log')}?{_query(request)}")
    filters, hidden = form.filters(), selectors.hidden_from(user=user)
    services.audit_exported(actor=user, chain=KINDS[kind], filters=vars(filters))
    if kind == selectors.VIEWS:
        lines = export.views_csv(selectors.filtered_views(user=user, filters=filters), hidden)
    else:
        lines = export.history_csv(selectors.filtered_events(user=user, filters=filters), hidden)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="kinplan-{kind}-{stamp}.csv"'
    return response


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Check both chains now; the result is recorded in history and shown on the audit screen."""
    user: User = request.user  # type: ignore[assignment]
    ensure(can_verify_chains(user), _("Only administrators can check the audit chains."))
    reports = [verify_chain(HISTORY), verify_chain(ACCESS)]
    services.audit_verified(actor=user, reports=reports)
    for report in reports:
        values = {"chain": report.label, "count": number_format(report.entries, force_grouping=True)}
        if report.broken is None:
            text = ngettext(
                "%(chain)s: %(count)s entry, chain intact.",
                "%(chain)s: %(count)s entries, chain intact.",
                report.entries,
            )
            messages.success(request, text % values)
        else:
            values |= {"seq": report.broken.seq, "problem": report.broken.description}
            messages.error(request, _("%(chain)s: broken at entry %(seq)s: %(problem)s.") % values)
    return redirect("audit:log")
