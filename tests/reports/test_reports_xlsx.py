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
    "kind",
    [
        "plan",
        "summary",
        "notice",
        "monitoring",
        "softpower",
        "kpi",
        "monthly",
        "calendar",
        "province",
    ],
)
def test_every_workbook_prints_on_a4_at_10_pt_with_page_numbers_and_a_signer(
    request, tmp_path, kind
):
    """Printed at 100 % (never fitted to the page over very wide columns): the text at
    10 pt or more, the columns as wide as the A4 page, each heading and row tall enough for
    its wrapped lines (LibreOffice does not grow rows by itself), "หน้า x จาก y" in the
    footer, the official font and the signer's lines."""
    from exports.xlsx.sheets import (
        EXCEL_SHARE,
        LO_UNIT,
        PAGE_WIDTH,
        line_count,
        row_height,
        text_points,
    )
    from lev_desktop.thai_format import format_date

    store = store_for(request, kind)
    office = {"province": "P48", "monitoring": "D4801", "calendar": "D4801"}.get(kind, "4801006")
    # (F3 of a province and of the nation: test_f3_workbook_of_a_province_and_the_nation_…)
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
    # … and as LibreOffice draws the units (Carlito's digit, no padding: wide columns wider)
    units = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
    printable = PAGE_WIDTH[orientation] * (100 / (ws.page_setup.scale or 100))
    assert sum(u * LO_UNIT for u in units) <= printable + 1, kind
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
    # a date is never ### and a short name (อบต.นาราชควาย) never cut: their columns are as
    # wide as they print
    for row in ws.iter_rows(min_row=int(header) + 1 if kind != "notice" else 1):
        for c in row:
            if c.coordinate in ws.merged_cells or c.value is None:
                continue
            if isinstance(c.value, dt.datetime):
                shown = format_date(c.value.date(), "short", digits="arabic")
            elif (
                isinstance(c.value, str)
                and c.alignment.wrap_text  # (a group heading runs over its row)
                and len(c.value) <= 16
                and " " not in c.value
                and kind in ("plan", "monitoring", "province", "kpi", "calendar")
            ):
                shown = c.value
            else:
                continue
            assert widths[c.column - 1] >= text_points(shown, c.font.sz, c.font.b) + 4.9, (
                kind,
                c.coordinate,
                shown,
            )
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


# ---- printed through LibreOffice -------------------------------------------------------------


def printed_pages(path: Path, out: Path) -> int:
    """Pages of the workbook printed to PDF by LibreOffice, with the bundled Sarabun and
    Carlito (Calibri's metric twin: column widths count its digits) — a private fontconfig and
    profile, so that another LibreOffice on the machine does not matter."""
    fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    out.mkdir(parents=True, exist_ok=True)
    conf = out / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{out}/fc-cache</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**__import__("os").environ, "FONTCONFIG_FILE": str(conf)}
    found = subprocess.run(
        ["fc-match", "-f", "%{family}", "Calibri"], env=env, capture_output=True, text=True
    ).stdout
    if "Carlito" not in found:
        pytest.skip("fonts-crosextra-carlito not installed (Calibri's metric twin)")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    info = subprocess.run(
        ["pdfinfo", str(out / (path.stem + ".pdf"))], capture_output=True, text=True, check=True
    ).stdout
    return int(next(x.split()[-1] for x in info.splitlines() if x.startswith("Pages:")))


