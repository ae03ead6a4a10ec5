"""Downloads of the caseload, a plan, the referrals and a permanent care plan's spend; the case import pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.permanent_care.views._common import found
from kinplan.spreadsheets import exports, imports, selectors, storage
from kinplan.spreadsheets.forms import ImportConfirmForm, ImportUploadForm
from kinplan.spreadsheets.imports import COLUMN_HELP, REQUIRED_COLUMNS, ImportRefused, Report
from kinplan.spreadsheets.permissions import can_import_cases
from kinplan.spreadsheets.tables import table_response


@login_required
def caseload_download(request: HttpRequest) -> HttpResponse:
    """The caseload tab, status and search the page shows, every page of it, as CSV or Excel."""
    table = exports.caseload_export(request.user, request.GET.dict())
    return table_response(table, exports.chosen_format(request), "caseload")


@login_required
def plan_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's steps, one a row with its goals; an export of a child's record is a view of it (logged)."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    table = exports.plan_export(case, request.GET.get("version"))
    return table_response(table, exports.chosen_format(request), f"plan-{case.reference}")


@login_required
def referrals_download(request: HttpRequest) -> HttpResponse:
    """The referrals list as the page filters it, as CSV or Excel."""
    table = exports.referrals_export(request.user, request.GET.dict())
    return table_response(table, exports.chosen_format(request), "referrals")


@login_required
def spend_download(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """A permanent care plan's spend against its approved costs (the case view is logged, as for its page)."""
    case, arrangement = found(request, pk, arr_pk)
    table = selectors.spend_table(arrangement=arrangement)
    return table_response(table, exports.chosen_format(request), f"spend-{case.reference}")


# --- importing cases ------------------------------------------------------------------------------------------


def _import_page(
    request: HttpRequest, *, form: ImportUploadForm, report: Report | None = None, **extra: Any
) -> HttpResponse:
    context = {"form": form, "report": report, "columns": COLUMN_HELP, "required": REQUIRED_COLUMNS, **extra}
    return render(request, "spreadsheets/import.html", context, status=422 if report and not report.ok else 200)


def _checked(
    request: HttpRequest, data: bytes, filename: str, run: Callable[..., Report], **extra: Any
) -> Report | str:
    """The report, or the reason the file as a whole was refused."""
    try:
        return run(actor=request.user, data=data, filename=filename, **extra)
    except ImportRefused as refused:
        return str(refused)


@login_required
def import_cases(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet of cases: the dry run's report, row by row; with no problem, a button to import it."""
    ensure(can_import_cases(request.user), _("Only site managers import cases."))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    report = _checked(request, data, upload.name, imports.check)
    if isinstance(report, str):
        form.add_error("file", report)
        return _import_page(request, form=form)
    digest = storage.keep(request.user, data, upload.name) if report.ok else ""
    confirm = ImportConfirmForm(initial={"upload": digest}) if digest else None
    return _import_page(request, form=ImportUploadForm(), report=report, confirm=confirm)


@login_required
@require_POST
def import_cases_confirm(request: HttpRequest) -> HttpResponse:
    """Import the file the dry run checked: all of it, or (a problem found now) none of it and the report."""
    ensure(can_import_cases(request.user), _("Only site managers import cases."))
    confirm = ImportConfirmForm(request.POST)
    kept = storage.fetch(request.user, confirm.cleaned_data["upload"]) if confirm.is_valid() else None
    if kept is None:
        messages.error(request, _("That file is no longer kept: upload it again."))
        return redirect("spreadsheets:import_cases")
    report = _checked(request, bytes(kept.data), kept.filename, imports.run)
    if isinstance(report, str) or not report.imported:
        return _import_page(request, form=ImportUploadForm(), report=report if not isinstance(report, str) else None)
    storage.forget(request.user, kept.digest)
    messages.success(
        request, ngettext("%(n)s case imported.", "%(n)s cases imported.", report.cases) % {"n": report.cases}
    )
    return redirect(reverse("cases:caseload") + "?scope=site")
