"""Reading an export back, as a spreadsheet would."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_rows(body: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_cells(body: bytes) -> list:
    sheet = load_workbook(io.BytesIO(body)).active
    return [cell for row in sheet.iter_rows() for cell in row]
