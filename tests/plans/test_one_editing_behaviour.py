"""One editing behaviour in every grid (issue 12): a refused value stays in its red cell with
the Thai reason (tooltip and status), is never saved and never silently erased; a Christian-era
year is converted with a visible note; leaving the screen, changing the fiscal year or quitting
with a refused cell asks first. Driven with real key and mouse events, in the main window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from cells import cell_editor, settle, type_into_cell, type_text
from keyboard import shortcut
from PySide6.QtCore import Qt
from questions import answer, answer_with_events

from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from ui.models.activity_model import ACTIVITY_COLUMNS
from ui.models.plan_model import PLAN_COLUMNS
from ui.models.table import ERROR_BG
from ui.thai_wrap import plain

P1 = builtin_id("P1")
F1 = {c.key: n for n, c in enumerate(PLAN_COLUMNS)}
F2 = {c.key: n for n, c in enumerate(ACTIVITY_COLUMNS)}
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def answered_questions(qtbot, monkeypatch):
    answer_with_events(qtbot, monkeypatch)


@pytest.fixture
def window_for(qtbot, make_ctx):
    from ui.main_window import MainWindow

    def make(store, key):
        ctx = make_ctx(store)
        window = MainWindow(ctx)
        # a test that fails with a value in red must not wait for an answer at teardown
        qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "_quit_confirmed", True))
        window.resize(1366, 728)
        window.show()
        qtbot.waitExposed(window)
        window.show_screen(key)
        settle(qtbot, ctx)
        return window, ctx

    return make


def _budget(store):
    return ps.load_plan(store, store.office_code, P1, 2568).items[0].budget


def test_f1_refused_budget_stays_red_named_never_saved_never_erased(qtbot, lao_store, window_for):
    ps.start_from_examples(lao_store, P1, 2568)
    window, ctx = window_for(lao_store, "plans")
    editor = window.page("plans").editor
    table = editor.table
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    type_into_cell(qtbot, table, "12500", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert _budget(lao_store) == Decimal("12500.00")

    # "-500": refused, stays in the cell in red, the reason as tooltip and in the status
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    type_into_cell(qtbot, table, "-500", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    cell = editor.proxy.index(0, F1["budget"])
    assert cell.data() == "-500"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    reason = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert reason and "0" in reason
    assert plain(editor.message.text()).count("แถวที่ 1 · งบประมาณ (บาท)") == 1
    assert window.statusBar().currentMessage().startswith("แถวที่ 1 · งบประมาณ (บาท): ")
    assert _budget(lao_store) == Decimal("12500.00")  # never saved

    # typing elsewhere saves that cell; the red one stays and the message says so
    table.setCurrentIndex(editor.proxy.index(0, F1["location"]))
    type_into_cell(qtbot, table, "ศาลาประชาคม", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert ps.load_plan(lao_store, "4801006", P1, 2568).items[0].location == "ศาลาประชาคม"
    assert editor.proxy.index(0, F1["budget"]).data() == "-500"
    assert "ยกเว้นช่องสีแดง 1 ช่อง" in plain(editor.message.text())

    # "abc" onto the red cell: still red, now "abc"; moving onto it shows the reason again
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    type_into_cell(qtbot, table, "abc", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert editor.proxy.index(0, F1["budget"]).data() == "abc"
    table.setCurrentIndex(editor.proxy.index(1, F1["budget"]))
    window.statusBar().clearMessage()
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    assert "ตัวเลข" in window.statusBar().currentMessage()

    # Ctrl+Z takes the typing back step by step: "abc" → "-500" → (location) → 12,500.00
    table.setFocus()
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.proxy.index(0, F1["budget"]).data() == "-500"
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    cell = editor.proxy.index(0, F1["budget"])
    assert cell.data() == "12,500.00"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) != ERROR_BG
    assert not editor.model.has_invalid()
    assert _budget(lao_store) == Decimal("12500.00")
    # the status bar no longer tells of a refusal that is gone
    assert "งบประมาณ (บาท)" not in window.statusBar().currentMessage()

    # a refusal taken back at once leaves the screen's message line too (seen under Xvfb)
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    type_into_cell(qtbot, table, "-7", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert "งบประมาณ (บาท)" in plain(editor.message.text())
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    table.setFocus()
    shortcut(qtbot, table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert editor.proxy.index(0, F1["budget"]).data() == "12,500.00"
    assert "งบประมาณ (บาท)" not in plain(editor.message.text())
    assert "งบประมาณ (บาท)" not in window.statusBar().currentMessage()


def test_leaving_changing_year_and_quitting_with_a_red_cell_ask_first(qtbot, lao_store, window_for):
    ps.start_from_examples(lao_store, P1, 2568)
    window, ctx = window_for(lao_store, "plans")
    editor = window.page("plans").editor
    table = editor.table
    table.setCurrentIndex(editor.proxy.index(1, F1["planned_activities"]))
    type_into_cell(qtbot, table, "สอง", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert editor.proxy.index(1, F1["planned_activities"]).data() == "สอง"
    table.setCurrentIndex(editor.proxy.index(2, F1["project"]))

    # another screen from the navigation pane: asked; Esc stays, on the red cell
    asked = answer(None)
    nav = window.nav
    rect = nav.visualItemRect(nav.item(window.keys.index("activities")))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(asked) == 1 and "แถวที่ 2 · " in asked[0] and "จนกว่าจะแก้ไข" in asked[0]
    assert window.current_key() == "plans" and nav.currentRow() == window.keys.index("plans")
    assert table.currentIndex().row() == 1
    assert table.currentIndex().column() == F1["planned_activities"]

    # the fiscal year: asked too; staying keeps the year
    asked = answer(None)
    combo = window.year_combo
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next year down the list: 2567
    assert asked and ctx.fiscal_year == 2568 and combo.currentData() == 2568

    # Ctrl+Q: asked; Esc keeps the window open
    asked = answer(None)
    table.setFocus()
    shortcut(qtbot, table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked and "ปิดโปรแกรม" in asked[0] and window.isVisible()

    # leaving on purpose: the red cell is still there when coming back
    answer("ออกโดยไม่บันทึกช่องเหล่านั้น")
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_key() == "activities"
    window.show_screen("plans")
    assert editor.proxy.index(1, F1["planned_activities"]).data() == "สอง"

    # Ctrl+Q and "quit without them" closes
    answer("ปิดโปรแกรมโดยไม่บันทึกช่องเหล่านั้น")
    table.setFocus()
    shortcut(qtbot, table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_f2_christian_era_year_is_converted_with_a_note_and_a_bad_date_stays(
    qtbot, lao_store, window_for
):
    ps.start_from_examples(lao_store, P1, 2568)
    window, ctx = window_for(lao_store, "activities")
    editor = window.page("activities").editor
    editor.act_add.trigger()
    table = editor.table
    type_into_cell(qtbot, table, "16/1/2025")  # a CE year, then Tab
    settle(qtbot, ctx)
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Escape)
    held = ps.list_activities(lao_store, "4801006", P1, 2568)[0].held_on
    assert held == dt.date(2025, 1, 16)
    assert editor.proxy.index(0, F2["held_on"]).data() == "16 ม.ค. 2568"
    assert "ปี 2025 เป็นปี ค.ศ. จึงบันทึกเป็น 16 ม.ค. 2568" in plain(editor.message.text())

    # a date that is no date: stays typed in red, the saved date is kept
    table.setCurrentIndex(editor.proxy.index(0, F2["held_on"]))
    type_into_cell(qtbot, table, "32/13/2568", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    cell = editor.proxy.index(0, F2["held_on"])
    assert cell.data() == "32/13/2568"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "ไม่มีเดือนที่ 13: เดือนมีตั้งแต่ 1 ถึง 12"
    assert ps.list_activities(lao_store, "4801006", P1, 2568)[0].held_on == dt.date(2025, 1, 16)
    # opening the red cell again shows what was typed, to correct it
    table.setCurrentIndex(cell)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    assert cell_editor(table).text() == "32/13/2568"
    type_text(cell_editor(table), "")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Escape)
    window.page("activities").editor.undo_stack.undo()
    assert not editor.model.has_invalid()


def test_an_edit_of_a_completed_form_says_it_went_back_to_draft(qtbot, lao_store, window_for):
    """Issue 12: an edit of a completed F1 puts it back into draft (form_status) and the chip
    turned from done ("ล่าช้ากว่ากำหนด": done after its date) to "เกินกำหนด" at once, with no
    word why. A line beside the chip and
    the status bar now say so, with the button's own label; confirming it complete again
    takes the line away. The fact comes from the core's save (form_status.reopened_by_edit)."""
    ps.start_from_examples(lao_store, P1, 2568)
    assert ps.set_form_status(lao_store, P1, 2568, ps.FORM_PLAN, "complete") == []
    window, ctx = window_for(lao_store, "plans")
    page = window.page("plans")
    editor, bar = page.editor, page.bar
    settle(qtbot, ctx)
    done = "F1: ล่าช้ากว่ากำหนด"  # complete, after its date
    qtbot.waitUntil(lambda: bar.badge.text() == done, timeout=20000)
    assert not bar.reopened.isVisible()

    table = editor.table
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    type_into_cell(qtbot, table, "13000", then=Qt.Key.Key_Return)
    settle(qtbot, ctx)
    said = "F1 กลับเป็นฉบับร่างเพราะมีการแก้ไข: กด “ยืนยันว่ากรอกครบถ้วน” อีกครั้งเพื่อให้นับว่าเสร็จแล้วและส่งได้"
    assert bar.reopened.isVisible() and plain(bar.reopened.text()) == said
    assert plain(window.statusBar().currentMessage()) == said
    assert bar.badge.text() == "F1: เกินกำหนด"  # draft now: overdue, its date has passed
    assert editor.act_complete.text() == "ยืนยันว่ากรอกครบถ้วน"  # the label the line names

    # a second edit of the draft says nothing new; confirming it complete takes the line away
    editor.act_complete.trigger()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: bar.badge.text() == done, timeout=20000)
    assert not bar.reopened.isVisible()


