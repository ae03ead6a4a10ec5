"""Spreadsheets over the API: the four exports as CSV or XLSX, and the case import (dry run or for real)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from kinplan.cases.permissions import case_for_api
from kinplan.core.errors import ensure
from kinplan.permanent_care.models import SupportArrangement
from kinplan.spreadsheets import exports, imports, selectors
from kinplan.spreadsheets.permissions import can_import_cases
from kinplan.spreadsheets.tables import table_response

router = Router(tags=["spreadsheets"])
FORMAT_HELP = "?format=csv (the default; UTF-8 with a byte-order mark) or ?format=xlsx."


@router.get("/exports/caseload", response={200: None}, summary="Caseload as CSV or XLSX", description=FORMAT_HELP)
def caseload_export(request: HttpRequest, format: str = "csv", scope: str = "", status: str = "open", q: str = ""):
    """The caseload tab (`scope`), `status` ('' for all) and search `q`, as the caseload page filters it."""
    table = exports.caseload_export(request.user, {"scope": scope, "status": status, "q": q})
    return table_response(table, exports.chosen_format(request), "caseload")


@router.get("/exports/referrals", response={200: None}, summary="Referrals as CSV or XLSX", description=FORMAT_HELP)
def referrals_export(request: HttpRequest, format: str = "csv", scope: str = "", show: str = "live"):
    """The referrals list's tab (`scope`) and `show` (live, waiting or all), as the referrals page filters it."""
    table = exports.referrals_export(request.user, {"scope": scope, "show": show})
    return table_response(table, exports.chosen_format(request), "referrals")


@router.get(
    "/cases/{case_id}/plan/export",
    response={200: None},
    summary="A plan's steps as CSV or XLSX",
    description=FORMAT_HELP,
)
def plan_export(request: HttpRequest, case_id: int, format: str = "csv", version: str = "") -> HttpResponse:
    """One row per step with its goal chain; the view of the case is logged as through the API."""
    case = case_for_api(request, case_id)
    table = exports.plan_export(case, version or None)
    return table_response(table, exports.chosen_format(request), f"plan-{case.reference}")


@router.get(
    "/cases/{case_id}/permanent-care/{arrangement_id}/spend/export",
    response={200: None},
    summary="A permanent care plan's spend as CSV or XLSX",
    description=FORMAT_HELP,
)
def spend_export(request: HttpRequest, case_id: int, arrangement_id: int, format: str = "csv") -> HttpResponse:
    """Per support: approved, committed (purchased) and delivered, and a total row."""
    case = case_for_api(request, case_id)
    arrangement = SupportArrangement.objects.select_related("case").filter(case=case, pk=arrangement_id).first()
    if arrangement is None:
        raise HttpError(404, "No such permanent care plan in this case.")
    table = selectors.spend_table(arrangement=arrangement)
    return table_response(table, exports.chosen_format(request), f"spend-{case.reference}")


class ProblemOut(Schema):
    row: int
    column: str
    message: str
    kind: str
    matches: list[int]


class ImportReportOut(Schema):
    detail: str
    ok: bool
    imported: bool
    rows: int
    cases: int
    people: int
    skipped: int
    problems: list[ProblemOut]


class ImportRefusedOut(Schema):
    detail: str


NO_FILE = File(None)  # optional to ninja, so a refusal (403) comes before any complaint about the body
IMPORT_HELP = (
    "A CSV or XLSX file (multipart field `file`, at most 5 MB and 2,000 rows) of cases and people, one row per "
    "person (docs/spreadsheets.md). `dry_run=true` (the default) checks every row and reports each problem with its "
    "row and column, and each possible duplicate; nothing is saved. `dry_run=false` imports a file with no problem, "
    "all of it in one transaction, or nothing (422 with the report). Site managers only; read-only tokens are refused."
)


@router.post(
    "/imports/cases",
    response={200: ImportReportOut, 422: ImportReportOut | ImportRefusedOut},
    summary="Import cases and people from a spreadsheet",
    description=IMPORT_HELP,
)
def import_cases(request: HttpRequest, file: UploadedFile | None = NO_FILE, dry_run: bool = True) -> tuple[int, Any]:
    ensure(can_import_cases(request.user), _("Only site managers import cases."))  # before a word of the file
    if file is None:
        return 422, {"detail": _("Attach the spreadsheet as the multipart form field “file”.")}
    if file.size and file.size > imports.MAX_BYTES:
        return 422, {"detail": _("The file is larger than 5 MB: split it into smaller files.")}
    do = imports.check if dry_run else imports.run
    try:
        report = do(actor=request.user, data=file.read(), filename=file.name or "")
    except imports.ImportRefused as refused:
        return 422, {"detail": str(refused)}
    if report.imported:
        detail = _("Imported.")
    elif report.ok:
        detail = _("No problems found: send the file again with dry_run=false to import it.")
    else:
        detail = _("Problems to fix in the file; nothing was saved.")
    return (200 if report.ok or dry_run else 422), {"detail": detail, **report.as_json()}
