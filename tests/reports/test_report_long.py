"""The longest texts an LAO may type (validation allows 20,000 characters in a project's or an
activity's text), read where an officer reads them: F2's table and its column widths."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import Activity, PlanItem
from exports.pdf import ThaiParagraph
from exports.reports import ReportOptions, layout
from exports.reports import documents as d
from exports.reports.data import load_plan
from exports.reports.layout import Row, TableSpec, fit_columns
from exports.reports.text import digits_of
from lev_desktop.services import demo

# Thai runs without a space between words, as Thai is typed: 100 characters a run
RUN = "การคัดแยกขยะมูลฝอยจากต้นทางเพื่อลดปริมาณขยะและส่งเสริมเศรษฐกิจหมุนเวียนในชุมชนท้องถิ่นรักษ์โลก"
LONG = (RUN + " ") * 3  # about 300 characters
LONGEST = (RUN + " ") * 20  # 2,000 characters: a project described in its name


@pytest.fixture
def long_store(lao_store):
    """The demo LAO whose every project and activity is named and described at length."""
    demo.fill(lao_store)
    with lao_store.session() as s:
        for item in s.scalars(select(PlanItem)):
            item.project = LONGEST
            item.objective = item.target = LONG
        for activity in s.scalars(select(Activity)):
            activity.title = activity.place = activity.outputs = LONG
            activity.problems = activity.remedies = LONG
    return lao_store


def f2(store, monkeypatch):
    made: list[layout.PagedTable] = []
    original = d.paged_table

    def recording(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(d, "paged_table", recording)
    pdf = d.summary_pdf(load_plan(store, "4801006", 2568), ReportOptions(thai_digits=False))
    return made[0], pdf


def test_f2_prints_a_project_named_at_length(long_store, monkeypatch):
    """Before: ReportLab's LayoutError ("PagedTable … too large on page 2"): a project's row
    heads its activities and was never split, and at 300 characters it stood 812 pt tall
    (the page holds 482); with the width shared (below), a name of 2,000 characters still
    needs more than a page. Now a heading taller than a page is split like any row, its rest
    under "(ต่อ)"; every project's name is printed whole."""
    table, pdf = f2(long_store, monkeypatch)
    assert pdf.startswith(b"%PDF")
    heads = [r for r in table.rows if r.kind.startswith("total")]
    printed = "".join(
        c.getPlainText() for r in heads for c in r.cells[1:2] if isinstance(c, ThaiParagraph)
    )
    projects = len(load_plan(long_store, "4801006", 2568).rows)
    assert printed.replace(" ", "") == (LONGEST * projects + "รวม").replace(" ", "")


def test_long_texts_in_two_columns_share_the_width():
    """Texts too long for nine in ten of them on eight lines at any width: before, the whole
    rest of the width went to the last text column and the first stayed as narrow as its
    widest word (F2's project a word a line: 54 pt beside 149 pt of problems). Now the rest
    is shared by their texts' lengths, as when they fit."""
    spec = TableSpec(header=[["ที่", "โครงการ", "ปัญหาอุปสรรค"]], widths=[100.0, 100.0, 100.0])
    rows = [Row(["1", LONG * 3, LONG * 3]) for _ in range(5)]
    with digits_of("arabic"):
        fit_columns(spec, rows)
    assert abs(spec.widths[1] - spec.widths[2]) < 1.0, spec.widths
    assert sum(spec.widths) == 300


