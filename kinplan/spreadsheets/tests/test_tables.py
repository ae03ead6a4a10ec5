"""The one writer: text never becomes a formula, in CSV or XLSX; dates are dates and amounts numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kinplan.spreadsheets.tables import FORMULA_STARTS, Table, safe_text, write_csv, write_xlsx
from kinplan.spreadsheets.tests.helpers import csv_rows, xlsx_cells, xlsx_rows

DANGEROUS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"]


def test_text_that_would_run_as_a_formula_gets_a_quote_first():
    assert [safe_text(s) for s in DANGEROUS] == ["'" + s for s in DANGEROUS]
    assert safe_text("Tāmati") == "Tāmati" and safe_text("'quoted") == "'quoted"


def test_dangerous_text_reads_back_as_quoted_text_in_csv_and_xlsx():
    # given
    table = Table(title="Test", columns=["value"], rows=[[s] for s in DANGEROUS])
    # when
    from_csv = [row[0] for row in csv_rows(write_csv(table))[1:]]
    cells = xlsx_cells(write_xlsx(table))[1:]
    # then
    assert from_csv == ["'" + s for s in DANGEROUS]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(str(cell.value).startswith("'") for cell in cells)


def _as_xml_keeps(text: str) -> str:
    """XML keeps no carriage return (it reads each as a line feed) nor most control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_text_round_trips_and_is_never_a_formula(text):
    # given
    table = Table(title="Test", columns=["value"], rows=[[text]])
    # when
    from_csv = csv_rows(write_csv(table))[1][0]
    cell = xlsx_cells(write_xlsx(table))[1]
    # then
    assert from_csv == safe_text(text)
    assert not from_csv.startswith(FORMULA_STARTS)
    assert cell.data_type == "s" or (cell.value is None and ILLEGAL_CHARACTERS_RE.sub("", text) == "")
    assert (cell.value or "") == _as_xml_keeps(safe_text(ILLEGAL_CHARACTERS_RE.sub("", text)))
    assert not str(cell.value or "").startswith(FORMULA_STARTS)


def test_dates_are_dates_in_xlsx_and_iso_in_csv_amounts_are_numbers():
    # given
    table = Table(title="Test", columns=["on", "cost"], rows=[[datetime.date(2026, 3, 1), Decimal("120.50")]])
    # when
    csv_row = csv_rows(write_csv(table))[1]
    xlsx_row = xlsx_rows(write_xlsx(table))[1]
    # then
    assert csv_row == ["2026-03-01", "120.50"]
    assert xlsx_row[0].date() == datetime.date(2026, 3, 1) and xlsx_row[1] == 120.5


def test_macrons_survive_both_formats():
    table = Table(title="Whānau", columns=["name"], rows=[["Tāmati Ngāti Porou"]])
    assert csv_rows(write_csv(table))[1] == ["Tāmati Ngāti Porou"]
    assert xlsx_rows(write_xlsx(table))[1] == ["Tāmati Ngāti Porou"]
