"""The F1 cell editor while typing a long Thai text (issue 12): it stays inside its cell and the
row grows with the text, so nothing is drawn over the next row and nothing is left there."""

from __future__ import annotations

from cells import cell_editor, settle, type_text
from PySide6.QtCore import Qt

from ui.models.plan_model import PLAN_COLUMNS
from ui.screens.plans import PlansScreen

COL = {c.key: n for n, c in enumerate(PLAN_COLUMNS)}
LONG = "โครงการปุ๋ยหมักจากเศษอาหารในครัวเรือนที่ญี่ปุ่นก็ทำ น้ำหมักชีวภาพทุกหมู่บ้าน"


def test_the_editor_never_covers_the_next_row(qtbot, lao_store, make_ctx):
    ctx = make_ctx(lao_store)
    screen = PlansScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1166, 708)
    screen.show()
    qtbot.waitExposed(screen)
    settle(qtbot, ctx)
    editor = screen.editor
    table = editor.table
    qtbot.mouseClick(editor.blank_button, Qt.MouseButton.LeftButton)
    type_text(table, "ก")
    qtbot.keyClick(cell_editor(table), Qt.Key.Key_Return)
    editor.add_row()
    settle(qtbot, ctx)
    first = editor.proxy.index(0, COL["objective"])
    table.setCurrentIndex(first)
    table.setFocus()
    short = table.rowHeight(0)
    type_text(table, LONG[0])
    field = cell_editor(table)
    grew = False
    for ch in LONG[1:]:
        type_text(field, ch)
        cell = table.visualRect(first)
        assert cell.contains(field.geometry()), ch  # inside its own cell, never over row 2
        assert table.visualRect(editor.proxy.index(1, 0)).top() > field.geometry().bottom()
        grew = grew or table.rowHeight(0) > short
    assert grew  # the row took the lines the text needed
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(qtbot, ctx)
    assert editor.model.rows[0].objective == LONG
