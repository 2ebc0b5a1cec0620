"""Table models of the Settings screen: pure presentation of rows a worker handed in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from lev_desktop import gazetteer
from lev_desktop.domain.offices import LaoType
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import format_date, format_datetime

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str  # msgid
    value: Callable[[Any], Any]
    tooltip: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    """Rows of any objects, one column per ``Column``; read-only."""

    columns: Sequence[Column] = ()

    def __init__(self, rows: Sequence[Any] = (), parent=None):
        super().__init__(parent)
        self._rows: list[Any] = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section].title)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        obj = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(obj)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(obj)
            value = column.value(obj)
            return None if value in (None, "") else str(value)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _lao_type(value: str | None) -> str:
    if not value:
        return ""
    return LaoType(value).abbreviation


def _route(office) -> str:
    if not office.lao_type:
        return ""
    if LaoType(office.lao_type).reports_via_district:
        return _("via the district")
    return _("straight to the province")


class LaoTableModel(RowsModel):
    """The LAOs of this office (Office records)."""

    columns = (
        Column(N_("Code"), lambda o: o.code),
        Column(N_("Name"), lambda o: o.name),
        Column(N_("Type"), lambda o: _lao_type(o.lao_type)),
        Column(N_("District"), lambda o: gazetteer.district_label(o.district_code)),
        Column(N_("Reports"), _route),
    )


class LaoPreviewModel(RowsModel):
    """Rows read from a spreadsheet, with what is wrong with each; problem rows in red."""

    def __init__(
        self, rows: Sequence[Any] = (), parent=None, existing_codes: set[str] | None = None
    ):
        super().__init__(rows, parent)
        self.existing_codes = existing_codes or set()

    def _check(self, row) -> str:
        if row.problems:
            return _("Skipped: {problems}").format(problems="; ".join(row.problems))
        return _("Updates the LAO already listed") if row.code in self.existing_codes else _("New")

    @property
    def columns(self) -> Sequence[Column]:  # type: ignore[override]
        return (
            Column(N_("Line"), lambda r: r.line),
            Column(N_("Name"), lambda r: r.name),
            Column(N_("Type"), lambda r: r.lao_type.abbreviation if r.lao_type else ""),
            Column(N_("District"), lambda r: gazetteer.district_label(r.district_code)),
            Column(N_("Code"), lambda r: r.code),
            Column(N_("Check"), self._check),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.row() < len(self._rows)
        ):
            if self._rows[index.row()].problems:
                return QBrush(QColor("#b71c1c"))
            if index.column() == len(self.columns) - 1:
                return QBrush(QColor("#1b5e20"))
            return None
        return super().data(index, role)


class ProgrammeTableModel(RowsModel):
    columns = (
        Column(N_("Code"), lambda p: p.code),
        Column(N_("Programme"), lambda p: p.short_name or p.name, tooltip=lambda p: p.name),
        Column(N_("Fiscal year"), lambda p: p.fiscal_year or ""),
        Column(N_("Source"), lambda p: _("built-in") if p.builtin else _("made by this office")),
    )


class LetterTableModel(RowsModel):
    """The incoming-letter register; ``programmes`` maps programme id → code for display."""

    def __init__(
        self, rows: Sequence[Any] = (), parent=None, programmes: dict[str, str] | None = None
    ):
        super().__init__(rows, parent)
        self.programmes = programmes or {}

    @property
    def columns(self) -> Sequence[Column]:  # type: ignore[override]
        return (
            Column(N_("Receipt no."), lambda r: r.receipt_no),
            Column(N_("Received at"), lambda r: format_datetime(r.received_at)),
            Column(N_("Letter no."), lambda r: r.letter_no),
            Column(N_("Dated"), lambda r: format_date(r.letter_date)),
            Column(N_("From"), lambda r: r.from_org),
            Column(N_("Subject"), lambda r: r.subject),
            Column(N_("Programme"), lambda r: self.programmes.get(r.programme_id or "", "")),
        )
