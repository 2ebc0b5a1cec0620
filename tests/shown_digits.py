"""Reading what a window or dialog shows a person, to check its digits (the screens' test in
tests/ui/test_screen_fit.py, the dialogs' in tests/ui/test_dialog_digits.py)."""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTabBar,
    QTableView,
    QTextEdit,
    QWidget,
)

from lev_desktop.thai_format import document_digits
from ui.widgets.date_edit import BEDateEdit, MonthPopup

DIGIT_SAMPLE = re.compile(r"\(๐[^)]*๙\)")  # "ใช้เลขไทย (๐–๙)": the setting names them


def model_name(view: QAbstractItemView) -> str:
    model = view.model()
    while hasattr(model, "sourceModel"):
        model = model.sourceModel()
    return type(model).__name__


def shown_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what the window shows a person: labels, buttons, tabs, every item of
    every combo box, group titles, placeholders, read-only text panes, number boxes, date
    boxes and their month popups, progress bars, table headers, and the first rows of each
    table as its delegate draws them."""
    out: list[tuple[str, str]] = []
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible():
            continue
        name = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            out.append((name, widget.text()))
            if isinstance(widget, QAbstractButton) and isinstance(widget.window(), MonthPopup):
                out.append((f"{name} tooltip", widget.toolTip()))
        elif isinstance(widget, QTabBar):
            out += [(name, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            out += [(name, widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QGroupBox):
            out.append((name, widget.title()))
        elif isinstance(widget, QAbstractSpinBox):
            out.append((name, widget.text()))  # the number as Qt writes it, with its suffix
        elif isinstance(widget, BEDateEdit):
            out.append((name, widget.text()))  # the date as the box writes it
        elif isinstance(widget, QProgressBar) and widget.isTextVisible():
            out.append((name, widget.text()))
        elif isinstance(widget, QLineEdit):
            if isinstance(widget.parent(), (QAbstractSpinBox, BEDateEdit)):
                continue  # read above, as their box
            placeholder = widget.placeholderText()  # typed text keeps its own digits
            if not placeholder.startswith(("/", "\\")) and ":\\" not in placeholder[:3]:
                out.append((name, placeholder))  # (a folder's path is not a text to read)
        elif isinstance(widget, QTextEdit) and widget.isReadOnly():
            out.append((name, widget.toPlainText()))
        elif (
            isinstance(widget, QAbstractItemView)
            and not isinstance(widget, QHeaderView)  # its table's model, seen through the table
            and widget.model() is not None
        ):
            model = widget.model()
            name = f"{name} {model_name(widget)}"
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model's column count is private in PySide6: one
                columns = 1
            if isinstance(widget, QTableView) and widget.horizontalHeader().isVisible():
                out += [
                    (name, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                    for c in range(columns)
                ]
            for row in range(min(model.rowCount(QModelIndex()), 30)):
                for column in range(columns):
                    index = model.index(row, column)
                    value = index.data()
                    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                        delegate = widget.itemDelegateForIndex(index)
                        shown = delegate.displayText(value, QLocale()) if delegate else str(value)
                        out.append((name, shown))
    return out


def wrong_digits(where: str, text: str, mode: str) -> list[str]:
    """``where: text`` when ``text`` has digits of the other kind than ``mode`` ("thai",
    "arabic"), by the one rule (``document_digits``, as ``ui.digits.shown``): codes, addresses
    and files' names keep theirs."""
    text = DIGIT_SAMPLE.sub("", text)
    return [f"{where}: {text[:80]!r}"] if document_digits(text, mode) != text else []
