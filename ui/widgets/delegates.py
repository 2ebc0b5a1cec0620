"""Cell editors for the table editors: multi-line Thai text, baht, whole numbers, BE dates.

Keyboard like Excel: Tab / Shift+Tab commit and move to the next / previous cell, Enter
commits and moves down (the view does the moving, see ``table_view.ExcelTableView``),
Alt+Enter or Shift+Enter starts a new line inside a text cell, Esc cancels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

# Closing an editor with this hint means "Enter": the view moves down a row.
ENTER_HINT = QAbstractItemDelegate.EndEditHint.SubmitModelCache


class _KeyboardDelegate(QStyledItemDelegate):
    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            mods = event.modifiers()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                newline = mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
                if newline and isinstance(editor, QPlainTextEdit):
                    editor.insertPlainText("\n")
                    return True
                if isinstance(editor, QWidget):
                    self.commitData.emit(editor)
                    self.closeEditor.emit(editor, ENTER_HINT)
                    return True
        return super().eventFilter(editor, event)


class TextDelegate(_KeyboardDelegate):
    """Multi-line text: the editor wraps Thai at word boundaries like the cell does."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        editor.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        editor.setObjectName("cellTextEditor")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            if editor.toPlainText() != text:
                editor.setPlainText(text)
                editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rect = option.rect
        # Give the editor room for a few lines even when the row is short.
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * 4 + 8))
        editor.setGeometry(rect)


class LineDelegate(_KeyboardDelegate):
    """One-line input (baht amounts, whole numbers): the model parses and validates the text."""

    def __init__(self, parent: QObject | None = None, *, align_right: bool = True):
        super().__init__(parent)
        self.align_right = align_right

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        if self.align_right:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


MoneyDelegate = LineDelegate


def _date_editor_class() -> type | None:
    try:
        from lev_desktop.ui.widgets.date_edit import BEDateEdit
    except ImportError:
        return None
    return BEDateEdit


class DateDelegate(_KeyboardDelegate):
    """BE dates: the shared BEDateEdit widget; a typed "15/02/2568" field until it exists."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        cls = _date_editor_class()
        if cls is not None:
            editor = cls(parent)
        else:
            editor = QLineEdit(parent)
            editor.setPlaceholderText("15/02/2568")
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QLineEdit):
            editor.setText(value.strftime("%d/%m/") + str(value.year + 543) if isinstance(value, dt.date) else "")
            editor.selectAll()
        else:
            editor.setDate(value if isinstance(value, dt.date) else None)  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        value: Any
        if isinstance(editor, QLineEdit):
            value = editor.text()
        else:
            value = editor.date()  # type: ignore[attr-defined]
        model.setData(index, value, Qt.ItemDataRole.EditRole)
