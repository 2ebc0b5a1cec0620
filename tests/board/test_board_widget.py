"""The board's table models (qtmodeltester) and the widget end to end (worker → table)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from lev_desktop.changes import Changes
from lev_desktop.services import consolidation as c
from lev_desktop.services.consolidation import State
from ui.widgets.board import (
    BoardTableModel,
    ConsolidationBoard,
    GroupTableModel,
    IndicatorTableModel,
    ProgressChart,
)

TODAY = dt.date(2025, 10, 5)


@pytest.fixture
def ctx(demo_store, make_ctx):
    return make_ctx(demo_store)


def test_models_pass_qtmodeltester(demo_store, qapp, qtmodeltester):
    for code in ("P1", "P2", "P5"):
        board = c.build_board(demo_store, code, today=TODAY)
        for model_type in (BoardTableModel, GroupTableModel, IndicatorTableModel):
            model = model_type()
            model.set_board(board)
            qtmodeltester.check(model)
            model.set_board(None)
            qtmodeltester.check(model)


def test_district_rows_are_made_when_shown_and_equal_the_printed_table(demo_store, qapp):
    for code in ("P1", "P2", "P5"):
        board = c.build_board(demo_store, code, today=TODAY)
        headers, rows = c.district_table(board)
        model = GroupTableModel()
        model.set_board(board, c.district_rows(board))
        lazy = model.rows
        assert isinstance(lazy, c.TextRows)
        assert not any(lazy._made)  # nothing formatted before the view asks
        model.index(0, 0).data()
        assert sum(made is not None for made in lazy._made) == 1
        assert model.columnCount() == len(headers)
        shown = [
            [model.index(r, n).data() for n in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        assert shown == rows
        assert lazy[-1] == rows[-1] and lazy[1:] == rows[1:]


def test_table_rows_totals_and_sort(demo_store, qapp, qtmodeltester):
    board = c.build_board(demo_store, "P1", today=TODAY)
    model = BoardTableModel()
    model.set_board(board)
    assert model.rowCount() == len(board.rows) + 1
    budget_col = 5 + [m.key for m in board.metrics].index("budget_planned")
    last = model.rowCount() - 1
    assert model.index(last, 0).data() == "รวม"
    total = sum(r.values["budget_planned"] for r in board.rows)
    assert model.index(last, budget_col).data() == f"{total:,.2f} บาท"
    model.sort(budget_col, Qt.SortOrder.DescendingOrder)
    shown = [model.board_row(r).values["budget_planned"] for r in range(len(board.rows))]
    assert shown == sorted(shown, reverse=True)
    assert model.index(last, 0).data() == "รวม"  # the totals row stays at the bottom
    qtmodeltester.check(model)
    state_texts = {model.index(r, 3).data() for r in range(len(board.rows))}
    assert state_texts <= {s.label for s in State}
    assert model.headerData(budget_col, Qt.Orientation.Horizontal) == "งบประมาณตามแผน"


def test_percent_totals_are_means(demo_store, qapp):
    board = c.build_board(demo_store, "P2", today=TODAY)
    model = BoardTableModel()
    model.set_board(board)
    col = 5 + [m.key for m in board.metrics].index("kpi:collection_coverage")
    assert model.index(model.rowCount() - 1, col).data().startswith("เฉลี่ย ")
    assert model.headerData(col, Qt.Orientation.Horizontal).endswith("(%)")
    long = 5 + [m.key for m in board.metrics].index("kpi:households_total")
    header = model.headerData(long, Qt.Orientation.Horizontal)
    assert "\n" in header
    # Exactly the title, in lines; a break at the space drops the space. (Where the lines break
    # depends on the application font, which an earlier test in the process may have set.)
    title, at = "จำนวนครัวเรือนทั้งหมดในพื้นที่ (ครัวเรือน)", 0
    for line in header.split("\n"):
        at += title[at] == " " and at > 0
        assert title[at : at + len(line)] == line, header
        at += len(line)
    assert at == len(title), header


def _wait_board(qtbot, widget, **kwargs):
    with qtbot.waitSignal(widget.board_ready, timeout=10000, **kwargs) as blocker:
        pass
    return blocker.args[0]


def test_widget_builds_and_filters(ctx, qtbot, monkeypatch):
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    with qtbot.waitSignal(ctx.runner.job_finished, timeout=10000):
        widget = ConsolidationBoard(ctx)
        qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
    board = widget.board
    assert board.programme_code == "P1" and len(board.rows) == 14
    assert widget.model.rowCount() == 15
    assert "อปท. 14 แห่ง" in widget.summary.text()
    assert "กำหนดส่ง 31 ธ.ค. 2567" in widget.summary.text()

    with qtbot.waitSignal(widget.board_ready, timeout=10000) as blocker:
        widget.type_box.setCurrentIndex(widget.type_box.findData("sao"))
    sao = blocker.args[0]
    assert sao.rows and all(r.lao_type == "sao" for r in sao.rows)
    assert widget.model.rowCount() == len(sao.rows) + 1

    with qtbot.waitSignal(widget.board_ready, timeout=10000) as blocker:
        widget.select_programme("P4")
    p4 = blocker.args[0]
    assert p4.programme_code == "P4"
    assert widget.period_box.isVisibleTo(widget) and widget.period_box.count() == 12
    assert widget.period_box.currentData() == "2025-09"  # due 1 Oct: the latest already due
    assert "months_reported" in [m.key for m in p4.metrics]
    text = widget.table_text().splitlines()
    assert text[0].split("\t")[:2] == ["อำเภอ", "อปท."]
    assert text[-1].startswith("รวม\t")

    with qtbot.waitSignal(widget.board_ready, timeout=10000) as blocker:
        widget.district_box.setCurrentIndex(widget.district_box.findData("4801"))
    assert len(blocker.args[0].rows) == len(sao.rows) and widget.district_box.count() == 2


def test_widget_empty_filter_message(ctx, qtbot, monkeypatch):
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    widget = ConsolidationBoard(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
    with qtbot.waitSignal(widget.board_ready, timeout=10000):
        widget.type_box.setCurrentIndex(widget.type_box.findData("pao"))
    assert widget.model.rowCount() == 0
    assert "ไม่มี อปท." in widget.summary.text()


def test_chart_paints(demo_store, qtbot):
    chart = ProgressChart()
    qtbot.addWidget(chart)
    chart.resize(700, 200)
    chart.set_board(c.build_board(demo_store, "P1", today=TODAY))
    image = chart.grab().toImage()
    assert not image.isNull()
    chart.set_board(None)
    assert not chart.grab().toImage().isNull()


def test_printed_summary(ctx, qtbot, monkeypatch):
    from ui.widgets.board import summary_html

    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    widget = ConsolidationBoard(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
    with qtbot.waitSignal(widget.board_ready, timeout=10000) as blocker:
        widget.select_programme("P2")
    board = blocker.args[0]
    html = summary_html(board)
    assert "อำเภอเมืองนครพนม" in html and "ต้นทาง" in html and "22 พฤศจิกายน 2567" in html
    assert html.count("<tr") == 1 + len(board.districts) + 1 + 1 + len(board.indicators)
    assert "จำนวนครัวเรือนทั้งหมดในพื้นที่ (ครัวเรือน)</th>" not in html.split("<h4>")[0]
    document = widget.summary_document()
    assert "รวม" in document.toPlainText()
    shown = []
    monkeypatch.setattr(
        "PySide6.QtPrintSupport.QPrintPreviewDialog.exec", lambda self: shown.append(self) or 0
    )
    widget.print_summary()
    assert shown


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on show()
def test_data_change_rebuilds_when_shown(ctx, qtbot, monkeypatch):
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    widget = ConsolidationBoard(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
    ctx.notify(Changes(exchange=True))  # hidden: only remembered
    assert widget._stale
    with qtbot.waitSignal(widget.board_ready, timeout=10000):
        widget.show()
    assert not widget._stale
    with qtbot.waitSignal(widget.board_ready, timeout=10000):
        ctx.notify(Changes(plans=True))  # on screen: rebuilt at once


def test_programme_chosen_before_the_list_loaded(ctx, qtbot, monkeypatch):
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    widget = ConsolidationBoard(ctx)
    qtbot.addWidget(widget)
    widget.select_programme("P5")  # the programme list is still loading
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
    assert widget.board.programme_code == "P5"
    assert widget.programme_box.currentData() == "P5"


def test_the_filters_share_the_choices_rows_and_the_actions_stand_beside_the_tabs(
    ctx, qtbot, monkeypatch
):
    """Under Xvfb at 1366×768 at 125 % the board had ~790 px of width: its refresh, copy and
    print buttons wrapped the filters to a second row, and the list showed three LAOs. They
    stand in the tab bar's empty end now, over the table they act on.

    In the application's own font and style (``make_application``), as an officer sees it: it
    asked the corner for the buttons' whole size hint (34 px) in Qt's default font, and failed
    after any test that had started the application (the corner is 33 px there; the buttons,
    31 px, hold their 24 px line whole)."""
    from ui.app import make_application

    make_application()
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    with qtbot.waitSignal(ctx.runner.job_finished, timeout=10000):
        widget = ConsolidationBoard(ctx)
        qtbot.addWidget(widget)
    widget.resize(790, 480)
    widget.show()
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)

    corner = widget.tabs.cornerWidget(Qt.Corner.TopRightCorner)
    assert corner is not None
    for button in (widget.refresh_button, widget.copy_button, widget.print_button):
        assert corner.isAncestorOf(button) and button.isVisible()

    # two rows of choices: the district beside the programme, the type beside the obligation
    def middle(box):
        return box.mapTo(widget, box.rect().center()).y()

    assert middle(widget.district_box) == middle(widget.programme_box)
    assert middle(widget.type_box) == middle(widget.obligation_box)
    assert middle(widget.programme_box) < middle(widget.obligation_box)
    # the corner's buttons are not cut by the tab bar
    for button in (widget.refresh_button, widget.copy_button, widget.print_button):
        assert corner.rect().contains(button.geometry()), button.text()
        # the Thai line with its marks (24 px in Sarabun 11 pt), and the frame around it
        assert button.height() >= button.fontMetrics().height() + 4, button.text()


def test_the_fiscal_year_does_not_read_into_the_district_label(ctx, qtbot, monkeypatch):
    """ "ปีงบประมาณ 2568 อำเภอ [ทุกอำเภอ]": the year and the next label stood as far apart as the
    year and its own label, and read as one phrase (fit13). Between two label-and-field pairs
    there is now clearly more room than inside a pair."""
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    with qtbot.waitSignal(ctx.runner.job_finished, timeout=10000):
        widget = ConsolidationBoard(ctx)
        qtbot.addWidget(widget)
    widget.resize(790, 480)
    widget.show()
    qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)

    def left(w):
        return w.mapTo(widget, w.rect().topLeft()).x()

    def right(w):
        return w.mapTo(widget, w.rect().topRight()).x()

    assert widget.year_label.text() == "2568"
    inside = left(widget.year_label) - right(widget.year_title)
    between = left(widget.district_label) - right(widget.year_label)
    assert between >= 3 * inside, (inside, between)


def test_the_longest_real_lao_name_reads_whole(ctx, demo_store, qtbot, monkeypatch):
    """The LAO column was capped at 280 px: "องค์การบริหารส่วนตำบลนิคมสร้างตนเองลำโดมน้อย" (the
    longest of the gazetteer's 7,850 LAO names, 311 px in the app's font) and 7 more read
    "…ลำ…", whole only in the tooltip. The column now takes the longest real name."""
    from PySide6.QtWidgets import QApplication

    from lev_desktop.services.offices import add_lao
    from ui import style

    longest = "องค์การบริหารส่วนตำบลนิคมสร้างตนเองลำโดมน้อย"
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    add_lao(demo_store, code="4801099", name=longest, lao_type="sao", district_code="4801")
    style.load_fonts()
    font = QApplication.font()
    QApplication.setFont(style.app_font())  # the app's Sarabun, as users see it
    try:
        with qtbot.waitSignal(ctx.runner.job_finished, timeout=10000):
            widget = ConsolidationBoard(ctx)
            qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: widget.board is not None, timeout=10000)
        model, table = widget.model, widget.table
        names = [model.index(r, 1).data() for r in range(model.rowCount())]
        assert longest in names
        room = table.columnWidth(1) - 20  # (the cell's margins, as fit_columns counts them)
        assert table.fontMetrics().horizontalAdvance(longest) <= room
    finally:
        QApplication.setFont(font)
