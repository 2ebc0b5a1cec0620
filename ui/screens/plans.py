"""F1 action plan (แผนปฏิบัติงาน) editor.

An LAO edits its own plan like a spreadsheet; every committed cell or row change is written
in a worker at once (nothing waits for a Save button). A district or province picks one of
its LAOs in a list and reads that plan; it can comment or return the form for correction.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.offices import Level
from lev_desktop.i18n import _, ngettext
from lev_desktop.services import offices as office_service
from lev_desktop.services import plans as plan_service
from lev_desktop.services.plans import ItemRow, PlanView
from lev_desktop.thai_format import format_datetime
from ui import digits, thai_wrap
from ui.context import AppContext
from ui.models.plan_model import PLAN_COLUMNS, PlanItemsModel, budget_display
from ui.models.table import EditableTableModel
from ui.status_palette import REFUSED, fg
from ui.widgets import file_dialogs
from ui.widgets.audit_dialog import AuditDialog
from ui.widgets.delegates import LineDelegate, TextDelegate
from ui.widgets.eliding_combo import ElidingComboBox
from ui.widgets.fit import fit_table, keep_rows_in_view
from ui.widgets.flow import FlowLayout
from ui.widgets.leave_guard import guard_for
from ui.widgets.office_list import OfficeList
from ui.widgets.status_badge import StatusBadge
from ui.widgets.table_view import ExcelTableView, clear_status, show_status
from ui.widgets.undo_actions import undo_redo_actions


def emit_state(
    ctx: AppContext,
    owner: QWidget,
    signal: Any,
    office: str,
    programme_id: str,
    year: int,
    form: str,
) -> None:
    """Reads the state of ``office``'s obligation that ``form`` fulfils (the one model) on the
    worker and emits it on ``signal`` (the chip of an editor); None when that form has no
    deadline in ``year`` (the chip kept the state it showed before, or "ยังไม่ถึงกำหนด")."""
    store = ctx.store

    def work(_p):
        return plan_service.states(store, [office], programme_id, year)[office].get(form)

    def show(state: Any) -> None:
        signal.emit(state)  # (None: no deadline of this form in that fiscal year)

    ctx.runner.run(work, on_success=show, owner=owner)


def announce(ctx: AppContext, source: QWidget, changes: Changes | None = None) -> None:
    """Tells every screen that plan data changed (the one change notification). The screen
    that made the change is not reloaded by it: that would close the cell being typed into."""
    ctx.notify(changes or Changes(plans=True, forms=True), source=source)


def reviews_html(
    reviews: list[plan_service.ReviewRow], forms: tuple[str, ...] | None = None
) -> str:
    """The supervising office's comments and returns, newest first, with the form code."""
    parts = []
    for review in reviews:
        if forms and review.target_kind not in forms:
            continue
        label = _("Returned for correction") if review.action == "returned" else _("Comment")
        parts.append(
            f"<p><b>{html.escape(review.target_kind)} · {html.escape(label)}</b> · "
            f"{html.escape(format_datetime(review.at))}<br>{html.escape(review.text)}</p>"
        )
    return "".join(parts)


PROBLEMS_SHOWN = 8  # problems a refused "Mark complete" lists; the rest are counted


