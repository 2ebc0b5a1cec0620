"""Tab onto a filled cell, then type: the typing replaces the cell, as in Excel and as on a
cell reached with Enter (clerk12). Qt opens the editor of the cell reached with Tab; a text
cell opened with the cursor after its text, so a clerk correcting a row with Tab saved
"ศูนย์พัฒนาเด็กเล็กและหมู่บ้านในเขต อปท.หมู่ 1-8" where she typed "หมู่ 1-8". F2 still edits
the text where it is."""

from __future__ import annotations

import pytest
from cells import cell_editor, settle, type_into_cell, type_text
from PySide6.QtCore import Qt
from questions import answer_with_events

from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from ui.models.plan_model import PLAN_COLUMNS

P1 = builtin_id("P1")
COL = {c.key: n for n, c in enumerate(PLAN_COLUMNS)}
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def answered_questions(qtbot, monkeypatch):
    answer_with_events(qtbot, monkeypatch)


def test_typing_on_a_cell_reached_with_tab_replaces_it(qtbot, lao_store, make_ctx):
    from ui.main_window import MainWindow

    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "_quit_confirmed", True))
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("plans")
    settle(qtbot, ctx)
    editor = window.page("plans").editor
    table = editor.table
    table.setCurrentIndex(editor.proxy.index(1, COL["target"]))
    type_into_cell(qtbot, table, "ต้นไม้ 500 ต้น")  # then Tab: the location cell is open
    type_text(cell_editor(table), "หมู่ 1-8")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Return)
    settle(qtbot, ctx)
    row = ps.load_plan(lao_store, lao_store.office_code, P1, 2568).items[1]
    assert (row.target, row.location) == ("ต้นไม้ 500 ต้น", "หมู่ 1-8")
    # F2 edits the text where it is: what is typed goes after it
    table.setCurrentIndex(editor.proxy.index(1, COL["location"]))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    type_text(cell_editor(table), " และหมู่ 9")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Return)
    settle(qtbot, ctx)
    row = ps.load_plan(lao_store, lao_store.office_code, P1, 2568).items[1]
    assert row.location == "หมู่ 1-8 และหมู่ 9"


def test_tab_goes_from_cell_to_cell_that_can_be_typed_into(qtbot, lao_store, make_ctx):
    """fit14, fit16 (Xvfb): Tab from "จำนวนครั้งตามแผน" stopped on "ทำแล้ว/แผน" and then on
    the next row's "ลำดับ", which cannot be typed into: two Tabs a row for nothing. As in the
    KPI form, Tab and Shift+Tab go between the cells a clerk types into."""
    from ui.main_window import MainWindow

    ps.start_from_examples(lao_store, P1, 2568)
    ctx = make_ctx(lao_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "_quit_confirmed", True))
    window.resize(1092, 582)
    window.show()
    qtbot.waitExposed(window)
    window.show_screen("plans")
    settle(qtbot, ctx)
    editor = window.page("plans").editor
    table = editor.table
    model = editor.proxy
    editable = Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, COL["seq"])) & editable
    assert not model.flags(model.index(0, COL["progress"])) & editable
    table.setFocus()
    table.setCurrentIndex(model.index(0, COL["planned_activities"]))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    reached = table.currentIndex()
    assert (reached.row(), reached.column()) == (1, COL["project"])
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    reached = table.currentIndex()
    assert (reached.row(), reached.column()) == (0, COL["planned_activities"])
    # and from a cell being typed into: the next one opens
    type_into_cell(qtbot, table, "5")  # then Tab
    reached = table.currentIndex()
    assert (reached.row(), reached.column()) == (1, COL["project"])
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Escape)
    settle(qtbot, ctx)
