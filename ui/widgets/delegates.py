"""Cell editors for the table editors: multi-line Thai text, baht, whole numbers, BE dates.

Keyboard like Excel: Tab / Shift+Tab commit and move to the next / previous cell, Enter
commits and moves down (the view does the moving, see ``table_view.ExcelTableView``),
Alt+Enter or Shift+Enter starts a new line inside a text cell, Esc cancels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QKeyEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from lev_desktop.thai_format import format_date
from ui import digits, thai_wrap
from ui.widgets.date_edit import BEDateEdit

# what Qt hands a delegate: a model index or a persistent one
Index = QModelIndex | QPersistentModelIndex

# Closing an editor with this hint means "Enter": the view moves down a row.
ENTER_HINT = QAbstractItemDelegate.EndEditHint.SubmitModelCache


def _replacing(editor: QWidget) -> bool:
    """True when the editor was opened by typing onto the cell (the text is replaced)."""
    widget = editor.parentWidget()
    while widget is not None:
        if hasattr(widget, "replace_on_edit"):
            return bool(widget.replace_on_edit)
        widget = widget.parentWidget()
    return False


def _selecting(editor: QWidget) -> bool:
    """True when the editor was opened by moving onto the cell with Tab: its text is selected
    (typing replaces it, as on a cell reached with Enter; an arrow key keeps it)."""
    widget = editor.parentWidget()
    while widget is not None:
        if hasattr(widget, "select_on_edit"):
            return bool(widget.select_on_edit)
        widget = widget.parentWidget()
    return False


class DigitsDelegate(QStyledItemDelegate):
    """A cell's text in the interface's digits (``ui.digits``): the base of every delegate of
    the app, and the delegate of tables that need nothing else."""

    def displayText(self, value: Any, locale: Any) -> str:
        return digits.shown(super().displayText(value, locale))


class WrappingDelegate(DigitsDelegate):
    """Cells whose height is what their wrapped text needs, in the interface's digits.

    Qt's own size hint wraps the text at the column's width, but the cell paints it inside the
    stylesheet's padding and the text margins, so a long Thai cell was measured a line short
    and painted with "…" at its foot. This measures at the width the text really gets.
    """

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        view = option.widget
        if not isinstance(text, str) or not text or view is None:
            return size
        if not getattr(view, "wordWrap", lambda: False)():
            return size
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = view.columnWidth(index.column()) if hasattr(view, "columnWidth") else 0
        if width <= 0:
            return size
        opt.rect = QRect(0, 0, width, 10_000)
        style = view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, view)
        usable = max(thai_wrap.cell_text_width(style, opt, view), 8)
        # measured as painted: the lines ui.thai_wrap gives the cell at this width
        needed = opt.fontMetrics.boundingRect(
            QRect(0, 0, usable, 100_000),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
            thai_wrap.wrapped(opt.text or text, opt.font, usable),
        )
        chrome = opt.rect.height() - text_rect.height()
        return QSize(size.width(), max(size.height(), needed.height() + chrome + 4))

    def paint(self, painter, option: QStyleOptionViewItem, index: Index) -> None:
        """A cell in a row cut to its share of the table (``rows_in_view``, ui.widgets.fit)
        shows the whole lines that fit, the last ending in "…": Qt's own elision left the top
        of the next line's marks at the row's foot."""
        view = option.widget
        if (
            view is None
            or int(view.property("rows_in_view") or 1) <= 1
            or not getattr(view, "wordWrap", lambda: False)()
            or self.sizeHint(option, index).height() <= option.rect.height()  # all of it shows
        ):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        fitted = fit_lines(
            opt.text, opt.font, max(text_rect.width() - 2 * margin, 8), opt.rect.height()
        )
        if fitted == opt.text:
            super().paint(painter, option, index)
            return
        opt.text = fitted
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, view)


def fit_lines(text: str, font: QFont, width: int, height: int) -> str:
    """``text`` wrapped at ``width`` as the cell paints it, cut to the whole lines that fit in
    ``height`` (at least one, less the cell's padding), the last ending in "…"; unchanged
    when all of it fits."""
    from PySide6.QtGui import QFontMetrics, QTextLayout

    if not text:
        return text
    metrics = QFontMetrics(font)
    shown = thai_wrap.wrapped(text, font, width)
    layout = QTextLayout(shown, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    room = max((height - 8) // metrics.lineSpacing(), 1)
    if len(lines) <= room:
        return text
    kept = [shown[a : a + n].rstrip("\n" + thai_wrap.LINE_END) for a, n in lines[: room - 1]]
    rest = shown[lines[room - 1][0] :].replace("\n", " ").replace(thai_wrap.LINE_END, "")
    kept.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return "\n".join(kept)


class _KeyboardDelegate(WrappingDelegate):
    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            mods = event.modifiers()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and isinstance(editor, QWidget):
                backwards = key == Qt.Key.Key_Backtab or bool(
                    mods & Qt.KeyboardModifier.ShiftModifier
                )
                self.commitData.emit(editor)
                self.closeEditor.emit(
                    editor,
                    QAbstractItemDelegate.EndEditHint.EditPreviousItem
                    if backwards
                    else QAbstractItemDelegate.EndEditHint.EditNextItem,
                )
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                newline = mods & (
                    Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
                )
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

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        editor.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        editor.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor.setObjectName("cellTextEditor")
        editor.textChanged.connect(lambda: _grow(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            text = "" if _replacing(editor) else index.data(Qt.ItemDataRole.EditRole) or ""
            if editor.toPlainText() != text:
                editor.setPlainText(text)
                editor.moveCursor(editor.textCursor().MoveOperation.End)
            if _selecting(editor):
                editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # The editor covers its cell exactly, never more: the row grows with the text instead
        # (_grow). An editor taller than its row covered the next row while typing and, when
        # it shrank or closed, left bits of its glyphs there (a stray tone mark) that the
        # table did not repaint.
        editor.setGeometry(option.rect)
        editor.setProperty("row", index.row())
        _grow(editor)
        QTimer.singleShot(0, editor, lambda: _grow(editor))  # once the text is laid out


def _table_of(editor: QWidget) -> QTableView | None:
    viewport = editor.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    return view if isinstance(view, QTableView) else None


def _grow(editor: QWidget) -> None:
    """The row grows with the text being typed, so that the editor shows all of it inside its
    own cell (the row is measured again when the edit is committed)."""
    if not isinstance(editor, QPlainTextEdit):
        return
    lines = max(1, int(editor.document().size().height()))
    needed = (
        lines * editor.fontMetrics().lineSpacing() + 2 * int(editor.document().documentMargin()) + 4
    )
    view = _table_of(editor)
    row = editor.property("row")
    if view is None or row is None:
        return
    if view.rowHeight(int(row)) < needed:
        view.setRowHeight(int(row), needed)  # the view moves the editor with its cell


class LineDelegate(_KeyboardDelegate):
    """One-line input (baht amounts, whole numbers): the model parses and validates the text."""

    one_line = True  # its column is as wide as its text (fit.ColumnFit), never wrapped in two

    def __init__(self, parent: QObject | None = None, *, align_right: bool = True):
        super().__init__(parent)
        self.align_right = align_right

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        if self.align_right:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(
                "" if _replacing(editor) else str(index.data(Qt.ItemDataRole.EditRole) or "")
            )
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


MoneyDelegate = LineDelegate


def typed_date(editor: BEDateEdit) -> dt.date | str | None:
    """What the person gave the cell: the date picked or shown, or the text typed (Tab/Enter
    come before the editor reads it). Text goes to the model as it is, so that a date the
    model cannot take stays in the cell in red instead of vanishing."""
    text = editor.text().strip()
    current = editor.date()
    if not text:
        return None
    if current is not None and text in (
        format_date(current, "short"),
        format_date(current, "numeric"),
    ):
        return current
    return text


class DateDelegate(_KeyboardDelegate):
    """BE dates in table cells: shown "15 ก.พ. 2568", edited with the shared BEDateEdit."""

    # a date is one unit: its column as wide as its dates (fit.ColumnFit); beside long texts
    # the column was given its widest word, "2568", and "10 พ.ย. 25…" was cut
    one_line = True

    def displayText(self, value: Any, locale: Any) -> str:
        if isinstance(value, dt.date):
            return digits.shown(format_date(value, "short"))
        return super().displayText(value, locale)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = BEDateEdit(parent)
        editor.setAutoFillBackground(True)
        editor.line.installEventFilter(self)  # keys reach the inner line edit
        return editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = watched.parent() if isinstance(watched, QLineEdit) else None
        if isinstance(parent, BEDateEdit):
            # The inner line edit: only Tab/Enter/Esc are ours; focus changes inside the
            # editor are not the end of editing (the view filters the editor itself).
            if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
                return False
            key = event.key()
            hints: dict[int, QAbstractItemDelegate.EndEditHint] = {
                Qt.Key.Key_Return: ENTER_HINT,
                Qt.Key.Key_Enter: ENTER_HINT,
                Qt.Key.Key_Tab: QAbstractItemDelegate.EndEditHint.EditNextItem,
                Qt.Key.Key_Backtab: QAbstractItemDelegate.EndEditHint.EditPreviousItem,
            }
            if key in hints:
                self.commitData.emit(parent)
                self.closeEditor.emit(parent, hints[key])
                return True
            if key == Qt.Key.Key_Escape:
                self.closeEditor.emit(parent, QAbstractItemDelegate.EndEditHint.RevertModelCache)
                return True
            return False
        return super().eventFilter(watched, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, BEDateEdit):
            editor.setDate(None if _replacing(editor) or not isinstance(value, dt.date) else value)
            if isinstance(value, str) and value and not _replacing(editor):
                editor.line.setText(value)  # a refused date: what was typed, to correct it

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, BEDateEdit):
            model.setData(index, typed_date(editor), Qt.ItemDataRole.EditRole)
