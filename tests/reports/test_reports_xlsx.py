"""Excel files: typed values, BE date format, formula-safe text, print setup, LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from exports.reports import ReportOptions, ReportRequest, generate
from exports.xlsx.sheets import DATE_FORMAT, DATE_FORMAT_THAI
from lev_desktop.thai_format import document_digits

from .conftest import ACTIVITY, FORMULA_TEXT, LOCATION, PROJECT, needs_soffice


def make(store, kind, tmp_path, office="4801006", **opts) -> Path:
    return generate(
        store,
        ReportRequest(kind, office, 2568, "xlsx", month=(2025, 9)),
        options=ReportOptions(**{"thai_digits": False, **opts}),
        folder=tmp_path,
    )


def find_row(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return row
    raise AssertionError(f"{text!r} not in the sheet")


def test_plan_sheet_types_and_print_setup(report_store, tmp_path):
    path = make(report_store, "plan", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    row = find_row(ws, PROJECT)
    budget = row[5]
    assert budget.value == pytest.approx(12500.50) and budget.number_format == "#,##0.00"
    formula_cell = row[2]
    assert formula_cell.value == FORMULA_TEXT and formula_cell.data_type == "s"
    assert row[4].value == document_digits(LOCATION, "arabic")  # the document's digits
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.cell(row=4, column=1).font.name in ("Tahoma", "Sarabun")


def test_summary_dates_are_dates_in_be(report_store, tmp_path):
    ws = openpyxl.load_workbook(make(report_store, "summary", tmp_path)).worksheets[0]
    row = find_row(ws, ACTIVITY)
    assert row[2].value == dt.datetime(2025, 2, 15)
    assert row[2].number_format == DATE_FORMAT
    assert row[8].value == pytest.approx(7250.25)
    assert row[10].value == "@ทีมงาน" and row[10].data_type == "s"
    ws = openpyxl.load_workbook(
        make(report_store, "summary", tmp_path / "t", thai_digits=True)
    ).worksheets[0]
    assert find_row(ws, ACTIVITY)[2].number_format == DATE_FORMAT_THAI


def soffice_csv(path: Path, out: Path) -> list[list[str]]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (out / (path.stem + ".csv")).open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


@needs_soffice
def test_libreoffice_reads_the_same_values(report_store, tmp_path):
    plan = make(report_store, "plan", tmp_path)
    summary = make(report_store, "summary", tmp_path)
    rows = soffice_csv(plan, tmp_path / "csv")
    project = next(r for r in rows if PROJECT in r)
    assert project[2] == FORMULA_TEXT  # shown as text, not evaluated
    assert project[5] == "12,500.50"
    assert project[4] == document_digits(LOCATION, "arabic")
    rows = soffice_csv(summary, tmp_path / "csv")
    activity = next(r for r in rows if ACTIVITY in r)
    assert activity[2] == "15 ก.พ. 2568"  # the Buddhist-era year from the date format
    assert activity[8] == "7,250.25"


@needs_soffice
def test_libreoffice_reads_the_monitoring_table(demo_store, tmp_path):
    from exports.reports.data import load_monitoring
    from lev_desktop.thai_format import format_date

    data = load_monitoring(demo_store, "D4801", 2568)
    rows = soffice_csv(make(demo_store, "monitoring", tmp_path, office="D4801"), tmp_path / "csv")
    body = [r for r in rows if r and r[0].isdigit()]
    assert len(body) == len(data.rows) == 14
    for got, want in zip(body, data.rows, strict=True):
        assert got[2] == want.lao
        assert got[3] == format_date(want.committee_selected_on, "short", thai=True)
        assert got[6] == str(want.activities)
        assert got[7] == format_date(want.reported_on, "short", thai=True)


def test_every_kind_makes_an_xlsx(demo_store, tmp_path):
    from exports.reports import KINDS

    for kind in KINDS:
        office = "D4801" if kind in ("monitoring", "calendar", "softpower") else "4801006"
        path = make(demo_store, kind, tmp_path, office=office)
        wb = openpyxl.load_workbook(path)
        assert wb.worksheets and wb.worksheets[0].max_row > 3
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (kind, cell.coordinate, cell.value)
    _ = Decimal
