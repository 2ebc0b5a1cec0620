"""The one base of the app's table models, and the one editing behaviour of every grid.

Every table model of the app derives ``TableModel``: it holds the rows a worker handed in (it
never queries the database), names its columns once (``Column``) and answers Qt's questions
about them. Editable grids (F1, F2) derive ``EditableTableModel``; the KPI form, whose rows
and columns come from the programme's specification, derives ``TableModel`` and keeps its
own checks, but shows them the same way.

The editing behaviour, taken from the KPI form (see UI.md): a value that cannot be read or
is not allowed **stays in its cell**, in red, with the Thai reason as the cell's tooltip and
in the screen's status line. It is never saved and never silently erased: the saved value
stays in the database until a correct value is typed, Esc or Ctrl+Z takes the typing back,
and leaving the screen or quitting asks first (``ui.widgets.leave_guard``). A date typed with a
Christian-era year is read as that date and the note says so.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QUndoCommand, QUndoStack

from lev_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex

# The colours of a refused cell (the same in every grid) and of typed text not saved yet.
ERROR_BG = QColor("#f8d7da")
ERROR_FG = QColor("#b71c1c")
PENDING_BG = QColor("#fff8e1")
READ_ONLY_BG = QColor("#f5f5f5")

NUMERIC_KINDS = ("money", "budget", "int", "seq", "number")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names the field, ``title`` is a msgid translated when shown.

    ``kind``: text (multi-line) | line | money | budget | int | number | date | seq | readonly.
    ``width`` is the preferred width in pixels at the default font; ``value`` and ``tooltip``
    read a cell of a read-only table from its row object.
    """

    key: str
    title: str
    kind: str = "text"
    width: int = 0
    value: Callable[[Any], Any] | None = None
    tooltip: Callable[[Any], str | None] | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


class CellError(ValueError):
    """Typed text that cannot go into the cell; the message is for the person (Thai)."""


@dataclass(frozen=True)
class Invalid:
    """A refused cell: what was typed and why it cannot be saved."""

    text: str
    reason: str


