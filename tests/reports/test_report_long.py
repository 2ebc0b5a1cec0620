"""The longest texts an LAO may type (validation allows 20,000 characters in a project's or an
activity's text), read where an officer reads them: F2's table and its column widths."""

from __future__ import annotations

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
