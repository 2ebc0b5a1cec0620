"""The LAOs under a district or province with the state of the obligations their F1/F2/F3
forms fulfil (the one model: ``lev_desktop.deadlines``), in the one palette."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from lev_desktop.i18n import N_, _
from lev_desktop.services.plans import FORM_CODES, OfficeStatusRow, short_office_name
from ui import status_palette

Index = QModelIndex | QPersistentModelIndex


class OfficeStatusModel(QAbstractTableModel):
    HEADERS = (N_("Office"), "F1", "F2", "F3", N_("Projects"), N_("Activities"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[OfficeStatusRow] = []

    def set_rows(self, rows: list[OfficeStatusRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        state = row.statuses.get(FORM_CODES[column - 1]) if 1 <= column <= 3 else None
        chip = 1 <= column <= 3
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return short_office_name(row.name)
            if chip:
                return state.label if state is not None else ""
            return str(row.rows if column == 4 else row.activities)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{row.name} ({row.code})"
        if state is not None and role == Qt.ItemDataRole.BackgroundRole:
            return status_palette.bg(state)
        if state is not None and role == Qt.ItemDataRole.ForegroundRole:
            return status_palette.fg(state)
        if role == Qt.ItemDataRole.UserRole:
            return row.code
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
