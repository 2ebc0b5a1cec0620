"""ตัวชี้วัด: the KPI list and the KPI form editor.

The list shows every KPI form of this office (or, at a district or province, of its LAOs)
for the fiscal year with its status. The editor is a table typed into like Excel: each
committed cell is checked at once (red with the Thai message when wrong) and written by a
worker straight away, so a killed app loses at most the cell being edited; Ctrl+Z / Ctrl+Y
undo and redo. A district or province reads its LAOs' forms read-only and can comment or
return a form for correction. The GUI thread never touches the database: every read and
write goes through ``ctx.runner``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.obligation_state import ORDER, State
from lev_desktop.domain.offices import Level
from lev_desktop.errors import describe_error
from lev_desktop.i18n import N_, _, ngettext
from lev_desktop.services import kpi as service
from lev_desktop.thai_format import format_datetime
from ui import digits, status_palette
from ui.context import AppContext
from ui.screens.kpi_models import (
    KpiFormModel,
    KpiListFilter,
    KpiListModel,
    KpiOverviewModel,
    KpiRowFilter,
    KpiTableView,
)
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.fit import fit_header, fit_rows, fit_table, one_line_column
from ui.widgets.flow import FlowLayout

ALL = ""
# The KPI list's columns in proportion (KpiListModel's order: office, programme, form, period,
# status, entries, due, last saved); a hidden column takes no share.
KPI_LIST_WIDTHS = (200, 180, 180, 150, 130, 80, 100, 110)


# ---- the list --------------------------------------------------------------------------------


class KpiListPage(QWidget):
    """Every KPI form with its status; Enter or double-click opens one."""

    open_requested = Signal(str, str, str, str)  # office, programme id, form code, period
    overview_requested = Signal(str, str, str, list)  # programme id, form code, period, LAOs

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.is_lao = True
        self.model = KpiListModel(self)
        self.proxy = KpiListFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(_("Indicators"))
        title.setObjectName("pageTitle")  # styled by ui.style
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        self.office = QComboBox()
        self.office.setAccessibleName(_("Office"))
        self.office.currentIndexChanged.connect(self._office_changed)
        self.office_label = QLabel(_("LAO:"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search programme, form, office or month…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.status = QComboBox()
        self.status.setAccessibleName(_("Status"))
        self.status.addItem(_("All statuses"), ALL)
        for state in ORDER:
            self.status.addItem(state.label, state.value)
        self.status.currentIndexChanged.connect(self._filter)

        self.overview = QPushButton(_("All LAOs side by side"))
        self.overview.setToolTip(
            _("The selected programme and period for every LAO in one table, with totals")
        )
        self.overview.clicked.connect(self._overview)
        self.laos: list[tuple[str, str]] = []

        bar = QHBoxLayout()
        bar.addWidget(self.office_label)
        bar.addWidget(self.office, 2)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.overview)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # The columns share the window's width, never below their widest word (ui.widgets.fit):
        # a district's list at 1366×768 × 1.25 squeezed the stretched programme column to
        # 28 px, its title one letter a line.
        self.columns = fit_table(self.table, KPI_LIST_WIDTHS, key="kpi/list")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        # Fixed rows of two Thai lines: measuring thousands of wrapped rows (a province has
        # 200 LAOs × 15 forms) would take seconds; the full text is in the tooltip.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 14)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(self._open)
        self.table.activated.connect(self._open)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.count = QLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.subtitle)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.count)
        self.loaded = False
        self.loading = False
        self.load_again = False

    # -- data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        # The main window and our own signals may both ask; one load at a time, then one more.
        if self.loading:
            self.load_again = True
            return
        self.loading = True
        store, year = self.ctx.store, self.ctx.fiscal_year

        def job(progress: Any) -> tuple[Any, list[Any], list[service.KpiListRow]]:
            from lev_desktop.services.offices import subordinate_laos, this_office

            me = this_office(store)
            if me is None:
                return None, [], []
            laos = [] if me.level == Level.LAO else subordinate_laos(store)
            codes = [me.code] if me.level == Level.LAO else [o.code for o in laos]
            return me, laos, service.kpi_list(store, codes, year)

        def failed(exc: BaseException) -> None:
            self.loading = False
            message = describe_error(exc)
            if message is None:
                message = _("The indicator forms could not be loaded. Please try again.")
                if self.ctx.runner.on_bug is not None:
                    import traceback

                    self.ctx.runner.on_bug(exc, "".join(traceback.format_exception(exc)))
            self.empty.setText(message)
            self.empty.show()
            self.table.hide()

        self.ctx.runner.run(
            job,
            label=_("Loading the indicator forms…"),
            on_success=self._loaded,
            on_failure=failed,
            owner=self,
            modal=False,
        )

    def _loaded(self, result: tuple[Any, list[Any], list[service.KpiListRow]]) -> None:
        self.loading = False
        if self.load_again:
            self.load_again = False
            self.refresh()
            return
        me, laos, rows = result
        self.is_lao = me is None or me.level == Level.LAO
        self.office_label.setVisible(not self.is_lao)
        self.office.setVisible(not self.is_lao)
        self.overview.setVisible(not self.is_lao)
        self.laos = [(lao.code, lao.name) for lao in laos]
        current = self.office.currentData()
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem(digits.shown(_("All LAOs ({n})").format(n=len(laos))), ALL)
        for lao in laos:
            self.office.addItem(digits.shown(f"{lao.name} ({lao.code})"), lao.code)
        position = self.office.findData(current)
        self.office.setCurrentIndex(max(position, 0))
        self.office.blockSignals(False)
        self.proxy.set_office(self.office.currentData() or ALL)
        self.model.set_rows(rows)
        self.table.setColumnHidden(KpiListModel.OFFICE, self.is_lao)
        # With one form per programme the programme says it all (the form name is its tooltip).
        single = self.model.one_form_per_programme()
        self.table.setColumnHidden(KpiListModel.FORM, single)
        if self.columns is not None:
            self.columns.schedule()  # (the hidden columns' width shared out again)
        if me is None:
            self.subtitle.setText("")
        elif self.is_lao:
            self.subtitle.setText(
                digits.shown(
                    _("Indicator forms of {office}, {year}").format(
                        office=me.name, year=_fy(self.ctx.fiscal_year)
                    )
                )
            )
        else:
            self.subtitle.setText(
                digits.shown(
                    _(
                        "Indicator forms of the LAOs under {office}, {year} "
                        "(read-only: choose a form to comment or return it)"
                    ).format(office=me.name, year=_fy(self.ctx.fiscal_year))
                )
            )
        self._update_empty(me)
        self.loaded = True

    def _update_empty(self, me: Any = None) -> None:
        shown = self.proxy.rowCount()
        total = self.model.rowCount()
        self.count.setText(
            digits.shown(_("{shown} of {total} forms").format(shown=shown, total=total))
        )
        if total == 0:
            self.empty.setText(
                _(
                    "No indicator forms yet. Programmes with indicators (such as "
                    "“Clean Province” or Soft Power) appear here once they are "
                    "added in Settings → Programmes."
                )
                if me is not None
                else _("Set up this office first (Settings)")
            )
        elif shown == 0:
            self.empty.setText(
                _(
                    "No form matches the search. Clear the search or the status "
                    "filter to see every form."
                )
            )
        self.empty.setVisible(shown == 0)
        self.table.setVisible(shown > 0)

    def _filter(self) -> None:
        self.proxy.set_text(self.search.text())
        self.proxy.set_status(self.status.currentData() or ALL)
        self._update_empty(True)

    def _office_changed(self) -> None:
        self.proxy.set_office(self.office.currentData() or ALL)
        self._update_empty(True)

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        self.open_requested.emit(row.office_code, row.programme_id, row.form_code, row.period)

    def _overview(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            if not self.proxy.rowCount():
                return
            index = self.proxy.index(0, 0)
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        self.overview_requested.emit(row.programme_id, row.form_code, row.period, self.laos)


# ---- all LAOs side by side ----------------------------------------------------------------


class KpiOverviewPage(QWidget):
    """A district's or province's view of one programme and period across its LAOs."""

    back_requested = Signal()
    open_requested = Signal(str, str, str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = KpiOverviewModel(self)
        self.key = ("", "", "")
        self.back = QPushButton(_("← Indicator list"))
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        self.table = QTableView()
        self.table.setModel(self.model)
        fit_header(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        self.hint = QLabel(
            _("Read-only. Enter or double-click opens an LAO's form to comment on it or return it.")
        )
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.loaded = False
        for sequence in ("Alt+Left", "Backspace"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.back_requested)

    def show_overview(
        self, programme_id: str, form_code: str, period: str, laos: list[tuple[str, str]]
    ) -> None:
        store = self.ctx.store
        self.key = (programme_id, form_code, period)
        self.loaded = False

        def job(progress: Any) -> tuple[Any, dict[str, Any]]:
            programme = service.get_programme(store, programme_id)
            return programme, service.consolidated(
                store, programme_id, period, [code for code, _name in laos]
            )

        def done(result: tuple[Any, dict[str, Any]]) -> None:
            programme, values = result
            self.model.set_data(programme.spec, laos, values)
            self.title.setText(
                digits.shown(
                    _("{programme} · {period}: all LAOs").format(
                        programme=digits.programme_label(programme),
                        period=service.period_label(period),
                    )
                )
            )
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(0, one_line_column(self.table, 0, 230))
            for column in range(1, self.model.columnCount()):
                # every answer on one line: rows of one line are equally tall
                self.table.setColumnWidth(column, one_line_column(self.table, column, 130))
            if self.model.columnCount() > 1 and self.model.headerData(
                1, Qt.Orientation.Horizontal
            ) == _("Product"):
                self.table.setColumnWidth(1, 80)
            # Long Thai indicator names wrap in the header, which is as tall as the longest
            # needs (ui.widgets.fit: from the font's metrics, marks included).
            self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 14)
            fit_rows(self.table)  # a wrapped choice or name: its row grows (up to 500 LAOs)
            self.loaded = True
            self.table.setFocus()

        self.ctx.runner.run(
            job, label=_("Loading the indicator forms…"), on_success=done, owner=self, modal=False
        )

    def _open(self, index: QModelIndex) -> None:
        office = self.model.office_at(index.row())
        if office:
            self.open_requested.emit(office, *self.key)


def _fy(year: int) -> str:
    from lev_desktop.thai_format import fiscal_year_label

    return fiscal_year_label(year)


# ---- undo commands ---------------------------------------------------------------------------


class CellCommand(QUndoCommand):
    """One typed cell. The first redo is the edit itself (already applied by the model)."""

    def __init__(self, editor: KpiFormEditor, key: str, code: str, old: str, new: str):
        super().__init__(_("Edit {field}").format(field=code))
        self.editor, self.key, self.code, self.old, self.new = editor, key, code, old, new
        self.first = True

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        self.editor.apply(self.key, self.code, self.new)

    def undo(self) -> None:
        self.editor.apply(self.key, self.code, self.old)


class ProductCommand(QUndoCommand):
    """Adding (``added=True``) or removing a product; undo tombstones or restores it."""

    def __init__(
        self,
        editor: KpiFormEditor,
        key: str,
        *,
        added: bool,
        position: int = -1,
        values: dict[str, Any] | None = None,
    ):
        super().__init__(_("Add product") if added else _("Remove product"))
        self.editor, self.key, self.added = editor, key, added
        self.position, self.values = position, dict(values or {})
        self.first = True

    def _show(self) -> None:
        self.editor.restore_product(self.key, self.position, self.values)

    def _hide(self) -> None:
        self.position, self.values = self.editor.remove_product_now(self.key)

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        self._show() if self.added else self._hide()

    def undo(self) -> None:
        self._hide() if self.added else self._show()


# ---- the editor ------------------------------------------------------------------------------


class KpiFormEditor(QWidget):
    """One KPI form: the table, the message area, undo/redo, draft/complete, reviews."""

    back_requested = Signal()
    status_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = KpiFormModel(self)
        self.proxy = KpiRowFilter(self)
        self.proxy.setSourceModel(self.model)
        self.undo_stack = QUndoStack(self)
        self.saving = False
        self.save_again = False
        self.deferred_status = ""  # a status to set once the cells being saved are written
        self.programme_id = ""
        self.period = ""
        self.office_code = ""
        self.form_code = ""
        self.periods: list[str] = []

        self.back = QPushButton(_("← Indicator list"))
        self.back.setToolTip(_("Back to the indicator list (Alt+Left)"))
        self.back.clicked.connect(self.go_back)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.status_chip = QLabel()
        self.status_chip.setAccessibleName(_("Status"))
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.status_chip)

        self.office_label = QLabel()
        self.office_label.setWordWrap(True)
        self.period_box = QComboBox()
        self.period_box.setAccessibleName(_("Period"))
        self.period_box.activated.connect(self._period_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find an indicator…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        # Bars of controls flow onto a second row on a narrow window (1366×768 at 125 %).
        second = FlowLayout()
        second.addWidget(self.office_label, 2)
        second.addWidget(QLabel(_("Period:")))
        second.addWidget(self.period_box, 1)
        second.addWidget(self.search, 1)

        self.add_product = QPushButton(_("Add product"))
        self.add_product.clicked.connect(self.add_product_clicked)
        self.remove_product = QPushButton(_("Remove selected product"))
        self.remove_product.clicked.connect(self.remove_product_clicked)
        products = QHBoxLayout()
        products.addWidget(self.add_product)
        products.addWidget(self.remove_product)
        products.addStretch(1)
        self.products_row = QWidget()
        self.products_row.setLayout(products)
        products.setContentsMargins(0, 0, 0, 0)

        self.table = KpiTableView()
        self.table.setModel(self.proxy)
        fit_header(self.table)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.model.dataChanged.connect(lambda *_a: self.table.resizeRowsToContents())
        self.model.edited.connect(self._edited)
        self.table.paste_requested.connect(self.paste)
        self.model.problems_changed.connect(self._show_messages)

        self.messages = QListWidget()
        self.messages.setAccessibleName(_("Messages"))
        self.messages.setItemDelegate(DigitsDelegate(self.messages))  # (the interface's digits)
        self.messages.setWordWrap(True)
        self.messages.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.messages.itemActivated.connect(self._message_activated)
        self.messages.itemClicked.connect(self._message_activated)

        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.redo_button = QPushButton(_("Redo"))
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.save_state = QLabel()
        self.draft_button = QPushButton(_("Save as draft"))
        self.draft_button.clicked.connect(lambda: self.set_status("draft"))
        self.complete_button = QPushButton(_("Mark complete"))
        self.complete_button.clicked.connect(lambda: self.set_status("complete"))
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(_("Comment or what to correct…"))
        self.comment_button = QPushButton(_("Send comment"))
        self.comment_button.clicked.connect(lambda: self.review("comment"))
        self.return_button = QPushButton(_("Return for correction"))
        self.return_button.clicked.connect(lambda: self.review("returned"))
        self.comment.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 24)
        bottom = FlowLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addWidget(self.save_state, 1)
        bottom.addWidget(self.comment, 3)
        bottom.addWidget(self.comment_button)
        bottom.addWidget(self.return_button)
        bottom.addWidget(self.draft_button)
        bottom.addWidget(self.complete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.products_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.messages)
        layout.addLayout(bottom)

        # Ctrl+Z undoes; Ctrl+Y and Ctrl+Shift+Z redo on every platform (as in Excel).
        bindings = (
            (QKeySequence.keyBindings(QKeySequence.StandardKey.Undo), self.undo_stack.undo),
            (
                [
                    *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
                    QKeySequence("Ctrl+Y"),
                    QKeySequence("Ctrl+Shift+Z"),
                ],
                self.undo_stack.redo,
            ),
            ([QKeySequence("Ctrl+F")], self.search.setFocus),
            ([QKeySequence("Alt+Left")], self.go_back),
        )
        seen: set[str] = set()
        for sequences, slot in bindings:
            for sequence in sequences:
                if sequence.isEmpty() or sequence.toString() in seen:
                    continue
                seen.add(sequence.toString())
                shortcut = QShortcut(sequence, self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.loaded = False

    # -- loading ----------------------------------------------------------------------------
    def open_form(self, office: str, programme_id: str, form_code: str, period: str) -> None:
        store, year = self.ctx.store, self.ctx.fiscal_year

        def job(progress: Any) -> tuple[service.FormData, list[str]]:
            data = service.load_form(store, office, programme_id, period, form_code)
            programme = service.get_programme(store, programme_id)
            periods = service.periods_of(programme, year)
            if period not in periods:
                periods.append(period)
            return data, sorted(periods)

        self.loaded = False
        self.ctx.runner.run(
            job,
            label=_("Opening the form…"),
            on_success=self._opened,
            on_failure=self._failed,
            owner=self,
            modal=False,
        )

    def _opened(self, result: tuple[service.FormData, list[str]]) -> None:
        data, periods = result
        self.undo_stack.clear()
        self.deferred_status = ""
        self.programme_id, self.period = data.programme_id, data.period
        self.office_code, self.form_code = data.office_code, data.form_code
        self.model.set_form(data)
        self.periods = periods
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for period in periods:
            self.period_box.addItem(digits.shown(service.period_label(period)), period)
        self.period_box.setCurrentIndex(periods.index(data.period))
        self.period_box.setEnabled(len(periods) > 1)
        self.period_box.blockSignals(False)
        self.title.setText(digits.shown(f"{data.programme_code} · {data.form_name}"))
        self.title.setToolTip(data.programme_name)
        office = _("Office: {name} ({code})").format(name=data.office_name, code=data.office_code)
        if data.read_only:
            office += " — " + _("read-only")
        self.office_label.setText(digits.shown(office))
        self.current_status = data.status
        if data.state is not None:
            self._show_state(data.state)
        else:
            self._set_status_chip(data.status)
        read_only = data.read_only
        self.products_row.setVisible(data.repeated and not read_only)
        for widget in (self.undo_button, self.redo_button, self.draft_button, self.complete_button):
            widget.setVisible(not read_only)
        for review_widget in (self.comment, self.comment_button, self.return_button):
            review_widget.setVisible(read_only)
        can_review = read_only and data.submission_id is not None
        for review_widget in (self.comment, self.comment_button, self.return_button):
            review_widget.setEnabled(can_review)
        self.comment.setPlaceholderText(
            _("Comment or what to correct…")
            if can_review or not read_only
            else _("This office has not sent this form yet")
        )
        self.save_state.setText(self._saved_text(data.updated_at))
        self._layout_table()
        self._show_messages()
        self.loaded = True
        first = self.table.step(self.proxy.index(-1, -1), True) if self.proxy.rowCount() else None
        if first is not None and first.isValid():
            self.table.setCurrentIndex(first)
        self.table.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.deferred_status = ""
        self.model.in_flight = set()
        if isinstance(exc, service.KpiValidationError):
            self.model.set_final_problems(exc.problems)
            return
        message = describe_error(exc) or (str(exc) if isinstance(exc, service.KpiError) else None)
        if message is None:
            if self.ctx.runner.on_bug is not None:
                import traceback

                self.ctx.runner.on_bug(exc, "".join(traceback.format_exception(exc)))
            message = _("Something went wrong; your typing is kept on screen. Please try again.")
        self._add_message(message, error=True)
        self.save_state.setText(_("Not saved"))

    def _layout_table(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        model = self.model
        name = model.name_column()
        if model.has_stages:
            self.table.setColumnWidth(0, 90)
        self.table.setColumnWidth(name + 1, 90)
        keys = model.row_keys
        if model.data_ is not None and model.data_.repeated:
            self.table.setColumnWidth(name, 260)
            for key in keys:
                self.table.setColumnWidth(model.value_column(key), 300)
        else:
            header.setSectionResizeMode(name, QHeaderView.ResizeMode.Stretch)
            for key in keys:
                self.table.setColumnWidth(model.value_column(key), 340)
        self._spans()
        self.table.resizeRowsToContents()

    def _spans(self) -> None:
        self.table.clearSpans()
        if self.model.has_stages and not self.proxy.active:
            for first, count in self.model.stage_groups():
                if count > 1:
                    self.table.setSpan(first, 0, count, 1)

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._spans()
        self.table.resizeRowsToContents()

    def _period_chosen(self, position: int) -> None:
        period = self.period_box.itemData(position)
        if period and period != self.period:
            self.open_form(self.office_code, self.programme_id, self.form_code, period)

    def go_back(self) -> None:
        """Back to the list; cells that could not be saved are never dropped silently: the
        same question as leaving the screen (``leave_guard``)."""
        from ui.widgets.leave_guard import confirm_leave, refused_in

        if not confirm_leave(self, refused_in(self.table)):
            return
        self.back_requested.emit()

    # -- editing and saving -----------------------------------------------------------------
    def _edited(self, key: str, code: str, old: str, new: str) -> None:
        self.undo_stack.push(CellCommand(self, key, code, old, new))
        self.save_pending()

    def paste(self, text: str) -> None:
        """A block copied from Excel: lines go down the fields, tabs across the products."""
        start = self.table.currentIndex()
        if self.model.read_only or not start.isValid():
            return
        block = [line.split("\t") for line in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        self.undo_stack.beginMacro(_("Paste"))
        try:
            for r, cells in enumerate(block):
                for c, value in enumerate(cells):
                    index = self.proxy.index(start.row() + r, start.column() + c)
                    if index.isValid() and self.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable:
                        self.proxy.setData(index, value.strip(), Qt.ItemDataRole.EditRole)
        finally:
            self.undo_stack.endMacro()

    def apply(self, key: str, code: str, text: str) -> None:
        """Sets a cell from undo/redo and saves it."""
        if key not in self.model.row_keys:
            return
        self.model.apply_text(key, code, text)
        self.save_pending()

    def save_pending(self) -> None:
        """Writes every pending cell that passes the checks, in a worker, one batch at a time."""
        if self.model.read_only:
            return
        if self.saving:
            self.save_again = True
            return
        batch = self.model.savable()
        if not batch:
            self._update_save_state()
            return
        self.saving = True
        self.model.in_flight = set(batch)
        self.save_state.setText(_("Saving…"))
        store, programme, period, form = (
            self.ctx.store,
            self.programme_id,
            self.period,
            self.form_code,
        )

        def job(progress: Any) -> service.SaveResult:
            return service.save_values(store, programme, period, dict(batch), form)

        form_shown = self.model.data_

        def done(result: service.SaveResult) -> None:
            self.saving = False
            self.model.in_flight = set()
            if self.model.data_ is not form_shown:  # another form was opened meanwhile
                return
            self.model.mark_saved(batch)
            self._set_status_chip(result.status)
            self.ctx.notify(Changes(kpi=True, forms=True), source=self)
            self.save_again = False
            if self.model.savable():
                self.save_pending()
                return
            self._update_save_state()
            if self.deferred_status:
                self.set_status(self.deferred_status)

        self.ctx.runner.run(job, on_success=done, on_failure=self._failed, owner=self, modal=False)

    def _update_save_state(self) -> None:
        if self.model.pending:
            self.save_state.setText(
                ngettext(
                    "{n} cell not saved (see the messages)",
                    "{n} cells not saved (see the messages)",
                    len(self.model.pending),
                ).format(n=len(self.model.pending))
            )
        else:
            self.save_state.setText(_("All changes saved"))

    @staticmethod
    def _saved_text(at: Any) -> str:
        return (
            digits.shown(
                _("Last saved {when}").format(when=format_datetime(service.local_time(at)))
            )
            if at
            else ""
        )

    # -- products ----------------------------------------------------------------------------
    def add_product_clicked(self) -> None:
        store, programme, period = self.ctx.store, self.programme_id, self.period

        def done(key: str) -> None:
            self.model.add_key(key)
            self.undo_stack.push(
                ProductCommand(self, key, added=True, position=self.model.row_keys.index(key))
            )
            self._layout_table()
            self._set_status_chip("draft")
            self.ctx.notify(Changes(kpi=True, forms=True), source=self)
            column = self.model.value_column(key)
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(0, column)))
            self.table.setFocus()

        self.ctx.runner.run(
            lambda p: service.add_product(store, programme, period),
            on_success=done,
            on_failure=self._failed,
            owner=self,
            modal=False,
        )

    def selected_product(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        column = self.proxy.mapToSource(index).column()
        return self.model.key_of_column(column) if self.model.is_value_column(column) else None

    def remove_product_clicked(self) -> None:
        key = self.selected_product()
        if not key:
            self._add_message(_("Select a cell of the product to remove first"), error=True)
            return
        position, values = self.remove_product_now(key)
        self.undo_stack.push(
            ProductCommand(self, key, added=False, position=position, values=values)
        )

    def remove_product_now(self, key: str) -> tuple[int, dict[str, Any]]:
        store, programme, period = self.ctx.store, self.programme_id, self.period
        position, values, _pending = self.model.remove_key(key)
        self._layout_table()
        self.ctx.runner.run(
            lambda p: service.remove_product(store, programme, period, key),
            on_success=lambda _n: self._after_product_change(),
            on_failure=self._failed,
            owner=self,
            modal=False,
        )
        return position, values

    def restore_product(self, key: str, position: int, values: dict[str, Any]) -> None:
        store, programme, period = self.ctx.store, self.programme_id, self.period
        self.model.add_key(key, values, position if position >= 0 else None)
        self._layout_table()
        self.ctx.runner.run(
            lambda p: service.restore_product(store, programme, period, key),
            on_success=lambda _n: self._after_product_change(),
            on_failure=self._failed,
            owner=self,
            modal=False,
        )

    def _after_product_change(self) -> None:
        self._set_status_chip("draft")
        self.ctx.notify(Changes(kpi=True, forms=True), source=self)

    # -- status ---------------------------------------------------------------------------
    def set_status(self, status: str) -> None:
        savable = self.model.savable()
        wrong = [
            k for k in self.model.pending if k not in savable and k not in self.model.in_flight
        ]
        if status == "complete" and wrong:
            self.model.set_final_problems([])
            self._add_message(
                _("Please correct the cells marked red first; they are not saved."), error=True
            )
            return
        if self.saving or savable:
            # Let the typed cells reach the database first, then check the whole form.
            self.deferred_status = status
            self.save_pending()
            return
        self.deferred_status = ""
        store, programme, period, form = (
            self.ctx.store,
            self.programme_id,
            self.period,
            self.form_code,
        )

        def done(problems: list[Any]) -> None:
            self.model.set_final_problems(problems)
            if problems:
                self._add_message(
                    ngettext(
                        "The form is not complete yet: {n} problem, listed above.",
                        "The form is not complete yet: {n} problems, listed above.",
                        len(problems),
                    ).format(n=len(problems)),
                    error=True,
                )
                return
            self._set_status_chip(status)
            self.ctx.notify(Changes(kpi=True, forms=True), source=self)
            self._add_message(
                _("The form is marked complete.")
                if status == "complete"
                else _("The form is saved as a draft.")
            )

        self.ctx.runner.run(
            lambda p: service.set_status(store, programme, period, status, form),
            on_success=done,
            on_failure=self._failed,
            owner=self,
            modal=False,
        )

    def _set_status_chip(self, status: str) -> None:
        """The form's own status changed (saved as draft, completed, returned): the chip shows
        the state of the obligation it fulfils, read from the one model on the worker."""
        self.current_status = status
        data = self.model.data_
        if data is None:
            return
        store, office, programme, period, form = (
            self.ctx.store,
            data.office_code,
            data.programme_id,
            data.period,
            data.form_code,
        )
        self.ctx.runner.run(
            lambda _p: service.form_state(store, office, programme, period, form),
            on_success=self._show_state,
            owner=self,
        )

    def _show_state(self, state: State | None) -> None:
        if state is None:
            self.status_chip.setText("")
            self.status_chip.setStyleSheet("")
            return
        self.status_chip.setText(state.label)
        self.status_chip.setStyleSheet(status_palette.chip_style(state))
        self.status_changed.emit(state.value)

    # -- reviews ----------------------------------------------------------------------------
    def review(self, action: str) -> None:
        text = self.comment.text().strip()
        if not text:
            self._add_message(_("Please write what should be corrected or commented"), error=True)
            self.comment.setFocus()
            return
        store, office, programme, period, form = (
            self.ctx.store,
            self.office_code,
            self.programme_id,
            self.period,
            self.form_code,
        )

        def done(note: service.ReviewNote) -> None:
            self.comment.clear()
            if self.model.data_ is not None:
                self.model.data_.reviews.append(note)
            if action == "returned":
                self._set_status_chip("returned")
            self.ctx.notify(Changes(kpi=True, forms=True), source=self)
            self._show_messages()

        self.ctx.runner.run(
            lambda p: service.add_review(store, office, programme, period, action, text, form),
            on_success=done,
            on_failure=self._failed,
            owner=self,
            modal=False,
        )

    # -- messages ---------------------------------------------------------------------------
    def _show_messages(self) -> None:
        self.messages.clear()
        data = self.model.data_
        if data is None:
            return
        names = {i["code"]: i["name"] for i in data.spec.get("indicators", [])}
        for key, code, message in self.model.problem_list():
            where = names.get(code, "")
            if key:
                number = self.model.row_keys.index(key) + 1 if key in self.model.row_keys else 0
                where = f"{_('Product {n}').format(n=number)} · {where}"
            text = f"{where}: {message}" if where else message
            item = QListWidgetItem("⚠ " + text)
            item.setData(Qt.ItemDataRole.UserRole, (key, code))
            item.setForeground(Qt.GlobalColor.darkRed)
            self.messages.addItem(item)
        for note in data.reviews:
            verb = _(REVIEW_LABELS.get(note.action, note.action))
            text = _("{verb} by {office} ({when}): {text}").format(
                verb=verb,
                office=note.office,
                when=format_datetime(service.local_time(note.at)),
                text=note.text,
            )
            item = QListWidgetItem(text)
            if note.action == "returned":
                item.setForeground(Qt.GlobalColor.darkMagenta)
            self.messages.addItem(item)
        if data.read_only:
            self.messages.addItem(
                QListWidgetItem(
                    _(
                        "This form belongs to {office}: you can read it, comment on it or return "
                        "it for correction."
                    ).format(office=data.office_name)
                )
            )
        elif data.repeated and not self.model.row_keys:
            self.messages.addItem(
                QListWidgetItem(
                    _(
                        "No product yet. Press “Add product” to record the first one (the target "
                        "is at least one product per LAO)."
                    )
                )
            )
        elif not self.messages.count():
            self.messages.addItem(
                QListWidgetItem(
                    _(
                        "Type into the cells; Tab or Enter goes to the next field and every cell "
                        "is saved at once. Fields marked * are required to mark the form complete."
                    )
                )
            )
        if self.loaded:
            self._update_save_state()

    def _add_message(self, text: str, *, error: bool = False) -> None:
        item = QListWidgetItem(("⚠ " if error else "✓ ") + text)
        if error:
            item.setForeground(Qt.GlobalColor.darkRed)
        self.messages.insertItem(0, item)
        self.messages.scrollToTop()

    def _message_activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if not target:
            return
        key, code = target
        row = self.model.row_of(code)
        if row < 0 or key not in self.model.row_keys:
            return
        index = self.proxy.mapFromSource(self.model.index(row, self.model.value_column(key)))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.setFocus()


REVIEW_LABELS = {
    "comment": N_("Comment"),
    "returned": N_("Returned for correction"),
    "accepted": N_("Accepted"),
}


# ---- the screen ---------------------------------------------------------------------------


class KpiScreen(QWidget):
    """The ตัวชี้วัด screen: the list, and the editor of the form chosen there."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.list_page = KpiListPage(ctx)
        self.editor = KpiFormEditor(ctx)
        self.overview = KpiOverviewPage(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.overview)
        self.came_from_overview = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.list_page.open_requested.connect(self.open_form)
        self.list_page.overview_requested.connect(self.show_overview)
        self.overview.back_requested.connect(self.show_list)
        self.overview.open_requested.connect(self._open_from_overview)
        self.editor.back_requested.connect(self._editor_back)
        ctx.fiscal_year_changed.connect(lambda _y: self.refresh())
        # Imports and other screens change forms too: the list reloads on any change that can
        # move a state, except while this screen's own editor is the one saving.
        ctx.changed.connect(self._changed)
        ctx.office_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if self.stack.currentWidget() is self.list_page:
            self.list_page.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.states:
            self.refresh()  # the list only: the editor is not reloaded under the person typing

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.refresh()
        self.list_page.table.setFocus()

    def show_overview(
        self, programme_id: str, form_code: str, period: str, laos: list[tuple[str, str]]
    ) -> None:
        self.stack.setCurrentWidget(self.overview)
        self.overview.show_overview(programme_id, form_code, period, laos)

    def _open_from_overview(
        self, office: str, programme_id: str, form_code: str, period: str
    ) -> None:
        self.open_form(office, programme_id, form_code, period)
        self.came_from_overview = True

    def _editor_back(self) -> None:
        if self.came_from_overview:
            self.came_from_overview = False
            self.stack.setCurrentWidget(self.overview)
            self.overview.table.setFocus()
        else:
            self.show_list()

    def open_form(self, office: str, programme_id: str, form_code: str, period: str) -> None:
        self.came_from_overview = False
        self.stack.setCurrentWidget(self.editor)
        self.editor.open_form(office, programme_id, form_code, period)

    def open_item(self, arg: Any) -> None:
        """``ctx.navigate("kpi", {"programme": "P2", "period": "FY2567", "office": code})``."""
        if not isinstance(arg, dict):
            arg = {"programme": arg}
        store, year = self.ctx.store, self.ctx.fiscal_year

        def job(progress: Any) -> tuple[str, str, str, str]:
            programme = service.get_programme(store, arg["programme"])
            form = service.kpi_forms(programme.spec)[0]
            period = arg.get("period") or service.periods_of(programme, year)[0]
            return (
                arg.get("office") or store.office_code or "",
                programme.id,
                form["code"],
                service.parse_period(period),
            )

        self.ctx.runner.run(
            job,
            on_success=lambda r: self.open_form(*r),
            owner=self,
            on_failure=self.editor._failed,
            modal=False,
        )
