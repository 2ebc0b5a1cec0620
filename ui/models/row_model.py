"""A table of editable rows (dataclasses with an ``id``), for the plan and activity editors.

The model only presents the rows handed to it (loaded by a worker) and never touches the
database. Every edit goes through the undo stack as a command; applying a command (redo or
undo) changes the rows and emits ``changed`` with a small diff ({"upserts": [...],
"deletes": [...]}) that the editor writes in a worker straight away.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from lev_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # msgid
    kind: str = "text"  # text | line | money | budget | int | date | seq | readonly
    width: int = 160


class CellError(ValueError):
    """Typed text that cannot go into the cell; the message is for the person (Thai)."""


class RowTableModel(QAbstractTableModel):
    changed = Signal(object)  # {"upserts": [dict], "deletes": [str]}
    problem = Signal(str)  # a typed value was refused

    columns: ClassVar[list[Column]] = []
    row_fields: tuple[str, ...] = ()  # fields persisted for a whole row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Any] = []
        self.editable = False
        self.undo_stack: QUndoStack | None = None
        self.renumber = False  # keep row.seq = position + 1

    # ---- presentation hooks --------------------------------------------------------------
    def display(self, row: Any, column: Column, position: int) -> str:
        value = getattr(row, column.key, "")
        return "" if value is None else str(value)

    def edit_value(self, row: Any, column: Column) -> Any:
        return self.display(row, column, 0)

    def parse(self, row: Any, column: Column, value: Any) -> dict[str, Any]:
        """Typed value → fields to store; raises CellError with a Thai message."""
        return {column.key: value}

    def tooltip(self, row: Any, column: Column) -> str | None:
        return None

    # ---- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return _(self.columns[section].title)
            return None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column, index.row())
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in ("money", "budget", "int", "seq"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if self.editable and column.kind not in ("seq", "readonly"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if column.kind in ("seq", "readonly"):
            return False
        try:
            new = self.parse(row, column, value)
        except CellError as exc:
            self.problem.emit(str(exc))
            return False
        old = {k: getattr(row, k) for k in new}
        if old == new:
            return True
        self.push(
            SetFieldsCommand(
                self, row.id, old, new, _("Edit {column}").format(column=_(column.title))
            )
        )
        return True

    # ---- rows ----------------------------------------------------------------------------
    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

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
        if position < 0:
            return
        row = self.rows[position]
        for key, value in values.items():
            setattr(row, key, value)
        self.after_fields(row, values)
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))
        self.changed.emit({"upserts": [{"id": row_id, **values}], "deletes": []})

    def after_fields(self, row: Any, values: dict[str, Any]) -> None:
        """Derived fields after an edit (e.g. typing an amount clears "no budget")."""

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

    # ---- helpers for editors ----------------------------------------------------------------
    def new_row(self) -> Any:
        raise NotImplementedError

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
        step. Cells that cannot be read are skipped and reported. Returns the cells written."""
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
                new: dict[str, Any] = {}
                for c_offset, text in enumerate(cells):
                    col = left + c_offset
                    if col >= len(self.columns):
                        break
                    column = self.columns[col]
                    if column.kind in ("seq", "readonly"):
                        continue
                    try:
                        new.update(self.parse(row, column, text))
                    except CellError as exc:
                        refused.append(str(exc))
                if new:
                    old = {k: getattr(row, k) for k in new}
                    if old != new:
                        self.push(SetFieldsCommand(self, row.id, old, new, _("Paste")))
                    written += len(new)
        finally:
            if stack is not None:
                stack.endMacro()
        if refused:
            self.problem.emit(refused[0])
        return written


class SetFieldsCommand(QUndoCommand):
    def __init__(
        self, model: RowTableModel, row_id: str, old: dict[str, Any], new: dict[str, Any], text: str
    ):
        super().__init__(text)
        self.model, self.row_id, self.old, self.new = model, row_id, old, new

    def redo(self) -> None:
        self.model.apply_fields(self.row_id, dict(self.new))

    def undo(self) -> None:
        self.model.apply_fields(self.row_id, dict(self.old))


class InsertRowsCommand(QUndoCommand):
    def __init__(self, model: RowTableModel, position: int, rows: list[Any], text: str):
        super().__init__(text)
        self.model, self.position, self.rows = model, position, rows

    def redo(self) -> None:
        self.model.insert_rows_at(self.position, [copy.deepcopy(r) for r in self.rows])

    def undo(self) -> None:
        self.model.remove_ids([r.id for r in self.rows])


class RemoveRowsCommand(QUndoCommand):
    def __init__(self, model: RowTableModel, ids: list[str], text: str):
        super().__init__(text)
        self.model, self.ids = model, ids
        self.removed: list[tuple[int, Any]] = []

    def redo(self) -> None:
        self.removed = self.model.remove_ids(self.ids)

    def undo(self) -> None:
        for position, row in reversed(self.removed):
            self.model.insert_rows_at(position, [row])


class MoveRowCommand(QUndoCommand):
    def __init__(self, model: RowTableModel, source: int, target: int, text: str):
        super().__init__(text)
        self.model, self.source, self.target = model, source, target

    def redo(self) -> None:
        self.model.move_row(self.source, self.target)

    def undo(self) -> None:
        self.model.move_row(self.target, self.source)


Parser = Callable[[Any, Column, Any], dict[str, Any]]