class TableModel(QAbstractTableModel):
    """Rows of objects shown through ``columns``; read-only unless a subclass says otherwise.

    Presentation hooks a subclass may override: ``display``, ``edit_value``, ``tooltip``,
    ``alignment``, ``background``, ``foreground``, ``font``, ``extra``. Models whose columns
    depend on their data override ``column_list``; models of another shape override ``data``
    and still get the header, the row bookkeeping and the refused-cell layer from here.
    """

    # A refused value was typed (message naming the cell), or a typed value was adjusted
    # (e.g. a Christian-era year converted): for the screen's status line.
    problem = Signal(str)
    noted = Signal(str)
    invalid_changed = Signal()

    columns: Sequence[Column] = ()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[Any] = []
        self.invalid: dict[tuple[Any, str], Invalid] = {}

    # ---- rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        """New rows from a worker. Refused cells of rows that are still there stay."""
        self.beginResetModel()
        self.rows = list(rows)
        keys = {self.row_key(row) for row in self.rows}
        dropped = [k for k in self.invalid if k[0] not in keys]
        for key in dropped:
            del self.invalid[key]
        self.endResetModel()
        if dropped:
            self.invalid_changed.emit()

    def row_object(self, position: int) -> Any:
        return self.rows[position]

    def row_key(self, row: Any) -> Any:
        """What identifies a row across reloads (its id)."""
        return getattr(row, "id", None) or id(row)

    def column_list(self) -> Sequence[Column]:
        return self.columns

    def column_of(self, key: str) -> int:
        for number, column in enumerate(self.column_list()):
            if column.key == key:
                return number
        return -1

    # ---- presentation hooks ------------------------------------------------------------------
    def display(self, row: Any, column: Column, position: int) -> Any:
        value = column.value(row) if column.value is not None else getattr(row, column.key, "")
        return "" if value is None else str(value)

    def edit_value(self, row: Any, column: Column) -> Any:
        return self.display(row, column, 0)

    def tooltip(self, row: Any, column: Column) -> str | None:
        if column.tooltip is not None:
            return column.tooltip(row)
        return None

    def alignment(self, row: Any, column: Column) -> int:
        return RIGHT if column.numeric else LEFT

    def background(self, row: Any, column: Column) -> Any:
        return None

    def foreground(self, row: Any, column: Column) -> Any:
        return None

    def font(self, row: Any, column: Column) -> Any:
        return None

    def extra(self, row: Any, column: Column, role: int) -> Any:
        return None

    def header_text(self, section: int) -> str:
        columns = self.column_list()
        return _(columns[section].title) if 0 <= section < len(columns) else ""

    # ---- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.column_list())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.columnCount():
                return None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.header_text(section)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        columns = self.column_list()
        if not 0 <= index.column() < len(columns):
            return None
        row = self.rows[index.row()]
        column = columns[index.column()]
        refused = self.invalid.get((self.row_key(row), column.key)) if self.invalid else None
        if refused is not None:
            shown = invalid_data(refused, role)
            if shown is not None:
                return shown
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column, index.row())
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return self.font(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return self.row_key(row)
        return self.extra(row, column, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ---- refused cells ---------------------------------------------------------------------
    def has_invalid(self) -> bool:
        return bool(self.invalid)

    def invalid_cells(self) -> list[tuple[QModelIndex, str]]:
        """(index, "where: reason") of every refused cell, in table order."""
        out: list[tuple[QModelIndex, str]] = []
        for position, row in enumerate(self.rows):
            key = self.row_key(row)
            for number, column in enumerate(self.column_list()):
                refused = self.invalid.get((key, column.key))
                if refused is not None:
                    out.append(
                        (self.index(position, number), self.describe(position, number, refused))
                    )
        return out

    def describe(self, position: int, column: int, refused: Invalid) -> str:
        """ "Row 2 · Budget (baht): must not be below 0" — which cell, and why."""
        return _("Row {row} · {column}: {reason}").format(
            row=position + 1, column=self.header_text(column), reason=refused.reason
        )

    def set_invalid(self, row_key: Any, column_key: str, refused: Invalid | None) -> None:
        """Marks a cell refused (or takes the mark away); repaints it."""
        if refused is None:
            if self.invalid.pop((row_key, column_key), None) is None:
                return
        else:
            self.invalid[(row_key, column_key)] = refused
        for position, row in enumerate(self.rows):
            if self.row_key(row) == row_key:
                column = self.column_of(column_key)
                if column >= 0:
                    index = self.index(position, column)
                    self.dataChanged.emit(index, index)
                break
        self.invalid_changed.emit()


def invalid_data(refused: Invalid, role: int) -> Any:
    """How a refused cell looks, the same in every grid: the typed text in red on pink,
    the reason as its tooltip."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
        return refused.text
    if role == Qt.ItemDataRole.ToolTipRole:
        return refused.reason
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(ERROR_BG)
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(ERROR_FG)
    return None


def ce_year_note(year: int, date: Any) -> str:
    """What the status line says after a Christian-era year was read as a date."""
    from lev_desktop.thai_format import format_date

    return _("{year} is a Christian-era year: recorded as {date}").format(
        year=year, date=format_date(date, "short")
    )


def source_of(model: QAbstractItemModel | None, index: QModelIndex | None = None):
    """The model under any filter proxies (and the index mapped down to it)."""
    while isinstance(model, QSortFilterProxyModel):
        if index is not None and index.isValid():
            index = model.mapToSource(index)
        model = model.sourceModel()
    return model, index


# ---- editable rows ------------------------------------------------------------------------------


class EditableTableModel(TableModel):
    """A table of editable rows (dataclasses with an ``id``), for the plan and activity editors.

    Every edit goes through the undo stack as a command; applying a command (redo or undo)
    changes the rows and emits ``changed`` with a small diff ({"upserts": [...], "deletes":
    [...]}) that the editor writes in a worker straight away. A refused value is a command
    too (Ctrl+Z takes it back), but it changes no field and so is never written.
    """

    changed = Signal(object)  # {"upserts": [dict], "deletes": [str]}

    row_fields: tuple[str, ...] = ()  # fields persisted for a whole row

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.editable = False
        self.undo_stack: QUndoStack | None = None
        self.renumber = False  # keep row.seq = position + 1

    # ---- hooks -------------------------------------------------------------------------------
    def parse(self, row: Any, column: Column, value: Any) -> dict[str, Any]:
        """Typed value → fields to store; raises CellError with a Thai message."""
        return {column.key: value}

    def after_fields(self, row: Any, values: dict[str, Any]) -> None:
        """Derived fields after an edit (e.g. typing an amount clears "no budget")."""

    def new_row(self) -> Any:
        raise NotImplementedError

    def note(self, message: str) -> None:
        """A value was read differently from how it was typed (parse() says so)."""
        self.noted.emit(message)

    # ---- Qt ----------------------------------------------------------------------------------
    def alignment(self, row: Any, column: Column) -> int:
        vertical = Qt.AlignmentFlag.AlignTop
        side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
        return int(side | vertical)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        column = self.column_list()[index.column()]
        if self.editable and column.kind not in ("seq", "readonly"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        row = self.rows[index.row()]
        column = self.column_list()[index.column()]
        if column.kind in ("seq", "readonly"):
            return False
        key = self.row_key(row)
        before = self.invalid.get((key, column.key))
        try:
            new = self.parse(row, column, value)
        except CellError as exc:
            text = "" if value is None else str(value)
            refused = Invalid(text, str(exc))
            if refused != before:
                self.push(
                    SetFieldsCommand(
                        self,
                        key,
                        {},
                        {},
                        _("Edit {column}").format(column=self.header_text(index.column())),
                        column=column.key,
                        refused_before=before,
                        refused_after=refused,
                    )
                )
            self.problem.emit(self.describe(index.row(), index.column(), refused))
            return True
        old = {k: getattr(row, k) for k in new}
        if old == new and before is None:
            return True
        self.push(
            SetFieldsCommand(
                self,
                key,
                old,
                new,
                _("Edit {column}").format(column=self.header_text(index.column())),
                column=column.key,
                refused_before=before,
                refused_after=None,
            )
        )
        return True

    # ---- rows --------------------------------------------------------------------------------
    def row_of(self, row_id: str) -> int:
        for position, row in enumerate(self.rows):
            if row.id == row_id:
                return position
        return -1

    def push(self, command: QUndoCommand) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    def _full(self, row: Any) -> dict[str, Any]:
        return {"id": row.id, **{k: getattr(row, k) for k in self.row_fields}}

    def _seq_changes(self) -> list[dict[str, Any]]:
        if not self.renumber:
            return []
        out = []
        for position, row in enumerate(self.rows, start=1):
            if getattr(row, "seq", position) != position:
                row.seq = position
                out.append({"id": row.id, "seq": position})
        if out and self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))
        return out

    # Applied by the undo commands (and only by them).
    def apply_fields(self, row_id: str, values: dict[str, Any]) -> None:
        position = self.row_of(row_id)
        if position < 0 or not values:
            return
        row = self.rows[position]
        for key, value in values.items():
            setattr(row, key, value)
        self.after_fields(row, values)
        self.dataChanged.emit(self.index(position, 0), self.index(position, self.columnCount() - 1))
        self.changed.emit({"upserts": [{"id": row_id, **values}], "deletes": []})

    def insert_rows_at(self, position: int, rows: list[Any]) -> None:
        position = max(0, min(position, len(self.rows)))
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self.rows[position:position] = rows
        self.endInsertRows()
        upserts = [self._full(r) for r in rows]
        seqs = self._seq_changes()
        by_id = {u["id"]: u for u in upserts}
        for change in seqs:
            if change["id"] in by_id:
                by_id[change["id"]]["seq"] = change["seq"]
            else:
                upserts.append(change)
        self.changed.emit({"upserts": upserts, "deletes": []})

    def remove_ids(self, ids: list[str]) -> list[tuple[int, Any]]:
        removed: list[tuple[int, Any]] = []
        for row_id in ids:
            position = self.row_of(row_id)
            if position < 0:
                continue
            self.beginRemoveRows(QModelIndex(), position, position)
            removed.append((position, self.rows.pop(position)))
            self.endRemoveRows()
        gone = [k for k in self.invalid if k[0] in set(ids)]
        for key in gone:  # a removed row takes its refused cells with it (undo restores it)
            del self.invalid[key]
        if gone:
            self.invalid_changed.emit()
        self.changed.emit({"upserts": self._seq_changes(), "deletes": [r.id for _p, r in removed]})
        return removed

    def move_row(self, source: int, target: int) -> None:
        if (
            source == target
            or not (0 <= source < len(self.rows))
            or not (0 <= target < len(self.rows))
        ):
            return
        destination = target + 1 if target > source else target
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        row = self.rows.pop(source)
        self.rows.insert(target, row)
        self.endMoveRows()
        self.changed.emit({"upserts": self._seq_changes(), "deletes": []})

    # ---- helpers for editors -------------------------------------------------------------------
    def add_row(self, position: int | None = None, row: Any = None) -> Any:
        row = row if row is not None else self.new_row()
        position = len(self.rows) if position is None else position
        self.push(InsertRowsCommand(self, position, [row], _("Add row")))
        return row

    def remove_rows(self, positions: list[int]) -> None:
        ids = [self.rows[p].id for p in sorted(set(positions)) if 0 <= p < len(self.rows)]
        if ids:
            self.push(RemoveRowsCommand(self, ids, _("Remove rows")))

    def move(self, position: int, delta: int) -> bool:
        target = position + delta
        if not (0 <= position < len(self.rows)) or not (0 <= target < len(self.rows)):
            return False
        self.push(MoveRowCommand(self, position, target, _("Move row")))
        return True

    def paste_block(self, top: int, left: int, block: list[list[str]]) -> int:
        """Pastes tab-separated cells from Excel at (top, left); adds rows as needed. One undo
        step. A cell that cannot be read stays in its cell in red, like a typed one. Returns
        the cells written."""
        if not self.editable or not block:
            return 0
        stack = self.undo_stack
        if stack is not None:
            stack.beginMacro(_("Paste"))
        written, refused = 0, []
        try:
            for offset, cells in enumerate(block):
                position = top + offset
                if position >= len(self.rows):
                    self.push(
                        InsertRowsCommand(self, len(self.rows), [self.new_row()], _("Add row"))
                    )
                row = self.rows[position]
                for c_offset, text in enumerate(cells):
                    col = left + c_offset
                    columns = self.column_list()
                    if col >= len(columns):
                        break
                    if columns[col].kind in ("seq", "readonly"):
                        continue
                    self.setData(self.index(position, col), text)
                    key = (self.row_key(row), columns[col].key)
                    if key in self.invalid:
                        refused.append(self.describe(position, col, self.invalid[key]))
                    else:
                        written += 1
        finally:
            if stack is not None:
                stack.endMacro()
        if refused:
            self.problem.emit(refused[0])
        return written


def copy_row(row: Any, **changes: Any) -> Any:
    return dataclasses.replace(copy.deepcopy(row), **changes)


class SetFieldsCommand(QUndoCommand):
    """One cell (or one row's fields): old → new values, and the cell's refused text."""

    def __init__(
        self,
        model: EditableTableModel,
        row_id: str,
        old: dict[str, Any],
        new: dict[str, Any],
        text: str,
        *,
        column: str = "",
        refused_before: Invalid | None = None,
        refused_after: Invalid | None = None,
    ):
        super().__init__(text)
        self.model, self.row_id, self.old, self.new = model, row_id, old, new
        self.column = column
        self.refused_before, self.refused_after = refused_before, refused_after

    def redo(self) -> None:
        self.model.apply_fields(self.row_id, dict(self.new))
        if self.column:
            self.model.set_invalid(self.row_id, self.column, self.refused_after)

    def undo(self) -> None:
        self.model.apply_fields(self.row_id, dict(self.old))
        if self.column:
            self.model.set_invalid(self.row_id, self.column, self.refused_before)


class InsertRowsCommand(QUndoCommand):
    def __init__(self, model: EditableTableModel, position: int, rows: list[Any], text: str):
        super().__init__(text)
        self.model, self.position, self.rows = model, position, rows

    def redo(self) -> None:
        self.model.insert_rows_at(self.position, [copy.deepcopy(r) for r in self.rows])

    def undo(self) -> None:
        self.model.remove_ids([r.id for r in self.rows])


class RemoveRowsCommand(QUndoCommand):
    def __init__(self, model: EditableTableModel, ids: list[str], text: str):
        super().__init__(text)
        self.model, self.ids = model, ids
        self.removed: list[tuple[int, Any]] = []
        self.refused: dict[tuple[Any, str], Invalid] = {}

    def redo(self) -> None:
        self.refused = {k: v for k, v in self.model.invalid.items() if k[0] in set(self.ids)}
        self.removed = self.model.remove_ids(self.ids)

    def undo(self) -> None:
        for position, row in reversed(self.removed):
            self.model.insert_rows_at(position, [row])
        for (row_id, column), refused in self.refused.items():
            self.model.set_invalid(row_id, column, refused)


class MoveRowCommand(QUndoCommand):
    def __init__(self, model: EditableTableModel, source: int, target: int, text: str):
        super().__init__(text)
        self.model, self.source, self.target = model, source, target

    def redo(self) -> None:
        self.model.move_row(self.source, self.target)

    def undo(self) -> None:
        self.model.move_row(self.target, self.source)