def test_ctrl_s_saves_the_cell_being_typed_in_and_says_changes_save_themselves(
    qtbot, lao_store, window_for
):
    """A clerk types an amount and presses Ctrl+S, as in Excel: it did nothing (the cell still
    open, nothing saved, no word). The cell's text is saved as any change, and the status bar
    says that every change is saved as it is made."""
    ps.start_from_examples(lao_store, P1, 2568)
    window, ctx = window_for(lao_store, "plans")
    editor = window.page("plans").editor
    table = editor.table
    table.setCurrentIndex(editor.proxy.index(0, F1["budget"]))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    type_text(cell_editor(table), "7500")
    shortcut(qtbot, cell_editor(table), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert _budget(lao_store) == Decimal("7500.00")
    assert window.statusBar().currentMessage() == (
        "บันทึกแล้ว LEV Desktop บันทึกทุกการแก้ไขทันทีที่แก้ ไม่ต้องกด Ctrl+S"
    )
    assert window.save_action.text() == "บันทึก"


def test_a_refusal_leaves_the_status_bar_when_put_right_or_a_success_is_said(
    qtbot, lao_store, window_for
):
    """clerk12 at 1366×768: "no action plan of 2567 to copy" stayed in the window's status bar
    for 15 s under the plan just made from the examples. A refusal goes with the next success
    said (F1's rows added) or when what it refused is put right (F3's note)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    window, ctx = window_for(lao_store, "plans")
    bar = window.statusBar()
    editor = window.page("plans").editor
    editor.copy_last_year()  # nothing last year: refused
    settle(qtbot, ctx)
    assert "ไม่มีแผนปฏิบัติงานของปีงบประมาณ 2567" in bar.currentMessage()
    editor.start_from_examples()
    settle(qtbot, ctx)
    assert editor.model.rowCount() == 3 and "2567" not in plain(editor.message.text())
    assert bar.currentMessage() == ""

    window.show_screen("activities")
    settle(qtbot, ctx)
    screen = window.page("activities")
    screen.tabs.setCurrentIndex(1)
    settle(qtbot, ctx)
    form = screen.monitoring
    form.note.setPlainText("ประชุมครั้งที่ 1\x0bครั้งที่ 2")
    QApplication.sendEvent(form.note, QFocusEvent(QEvent.Type.FocusOut))
    settle(qtbot, ctx)
    assert bar.currentMessage() == "หมายเหตุ: มีอักขระที่ไม่ใช่ข้อความ"
    form.note.setPlainText("ประชุมครั้งที่ 1\nครั้งที่ 2")
    QApplication.sendEvent(form.note, QFocusEvent(QEvent.Type.FocusOut))
    settle(qtbot, ctx)
    assert ps.get_monitoring(lao_store, "4801006", P1, 2568).note == "ประชุมครั้งที่ 1\nครั้งที่ 2"
    assert bar.currentMessage() == ""
    assert "อักขระ" not in form.message.text()
