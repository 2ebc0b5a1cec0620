"""A table view that types like Excel: Enter moves down, Tab moves right (opening the next
cell), typing starts editing, Ctrl+V pastes a tab-separated block, Delete clears cells,
rows grow in height to show wrapped Thai text."""

from __future__ import annotations

from collections.abc import Set

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QTableView,
    QWidget,
)

from lev_desktop.i18n import _
from ui import digits
from ui.models.table import EditableTableModel
from ui.widgets.delegates import ENTER_HINT, WrappingDelegate
from ui.widgets.fit import cap_rows, fit_header


def parse_clipboard_block(text: str) -> list[list[str]]:
    """Excel's clipboard: rows by newline, cells by tab; quoted cells may hold newlines."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    quoted = False
    i = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and i + 1 < len(text) and text[i + 1] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell = []
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def show_status(widget: QWidget, text: str, msecs: int = 15000) -> None:
    """A line in the main window's status bar (when the widget is inside the main window), in
    the interface's digits; ``msecs`` 0: until replaced."""
    window = widget.window()
    if isinstance(window, QMainWindow) and text:
        window.statusBar().showMessage(digits.shown(text), msecs)


def clear_status(widget: QWidget, texts: Set[str] | None = None) -> None:
    """Takes a line away from the status bar (only one of ``texts`` when given, as they were
    handed to ``show_status``): a refusal that no longer holds must not stay there."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        bar = window.statusBar()
        if texts is None or bar.currentMessage() in {digits.shown(t) for t in texts}:
            bar.clearMessage()


def editable_step(
    view: QTableView,
    current: QModelIndex,
    forward: bool,
    *,
    down_columns: bool = False,
    wrap: bool = True,
) -> QModelIndex | None:
    """The next (or previous) shown cell of ``view`` that can be typed into, from ``current``,
    in the order a clerk fills the form: along each row (a grid like Excel), or down each
    column (``down_columns``: the KPI form). Past the last cell: the first (``wrap``) or the
    last again. None when no cell can be typed into. The one rule of Tab (and of Enter in the
    KPI form) between cells."""
    model = view.model()
    if model is None:
        return None
    header = view.horizontalHeader()
    columns = [
        header.logicalIndex(visual)
        for visual in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(visual))
    ]
    rows = [r for r in range(model.rowCount()) if not view.isRowHidden(r)]
    pairs = (
        [(r, c) for c in columns for r in rows]
        if down_columns
        else [(r, c) for r in rows for c in columns]
    )
    cells = [
        model.index(r, c)
        for r, c in pairs
        if model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
    ]
    if not cells:
        return None
    if not current.isValid():
        return cells[0] if forward else cells[-1]

    def place(index: QModelIndex) -> tuple[int, int]:
        column = header.visualIndex(index.column())
        return (column, index.row()) if down_columns else (index.row(), column)

    here = place(current)
    if forward:
        later = [c for c in cells if place(c) > here]
        return later[0] if later else cells[0 if wrap else -1]
    earlier = [c for c in cells if place(c) < here]
    return earlier[-1] if earlier else cells[-1 if wrap else 0]


class ExcelTableView(QTableView):
    # "Row 2 · Budget (baht): …" when the cursor lands on a refused cell
    refused_cell = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Rows grow to show wrapped Thai text. Measured on demand (after data or column width
        # changes) rather than with ResizeToContents, which re-measures on every layout pass.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().sectionResized.connect(lambda *_a: self.schedule_fit())
        self._fit_pending = False
        self.horizontalHeader().setStretchLastSection(False)
        # Room above and below Thai stacked marks (ปุ๋ย, ญี่ปุ่น) in wrapped cells.
        self.setStyleSheet("QTableView::item { padding: 3px 4px; }")
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter
        )
        self.setItemDelegate(WrappingDelegate(self))
        fit_header(self)

    _empty_text = ""

    def set_empty_text(self, text: str) -> None:
        """What the grid says while it has no row (what to do to add one): an empty state."""
        self._empty_text = text
        self.viewport().update()

    def empty_text_shown(self) -> str:
        model = self.model()
        return self._empty_text if model is not None and model.rowCount() == 0 else ""

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        text = self.empty_text_shown()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 12, -24, -12)
            painter.drawText(
                area,
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                digits.shown(text),
            )
            painter.end()

    def setModel(self, model) -> None:
        super().setModel(model)
        if model is not None:
            for signal in (
                model.modelReset,
                model.rowsInserted,
                model.rowsRemoved,
                model.dataChanged,
                model.layoutChanged,
                model.rowsMoved,
            ):
                signal.connect(lambda *_a: self.schedule_fit())

    def schedule_fit(self) -> None:
        """Fits the row heights once, after the current burst of changes."""
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_rows)

    def _fit_rows(self) -> None:
        self._fit_pending = False
        self.resizeRowsToContents()
        cap_rows(self)  # never taller than the view; the whole text is in the tooltip

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self.schedule_fit()  # another height: another cap for the rows

    def currentChanged(
        self,
        current: QModelIndex | QPersistentModelIndex,
        previous: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().currentChanged(current, previous)
        model = self.source_model()
        index = self.to_source(self.model().index(current.row(), current.column()))
        if model is None or not index.isValid() or not model.invalid:
            return
        row = model.rows[index.row()]
        refused = model.invalid.get((model.row_key(row), model.columns[index.column()].key))
        if refused is not None:
            self.refused_cell.emit(model.describe(index.row(), index.column(), refused))

    # ---- the model behind a filter proxy -----------------------------------------------------
    def source_model(self) -> EditableTableModel | None:
        model = self.model()
        while isinstance(model, QSortFilterProxyModel):
            model = model.sourceModel()
        return model if isinstance(model, EditableTableModel) else None

    def to_source(self, index: QModelIndex) -> QModelIndex:
        model = self.model()
        while isinstance(model, QSortFilterProxyModel) and index.isValid():
            index = model.mapToSource(index)
            model = model.sourceModel()
        return index

    def selected_source_rows(self) -> list[int]:
        rows = (
            {self.to_source(i).row() for i in self.selectionModel().selectedIndexes()}
            if self.selectionModel()
            else set()
        )
        current = self.to_source(self.currentIndex())
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(r for r in rows if r >= 0)

    # ---- keyboard ----------------------------------------------------------------------------
    replace_on_edit = False
    select_on_edit = False

    def edit(self, index, trigger=QAbstractItemView.EditTrigger.AllEditTriggers, event=None):
        """Typing onto a cell replaces its content, as in Excel; F2 or a double click edits it.
        A cell reached with Tab (Qt opens its editor: ``AllEditTriggers``) opens with its text
        selected, so that what is typed next replaces it as it does on a cell reached with
        Enter: the text cells opened with the cursor after the text, and a clerk correcting a
        row with Tab saved "ศูนย์พัฒนาเด็กเล็กหมู่ 1-8" for "หมู่ 1-8"."""
        self.replace_on_edit = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
        self.select_on_edit = trigger == QAbstractItemView.EditTrigger.AllEditTriggers
        try:
            return super().edit(index, trigger, event)
        finally:
            self.replace_on_edit = False
            self.select_on_edit = False

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(
            editor, QAbstractItemDelegate.EndEditHint.NoHint if hint == ENTER_HINT else hint
        )
        if hint == ENTER_HINT:
            self._move_down()

    def _move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(current.row() + 1, current.column()))

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Tab and Shift+Tab go from one cell that can be typed into to the next, in reading
        order (right, then the next row), as in the KPI form: in F1 they stopped on "ลำดับ"
        and "ทำแล้ว/แผน", two Tabs a row for nothing (fit14, fit16). A grid with no such cell
        (read-only) moves as Qt does."""
        index = super().moveCursor(action, modifiers)
        forward = action == QAbstractItemView.CursorAction.MoveNext
        if not forward and action != QAbstractItemView.CursorAction.MovePrevious:
            return index
        step = editable_step(self, self.currentIndex(), forward)
        return index if step is None else step

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self._move_down()
                return
            if event.key() == Qt.Key.Key_Delete and not event.modifiers():
                self.clear_cells()
                return
        super().keyPressEvent(event)

    def clear_cells(self) -> None:
        """Delete empties the selected editable cells (one undo step)."""
        model = self.source_model()
        if model is None or not model.editable:
            return
        indexes = [self.to_source(i) for i in self.selectedIndexes()] or [
            self.to_source(self.currentIndex())
        ]
        indexes = [i for i in indexes if i.isValid() and i.flags() & Qt.ItemFlag.ItemIsEditable]
        if not indexes:
            return
        stack = model.undo_stack
        if stack is not None:
            stack.beginMacro(_("Clear cells"))
        try:
            for index in indexes:
                model.setData(index, "" if model.columns[index.column()].kind != "date" else None)
        finally:
            if stack is not None:
                stack.endMacro()

    def paste(self) -> int:
        model = self.source_model()
        current = self.to_source(self.currentIndex())
        if model is None or not model.editable:
            return 0
        block = parse_clipboard_block(QGuiApplication.clipboard().text())
        if not block:
            return 0
        top = current.row() if current.isValid() else len(model.rows)
        left = current.column() if current.isValid() else 1
        return model.paste_block(top, left, block)

    def copy(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        lines: dict[int, list[str]] = {}
        for index in indexes:
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if "\n" in text or "\t" in text or '"' in text:
                text = '"' + text.replace('"', '""') + '"'
            lines.setdefault(index.row(), []).append(text)
        QGuiApplication.clipboard().setText("\n".join("\t".join(v) for v in lines.values()))