def test_no_workbook_row_is_taller_than_excel_allows(long_store, tmp_path):
    """F2's workbook of the same texts gave a project's row 954.4 pt; Excel's rows are at most
    409 pt (its specifications), so the sheet asked for a height no spreadsheet shows. Every
    row now at most 409 pt; the text is whole in its cell."""
    from openpyxl import load_workbook

    from exports.reports import ReportRequest, generate

    path = generate(
        long_store,
        ReportRequest("summary", "4801006", 2568, "xlsx"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    sheet = load_workbook(path).active
    heights = [d.height for d in sheet.row_dimensions.values() if d.height]
    assert max(heights) == 409.0
    assert LONGEST in [c.value for row in sheet.iter_rows() for c in row]


def test_a_decimal_indicator_prints_the_decimals_it_was_given():
    """A KPI report printed every decimal or percent value with two decimals: 0.125 tonnes a
    day as 0.13, and the largest value then accepted as 100,000,000,000,000.00 (a value the
    form refuses). The decimals typed are printed (up to the four a value keeps), at least
    two as before."""
    from exports.reports.data import KpiLine

    def printed(kind: str, value: Decimal) -> str:
        line = KpiLine("x", "ปริมาณขยะ", "ตัน/วัน", kind, "", value=value)
        return d.kpi_value_text(line, value, ReportOptions(thai_digits=False))

    assert printed("decimal", Decimal("0.125")) == "0.125"
    assert printed("decimal", Decimal("3.2")) == "3.20"
    assert printed("decimal", Decimal("2.5300")) == "2.53"
    assert printed("percent", Decimal("12.3456")) == "12.3456"
    assert printed("decimal", Decimal("99999999999.9999")) == "99,999,999,999.9999"
    assert printed("baht", Decimal("12500.5")) == "12,500.50"


def test_a_sum_beyond_a_spreadsheets_precision_is_written_as_its_text(tmp_path):
    """F1's workbook of 39 projects at the largest budget a project takes (999,999,999,999.99
    baht): the total 38,999,999,999,999.61 has 16 significant digits, and a spreadsheet keeps
    15: LibreOffice printed ๓๘,๙๙๙,๙๙๙,๙๙๙,๙๙๙.๖๐. Now such a number is its text, exact; the
    budgets themselves stay numbers."""
    from openpyxl import load_workbook

    from exports.reports import workbook
    from exports.reports.data import OfficeInfo, PlanData, PlanRow

    office = OfficeInfo("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "lao", "sao", "4801", "48")
    budget = Decimal("999999999999.99")
    rows = [
        PlanRow(n, "โครงการ", "วัตถุประสงค์", "เป้าหมาย", "ที่", budget, False, "ตัวชี้วัด", "ผล", 1)
        for n in range(1, 40)
    ]
    data = PlanData(office, 2568, "P1", {}, "draft", rows, {})
    for thai, total in ((False, "38,999,999,999,999.61"), (True, "๓๘,๙๙๙,๙๙๙,๙๙๙,๙๙๙.๖๑")):
        path = workbook.write("plan", data, ReportOptions(thai_digits=thai), tmp_path / "f1.xlsx")
        cells = [c.value for row in load_workbook(path).active.iter_rows() for c in row]
        assert total in cells
        assert cells.count(float(budget)) == 39  # (openpyxl reads a number back as a float)


def test_a_row_taller_than_a_page_begins_under_its_projects_heading():
    """F2 of 40 projects with 300-character texts: after a project's heading ran over from the
    page before, its first activity (678 pt, taller than any page, so split wherever it goes)
    went whole to the next page, as a row that fits a page does when less than 70 pt is left:
    67 pt of the page stayed empty under the heading. A row taller than a page now begins
    where two of its lines fit; its text continues under "1.1 (ต่อ)", none lost."""
    width = layout.frame_width(True)
    spec = TableSpec(
        header=[["ที่", "โครงการ / กิจกรรม", "สถานที่"]],
        widths=[60.0, 250.0, width - 310.0],
        size=12,
        pad=2.5,
    )
    rows = [Row(["1", "โครงการคัดแยกขยะ", ""], "total"), Row(["1.1", LONGEST, "ตลาดสด"])]
    table = layout.PagedTable(spec, rows)
    with digits_of("arabic"):
        table.wrap(width, 10_000)
        assert table._heights[1] > layout.frame_height(True)  # taller than a page
        room = 60.0  # three lines of 12 pt (16.8 pt each) and the padding
        first, rest = table.split(width, table._header_height + table._heights[0] + room)
    assert isinstance(first, layout.Table) and isinstance(rest, layout.PagedTable)
    assert len(first._cellvalues) == 3  # the heading row, the project, the activity's top
    top = first._cellvalues[2]
    assert top[0].getPlainText() == "1.1"
    assert len(top[1].line_texts()) == 3
    assert rest.rows[0].cells[0].getPlainText() == "1.1 (ต่อ)"
    printed = top[1].getPlainText() + rest.rows[0].cells[1].getPlainText()
    assert printed.replace(" ", "") == LONGEST.replace(" ", "")
