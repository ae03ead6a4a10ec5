"""The one place rows become a CSV or an Excel file, safe to open in a spreadsheet.

A cell whose text starts with =, +, -, @, a tab or a carriage return is run as a formula by spreadsheets (CSV
injection, OWASP): such text gets a single quote first. In XLSX every text cell is also written as text, never as a
formula. Dates are dates in XLSX and ISO 8601 in CSV; amounts are numbers in both.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Table:
    """A sheet: its title, its column headings and its rows (plain values: text, numbers, dates, None)."""

    title: str
    columns: Sequence[str]
    rows: list[list[Any]] = field(default_factory=list)


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: a quote before what would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return safe_text(str(value))


def write_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads macrons (ā) and æ ø å as they are."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(str(c)) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> tuple[Any, str | None]:
    """The cell's value and its number format; text loses what XML cannot hold (control characters)."""
    if value is None or isinstance(value, bool | int | float):
        return value, None
    if isinstance(value, Decimal):
        return value, MONEY_FORMAT
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", str(value))), None


def write_xlsx(table: Table) -> bytes:
    """Written row by row (openpyxl's write-only mode), so a long list does not hold a cell object per value."""
    workbook = Workbook(write_only=True)
    title = ILLEGAL_CHARACTERS_RE.sub("", str(table.title)).translate(str.maketrans("", "", "[]:*?/\\"))[:31]
    sheet = workbook.create_sheet(title or "Kinplan")
    sheet.freeze_panes = "A2"
    for row in [list(map(str, table.columns)), *table.rows]:
        sheet.append([_xlsx_cell(sheet, raw) for raw in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, raw: Any) -> WriteOnlyCell:
    value, number_format = _xlsx_value(raw)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: never a formula, nor an error code such as #N/A
    if number_format:
        cell.number_format = number_format
    return cell


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """The table as a download: `filename` (no extension) dated today, in `fmt` (csv or xlsx)."""
    body = write_xlsx(table) if fmt == XLSX else write_csv(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt if fmt == XLSX else CSV])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="kinplan-{filename}-{stamp}.{fmt if fmt == XLSX else CSV}"'
    return response
