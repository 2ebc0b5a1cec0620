"""Table models, delegate and view of the KPI screen.

The models only present rows handed in by a worker (``services.kpi``); they never query the
database. ``KpiFormModel`` lays a form out with one row per indicator and one value column per
row key: a single column for a plain form (P2, P3, P4), one column per product for a form of
repeated groups (P5). Typed text stays "pending" until a worker has written it; the model
checks it with ``validation.savable_changes`` (the same check the service makes) and marks
wrong cells red with the Thai message as tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from lev_desktop.domain.validation import Problem, row_indicators, savable_changes
from lev_desktop.i18n import N_, _
from lev_desktop.services.kpi import FormData, KpiListRow, edit_text, format_value, local_time
from lev_desktop.thai_format import format_date, format_datetime, parse_date, read_date
from ui import status_palette
from ui.models.table import (
    ERROR_BG,
    ERROR_FG,
    PENDING_BG,
    READ_ONLY_BG,
    Column,
    TableModel,
    ce_year_note,
)
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.table_view import editable_step

Index = QModelIndex | QPersistentModelIndex
NUMERIC_TYPES = ("integer", "decimal", "percent", "baht")
ROW_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2


# ---- the KPI list --------------------------------------------------------------------------


class KpiListModel(TableModel):
    """KPI forms with their status: one row per (office,) programme, form and period."""

    OFFICE, PROGRAMME, FORM, PERIOD, STATUS, ENTRIES, DUE, UPDATED = range(8)
    columns = (
        Column("office", N_("Office"), "line"),
        Column("programme", N_("Programme"), "line"),
        Column("form", N_("Form"), "line"),
        Column("period", N_("Period"), "line"),
        Column("status", N_("Status"), "line"),
        Column("entries", N_("Entries"), "line"),
        Column("due", N_("Due"), "line"),
        Column("updated", N_("Last saved"), "line"),
    )

    def row_at(self, row: int) -> KpiListRow:
        return self.rows[row]

    def one_form_per_programme(self) -> bool:
        """True when no programme has two KPI forms (the form column adds nothing then)."""
        forms: dict[str, str] = {}
        for row in self.rows:
            if forms.setdefault(row.programme_id, row.form_code) != row.form_code:
                return False
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.OFFICE:
                return row.office_name
            if column == self.PROGRAMME:
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{row.programme_code} · {row.programme_name}\n{row.form_name}"
                return f"{row.programme_code} · {row.programme_name}"
            if column == self.FORM:
                return row.form_name
            if column == self.PERIOD:
                return row.period_label
            if column == self.STATUS:
                return row.status_label
            if column == self.ENTRIES:
                return row.progress_text
            if column == self.DUE:
                return format_date(row.due)
            if column == self.UPDATED:
                if role == Qt.ItemDataRole.ToolTipRole:
                    return format_datetime(local_time(row.updated_at))
                return format_date(local_time(row.updated_at))
        if column == self.STATUS and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            foreground, background = status_palette.fg(row.status), status_palette.bg(row.status)
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else foreground)
        if role == Qt.ItemDataRole.UserRole:
            return row.status
        return None


class KpiListFilter(QSortFilterProxyModel):
    """Search text (programme, form, office, period) and a status filter over the KPI list."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._text = ""
        self._status = ""
        self._office = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_office(self, office: str) -> None:
        self.beginFilterChange()
        self._office = office
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, KpiListModel):
            return True
        row = model.row_at(source_row)
        if self._status and row.status != self._status:
            return False
        if self._office and row.office_code != self._office:
            return False
        if self._text:
            haystack = " ".join(
                (
                    row.office_name,
                    row.office_code,
                    row.programme_code,
                    row.programme_name,
                    row.form_name,
                    row.period_label,
                    row.status_label,
                )
            ).lower()
            return self._text in haystack
        return True


# ---- one form ------------------------------------------------------------------------------

_FORM_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ROW_KEY_ROLE,
        CODE_ROLE,
    )
)


