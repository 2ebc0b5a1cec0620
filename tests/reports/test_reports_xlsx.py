"""Excel files: typed values, BE date format, formula-safe text, print setup, LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from exports.reports import ReportOptions, ReportRequest, generate
from exports.xlsx.sheets import DATE_FORMAT, DATE_FORMAT_THAI
from lev_desktop.thai_format import document_digits

from .conftest import ACTIVITY, FORMULA_TEXT, LOCATION, PROJECT, needs_soffice, store_for


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
    assert ws.page_setup.orientation == "landscape"
    assert ws.cell(row=4, column=1).font.name == "Sarabun"


def printed_size(ws) -> float:
    """The smallest text size of a sheet as printed (the print scale applied)."""
    scale = (
        (ws.page_setup.scale or 100) / 100 if not ws.sheet_properties.pageSetUpPr.fitToPage else 0
    )
    sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
    return min(sizes) * scale


@pytest.mark.parametrize(
    "kind", ["plan", "summary", "notice", "monitoring", "softpower", "kpi", "calendar", "province"]
)
def test_every_workbook_prints_on_a4_at_10_pt_with_page_numbers_and_a_signer(
    request, tmp_path, kind
):
    """Printed at 100 % (never fitted to the page over very wide columns): the text at
    10 pt or more, the columns as wide as the A4 page, each heading and row tall enough for
    its wrapped lines (LibreOffice does not grow rows by itself), "หน้า x จาก y" in the
    footer, the official font and the signer's lines."""
    from exports.xlsx.sheets import EXCEL_SHARE, PAGE_WIDTH, line_count, row_height

    store = store_for(request, kind)
    office = {"province": "P48", "monitoring": "D4801", "calendar": "D4801"}.get(kind, "4801006")
    if kind == "softpower":
        office = "D4801"
    path = generate(
        store,
        ReportRequest(kind, office, 2568, "xlsx", month=(2025, 9)),
        options=ReportOptions(signer_name="นายทดสอบ ผู้ใหญ่", thai_digits=False),
        folder=tmp_path,
    )
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert printed_size(ws) >= 10, kind
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Sarabun"}, (kind, fonts)
    orientation = ws.page_setup.orientation or "portrait"
    page = PAGE_WIDTH[orientation] * EXCEL_SHARE
    widths = [
        (ws.column_dimensions[get_column_letter(i)].width * 7 + 5) * 0.75
        for i in range(1, ws.max_column + 1)
    ]
    assert sum(widths) <= page * (100 / (ws.page_setup.scale or 100)) + 2, kind
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    if kind != "notice":
        assert ws.oddFooter.center.text == "หน้า &P จาก &N"
        header = ws.print_title_rows.split(":")[0].strip("$")
        head = ws.row_dimensions[int(header)]
        lines = max(
            line_count(str(ws.cell(int(header), i).value or ""), w, bold=True)
            for i, w in enumerate(widths, start=1)
        )
        assert head.height >= row_height(lines) > 20  # no fixed 20 pt heading row
        assert any(t.startswith("ลงชื่อ") for t in texts)
        assert "วันที่ ...... เดือน" in " ".join(texts)
    assert "(นายทดสอบ ผู้ใหญ่)" in texts
    assert "(ลงชื่อ)" not in " ".join(texts)  # that belongs on copies
    # every row as tall as its wrapped text
    for row in ws.iter_rows(
        min_row=int((ws.print_title_rows or "$1").split(":")[0].strip("$")) + 1
    ):
        for c in row:
            if (
                not isinstance(c.value, str)
                or not c.alignment.wrap_text
                or c.coordinate in ws.merged_cells
            ):
                continue
            need = row_height(
                line_count(c.value, widths[c.column - 1], c.font.sz, c.font.b), c.font.sz
            )
            assert (ws.row_dimensions[c.row].height or 15) >= need, (kind, c.coordinate, c.value)


def test_the_notice_workbook_is_a_document(report_store, tmp_path):
    """The notice: A4 portrait, title and subject centred at 18 pt, the paragraphs merged across
    the page and wrapped, the signer's name and position under room to sign, no grid."""
    ws = openpyxl.load_workbook(make(report_store, "notice", tmp_path)).worksheets[0]
    assert ws.page_setup.orientation == "portrait"
    assert ws["A1"].value == "ประกาศองค์การบริหารส่วนตำบลหนองแสง"
    assert ws["A1"].font.sz == 18 and ws["A1"].alignment.horizontal == "center"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    paragraphs = [c for c in ws["A"] if isinstance(c.value, str) and len(c.value) > 80]
    assert paragraphs and all(c.alignment.wrap_text for c in paragraphs)
    assert not ws.sheet_view.showGridLines


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


def test_every_kind_makes_an_xlsx(request, tmp_path):
    from exports.reports import KINDS

    for kind in KINDS:
        office = (
            "D4801" if kind in ("monitoring", "calendar", "softpower", "monthly") else "4801006"
        )
        if kind == "province":
            office = "P48"
        path = make(store_for(request, kind), kind, tmp_path, office=office)
        wb = openpyxl.load_workbook(path)
        assert wb.worksheets and wb.worksheets[0].max_row > 3
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (kind, cell.coordinate, cell.value)
    _ = Decimal
