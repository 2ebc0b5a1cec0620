"""Import F1 rows from an office's own .xlsx: choose the sheet, the header row and which column
is which field, see a preview, then add the rows (one undo step) to the plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exports.xlsx import plan_import
from exports.xlsx.plan_import import PlanImportError, WorkbookPreview
from lev_desktop.i18n import _
from ui import digits
from ui.context import AppContext
from ui.models.table import TableModel
from ui.status_palette import REFUSED
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.fit import fit_to_screen


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class PreviewModel(TableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[list[str]] = []
        self.width = 0
        self.header_row = 0

    def set_rows(self, rows: Sequence[list[str]], header_row: int = 0) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.width = max((len(r) for r in rows), default=0)
        self.header_row = header_row
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.width

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            column_letter(section) if orientation == Qt.Orientation.Horizontal else str(section + 1)
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.FontRole and index.row() == self.header_row:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None


class PlanImportDialog(QDialog):
    rows_ready = Signal(list)

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.preview: WorkbookPreview | None = None
        self.setWindowTitle(_("Import an action plan from Excel"))
        fit_to_screen(self, 980, 620)
        layout = QVBoxLayout(self)
        self.info = QLabel(_("Reading {name}…").format(name=path.name))
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        form = QFormLayout()
        self.sheet = QComboBox()
        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        form.addRow(_("Sheet"), self.sheet)
        self.header = digits.SpinBox()
        self.header.setRange(1, plan_import.PREVIEW_ROWS)
        self.header.valueChanged.connect(self._header_changed)
        form.addRow(_("Header row"), self.header)
        self.mapping: dict[str, QComboBox] = {}
        for key, label in plan_import.FIELDS:
            combo = QComboBox()
            self.mapping[key] = combo
            form.addRow(_(label), combo)
        layout.addLayout(form)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(DigitsDelegate(self.table))
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _("Add the rows to the plan")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        ctx.runner.run(
            lambda _p: plan_import.open_workbook(path),
            on_success=self._opened,
            on_failure=self._failed,
            owner=self,
            kind="io",
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, (PlanImportError, ValueError)):
            self.info.setText(str(exc))
        else:
            from lev_desktop.errors import describe_error

            self.info.setText(describe_error(exc) or _("The file cannot be read."))
        self.info.setStyleSheet(f"color: {REFUSED};")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _opened(self, preview: WorkbookPreview) -> None:
        self.preview = preview
        self.info.setText(_("Check which column holds which field; the bold row is the header."))
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for sheet in preview.sheets:
            self.sheet.addItem(sheet.name)
        self.sheet.blockSignals(False)
        self.sheet.setCurrentIndex(preview.best_sheet())
        self._sheet_changed(preview.best_sheet())

    def _sheet_changed(self, index: int) -> None:
        if self.preview is None or not (0 <= index < len(self.preview.sheets)):
            return
        sheet = self.preview.sheets[index]
        self.header.blockSignals(True)
        self.header.setValue(sheet.header_row + 1)
        self.header.blockSignals(False)
        self._fill_mapping(sheet.rows[sheet.header_row] if sheet.rows else [], sheet.mapping)
        self.model.set_rows(sheet.rows, sheet.header_row)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(sheet.rows))

    def _header_changed(self, value: int) -> None:
        if self.preview is None:
            return
        sheet = self.preview.sheets[self.sheet.currentIndex()]
        row = value - 1
        header = sheet.rows[row] if row < len(sheet.rows) else []
        self._fill_mapping(header, plan_import.guess_mapping(header))
        self.model.set_rows(sheet.rows, row)

    def _fill_mapping(self, header: list[str], mapping: dict[str, int]) -> None:
        width = max(self.model.width, len(header))
        if self.preview is not None:
            sheet = self.preview.sheets[self.sheet.currentIndex()]
            width = max([width] + [len(r) for r in sheet.rows])
        for key, combo in self.mapping.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("(not in the file)"), -1)
            for column in range(width):
                title = header[column] if column < len(header) else ""
                combo.addItem(f"{column_letter(column)} · {title}".strip(" ·"), column)
            combo.setCurrentIndex(combo.findData(mapping.get(key, -1)))
            combo.blockSignals(False)

    def chosen_mapping(self) -> dict[str, int]:
        return {
            key: combo.currentData()
            for key, combo in self.mapping.items()
            if combo.currentData() is not None and combo.currentData() >= 0
        }

    def _import(self) -> None:
        if self.preview is None:
            return
        sheet = self.preview.sheets[self.sheet.currentIndex()].name
        header, mapping, path = self.header.value() - 1, self.chosen_mapping(), self.path

        def done(result: plan_import.ImportResult) -> None:
            if result.problems:
                lines = [
                    _("Row {row}: {message}").format(row=n, message=m)
                    for n, m in result.problems[:8]
                ]
                self.info.setText(
                    _(
                        "{count} rows cannot be added; fix them in the file or the column choice:"
                    ).format(count=len(result.problems))
                    + "\n"
                    + "\n".join(lines)
                )
                self.info.setStyleSheet(f"color: {REFUSED};")
                return
            if not result.rows:
                self.info.setText(_("No rows with a project name were found under the header row."))
                return
            self.rows_ready.emit(result.rows)
            self.accept()

        self.ctx.runner.run(
            lambda _p: plan_import.extract_rows(path, sheet, header, mapping),
            on_success=done,
            on_failure=self._failed,
            owner=self,
            kind="io",
        )
