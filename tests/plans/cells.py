"""Helpers for driving the plan editors as a person would."""

from __future__ import annotations

from keyboard import focused
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Any text (Thai too), one key event per character: keyClicks aborts on Thai."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def cell_editor(table) -> QWidget:
    """The open cell editor of a table view: the widget with the focus in its window (active
    or not: ``keyboard.focused``), else the editor visible in its viewport."""
    focus = focused(table)
    if focus is not None and table.isAncestorOf(focus):
        if (
            isinstance(focus, QLineEdit)
            and focus.parent() is not None
            and hasattr(focus.parent(), "date")
        ):
            return focus
        if focus is not table:
            return focus
    editors = [
        w
        for w in table.viewport().findChildren(QWidget)
        if isinstance(w, (QPlainTextEdit, QLineEdit)) and w.isVisible()
    ]
    assert editors, "no cell editor is open"
    return editors[-1]


def type_into_cell(qtbot, table, text: str, *, then: Qt.Key | None = Qt.Key.Key_Tab) -> None:
    """Types into the current cell like a person: the first key opens the editor."""
    table.setFocus()
    type_text(table, text[0])
    editor = cell_editor(table)
    type_text(editor, text[1:])
    if then is not None:
        qtbot.keyClick(editor, then)


def settle(qtbot, ctx) -> None:
    """Waits until every queued save or load has run and been delivered."""
    for _round in range(3):
        qtbot.waitUntil(lambda: not ctx.runner.active, timeout=60000)
        qtbot.wait(5)