class KpiFormModel(TableModel):
    """One office's KPI form: rows = indicators, value columns = row keys (products)."""

    # A typed change: row key, indicator code, old text, new text (for the undo stack).
    edited = Signal(str, str, str, str)
    problems_changed = Signal()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.data_: FormData | None = None
        self._indicators: list[dict[str, Any]] = []
        self._keys: list[str] = []
        self._stages: dict[str, str] = {}
        self.pending: dict[tuple[str, str], str] = {}
        self._problems: dict[tuple[str, str], str] = {}
        self._final: dict[tuple[str, str], str] = {}
        self._form_problems: list[str] = []
        self.read_only = True
        self.in_flight: set[tuple[str, str]] = set()  # cells a worker is writing now

    # -- loading ----------------------------------------------------------------------------
    def set_form(self, data: FormData | None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.pending = {}
        self._problems = {}
        self._final = {}
        self._form_problems = []
        if data is None:
            self._indicators, self._keys, self._stages = [], [], {}
            self.read_only = True
        else:
            self.read_only = data.read_only
            self._stages = dict(data.spec.get("stages") or {})
            if data.repeated:
                self._keys = list(data.row_order)
                self._indicators = row_indicators(data.spec, "x")
            else:
                self._keys = [""]
                self._indicators = row_indicators(data.spec, "")
            if self._stages:
                order = list(self._stages)
                self._indicators.sort(
                    key=lambda i: order.index(i["group"]) if i.get("group") in order else len(order)
                )
        self.endResetModel()
        self.problems_changed.emit()

    @property
    def has_stages(self) -> bool:
        return bool(self._stages)

    @property
    def row_keys(self) -> list[str]:
        return list(self._keys)

    @property
    def first_value_column(self) -> int:
        return 2 + (1 if self._stages else 0)

    def name_column(self) -> int:
        return 1 if self._stages else 0

    def value_column(self, key: str) -> int:
        return self.first_value_column + self._keys.index(key)

    def is_value_column(self, column: int) -> bool:
        return self.first_value_column <= column < self.first_value_column + len(self._keys)

    def key_of_column(self, column: int) -> str:
        return self._keys[column - self.first_value_column]

    def indicator_at(self, row: int) -> dict[str, Any]:
        return self._indicators[row]

    def row_of(self, code: str) -> int:
        for row, item in enumerate(self._indicators):
            if item["code"] == code:
                return row
        return -1

    def stage_groups(self) -> list[tuple[int, int]]:
        """(first row, row count) of each stage, for spanning the stage column."""
        groups: list[tuple[int, int]] = []
        for row, item in enumerate(self._indicators):
            if groups and self._indicators[groups[-1][0]].get("group") == item.get("group"):
                groups[-1] = (groups[-1][0], groups[-1][1] + 1)
            else:
                groups.append((row, 1))
        return groups

    # -- products -------------------------------------------------------------------------
    def add_key(
        self, key: str, values: dict[str, Any] | None = None, position: int | None = None
    ) -> None:
        assert self.data_ is not None
        position = len(self._keys) if position is None else position
        column = self.first_value_column + position
        self.beginInsertColumns(QModelIndex(), column, column)
        self._keys.insert(position, key)
        self.data_.rows[key] = dict(values or {})
        if key not in self.data_.row_order:
            self.data_.row_order.append(key)
        self.endInsertColumns()
        self._revalidate()

    def remove_key(self, key: str) -> tuple[int, dict[str, Any], dict[tuple[str, str], str]]:
        """Takes a product out; returns (position, its saved values, its pending texts)."""
        assert self.data_ is not None
        position = self._keys.index(key)
        column = self.first_value_column + position
        self.beginRemoveColumns(QModelIndex(), column, column)
        self._keys.remove(key)
        values = self.data_.rows.pop(key, {})
        if key in self.data_.row_order:
            self.data_.row_order.remove(key)
        pending = {k: v for k, v in self.pending.items() if k[0] == key}
        for k in pending:
            del self.pending[k]
        self.endRemoveColumns()
        self._revalidate()
        return position, values, pending

    # -- editing --------------------------------------------------------------------------
    def current_text(self, key: str, code: str) -> str:
        if (key, code) in self.pending:
            return self.pending[(key, code)]
        item = self._indicators[self.row_of(code)] if self.row_of(code) >= 0 else {}
        return edit_text(item, self._saved(key, code))

    def _saved(self, key: str, code: str) -> Any:
        if self.data_ is None:
            return None
        return self.data_.rows.get(key, {}).get(code)

    def apply_text(self, key: str, code: str, text: str) -> None:
        """Sets the typed text of a cell (also used by undo/redo)."""
        item = self._indicators[self.row_of(code)]
        saved_text = edit_text(item, self._saved(key, code))
        if text == saved_text and (key, code) not in self.in_flight:
            self.pending.pop((key, code), None)
        else:
            self.pending[(key, code)] = text
        self._final.pop((key, code), None)
        self._revalidate()
        row, column = self.row_of(code), self.value_column(key)
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    def _revalidate(self) -> None:
        if self.data_ is None:
            return
        old = dict(self._problems)
        _accepted, problems = savable_changes(self.data_.spec, self.data_.rows, self.pending)
        self._problems = {(p.row, p.field): p.message for p in problems}
        changed = set(old) ^ set(self._problems) | {
            k for k in old if k in self._problems and old[k] != self._problems[k]
        }
        for key, code in changed:
            if key in self._keys and self.row_of(code) >= 0:
                index = self.index(self.row_of(code), self.value_column(key))
                self.dataChanged.emit(index, index)
        self.problems_changed.emit()

    def savable(self) -> dict[tuple[str, str], str]:
        """The pending texts that pass every check now (what a worker may write)."""
        if self.data_ is None:
            return {}
        accepted, _problems = savable_changes(self.data_.spec, self.data_.rows, self.pending)
        return {k: self.pending[k] for k in accepted}

    def mark_saved(self, batch: dict[tuple[str, str], str]) -> None:
        """A worker wrote ``batch``: those texts become the saved values."""
        if self.data_ is None:
            return
        accepted, _problems = savable_changes(self.data_.spec, self.data_.rows, batch)
        for (key, code), value in accepted.items():
            self.data_.rows.setdefault(key, {})[code] = value
            if self.pending.get((key, code)) in (
                batch[(key, code)],
                edit_text(
                    self._indicators[self.row_of(code)] if self.row_of(code) >= 0 else {}, value
                ),
            ):
                del self.pending[(key, code)]
            if key in self._keys and self.row_of(code) >= 0:
                index = self.index(self.row_of(code), self.value_column(key))
                self.dataChanged.emit(index, index)
        self._revalidate()

    def set_final_problems(self, problems: list[Problem]) -> None:
        """Problems found when marking the form complete (e.g. required fields left empty)."""
        self._final = {(p.row, p.field): p.message for p in problems if p.field}
        self._form_problems = [p.message for p in problems if not p.field]
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )
        self.problems_changed.emit()

    def problem_list(self) -> list[tuple[str, str, str]]:
        """(row key, code, message) of every problem shown, in the order of the form."""
        out: list[tuple[str, str, str]] = [("", "", m) for m in self._form_problems]
        merged = {**self._final, **self._problems}
        for key in self._keys:
            for item in self._indicators:
                message = merged.get((key, item["code"]))
                if message:
                    out.append((key, item["code"], message))
        return out

    def has_invalid(self) -> bool:
        return bool(self._problems)

    def invalid_cells(self) -> list[tuple[QModelIndex, str]]:
        """Typed values that are refused (red) and so not saved: (index, "where: reason")."""
        out = []
        for key in self._keys:
            for row, item in enumerate(self._indicators):
                message = self._problems.get((key, item["code"]))
                if message:
                    where = item["name"]
                    if key:
                        product = _("Product {n}").format(n=self._keys.index(key) + 1)
                        where = f"{product} · {where}"
                    out.append((self.index(row, self.value_column(key)), f"{where}: {message}"))
        return out

    def problem_at(self, key: str, code: str) -> str | None:
        return self._problems.get((key, code)) or self._final.get((key, code))

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._indicators)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.data_ is None:
            return 0
        return self.first_value_column + len(self._keys)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.data_ is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._indicators) else None
        if not 0 <= section < self.columnCount():
            return None
        offset = 1 if self._stages else 0
        if self._stages and section == 0:
            return _("Stage")
        if section == offset:
            return _("Indicator")
        if section == offset + 1:
            return _("Unit")
        key = self._keys[section - self.first_value_column]
        if not key:
            return _("Value")
        return _("Product {n}").format(n=self._keys.index(key) + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_value_column(index.column()) and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for many roles per cell while measuring rows: answer the others at once.
        if (
            role not in _FORM_ROLES
            or self.data_ is None
            or not index.isValid()
            or not 0 <= index.row() < len(self._indicators)
            or not 0 <= index.column() < self.first_value_column + len(self._keys)
        ):
            return None
        item = self._indicators[index.row()]
        column = index.column()
        offset = 1 if self._stages else 0
        if role == CODE_ROLE:
            return item["code"]
        if self._stages and column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self._stages.get(item.get("group", ""), "")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if column == offset:
            if role == Qt.ItemDataRole.DisplayRole:
                return item["name"] + (" *" if item.get("required") else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return item["name"] + ("\n" + _("* required") if item.get("required") else "")
            return None
        if column == offset + 1:
            return item.get("unit", "") if role == Qt.ItemDataRole.DisplayRole else None
        key = self._keys[column - self.first_value_column]
        if role == ROW_KEY_ROLE:
            return key
        problem = self.problem_at(key, item["code"])
        pending = (key, item["code"]) in self.pending
        if role == Qt.ItemDataRole.DisplayRole:
            if pending:
                return self.pending[(key, item["code"])]
            return format_value(item, self._saved(key, item["code"]))
        if role == Qt.ItemDataRole.EditRole:
            return self.current_text(key, item["code"])
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            if pending:
                return _("Not saved yet")
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return QBrush(ERROR_BG)
            if pending:
                return QBrush(PENDING_BG)
            if self.read_only:
                return QBrush(READ_ONLY_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QBrush(ERROR_FG)
        if role == Qt.ItemDataRole.TextAlignmentRole and item.get("type") in NUMERIC_TYPES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item['name']}: {format_value(item, self._saved(key, item['code']))}"
        return None

    def setData(
        self,
        index: Index,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or self.read_only
            or not self.is_value_column(index.column())
            or not 0 <= index.row() < len(self._indicators)
        ):
            return False
        item = self._indicators[index.row()]
        key = self.key_of_column(index.column())
        text = "" if value is None else str(value).strip()
        if item.get("type") == "date" and text:
            try:
                date, converted = read_date(text)
            except ValueError:
                converted = None
            if converted is not None and date is not None:
                text = format_date(date, "numeric")
                self.noted.emit(ce_year_note(converted, date))
        old = self.current_text(key, item["code"])
        if text == old:
            return False
        self.apply_text(key, item["code"], text)
        self.edited.emit(key, item["code"], old, text)
        return True


class KpiRowFilter(QSortFilterProxyModel):
    """Finds indicators by name, code or stage."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._text)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text:
            return True
        model = self.sourceModel()
        if not isinstance(model, KpiFormModel):
            return True
        item = model.indicator_at(source_row)
        stage = model._stages.get(item.get("group", ""), "")
        return any(self._text in part.lower() for part in (item["name"], item["code"], stage))


# ---- editing widgets -------------------------------------------------------------------------


class KpiDelegate(DigitsDelegate):
    """A list of choices for choice indicators, a line edit for everything else."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # Thai stacks marks above and below the line: give each row air.
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)

    def _indicator(self, index: Index) -> dict[str, Any] | None:
        model: QAbstractItemModel | None = index.model()
        while isinstance(model, QSortFilterProxyModel):
            index = model.mapToSource(index)
            model = model.sourceModel()
        if isinstance(model, KpiFormModel):
            return model.indicator_at(index.row())
        return None

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> QWidget:
        item = self._indicator(index) or {}
        if item.get("type") == "date":
            from ui.widgets.date_edit import BEDateEdit

            return BEDateEdit(parent)
        if item.get("type") == "choice":
            combo = QComboBox(parent)
            combo.addItem("")
            combo.addItems(list(item.get("choices", [])))
            return combo
        editor = QLineEdit(parent)
        if item.get("type") in NUMERIC_TYPES:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if hasattr(editor, "setDate"):  # BEDateEdit: the model speaks "15/02/2568"
            try:
                editor.setDate(parse_date(text))
            except ValueError:
                editor.setDate(None)
            return
        if isinstance(editor, QComboBox):
            position = editor.findText(text)
            if position < 0 and text:
                editor.addItem(text)
                position = editor.count() - 1
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: Index,
    ) -> None:
        if hasattr(editor, "date") and callable(editor.date):
            model.setData(index, format_date(editor.date(), "numeric"), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class KpiTableView(QTableView):
    """Keyboard first, like Excel: typing starts editing; Tab and Enter go to the next field
    (down the value column, then on to the next product); Shift+Tab goes back; Ctrl+V pastes
    a block copied from Excel (tab-separated lines) from the current cell on."""

    paste_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setItemDelegate(KpiDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)

    def step(self, index: QModelIndex, forward: bool) -> QModelIndex:
        """The next value to type (down each column, staying at the last): Tab and Enter."""
        found = editable_step(self, index, forward, down_columns=True, wrap=False)
        return index if found is None else found

    def moveCursor(
        self,
        action: QAbstractItemView.CursorAction,
        modifiers: Qt.KeyboardModifier,
    ) -> QModelIndex:
        if action == QAbstractItemView.CursorAction.MoveNext:
            return self.step(self.currentIndex(), True)
        if action == QAbstractItemView.CursorAction.MovePrevious:
            return self.step(self.currentIndex(), False)
        return super().moveCursor(action, modifiers)

    def closeEditor(
        self,
        editor: QWidget,
        hint: QAbstractItemDelegate.EndEditHint,
    ) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter
            target = self.step(self.currentIndex(), True)
            if target.isValid():
                self.setCurrentIndex(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.matches(QKeySequence.StandardKey.Paste)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            text = QApplication.clipboard().text()
            if text:
                self.paste_requested.emit(text)
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            index = self.currentIndex()
            if index.isValid() and self.model().flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.edit(index)
                return
        super().keyPressEvent(event)


# ---- all LAOs side by side (district / province) ------------------------------------------


class KpiOverviewModel(TableModel):
    """One programme and period for every LAO: a row per LAO (per product on P5), a column per
    indicator, and a total row for the quantities (not for percentages)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._spec: dict[str, Any] = {}
        self._indicators: list[dict[str, Any]] = []
        self._rows: list[tuple[str, str, str, dict[str, Any]]] = []  # code, name, product, values
        self._totals: dict[str, Any] = {}
        self._repeated = False

    def set_data(
        self,
        spec: dict[str, Any],
        offices: list[tuple[str, str]],
        values: dict[str, dict[str, dict[str, Any]]],
    ) -> None:
        """``offices``: (code, name) in order; ``values``: ``services.kpi.consolidated``."""
        from decimal import Decimal

        from lev_desktop.domain.validation import is_repeated

        self.beginResetModel()
        self._spec = spec
        self._repeated = is_repeated(spec)
        self._indicators = row_indicators(spec, "x" if self._repeated else "")
        self._rows = []
        for code, name in offices:
            rows = values.get(code, {})
            keys = sorted(k for k in rows if k) if self._repeated else [""]
            if not keys:
                self._rows.append((code, name, "", {}))
            for number, key in enumerate(keys, start=1):
                self._rows.append((code, name, str(number) if key else "", rows.get(key, {})))
        self._totals = {}
        for item in self._indicators:
            if item.get("type") in ("integer", "decimal", "baht"):
                present = [
                    r[3][item["code"]] for r in self._rows if r[3].get(item["code"]) is not None
                ]
                self._totals[item["code"]] = sum((Decimal(str(v)) for v in present), Decimal(0))
        self.endResetModel()

    def office_at(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    @property
    def _first(self) -> int:
        return 2 if self._repeated else 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self._rows else len(self._rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self._spec else self._first + len(self._indicators)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == 0:
            return _("Office")
        if self._repeated and section == 1:
            return _("Product")
        item = self._indicators[section - self._first]
        unit = item.get("unit")
        return f"{item['name']} ({unit})" if unit else item["name"]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < self.rowCount()
            or not 0 <= index.column() < self.columnCount()
        ):
            return None
        total = index.row() == len(self._rows)
        column = index.column()
        item = self._indicators[column - self._first] if column >= self._first else None
        if role == Qt.ItemDataRole.DisplayRole:
            if total:
                if column == 0:
                    return _("Total")
                if item is not None and item["code"] in self._totals:
                    return format_value(item, self._totals[item["code"]])
                return ""
            code, name, product, values = self._rows[index.row()]
            if column == 0:
                return name
            if item is None:
                return product
            return format_value(item, values.get(item["code"]))
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and item is not None
            and item.get("type") in NUMERIC_TYPES
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not total:
            code, name, _product, values = self._rows[index.row()]
            if column == 0:
                return f"{name} ({code})"
            if item is not None:
                return format_value(item, values.get(item["code"])) or None
        return None


__all__ = [
    "CODE_ROLE",
    "ROW_KEY_ROLE",
    "KpiDelegate",
    "KpiFormModel",
    "KpiListFilter",
    "KpiListModel",
    "KpiOverviewModel",
    "KpiRowFilter",
    "KpiTableView",
]