def describe_problems(problems: list[tuple[int, Any]], limit: int = PROBLEMS_SHOWN) -> str:
    lines = [plan_service.numbered(number, problem) for number, problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(_("… and {count} more").format(count=len(problems) - limit))
    return "\n".join(lines)


class ProgrammeBar(QWidget):
    """Programme chooser + fiscal year + form status, shared by the plan and activity screens."""

    programme_changed = Signal(str)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # One row on a wide window, two on a narrow one (never wider than the window).
        layout = self._layout = FlowLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")  # styled by ui.style
        layout.addWidget(self.title)
        self.programme = ElidingComboBox()  # a long official name ends in "…" (tooltip: whole)
        self._wanted: str | None = None  # asked for before the programmes were read
        self.programme.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.programme.setMinimumContentsLength(18)
        self.programme.setToolTip(_("Programme"))
        layout.addWidget(self.programme, 1)
        self.year = QLabel()
        layout.addWidget(self.year)
        self.badge = StatusBadge()
        layout.addWidget(self.badge)
        # A finished form that an edit put back into draft (the chip turns from "done" to
        # "overdue" at once when its date has passed). The screen puts this line under its
        # form (``reopened``): shown on a row of the bar, it moved the toolbar under it 38 px
        # down as the clerk reached for "ยืนยันว่ากรอกครบถ้วน" (fit14, fit16).
        self.reopened = QLabel()
        self.reopened.setObjectName("reopenedNote")
        self.reopened.setWordWrap(True)
        self.reopened.setStyleSheet(f"QLabel {{ color: {fg('due_soon').name()}; }}")
        self.reopened.hide()
        self._reopened: set[str] = set()
        # Asked before another programme replaces a table with values in red (leave_guard).
        self.guard: Callable[[], bool] | None = None
        self._shown_index = -1
        self.programme.currentIndexChanged.connect(self._changed)

    def _changed(self, index: int) -> None:
        if self.guard is not None and self._shown_index >= 0 and not self.guard():
            self.programme.blockSignals(True)
            self.programme.setCurrentIndex(self._shown_index)
            self.programme.blockSignals(False)
            return
        self._shown_index = index
        self.programme_changed.emit(self.programme_id() or "")

    def choose_programme(self, programme_id: str | None) -> None:
        """Shows that programme, now or once the programmes are read (another screen asked)."""
        if not programme_id:
            return
        self._wanted = programme_id
        found = self.programme.findData(programme_id)
        if found >= 0:
            self.programme.setCurrentIndex(found)

    def set_programmes(self, programmes: list[tuple[str, str]], select: str | None = None) -> None:
        select, self._wanted = self._wanted or select, None
        self.programme.blockSignals(True)
        self.programme.clear()
        for pid, name in programmes:
            self.programme.addItem(digits.shown(name), pid)
        if select:
            found = self.programme.findData(select)
            if found >= 0:
                self.programme.setCurrentIndex(found)
        self._shown_index = self.programme.currentIndex()
        self.programme.blockSignals(False)

    def programme_id(self) -> str | None:
        return self.programme.currentData()

    def show_reopened(self, form: str, reopened: bool) -> None:
        """Says, under the form, that ``form`` ("F1"…) went back to draft because it was
        edited (``reopened``), or no longer (confirmed complete again, another plan shown)."""
        if reopened:
            self._reopened.add(form)
        else:
            self._reopened.discard(form)
        forms = ", ".join(sorted(self._reopened))
        self.reopened.setText(reopened_text(forms) if forms else "")
        self.reopened.setVisible(bool(forms))

    def add_widget(self, widget: QWidget) -> None:
        """Another control at the end of the bar (e.g. the F3 state of the activities)."""
        self._layout.addWidget(widget)

    def set_year(self, fiscal_year: int) -> None:
        self.year.setText(digits.shown(_("Fiscal year {year}").format(year=fiscal_year)))


def load_programmes(ctx: AppContext) -> list[tuple[str, str]]:
    return [(p.id, p.display_name) for p in plan_service.plan_programmes(ctx.store)]


def reopened_text(forms: str) -> str:
    """The line for a finished form an edit put back into draft, with the button's own label."""
    return _(
        "{forms} went back to draft because it was edited: press “{button}” again for it to "
        "count as done and be sent."
    ).format(forms=forms, button=_("Mark complete"))


class ShowsFormState:
    """An editor whose chip shows the state of the obligation its form (``form``) fulfils.
    Expects ``ctx``, ``office``, ``programme_id``, ``fiscal_year`` and a ``status_changed``
    signal; is a QWidget."""

    form: str  # plan_service.FORM_…
    ctx: AppContext
    office: str | None
    programme_id: str | None
    fiscal_year: int
    status_changed: Any  # Signal(object)

    form_reopened: Any  # Signal(bool): an edit put the finished form back into draft (True)

    def _tell_reopened(self, result: Any) -> None:
        """After a save: when it put the finished form back into draft (the core says so,
        ``form_status.reopened_by_edit``), the line beside the chip and the status bar say
        that it must be confirmed complete again."""
        if not (getattr(result, "reopened", False) or result is True):
            return
        self.form_reopened.emit(True)
        form = {plan_service.FORM_PLAN: "F1", plan_service.FORM_RESULTS: "F2"}
        show_status(cast(QWidget, self), reopened_text(form.get(self.form, "F3")))

    def _emit_state(self) -> None:
        if self.office and self.programme_id:
            emit_state(
                self.ctx,
                cast(QWidget, self),
                self.status_changed,
                self.office,
                self.programme_id,
                self.fiscal_year,
                self.form,
            )


class SavingEditor(ShowsFormState):
    """What the plan and activity editors share: typed changes saved in the background with
    "Saving…" until the last save is back, then the other screens told (``changes``) and the
    chip read again; a failed save reloads the rows and shows the reason in Thai under the
    table; the current row in model terms. Expects ``pending``, ``message`` (a QLabel),
    ``table`` (ExcelTableView) and ``reload()``."""

    changes: Changes  # what a save changes, for the other screens
    pending: int
    message: QLabel
    table: ExcelTableView
    model: EditableTableModel
    _note: str = ""
    _shown_refusals: frozenset[str] | set[str] = frozenset()

    def reload(self) -> None:
        raise NotImplementedError

    def _save(self, work: Callable[[Any], Any]) -> None:
        """Runs one save of typed changes on the worker."""
        self.pending += 1
        self.message.setText(_("Saving…"))
        self.ctx.runner.run(
            work, on_success=self._saved, on_failure=self._save_failed, owner=cast(QWidget, self)
        )

    def _saved(self, result: Any) -> None:
        self.pending -= 1
        if self.pending == 0:
            self._say(self.saved_text())
        announce(self.ctx, cast(QWidget, self), self.changes)
        self._emit_state()
        self._tell_reopened(result)

    def _save_failed(self, exc: BaseException) -> None:
        self.pending -= 1
        from lev_desktop.errors import describe_error

        text = str(exc) if isinstance(exc, plan_service.PlanError) else describe_error(exc)
        self._show_problem(text or _("The change could not be saved."))
        self.reload()

    def _show_problem(self, text: str) -> None:
        self.message.setText(f"<span style='color:{REFUSED}'>{html.escape(text)}</span>")
        show_status(self.message, text)
        self._shown_refusals = self._shown_refusals | {text}

    def _say(self, text: str) -> None:
        """A success said in the message line ("Changes saved.", "12 rows added."): the
        refusals shown before leave the window's status bar too, unless they still hold (a
        cell still red). "No action plan for 2567 to copy" stayed there 15 s under the plan
        just made from the examples."""
        current = {reason for _i, reason in self.model.invalid_cells()}
        gone = set(self._shown_refusals) - current
        if gone:
            clear_status(self.message, gone)
        self._shown_refusals = current
        self.message.setText(text)

    def _show_note(self, text: str) -> None:
        self._note = text  # stays in the message line after the save that follows
        self.message.setText(f"<span style='color:#7a4f00'>{html.escape(text)}</span>")
        show_status(self.message, text)

    def _wire_cells(self) -> None:
        """The one editing behaviour: refused cells and notes in the message line and the
        window's status bar (the cell itself is red with the reason as its tooltip)."""
        self.model.problem.connect(self._show_problem)
        self.model.noted.connect(self._show_note)
        self.table.refused_cell.connect(self._show_problem)
        self.model.invalid_changed.connect(self._refusals_changed)

    def _refusals_changed(self) -> None:
        """A refusal corrected or taken back leaves the status bar (the others stay)."""
        current = {text for _i, text in self.model.invalid_cells()}
        gone = self._shown_refusals - current
        if gone:
            clear_status(self.message, gone)
            # and from the message line (it showed the last one): the next still there, or none
            shown = thai_wrap.plain(self.message.text())
            if any(html.escape(text) in shown for text in gone):
                remaining = sorted(current)
                if remaining:
                    self._show_problem(remaining[0])
                else:
                    self.message.clear()
        self._shown_refusals = current

    def saved_text(self) -> str:
        """What the message line says once the typed changes are written."""
        refused = len(self.model.invalid)
        if refused:
            text = _(
                "Changes saved, except {n} cells in red: correct them, or press Ctrl+Z to take "
                "them back."
            ).format(n=refused)
        else:
            text = _("All changes saved.")
        note, self._note = self._note, ""
        return f"{note} — {text}" if note else text

    def current_source_row(self) -> int:
        index = self.table.to_source(self.table.currentIndex())
        return index.row() if index.isValid() else -1


class PlanEditor(SavingEditor, QWidget):
    """The F1 table with its toolbar, side panel and empty state. ``load(office, programme,
    year)`` shows a plan; own plans are editable, other offices' plans are read-only."""

    saved = Signal()
    status_changed = Signal(object)  # the state of the obligation F1 fulfils
    form_reopened = Signal(bool)  # an edit put the finished F1 back into draft (ShowsFormState)
    form = plan_service.FORM_PLAN
    changes = Changes(plans=True, forms=True)
    model: PlanItemsModel

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.office: str | None = None
        self.programme_id: str | None = None
        self.fiscal_year = ctx.fiscal_year
        self.view: PlanView | None = None
        self.pending = 0
        self.undo_stack = QUndoStack(self)
        self.model = PlanItemsModel(self)
        self.model.undo_stack = self.undo_stack
        self.model.changed.connect(self._persist)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self._build_actions()

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        # empty state
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setStyleSheet("font-size: 13pt; color: #3c4043;")
        empty_layout.addWidget(self.empty_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.examples_button = QPushButton(_("Start from the example plan"))
        self.examples_button.clicked.connect(self.start_from_examples)
        self.copy_button = QPushButton(_("Copy last year's plan"))
        self.copy_button.clicked.connect(self.copy_last_year)
        self.blank_button = QPushButton(_("Add a row"))
        self.blank_button.setFlat(True)
        self.blank_button.clicked.connect(self.add_row)
        for button in (self.examples_button, self.copy_button, self.blank_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(2)
        self.stack.addWidget(self.empty)
        # the table and the side panel
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = ExcelTableView()
        self.table.setModel(self.proxy)
        # at least five plan items in view at 1366×768 at 125 % (one item of long Thai text
        # in eight narrow columns took the table): a long item is cut to its share, ending in
        # "…", its whole text in the tooltip
        keep_rows_in_view(self.table, 5)
        text = TextDelegate(self.table)
        line = LineDelegate(self.table)
        # The eight official columns (and the activity counts) share the table's width, so
        # that a 1366×768 screen shows them all (ui.widgets.fit).
        fit_table(self.table, [c.width for c in PLAN_COLUMNS], key="plans/f1")
        for number, column in enumerate(PLAN_COLUMNS):
            if column.kind == "text":
                self.table.setItemDelegateForColumn(number, text)
            elif column.kind in ("budget", "int"):
                self.table.setItemDelegateForColumn(number, line)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._update_side())
        self.splitter.addWidget(self.table)
        self.side = QTextBrowser()
        self.side.setOpenLinks(False)
        self.side.setMinimumWidth(180)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 250])
        self.splitter.setCollapsible(0, False)
        self.stack.addWidget(self.splitter)
        # The side panel repeats the selected row in full. On a narrow window (1366×768 at
        # 125 %) the eight columns need its width: it starts hidden there ("Details" shows it).
        from ui import window_state

        remembered = window_state.flag("plans/details")
        self._details_default = remembered is None
        self.act_details.setChecked(bool(remembered))
        self.side.setVisible(bool(remembered))
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._wire_cells()
        self.model.dataChanged.connect(lambda *_a: self._update_side())
        self.model.rowsInserted.connect(lambda *_a: self._after_rows())
        self.model.rowsRemoved.connect(lambda *_a: self._after_rows())
        self._set_editable(False)

    # ---- actions --------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot,
        shortcut: QKeySequence | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        self.toolbar.addAction(action)
        return action

    def _menu_action(self, text: str, slot) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        # (the separators between editing groups: shown and hidden with the editing actions)
        self._edit_separators: list[QAction] = []
        self.act_add = self._action(_("Add row"), self.add_row, "Ctrl+Shift+=")
        self.act_remove = self._action(_("Remove row"), self.remove_rows, "Ctrl+-")
        self.act_up = self._action("▲", lambda: self.move_row(-1), "Alt+Up", tip=_("Move up"))
        self.act_down = self._action("▼", lambda: self.move_row(1), "Alt+Down", tip=_("Move down"))
        self.act_no_budget = self._action(
            _("No budget"),
            self.toggle_no_budget,
            tip=_("Mark the selected project as using no budget"),
        )
        self._edit_separators.append(self.toolbar.addSeparator())
        self.act_undo, self.act_redo = undo_redo_actions(self.undo_stack, self)
        self.toolbar.addAction(self.act_undo)
        self.toolbar.addAction(self.act_redo)
        self._edit_separators.append(self.toolbar.addSeparator())
        # Starting points share one menu button: the toolbar must fit 1366 px.
        self.act_import = self._menu_action(_("Import from Excel…"), self.import_xlsx)
        self.act_copy = self._menu_action(_("Copy last year"), self.copy_last_year)
        self.act_examples = self._menu_action(_("Example rows"), self.start_from_examples)
        self.add_from = QToolButton()
        self.add_from.setText(_("Add rows from"))
        self.add_from.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_from)
        for action in (self.act_import, self.act_copy, self.act_examples):
            menu.addAction(action)
        self.add_from.setMenu(menu)
        self.act_add_from = self.toolbar.addWidget(self.add_from)
        self._edit_separators.append(self.toolbar.addSeparator())
        self.act_complete = self._action(_("Mark complete"), self.mark_complete)
        self.act_history = self._action(
            _("History"), self.show_history, tip=_("Who changed what, and when")
        )
        self.act_details = QAction(_("Details"), self)
        self.act_details.setCheckable(True)
        self.act_details.setToolTip(
            _("Show the selected project's fields in full beside the table")
        )
        self.act_details.toggled.connect(self._details_toggled)
        self.toolbar.addAction(self.act_details)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the plan…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(180)
        self.search.setMinimumWidth(120)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.toolbar.addWidget(self.search)
        find = QAction(self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.search.setFocus())
        self.addAction(find)

    def _set_editable(self, editable: bool) -> None:
        self.model.editable = editable
        for action in (
            self.act_add,
            self.act_remove,
            self.act_up,
            self.act_down,
            self.act_no_budget,
            self.act_add_from,
            self.act_complete,
            *self._edit_separators,
        ):
            action.setVisible(editable)
        self.act_undo.setVisible(editable)
        self.act_redo.setVisible(editable)
        self.examples_button.setVisible(editable)
        self.copy_button.setVisible(editable)
        self.blank_button.setVisible(editable)

    # ---- loading ----------------------------------------------------------------------------
    def load(self, office: str, programme_id: str, fiscal_year: int) -> None:
        self.office, self.programme_id, self.fiscal_year = office, programme_id, fiscal_year
        self.form_reopened.emit(False)  # another plan: the line was of the one before
        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: plan_service.load_plan(store, office, programme_id, fiscal_year),
            on_success=self._loaded,
            owner=self,
        )

    def reload(self) -> None:
        if self.office and self.programme_id:
            self.load(self.office, self.programme_id, self.fiscal_year)

    def _loaded(self, view: PlanView) -> None:
        if (view.office, view.programme_id, view.fiscal_year) != (
            self.office,
            self.programme_id,
            self.fiscal_year,
        ):
            return  # an older request
        key = (view.office, view.programme_id, view.fiscal_year)
        if key != getattr(self, "_loaded_key", None):
            self.undo_stack.clear()  # undo steps refer to rows by id: kept on a reload
        self._loaded_key = key
        self.view = view
        self.model.set_rows(view.items)
        self._set_editable(view.editable)
        self.status_changed.emit(view.states.get(plan_service.FORM_PLAN))  # (None: no deadline)
        self._after_rows()
        if view.items and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 1))
        self._update_side()

    def _after_rows(self) -> None:
        year = digits.shown(str(self.fiscal_year))
        if self.view is not None and not self.view.editable:
            self.empty_text.setText(
                _("This office has no action plan for fiscal year {year} yet.").format(year=year)
            )
        else:
            self.empty_text.setText(
                _(
                    "There is no action plan for fiscal year {year} yet — start from the example "
                    "plan or copy last year's"
                ).format(year=year)
            )
        self.stack.setCurrentWidget(self.splitter if self.model.rows else self.empty)

    # ---- saving -----------------------------------------------------------------------------
    def _persist(self, diff: dict[str, Any]) -> None:
        if not (diff.get("upserts") or diff.get("deletes")):
            return
        store, programme_id, fiscal_year = self.ctx.store, self.programme_id, self.fiscal_year
        assert programme_id is not None

        def work(_p):
            return plan_service.apply_item_changes(
                store,
                programme_id,
                fiscal_year,
                upserts=diff.get("upserts", []),
                deletes=diff.get("deletes", []),
            )

        self._save(work)

    def _saved(self, result: Any) -> None:
        super()._saved(result)
        self.saved.emit()

    # ---- row commands ---------------------------------------------------------------------------
    def add_row(self) -> None:
        if not self.model.editable:
            return
        position = self.current_source_row() + 1 if self.model.rows else 0
        position = position if position > 0 else len(self.model.rows)
        self.search.clear()
        row = self.model.add_row(position)
        self.stack.setCurrentWidget(self.splitter)
        target = self.model.row_of(row.id)
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(target, 1)))
        self.table.setFocus()

    def remove_rows(self) -> None:
        rows = self.table.selected_source_rows()
        if rows and self.model.editable:
            self.model.remove_rows(rows)

    def move_row(self, delta: int) -> None:
        row = self.current_source_row()
        column = max(self.table.currentIndex().column(), 1)
        if row >= 0 and self.model.move(row, delta):
            self.table.setCurrentIndex(
                self.proxy.mapFromSource(self.model.index(row + delta, column))
            )

    def toggle_no_budget(self) -> None:
        row = self.current_source_row()
        if row < 0 or not self.model.editable:
            return
        item: ItemRow = self.model.rows[row]
        column = [c.key for c in PLAN_COLUMNS].index("budget")
        self.model.setData(
            self.model.index(row, column), "" if item.no_budget else plan_service.NO_BUDGET_TEXT
        )

    def _insert_values(self, rows: list[dict[str, Any]], label: str) -> None:
        if not rows:
            return
        self.undo_stack.beginMacro(label)
        try:
            for values in rows:
                self.model.add_row(
                    len(self.model.rows),
                    plan_service.item_from_values(
                        {**values, "id": plan_service.new_id(), "seq": len(self.model.rows) + 1}
                    ),
                )
        finally:
            self.undo_stack.endMacro()
        self._say(
            ngettext("{count} row added.", "{count} rows added.", len(rows)).format(count=len(rows))
        )

    def start_from_examples(self) -> None:
        store, programme_id = self.ctx.store, self.programme_id
        self.ctx.runner.run(
            lambda _p: plan_service.example_rows(store, programme_id or ""),
            on_success=lambda rows: self._insert_values(rows, _("Example rows")),
            on_failure=self._failed,
            owner=self,
        )

    def copy_last_year(self) -> None:
        store, programme_id, year = self.ctx.store, self.programme_id, self.fiscal_year
        self.ctx.runner.run(
            lambda _p: plan_service.last_year_rows(store, programme_id or "", year),
            on_success=lambda rows: self._insert_values(rows, _("Copy last year")),
            on_failure=self._failed,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        from lev_desktop.errors import describe_error

        text = str(exc) if isinstance(exc, ValueError) else describe_error(exc)
        self._show_problem(text or _("Something went wrong."))

    def import_xlsx(self, path: str | None = None) -> None:
        if not path:
            path = file_dialogs.open_file(
                self,
                _("Import an action plan from Excel"),
                _("Excel workbooks (*.xlsx)"),
                purpose="plan-import",
                ctx=self.ctx,
            )
        if not path:
            return
        from ui.widgets.plan_import_dialog import PlanImportDialog

        dialog = PlanImportDialog(self.ctx, Path(path), self)
        dialog.rows_ready.connect(lambda rows: self._insert_values(rows, _("Import from Excel")))
        dialog.open()
        self.import_dialog = dialog

    def mark_complete(self) -> None:
        store, programme_id, year = self.ctx.store, self.programme_id, self.fiscal_year

        def done(problems: list) -> None:
            if problems:
                self._show_problem(
                    _("The plan cannot be marked complete yet:")
                    + "\n"
                    + describe_problems(problems)
                )
                QMessageBox.information(self, _("Not complete yet"), describe_problems(problems))
                self._go_to_problem(*problems[0])
                return
            self._say(_("The action plan is marked complete."))
            self.form_reopened.emit(False)
            announce(self.ctx, self)
            self._emit_state()

        self.ctx.runner.run(
            lambda _p: plan_service.set_form_status(
                store, programme_id or "", year, plan_service.FORM_PLAN, FormStatus.COMPLETE
            ),
            on_success=done,
            on_failure=self._failed,
            owner=self,
        )

    def _go_to_problem(self, number: int, problem: Any) -> None:
        """The cursor in the cell of a refused "Mark complete"'s first problem: row ``number``
        of the rule (counted from 1 in ``item_order``), the column of its field."""
        if number < 1:
            return
        ordered = sorted(
            range(len(self.model.rows)), key=lambda r: plan_service.item_order(self.model.rows[r])
        )
        if number > len(ordered):
            return
        keys = [c.key for c in PLAN_COLUMNS]
        column = keys.index(problem.field) if problem.field in keys else keys.index("project")
        self.search.clear()  # a filtered table may hide the row
        index = self.proxy.mapFromSource(self.model.index(ordered[number - 1], column))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        self.table.setFocus()

    # ---- side panel and history ------------------------------------------------------------
    def _details_toggled(self, shown: bool) -> None:
        if not hasattr(self, "side"):
            return
        self.side.setVisible(shown)
        if not self._details_default:
            from ui import window_state

            window_state.set_flag("plans/details", shown)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._details_default:
            # first time on this PC: the details beside the table only where there is room
            # for both (decided once the layout has given the editor its width)
            QTimer.singleShot(0, self, self._default_details)

    def _default_details(self) -> None:
        if self._details_default:
            self.act_details.setChecked(self.width() >= 1100)  # not remembered: automatic
            self._details_default = False

    def _update_side(self) -> None:
        row = self.current_source_row()
        parts: list[str] = []
        if 0 <= row < len(self.model.rows):
            item: ItemRow = self.model.rows[row]
            heading = _("Project no. {number}").format(number=row + 1)
            parts.append(f"<h3>{html.escape(heading)}</h3>")
            for column in PLAN_COLUMNS[1:]:
                if column.key == "budget":
                    value = budget_display(item)
                    value = (
                        value + " " + _("baht")
                        if item.budget is not None and not item.no_budget
                        else value
                    )
                elif column.key == "progress":
                    value = plan_service.progress_cell(item)
                elif column.key == "planned_activities":
                    value = str(item.planned_activities)
                else:
                    value = getattr(item, column.key) or ""
                parts.append(
                    f"<p><b>{html.escape(_(column.title))}</b><br>"
                    f"{html.escape(value).replace(chr(10), '<br>') or '—'}</p>"
                )
        if self.view is not None and self.view.reviews:
            heading = _("Comments from the supervising office")
            parts.append(f"<h3>{html.escape(heading)}</h3>")
            parts.append(reviews_html(self.view.reviews))
        # the interface's digits, with Thai break opportunities
        thai_wrap.set_html(self.side, digits.shown_html("".join(parts)))

    def show_history(self) -> None:
        row = self.current_source_row()
        if 0 <= row < len(self.model.rows):
            item = self.model.rows[row]
            ids = [item.id]
            title = _("Changes of project no. {number}: {project}").format(
                number=row + 1, project=item.project
            )
        else:
            ids = [r.id for r in self.model.rows]
            title = _("Changes of the action plan")
        if self.view is not None and self.view.plan_id:
            ids.append(self.view.plan_id)
        dialog = AuditDialog(self.ctx, ids, title, self)
        dialog.open()
        self.history_dialog = dialog


class ReviewBar(QWidget):
    """For a district or province reading an LAO's form: comment or return for correction."""

    reviewed = Signal()

    def __init__(self, ctx: AppContext, form_code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.form_code = form_code
        self.target: tuple[str, str, int] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Read-only: this is the office's own record.")))
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Comment or what should be corrected…"))
        layout.addWidget(self.text, 1)
        self.comment_button = QPushButton(_("Comment"))
        self.comment_button.clicked.connect(lambda: self.send(plan_service.REVIEW_COMMENT))
        self.return_button = QPushButton(_("Return for correction"))
        self.return_button.clicked.connect(lambda: self.send(plan_service.REVIEW_RETURNED))
        layout.addWidget(self.comment_button)
        layout.addWidget(self.return_button)
        self.message = QLabel()
        layout.addWidget(self.message)

    def set_target(self, office: str, programme_id: str, fiscal_year: int) -> None:
        self.target = (office, programme_id, fiscal_year)
        self.message.clear()

    def send(self, action: str) -> None:
        if self.target is None:
            return
        office, programme_id, year = self.target
        text = self.text.text()
        store, form = self.ctx.store, self.form_code

        def done(_r) -> None:
            self.text.clear()
            self.message.setText(_("Saved."))
            self.reviewed.emit()
            announce(self.ctx, self)

        def failed(exc: BaseException) -> None:
            self.message.setText(str(exc))

        self.ctx.runner.run(
            lambda _p: plan_service.add_review(
                store, office, programme_id, year, form, action, text
            ),
            on_success=done,
            on_failure=failed,
            owner=self,
        )


class PlansScreen(QWidget):
    """The navigation screen: programme bar, (for districts) the LAO list, the F1 editor."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.level: str | None = None
        layout = QVBoxLayout(self)
        self.bar = ProgrammeBar(ctx, _("Action plan (F1)"))
        self.bar.guard = guard_for(self)
        layout.addWidget(self.bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.offices = OfficeList(ctx, ("F1",))
        self.offices.setMinimumWidth(220)
        self.splitter.addWidget(self.offices)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.review = ReviewBar(ctx, plan_service.FORM_PLAN)
        right_layout.addWidget(self.review)
        self.editor = PlanEditor(ctx)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.bar.reopened)  # (under the form: the toolbar stays put)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 890])
        layout.addWidget(self.splitter, 1)
        self.offices.set_wanted(False)
        self.bar.add_widget(self.offices.combo)
        self.review.hide()
        self.bar.programme_changed.connect(lambda _p: self._show())
        self.offices.office_selected.connect(lambda _c: self._show_editor())
        self.editor.status_changed.connect(lambda status: self.bar.badge.set_status(status, "F1: "))
        self.editor.form_reopened.connect(lambda shown: self.bar.show_reopened("F1", shown))
        self.review.reviewed.connect(self._reviewed)
        ctx.fiscal_year_changed.connect(lambda _y: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def work(_p):
            office = office_service.this_office(ctx.store)
            return (office.level if office else None), load_programmes(ctx)

        self.ctx.runner.run(work, on_success=self._setup, owner=self)

    def _setup(self, result: tuple[str | None, list[tuple[str, str]]]) -> None:
        level, programmes = result
        self.level = level
        current = self.bar.programme_id()
        self.bar.set_programmes(programmes, current)
        self.bar.set_year(self.ctx.fiscal_year)
        supervising = level is not None and level != Level.LAO
        self.offices.set_wanted(supervising)
        self.review.setVisible(supervising)
        self._show()

    def _show(self) -> None:
        programme_id = self.bar.programme_id()
        if not programme_id:
            return
        if self.offices.property("wanted") or (self.level and self.level != Level.LAO):
            self.offices.load(programme_id, self.ctx.fiscal_year)
            if self.offices.selected():
                self._show_editor()
        else:
            self._show_editor()

    def _show_editor(self) -> None:
        programme_id = self.bar.programme_id()
        supervising = self.level is not None and self.level != Level.LAO
        office = self.offices.selected() if supervising else self.ctx.office_code
        if not programme_id or not office:
            return
        self.review.set_target(office, programme_id, self.ctx.fiscal_year)
        self.editor.load(office, programme_id, self.ctx.fiscal_year)

    def _reviewed(self) -> None:
        self._show()

    # Below this width the LAO list becomes a drop-down in the top bar, so that the plan's
    # columns keep the width (1366×768 at 125 %).
    COMPACT_BELOW = 1050

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.offices.set_compact(self.width() < self.COMPACT_BELOW)

    def open_item(self, arg: Any) -> None:
        """``ctx.navigate("plans", code_or_office)``: a programme code or an office code, or
        ``{"programme_id": id, "office": code}`` (the board's LAO: its plan of that programme)."""
        if isinstance(arg, dict):
            self.bar.choose_programme(arg.get("programme_id"))
            if arg.get("office"):
                self.offices.select(arg["office"])
            return
        if not isinstance(arg, str):
            return
        found = self.bar.programme.findData(arg)
        if found >= 0:
            self.bar.programme.setCurrentIndex(found)
        else:
            self.offices.select(arg)
