"""Small helpers shared by the Settings parts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableView,
    QWidget,
)

from lev_desktop.i18n import _
from ui.style import row_height
from ui.widgets.fit import fit_header, fit_table


def save_cancel(dialog: QDialog, on_save: Callable[[], None]) -> QDialogButtonBox:
    """A Settings dialog's "บันทึก" / "ยกเลิก": Save calls ``on_save`` (its check, which accepts
    the dialog when the values are good), Cancel rejects it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def make_table(model, parent: QWidget | None = None, *, stretch: int = -1) -> QTableView:
    """A read-only table with rows tall enough for Thai marks."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(row_height(view))
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch == -1)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    fit_header(view)
    return view


def fit_columns(view: QTableView, stretch: int | None = None) -> None:
    """Columns in proportion to their content, sharing the table's width (``stretch``, the
    column with the longest texts, gets the most)."""
    widths = [
        min(max(view.sizeHintForColumn(c), 40), 420) for c in range(view.model().columnCount())
    ]
    if stretch is not None and 0 <= stretch < len(widths):
        widths[stretch] = max(widths[stretch], max(widths) * 2)
    fit_table(view, widths)


def warn(parent: QWidget, title: str, message: str) -> QMessageBox:
    """A non-blocking warning (tests and screenshots never wait on a modal loop)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.show()
    return box


def inform(parent: QWidget, title: str, message: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.show()
    return box
