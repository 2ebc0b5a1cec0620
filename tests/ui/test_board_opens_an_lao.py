"""From the board to an LAO's form (fit15: a district officer saw an LAO late on the board and
had no way from its row to what the LAO had sent; Enter and a double click did nothing)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from waits import idle

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def district_window(qtbot, demo_store, make_ctx):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    ctx = make_ctx(demo_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1092, 582)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("exchange")
    exchange = window.page("exchange")
    exchange.tabs.setCurrentWidget(exchange.board)
    board = exchange.board
    qtbot.waitUntil(lambda: board.board is not None and board.model.rowCount() > 0, timeout=20000)
    yield window, ctx, board
    ctx.runner.cancel_all()
    ctx.runner.wait()


def _row_of(board, code: str) -> int:
    return next(r for r in range(board.model.rowCount()) if board.model.board_row(r).code == code)


def _press_enter_on(qtbot, board, code: str) -> None:
    board.table.setCurrentIndex(board.model.index(_row_of(board, code), 0))
    board.table.setFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_Return)


def test_enter_on_an_lao_opens_its_plan(qtbot, district_window):
    window, ctx, board = district_window
    board.select_programme("P1")
    qtbot.waitUntil(lambda: board.board.programme_code == "P1", timeout=20000)
    assert board.board.obligation.form == "F1"  # P1's first: the committee's meeting, its plan
    _press_enter_on(qtbot, board, "4801005")
    qtbot.waitUntil(lambda: window.current_key() == "plans", timeout=5000)
    plans = window.page("plans")
    idle(qtbot, ctx)
    qtbot.waitUntil(lambda: plans.offices.selected() == "4801005", timeout=10000)
    assert plans.bar.programme.currentText() == "เครือข่าย อถล. ปีงบประมาณ 2568"
    idle(qtbot, ctx)
    assert plans.editor.office == "4801005"


def test_enter_on_an_lao_opens_its_monitoring_form(qtbot, district_window):
    window, ctx, board = district_window
    board.select_programme("P1")
    qtbot.waitUntil(lambda: board.board.programme_code == "P1", timeout=20000)
    from lev_desktop.services.consolidation import board_obligations

    f3 = next(o for o in board_obligations(board._programme(), 2568) if o.form == "F3")
    shown = board.board
    board.obligation_box.setCurrentIndex(board.obligation_box.findData(f3.code))
    qtbot.waitUntil(lambda: board.board is not shown, timeout=20000)
    assert board.board.obligation.form == "F3"
    _press_enter_on(qtbot, board, "4801007")
    qtbot.waitUntil(lambda: window.current_key() == "activities", timeout=5000)
    activities = window.page("activities")
    idle(qtbot, ctx)
    qtbot.waitUntil(lambda: activities.offices.selected() == "4801007", timeout=10000)
    assert activities.tabs.currentIndex() == 1  # F3