@needs_soffice
def test_f2_and_soft_power_rows_flow_on_few_pages_in_libreoffice(
    report_store, demo_store, tmp_path
):
    """F2 printed one project a page (8 pages for the demo's 6 projects: narrow text columns,
    rows a page tall) and Soft Power 24 products on 10 pages (URLs in columns). Now the
    columns are fitted to save lines and the links sit on a row under their product."""
    summary = make(report_store, "summary", tmp_path / "f2")
    assert printed_pages(summary, tmp_path / "lo-f2") <= 4
    softpower = make(demo_store, "softpower", tmp_path / "sp", office="D4801")
    assert printed_pages(softpower, tmp_path / "lo-sp") <= 5
    ws = openpyxl.load_workbook(softpower).worksheets[0]
    links = [c for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert links and all(c.value.endswith(c.hyperlink.target) for c in links)
    assert {c.value.split()[0] for c in links} == {"(8)", "(9)"}


def _no_thai_word_wider_than_its_column(ws, first_row: int) -> None:
    from exports.pdf import segment
    from exports.xlsx.sheets import CELL_PAD, points_of, text_points

    widths = {
        i: points_of(ws.column_dimensions[get_column_letter(i)].width)
        for i in range(1, ws.max_column + 1)
    }
    for row in ws.iter_rows(min_row=first_row):
        for c in row:
            if not isinstance(c.value, str) or not c.alignment.wrap_text:
                continue
            if c.coordinate in ws.merged_cells:
                continue
            for line in c.value.split("\n"):
                for unit in segment(line):
                    if any("\u0e01" <= ch <= "\u0e4e" for ch in unit):
                        room = widths[c.column] - CELL_PAD
                        assert text_points(unit, bold=c.font.b) <= room + 0.5, (c.coordinate, unit)


@pytest.mark.parametrize("level", ["province", "nation"])
def test_f3_workbook_of_a_province_and_the_nation_keeps_thai_names_whole(tmp_path, level):
    """A province's and the nation's F3 with real LAO names: A4 landscape, at least 10 pt
    printed, "หน้า x จาก y", headings as tall as their lines, real dates in the Buddhist era,
    and no Thai word wider than its column — LibreOffice cut the names of the province F3 at
    91 % inside the word ("อบต.อาจสาม|ารถ"); a word that cannot fit is broken by explicit line
    breaks where the PDF engine breaks it."""
    from exports.reports import workbook
    from exports.reports.data import MonitoringData
    from exports.xlsx.sheets import line_count, points_of, row_height

    from .test_reports_scale import NATION, PROVINCE, real_f3_rows

    rows = real_f3_rows(["34"] if level == "province" else ["34", "77"])
    office = PROVINCE if level == "province" else NATION
    if level == "province":
        for r in rows:
            r.province = "อุบลราชธานี"
    path = workbook.write(
        "monitoring",
        MonitoringData(office, 2568, rows),
        ReportOptions(thai_digits=True, signer_name="นายทดสอบ ผู้ใหญ่"),
        tmp_path / f"f3-{level}.xlsx",
    )
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape"
    assert printed_size(ws) >= 10
    assert ws.oddFooter.center.text == "หน้า &P จาก &N"
    header = int(ws.print_title_rows.split(":")[0].strip("$"))
    widths = [points_of(ws.column_dimensions[get_column_letter(i)].width) for i in range(1, 11)]
    lines = max(
        line_count(str(ws.cell(header, i).value or ""), w, bold=True)
        for i, w in enumerate(widths, start=1)
    )
    assert ws.row_dimensions[header].height >= row_height(lines)
    dates = [c for c in ws["D"][header:] if isinstance(c.value, dt.datetime)]
    assert dates and {c.number_format for c in dates} == {"[$-D07041E]d mmm yyyy"}
    _no_thai_word_wider_than_its_column(ws, header + 1)
    names = {r.lao for r in rows}
    kept = [c.value for c in ws["C"] if c.value in names]
    assert len(kept) >= len(rows) * 0.97, names - set(kept)  # all but the longest whole


def test_a_districts_counts_are_whole_numbers_in_its_indicator_sheet(demo_store, tmp_path):
    """The district's P2 sheet showed "37,255.00" households and "31.00" waste banks (its
    number columns' two decimals) where the PDF prints 37,255 and 31; the mean keeps two."""
    from exports.xlsx.sheets import DEC_FORMAT, INT_FORMAT

    path = generate(
        demo_store,
        ReportRequest("kpi", "D4801", 2568, "xlsx", programme="P2"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    ws = openpyxl.load_workbook(path).worksheets[0]
    row = find_row(ws, "จำนวนครัวเรือนทั้งหมดในพื้นที่")
    values = [c.value for c in row[3:8]]
    assert values == [14, 37255, 2661.07, 1018, 4016]
    assert [type(v) for v in values] == [int, int, float, int, int]
    assert [c.number_format for c in row[4:8]] == [INT_FORMAT, DEC_FORMAT, INT_FORMAT, INT_FORMAT]
    banks = find_row(ws, "จำนวนธนาคารขยะ")
    assert [c.value for c in banks[4:8]] == [31, 2.21, 0, 6]
    # tons a day stay decimals
    tons = find_row(ws, "ปริมาณขยะมูลฝอยที่เกิดขึ้น")
    assert [c.number_format for c in tons[4:8]] == [DEC_FORMAT] * 4


@needs_soffice
def test_the_signature_never_begins_a_printed_page_alone(demo_store, tmp_path):
    """Printed from LibreOffice, the district's F3 sheet put its 14 LAOs on page 1 and its
    summary lines and signature alone on page 2 under the repeated heading (the LAO's F1:
    the signature alone under the heading). The last two rows and the total now go over
    with them, by a manual page break, as the PDF does. (In Arabic digits too, since its
    heading takes 4 lines, no longer 7: print14.)"""
    path = make(demo_store, "monitoring", tmp_path, office="D4801", thai_digits=True)
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = {c.value: c.row for c in ws["C"] if isinstance(c.value, str)}
    assert [b.id for b in ws.row_breaks.brk] == [rows["อบต.วังตามัว"] - 1]
    assert printed_pages(path, tmp_path / "lo") == 2
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(tmp_path / "lo" / (path.stem + ".pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "อบต.วังตามัว" in second and "อบต.โพธิ์ตาก" in second and "ผู้รายงาน" in second
    assert "อบต.ดงขวาง" not in second
    arabic = make(demo_store, "monitoring", tmp_path / "arabic", office="D4801")
    ws = openpyxl.load_workbook(arabic).worksheets[0]
    assert [b.id for b in ws.row_breaks.brk] == [rows["อบต.วังตามัว"] - 1]
    assert printed_pages(arabic, tmp_path / "lo-arabic") == 2
    # where all fits one page: no break
    ws = openpyxl.load_workbook(make(demo_store, "calendar", tmp_path / "cal", office="D4801"))
    assert ws.worksheets[0].row_breaks.brk == []


def test_the_f3_sheet_has_the_pdfs_totals(demo_store, tmp_path):
    """The F3 sheet ended with its last LAO: the PDF's total row ("รวม (๑๔ แห่ง)": how many
    LAOs have each date, 167 activities, 11 reported) was not in it."""
    from exports.reports.data import load_monitoring

    rows = load_monitoring(demo_store, "D4801", 2568).rows
    ws = openpyxl.load_workbook(make(demo_store, "monitoring", tmp_path, office="D4801"))
    total = find_row(ws.worksheets[0], "รวม (14 แห่ง)")
    assert [c.value for c in total[3:10]] == [
        sum(1 for r in rows if r.committee_selected_on),
        sum(1 for r in rows if r.committee_met_on),
        sum(1 for r in rows if r.plan_made_on),
        167,
        11,
        None,
        None,
    ]
    assert total[1].font.b


def test_f1_and_f2_sheets_are_signed_by_their_maker_and_their_executive(report_store, tmp_path):
    """The PDFs of F1 and F2 have two signature blocks side by side: the officer who made the
    form ("ผู้จัดทำแผน", "ผู้รายงาน", with the officer's name) and the executive who approves
    it. The sheets had the executive's alone: the maker signed in a blank margin by hand."""
    for kind, made, signs in (
        ("plan", "ผู้จัดทำแผน", "ผู้เห็นชอบแผน"),
        ("summary", "ผู้รายงาน", "ผู้รับรองผล"),
    ):
        ws = openpyxl.load_workbook(make(report_store, kind, tmp_path / kind)).worksheets[0]
        line = f"ลงชื่อ {'.' * 30} "
        row = find_row(ws, line + made)
        texts = [c.value for c in row if c.value]
        assert texts == [line + made, line + signs], texts
        below = [[c.value for c in r if c.value] for r in ws.iter_rows(min_row=row[0].row + 1)]
        assert below[:2] == [
            ["(นางสาวทดสอบ ใจดี)", "(" + "." * 40 + ")"],
            ["ตำแหน่ง " + "." * 30, "นายกองค์การบริหารส่วนตำบลหนองแสง"],
        ]


def test_the_f3_sheets_columns_are_numbered_as_the_pdfs(report_store, tmp_path):
    """The F3 sheet numbered its fifth item "(๕) วันที่รายงานผล" beside "๑. การคัดเลือก …",
    "๔. ผลการดำเนินกิจกรรม": one numbering, the PDF's "๕."."""
    ws = openpyxl.load_workbook(make(report_store, "monitoring", tmp_path)).worksheets[0]
    heads = [c.value for c in find_row(ws, "ที่")]
    assert [h.split(" ")[0] for h in heads[3:8]] == ["1.", "2.", "3.", "4.", "5."], heads
    assert heads[7] == "5. วันที่ รายงานผล"


def test_a_signers_name_at_its_120_characters_is_broken_within_its_half_of_the_page(
    report_store, tmp_path
):
    """An officer's name at its 120 characters printed on one line in the maker's signature
    line of F1 and F2 (a cell of no wrap, no row height): LibreOffice ran it across the
    executive's block and off the page's left edge. Now it is broken where the PDF breaks it,
    wrapped, and its row as tall as its lines; so is a long signer of a form signed alone."""
    officer = ("นางสาวประภาพรรณ " + "ศรีสุวรรณวงศ์ทองประเสริฐ" * 10)[:120]
    report_store.set_identity(officer=officer)
    lines = [
        "(นางสาวประภาพรรณ ศรีสุวรรณวงศ์ทองประเสริฐศรีสุวรรณวงศ์ทองประเสริฐศรี",
        "สุวรรณวงศ์ทองประเสริฐศรีสุวรรณวงศ์ทองประเสริฐศรีสุวรร)",
    ]
    for kind in ("plan", "summary"):
        ws = openpyxl.load_workbook(make(report_store, kind, tmp_path / kind)).worksheets[0]
        row = find_row(ws, "\n".join(lines))
        name = row[0]
        assert name.alignment.wrap_text and name.alignment.horizontal == "center"
        assert ws.row_dimensions[name.row].height == 43.6  # two lines of 11 pt
        # the executive's block keeps its line
        assert [c.value for c in row if c.value][1] == "(" + "." * 40 + ")"
    signer = "นายสมศักดิ์ " + "ประเสริฐวงศ์สุวรรณ" * 8
    ws = openpyxl.load_workbook(
        make(report_store, "monitoring", tmp_path / "f3", signer_name=signer)
    ).worksheets[0]
    row = find_row(
        ws,
        "(นายสมศักดิ์ ประเสริฐวงศ์สุวรรณประเสริฐวงศ์สุวรรณประเสริฐวงศ์สุวรรณประเสริฐ\n"
        "วงศ์สุวรรณประเสริฐวงศ์สุวรรณประเสริฐวงศ์สุวรรณประเสริฐวงศ์สุวรรณประเสริฐ\n"
        "วงศ์สุวรรณ)",
    )
    cell = next(c for c in row if c.value)
    assert cell.alignment.wrap_text and ws.row_dimensions[cell.row].height == 63.4
