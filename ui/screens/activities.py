"""F2 activities and results against the plan rows, and F3 monitoring milestones.

Left: the plan's projects with their progress (activities held / planned). Right: the
activities of the chosen project as an editable table (date, place, participants, outputs
against the KPI, budget spent, problems, remedies, attached files) with a side panel. The
second tab holds the LEV programme's milestones (F3). Every committed edit is saved in a worker
at once; a district or province reads its LAOs' records and may comment or return them.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import State
from lev_desktop.domain.offices import Level
from lev_desktop.domain.validation import activity_held, validate_monitoring
from lev_desktop.i18n import N_, _, ngettext
from lev_desktop.services import offices as office_service
from lev_desktop.services import plans as plan_service
from lev_desktop.services.plans import ActivityRow, MonitoringView, PlanView
from lev_desktop.thai_format import format_date, format_number
from ui import digits, thai_wrap
from ui.context import AppContext
from ui.models.activity_model import ACTIVITY_COLUMNS, ActivitiesModel
from ui.models.plan_model import PlanItemsModel
from ui.screens.plans import (
    PROBLEMS_SHOWN,
    ProgrammeBar,
    ReviewBar,
    SavingEditor,
    ShowsFormState,
    announce,
    load_programmes,
    reviews_html,
)
from ui.status_palette import REFUSED
from ui.widgets import file_dialogs
from ui.widgets.audit_dialog import AuditDialog
from ui.widgets.date_edit import BEDateEdit
from ui.widgets.delegates import DateDelegate, LineDelegate, TextDelegate
from ui.widgets.eliding_combo import ElidingComboBox
from ui.widgets.fit import fit_table, keep_rows_in_view
from ui.widgets.leave_guard import guard_for
from ui.widgets.office_list import OfficeList
from ui.widgets.status_badge import StatusBadge
from ui.widgets.status_label import MessageLine
from ui.widgets.table_view import ExcelTableView, clear_status, show_status
from ui.widgets.undo_actions import undo_redo_actions


class ItemFilter(QSortFilterProxyModel):
    """Activities of one plan row, matching the search text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.item_id: str | None = None
        self.text = ""

    def set_item(self, item_id: str | None) -> None:
        self.beginFilterChange()
        self.item_id = item_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ActivitiesModel) or not (0 <= source_row < len(model.rows)):
            return False
        row: ActivityRow = model.rows[source_row]
        if self.item_id and row.plan_item_id != self.item_id:
            return False
        if self.text:
            haystack = " ".join(
                str(v or "")
                for v in (
                    row.title,
                    row.place,
                    row.outputs,
                    row.problems,
                    row.remedies,
                    format_date(row.held_on),
                )
            ).lower()
            return self.text in haystack
        return True


class ActivitiesEditor(SavingEditor, QWidget):
    status_changed = Signal(object)  # the state of the obligation the form fulfils
    form_reopened = Signal(bool)  # an edit put the finished F2 back into draft (ShowsFormState)
    form = plan_service.FORM_RESULTS
    changes = Changes(activities=True, forms=True)
    model: ActivitiesModel

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.office: str | None = None
        self.programme_id: str | None = None
        self.fiscal_year = ctx.fiscal_year
        self.plan: PlanView | None = None
        self.pending = 0
        self.undo_stack = QUndoStack(self)
        self.items = PlanItemsModel(self)  # read-only list of projects with progress
        self.model = ActivitiesModel(self)
        self.model.undo_stack = self.undo_stack
        self.model.changed.connect(self._persist)
        self.proxy = ItemFilter(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        # projects
        self.project_view = QTableView()
        self.project_view.setModel(self.items)
        self.project_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.project_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.project_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.project_view.setWordWrap(True)
        self.project_view.verticalHeader().hide()
        self.project_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        keys = [c.key for c in self.items.columns]
        for column, key in enumerate(keys):
            self.project_view.setColumnHidden(column, key not in ("seq", "project", "progress"))
        self.project_view.selectionModel().currentRowChanged.connect(self._project_changed)
        self.project_view.setMinimumWidth(220)
        fit_table(
            self.project_view,
            [{"seq": 40, "project": 200, "progress": 60}.get(k, 0) for k in keys],
            key="activities/projects",
        )
        self.splitter.addWidget(self.project_view)
        # activities
        self.table = ExcelTableView()
        self.table.setModel(self.proxy)
        # at least TABLE_ROWS activities in view: a long one is cut to its share, its text
        # ending in "…" (whole in the tooltip and the details pane)
        keep_rows_in_view(self.table, self.TABLE_ROWS)
        text, line, date = (
            TextDelegate(self.table),
            LineDelegate(self.table),
            DateDelegate(self.table),
        )
        fit_table(self.table, [c.width for c in ACTIVITY_COLUMNS], key="activities/f2")
        for number, spec in enumerate(ACTIVITY_COLUMNS):
            delegate = {"text": text, "money": line, "int": line, "date": date}.get(spec.kind)
            if delegate is not None:
                self.table.setItemDelegateForColumn(number, delegate)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._update_side())
        # the activities, with the selected one's details and files below (width matters
        # more than height at 1366×768)
        right = QSplitter(Qt.Orientation.Vertical)
        # On a narrow window (1366×768 at 125 %) the project list gives its width to the ten
        # columns and this drop-down above the table picks the project instead.
        self.project_combo = ElidingComboBox()
        self.project_combo.setModel(self.items)
        self.project_combo.setModelColumn(keys.index("project"))
        self.project_combo.setAccessibleName(_("Project"))
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_combo.setMinimumContentsLength(20)
        self.project_combo.activated.connect(self._project_chosen)
        self.project_combo.hide()
        self.compact = False
        self._pane_height = 130  # the details pane's height when it shows
        # (the screen shows the drop-down beside its tabs, where it takes no row of its own)
        right.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser()
        bottom_layout.addWidget(self.details, 3)
        files_box = QVBoxLayout()
        files_box.addWidget(QLabel(_("Attached files")))
        self.files = QListWidget()
        self.files.itemActivated.connect(self._open_file)
        files_box.addWidget(self.files, 1)
        bottom_layout.addLayout(files_box, 1)
        right.addWidget(bottom)
        # the table first: the details below are a help, the table is the work
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setSizes([420, 130])
        right.setCollapsible(0, False)
        self.right, self.bottom = right, bottom
        right.installEventFilter(self)  # its height decides whether the details pane shows,
        self.table.horizontalHeader().installEventFilter(self)  # with the header's (it grows
        # to its wrapped titles after the columns are fitted, later than the first layout)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([230, 830])
        layout.addWidget(self.splitter, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self._build_actions()
        self._wire_cells()
        self.model.dataChanged.connect(lambda *_a: self._update_side())
        self.model.rowsInserted.connect(lambda *_a: self._recount())
        self.model.rowsRemoved.connect(lambda *_a: self._recount())
        # a date and a result make an activity held: edits of those cells move the count
        self.model.dataChanged.connect(lambda *_a: self._recount())
        self._set_editable(False)

    def _action(self, text: str, slot, shortcut: str | QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.toolbar.addAction(action)
        return action

    def _build_actions(self) -> None:
        # (the separators between editing groups: shown and hidden with the editing actions)
        self._edit_separators: list[QAction] = []
        self.act_add = self._action(_("Add activity"), self.add_activity, "Ctrl+Shift+=")
        self.act_remove = self._action(_("Remove activity"), self.remove_activity, "Ctrl+-")
        self.act_attach = self._action(_("Attach file…"), self.attach_file)
        self._edit_separators.append(self.toolbar.addSeparator())
        self.act_undo, self.act_redo = undo_redo_actions(self.undo_stack, self)
        self.toolbar.addAction(self.act_undo)
        self.toolbar.addAction(self.act_redo)
        self._edit_separators.append(self.toolbar.addSeparator())
        self.act_complete = self._action(_("Mark complete"), self.mark_complete)
        self.act_history = self._action(_("History"), self.show_history)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search activities…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(200)
        self.search.textChanged.connect(self.proxy.set_text)
        self.toolbar.addWidget(self.search)

    def _set_editable(self, editable: bool) -> None:
        self.model.editable = editable
        self.table.set_empty_text(self._empty_text())
        for action in (
            self.act_add,
            self.act_remove,
            self.act_attach,
            self.act_undo,
            self.act_redo,
            self.act_complete,
            *self._edit_separators,
        ):
            action.setVisible(editable)

    # ---- loading ----------------------------------------------------------------------------
    def load(self, office: str, programme_id: str, fiscal_year: int) -> None:
        self.office, self.programme_id, self.fiscal_year = office, programme_id, fiscal_year
        self.model.fiscal_year = fiscal_year
        self.form_reopened.emit(False)  # another form: the line was of the one before
        store = self.ctx.store

        def work(_p):
            return (
                plan_service.load_plan(store, office, programme_id, fiscal_year),
                plan_service.list_activities(store, office, programme_id, fiscal_year),
            )

        self.ctx.runner.run(work, on_success=self._loaded, owner=self)

    def reload(self) -> None:
        if self.office and self.programme_id:
            self.load(self.office, self.programme_id, self.fiscal_year)

    def _loaded(self, result: tuple[PlanView, list[ActivityRow]]) -> None:
        plan, activities = result
        if (plan.office, plan.programme_id, plan.fiscal_year) != (
            self.office,
            self.programme_id,
            self.fiscal_year,
        ):
            return
        key = (plan.office, plan.programme_id, plan.fiscal_year)
        if key != getattr(self, "_loaded_key", None):
            self.undo_stack.clear()
        self._loaded_key = key
        self.plan = plan
        keep = self.proxy.item_id
        self.items.set_rows(plan.items)
        self.model.projects = {i.id: (i.project, i.kpi) for i in plan.items}
        self.model.set_rows(activities)
        self._set_editable(plan.editable and bool(plan.items))
        self.status_changed.emit(plan.states.get(plan_service.FORM_RESULTS))  # (None: no deadline)
        ids = [i.id for i in plan.items]
        target = ids.index(keep) if keep in ids else 0
        if ids:
            self.project_view.selectRow(target)
            self.project_view.setCurrentIndex(self.items.index(target, 1))
        else:
            self.proxy.set_item(None)
            self.message.setText(
                _("The action plan has no projects yet: make the plan (F1) first.")
            )
        self._update_side()

    COMPACT_BELOW = 1000  # editor width below which the projects are a drop-down
    TABLE_ROWS = 5  # rows of one line the table keeps room for before the details pane shows

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.compact = self.width() < self.COMPACT_BELOW
        self.project_view.setVisible(not self.compact)
        if self.isVisible():
            self.project_combo.setVisible(self.compact)
        self._give_way()

    def eventFilter(self, watched, event) -> bool:
        header = self.table.horizontalHeader()
        if watched in (self.right, header) and event.type() == QEvent.Type.Resize:
            self._give_way()
        return super().eventFilter(watched, event)

    def table_room_needed(self) -> int:
        """Height the activities table needs for its header and TABLE_ROWS rows of one line."""
        line = self.table.fontMetrics().lineSpacing() + 8  # a line and the cell's padding
        frame = 2 * self.table.frameWidth()
        header = self.table.horizontalHeader()
        return max(header.height(), header.sizeHint().height()) + self.TABLE_ROWS * line + frame

    def _give_way(self) -> None:
        """On a short window (1366×768 at 125 %, a district's bars above) the details pane
        below the table hides, so that the table keeps room for TABLE_ROWS rows: the table is
        the work; the project's details are in the drop-down and the row's tooltip, and come
        back when the window is taller."""
        if self.bottom.isVisible():
            self._pane_height = self.bottom.height()  # as the splitter (or the person) sized it
        pane = max(self._pane_height, self.bottom.minimumSizeHint().height())
        room = self.right.height() - pane - self.right.handleWidth()
        self.bottom.setVisible(room >= self.table_room_needed())

    def _project_chosen(self, row: int) -> None:
        self.project_view.selectRow(row)
        self.project_view.setCurrentIndex(self.items.index(row, 1))

    def _project_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.project_combo.currentIndex() != current.row():
            self.project_combo.setCurrentIndex(current.row())
        if not current.isValid():
            return
        item = self.items.rows[current.row()]
        self.proxy.set_item(item.id)
        self.model.default_item_id = item.id
        self.table.set_empty_text(self._empty_text())
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._update_side()

    def _empty_text(self) -> str:
        """The grid's words while the project has no activity: how to record the first."""
        if not self.items.rows:
            return ""  # no project (the line under the table says to make the plan first)
        if not self.model.editable:
            return _("No activity recorded for this project.")
        return _(
            "No activity for this project yet — press “{button}” ({keys}) to record the first one"
        ).format(
            button=self.act_add.text(),
            keys=self.act_add.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
        )

    def _recount(self) -> None:
        """Progress of the projects from the activities in the table (done / planned)."""
        counts: dict[str, int] = {}
        for row in self.model.rows:
            if activity_held(row.values()):  # a date and a result: a blank row is not done
                counts[row.plan_item_id] = counts.get(row.plan_item_id, 0) + 1
        for position, item in enumerate(self.items.rows):
            done = counts.get(item.id, 0)
            if item.done != done:
                item.done = done
                column = [c.key for c in self.items.columns].index("progress")
                index = self.items.index(position, column)
                self.items.dataChanged.emit(index, index)

    # ---- saving -----------------------------------------------------------------------------
    def _persist(self, diff: dict[str, Any]) -> None:
        store, programme_id, year = self.ctx.store, self.programme_id or "", self.fiscal_year
        upserts, deletes = diff.get("upserts", []), diff.get("deletes", [])
        if not upserts and not deletes:
            return

        def work(_p) -> bool:  # True: the save put the finished F2 back into draft
            reopened = False
            for change in upserts:
                reopened |= plan_service.save_activity(store, programme_id, year, change)
            for activity_id in deletes:
                reopened |= plan_service.delete_activity(store, programme_id, year, activity_id)
            return reopened

        self._save(work)

    # ---- commands ----------------------------------------------------------------------------
    def add_activity(self) -> None:
        if not self.model.editable or not self.model.default_item_id:
            return
        self.search.clear()
        row = self.model.add_row()
        position = self.model.row_of(row.id)
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(position, 0)))
        self.table.setFocus()

    def remove_activity(self) -> None:
        rows = self.table.selected_source_rows()
        if rows and self.model.editable:
            self.model.remove_rows(rows)

    def attach_file(self, path: str | None = None) -> None:
        row = self.current_source_row()
        if row < 0 or not self.model.editable:
            return
        if not path:
            path = file_dialogs.open_file(
                self,
                _("Attach a file (photo, minutes)"),
                _(
                    "Photos and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xlsx);;All "
                    "files (*)"
                ),
                purpose="attachment",
                ctx=self.ctx,
            )
        if not path:
            return
        activity = self.model.rows[row]
        activity_id = activity.id

        def done(relative: str) -> None:
            position = self.model.row_of(activity_id)
            if position < 0:
                return
            current = self.model.rows[position]
            self.model.push(
                _AttachCommand(
                    self.model,
                    activity_id,
                    list(current.attachments),
                    [*current.attachments, relative],
                )
            )

        self.ctx.runner.run(
            lambda _p: plan_service.add_attachment(Path(path), activity_id),
            label=_("Copying the file…"),
            on_success=done,
            on_failure=lambda exc: self._show_problem(str(exc)),
            owner=self,
            kind="io",
        )

    def _open_file(self, item: QListWidgetItem) -> None:
        """Says what the file is before opening it; never opens anything outside the
        attachments folder, nor a program or script (whatever its name says)."""
        relative = item.data(Qt.ItemDataRole.UserRole)
        self.ctx.runner.run(
            lambda _p: plan_service.attachment_info(relative),
            on_success=self._confirm_open,
            owner=self,
            kind="io",
        )

    def _confirm_open(self, info: plan_service.AttachmentInfo) -> None:
        if not info.openable or info.path is None:
            QMessageBox.warning(self, _("Open file"), info.reason)
            return
        size = format_number(Decimal(max(info.size or 0, 1)) / 1024, 0)
        answer = QMessageBox.question(
            self,
            _("Open file"),
            _("Open “{name}”?\nType: {kind}\nSize: {size} KB").format(
                name=info.name, kind=info.kind, size=size
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(info.path)))

    def mark_complete(self) -> None:
        store, programme_id, year = self.ctx.store, self.programme_id or "", self.fiscal_year

        def work(_p) -> list[tuple[ActivityRow | None, Any]]:
            if not plan_service.set_form_status(
                store, programme_id, year, plan_service.FORM_RESULTS, FormStatus.COMPLETE
            ):
                return []
            return plan_service.activity_problem_rows(store, programme_id, year)

        def done(problems: list[tuple[ActivityRow | None, Any]]) -> None:
            if problems:
                self._refuse_completion(problems)
                return
            self._say(_("The results (F2) are marked complete."))
            self.form_reopened.emit(False)
            self._emit_state()
            announce(self.ctx, self, Changes(activities=True, forms=True))

        self.ctx.runner.run(
            work,
            on_success=done,
            on_failure=lambda exc: self._show_problem(str(exc)),
            owner=self,
        )

    def _refuse_completion(self, problems: list[tuple[ActivityRow | None, Any]]) -> None:
        """Why F2 cannot be complete yet, each problem named by its project and activity (the
        table shows one project's activities and no row numbers); then the first one's project
        is chosen and the cursor put in its cell."""

        def where(row: ActivityRow | None, message: str) -> str:
            if row is None:
                return message
            activity = (
                f"“{row.title}”"
                if row.title.strip()
                else format_date(row.held_on)
                if row.held_on
                else _("(without a title)")
            )
            return _("{project} · activity {activity}: {message}").format(
                project=row.project, activity=activity, message=message
            )

        lines = [where(row, problem.message) for row, problem in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append(_("… and {count} more").format(count=len(problems) - PROBLEMS_SHOWN))
        self._show_problem(
            _("The results cannot be marked complete yet:") + "\n" + "\n".join(lines)
        )
        row, problem = problems[0]
        if row is None:
            return
        ids = [item.id for item in self.items.rows]
        if row.plan_item_id in ids:
            self._project_chosen(ids.index(row.plan_item_id))
        found = next((n for n, r in enumerate(self.model.rows) if r.id == row.id), None)
        if found is None:
            return
        keys = [c.key for c in ACTIVITY_COLUMNS]
        column = keys.index(problem.field) if problem.field in keys else 0
        index = self.proxy.mapFromSource(self.model.index(found, column))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        self.table.setFocus()

    def show_history(self) -> None:
        row = self.current_source_row()
        if 0 <= row < len(self.model.rows):
            activity = self.model.rows[row]
            ids, title = (
                [activity.id],
                _("Changes of the activity: {title}").format(title=activity.title),
            )
        else:
            ids, title = [r.id for r in self.model.rows], _("Changes of the activities")
        dialog = AuditDialog(self.ctx, ids, title, self)
        dialog.open()
        self.history_dialog = dialog

    # ---- side panel ----------------------------------------------------------------------------
    def _update_side(self) -> None:
        row = self.current_source_row()
        self.files.clear()
        parts: list[str] = []
        project = self.project_view.currentIndex()
        if project.isValid() and project.row() < len(self.items.rows):
            item = self.items.rows[project.row()]
            labels = [html.escape(_(t)) for t in ("Project", "Indicator (KPI)", "Done / planned")]
            parts.append(
                f"<p><b>{labels[0]}</b><br>{html.escape(item.project)}</p>"
                f"<p><b>{labels[1]}</b><br>{html.escape(item.kpi or '—')}</p>"
                f"<p><b>{labels[2]}</b> {html.escape(plan_service.progress_cell(item))}</p><hr>"
            )
        if 0 <= row < len(self.model.rows):
            activity: ActivityRow = self.model.rows[row]
            for column in ACTIVITY_COLUMNS[:-1]:
                value = self.model.display(activity, column, row)
                if column.key == "budget_spent" and value:
                    value += " " + _("baht")
                parts.append(
                    f"<p><b>{html.escape(_(column.title))}</b><br>"
                    f"{html.escape(value).replace(chr(10), '<br>') or '—'}</p>"
                )
            for relative in activity.attachments:
                entry = QListWidgetItem(Path(relative).name)
                entry.setData(Qt.ItemDataRole.UserRole, relative)
                entry.setToolTip(relative)
                self.files.addItem(entry)
        if self.plan is not None:
            notes = reviews_html(
                self.plan.reviews, (plan_service.FORM_RESULTS, plan_service.FORM_MONITORING)
            )
            if notes:
                heading = html.escape(_("Comments from the supervising office"))
                parts.append(f"<hr><h3>{heading}</h3>{notes}")
        # the interface's digits, with Thai break opportunities
        thai_wrap.set_html(self.details, digits.shown_html("".join(parts)))


class _AttachCommand(QUndoCommand):
    def __init__(self, model: ActivitiesModel, activity_id: str, old: list[str], new: list[str]):
        super().__init__(_("Attach file"))
        self.model, self.activity_id, self.old, self.new = model, activity_id, old, new

    def redo(self) -> None:
        self.model.apply_fields(self.activity_id, {"attachments": list(self.new)})

    def undo(self) -> None:
        self.model.apply_fields(self.activity_id, {"attachments": list(self.old)})


# ---- F3 monitoring ----------------------------------------------------------------------------

DATE_FIELDS = [
    ("committee_selected_on", N_("(1) Date the LEV network committee was selected")),
    ("committee_met_on", N_("(2) Date of the committee meeting")),
    ("plan_made_on", N_("(3) Date the action plan was made")),
    ("reported_on", N_("(5) Date the results were reported")),
    ("notice_posted_on", N_("Date the public notice was posted")),
]


class _FieldCommand(QUndoCommand):
    def __init__(self, form: MonitoringForm, old: dict[str, Any], new: dict[str, Any]):
        super().__init__(_("Edit milestones"))
        self.form, self.old, self.new = form, old, new

    def redo(self) -> None:
        self.form.apply(dict(self.new))

    def undo(self) -> None:
        self.form.apply(dict(self.old))


class MonitoringForm(ShowsFormState, QWidget):
    """F3 milestones: committee selected, met, plan made, number of activities (from F2, or
    entered with a reason), results reported and public notice posted."""

    form = plan_service.FORM_MONITORING

    status_changed = Signal(object)  # the state of the obligation the form fulfils
    form_reopened = Signal(bool)  # an edit put the finished F3 back into draft (ShowsFormState)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.view: MonitoringView | None = None
        self.values: dict[str, Any] = {}
        self.office: str | None = None
        self.programme_id: str | None = None
        self.fiscal_year = ctx.fiscal_year
        self.undo_stack = QUndoStack(self)
        self._applying = False
        outer = QVBoxLayout(self)
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_undo, self.act_redo = undo_redo_actions(self.undo_stack, self)
        bar.addAction(self.act_undo)
        bar.addAction(self.act_redo)
        bar.addSeparator()
        self.act_complete = QAction(_("Mark complete"), self)
        self.act_complete.triggered.connect(self.mark_complete)
        bar.addAction(self.act_complete)
        self.act_history = QAction(_("History"), self)
        self.act_history.triggered.connect(self.show_history)
        bar.addAction(self.act_history)
        outer.addWidget(bar)
        # what the form says (saved, refused, why it cannot be complete) stands under the
        # toolbar, beside "Mark complete": at 1366×768 the form scrolls, and a line under the
        # note was out of sight
        self.message = QLabel()
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.dates: dict[str, BEDateEdit] = {}
        self._refusals: set[str] = set()  # refusals shown in the status bar, until put right
        for key, label in DATE_FIELDS[:3]:
            self.dates[key] = self._date_field(key, _(label))
            form.addRow(digits.shown(_(label)), self.dates[key])
        self.derived = QLabel()
        form.addRow(digits.shown(_("(4) Number of activities held")), self.derived)
        override_row = QHBoxLayout()
        self.override_check = QCheckBox(_("Enter a different number"))
        self.override_check.toggled.connect(self._override_toggled)
        self.override = digits.SpinBox()
        self.override.setRange(0, 9999)
        self.override.setEnabled(False)
        self.override.editingFinished.connect(self._override_edited)
        override_row.addWidget(self.override_check)
        override_row.addWidget(self.override)
        override_row.addStretch(1)
        form.addRow("", override_row)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            _("Why does the number differ from the activities recorded?")
        )
        self.reason.editingFinished.connect(self._override_edited)
        form.addRow(_("Reason"), self.reason)
        for key, label in DATE_FIELDS[3:]:
            self.dates[key] = self._date_field(key, _(label))
            form.addRow(digits.shown(_(label)), self.dates[key])
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        self.note.installEventFilter(self)
        form.addRow(_("Note"), self.note)
        outer.addLayout(form)
        outer.addStretch(1)
        self._editable = False

    def _date_field(self, key: str, label: str) -> BEDateEdit:
        edit = BEDateEdit()
        edit.setAccessibleName(label)
        edit.setMaximumWidth(220)
        edit.dateChanged.connect(lambda value, k=key: self.edit({k: value}))
        edit.noted.connect(self._show_note)
        return edit

    def _show_note(self, text: str) -> None:
        self.message.setText(f"<span style='color:#7a4f00'>{html.escape(text)}</span>")
        show_status(self, text)

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.edit({"note": self.note.toPlainText()})
        return super().eventFilter(watched, event)

    # ---- loading ----------------------------------------------------------------------------
    def load(self, office: str, programme_id: str, fiscal_year: int) -> None:
        self.office, self.programme_id, self.fiscal_year = office, programme_id, fiscal_year
        self.form_reopened.emit(False)  # another form: the line was of the one before
        store = self.ctx.store

        def work(_p):
            view = plan_service.get_monitoring(store, office, programme_id, fiscal_year)
            states = plan_service.states(store, [office], programme_id, fiscal_year)[office]
            return view, states

        self.ctx.runner.run(work, on_success=self._loaded, owner=self)

    def _loaded(self, result: tuple[MonitoringView, dict[str, State]]) -> None:
        view, states = result
        if (view.office, view.programme_id, view.fiscal_year) != (
            self.office,
            self.programme_id,
            self.fiscal_year,
        ):
            return
        key = (view.office, view.programme_id, view.fiscal_year)
        if key != getattr(self, "_loaded_key", None):
            self.undo_stack.clear()
        self._loaded_key = key
        self.view = view
        self.values = view.values()
        self._editable = view.editable
        self.apply(self.values, persist=False)
        for date_edit in self.dates.values():
            date_edit.setReadOnly(not view.editable)
        for widget in (self.override_check, self.override, self.reason):
            widget.setEnabled(
                view.editable and (widget is self.override_check or self.override_check.isChecked())
            )
        self.note.setReadOnly(not view.editable)
        for action in (self.act_undo, self.act_redo, self.act_complete):
            action.setVisible(view.editable)
        self.status_changed.emit(states.get(plan_service.FORM_MONITORING))  # (None: no deadline)

    def apply(self, values: dict[str, Any], *, persist: bool = True) -> None:
        """Shows values in the widgets (and writes them): used by loading, undo and redo."""
        self._applying = True
        try:
            self.values.update(values)
            for key, widget in self.dates.items():
                if key in values:
                    widget.setDate(values[key])
            if "activities_override" in values:
                override = values["activities_override"]
                self.override_check.setChecked(override is not None)
                self.override.setValue(override or 0)
                self.override.setEnabled(self._editable and override is not None)
                self.reason.setEnabled(self._editable and override is not None)
            if "override_reason" in values:
                self.reason.setText(values["override_reason"] or "")
            if "note" in values and self.note.toPlainText() != (values["note"] or ""):
                self.note.setPlainText(values["note"] or "")
            derived = self.view.derived_activities if self.view else 0
            self.derived.setText(
                digits.shown(
                    ngettext(
                        "{count} activity recorded in the results (F2)",
                        "{count} activities recorded in the results (F2)",
                        derived,
                    ).format(count=format_number(derived))
                )
            )
        finally:
            self._applying = False
        if persist:
            self._persist(values)

    def edit(self, new: dict[str, Any]) -> None:
        """A person changed a field: one undo step, saved at once."""
        if self._applying or not self._editable:
            return
        old = {k: self.values.get(k) for k in new}
        if old == new:
            return
        merged = {**self.values, **new}
        problems = validate_monitoring(merged, final=False)
        if problems:
            # The one editing behaviour: the refused date stays in its field, red, with the
            # reason; it is not saved (leaving or quitting asks first).
            own = [p for p in problems if p.field in new]
            for key in new:
                if key in self.dates:
                    reason = next((p.message for p in own if p.field == key), problems[0].message)
                    self.dates[key].set_error(reason)
            self.message.setText(
                f"<span style='color:{REFUSED}'>{html.escape(problems[0].message)}</span>"
            )
            show_status(self, problems[0].message)
            self._refusals.add(problems[0].message)
            return
        for key in new:
            if key in self.dates:
                self.dates[key].set_error("")
        self._refusals_put_right()
        self.undo_stack.push(_FieldCommand(self, old, new))

    def _refusals_put_right(self) -> None:
        """A refused date put right: its refusal leaves the message line and the window's
        status bar (it stayed there 15 s), unless another date is still red."""
        if not self._refusals or any(edit.error for edit in self.dates.values()):
            return
        clear_status(self, self._refusals)
        if any(html.escape(text) in self.message.text() for text in self._refusals):
            self.message.clear()
        self._refusals = set()

    def _override_toggled(self, checked: bool) -> None:
        if self._applying:
            return
        self.override.setEnabled(checked and self._editable)
        self.reason.setEnabled(checked and self._editable)
        if checked:
            self.override.setValue(self.view.derived_activities if self.view else 0)
            self.message.setText(_("Enter the number and the reason."))
            self.override.setFocus()
        else:
            self.edit({"activities_override": None, "override_reason": ""})

    def _override_edited(self) -> None:
        """The number or the reason was typed: both are written together, never a number
        without its reason."""
        if self._applying or not self.override_check.isChecked():
            return
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText(
                f"<span style='color:{REFUSED}'>"
                + html.escape(
                    _(
                        "Please give the reason why the number of activities differs from the "
                        "activities recorded"
                    )
                )
                + "</span>"
            )
            return
        self.edit({"activities_override": self.override.value(), "override_reason": reason})

    def _persist(self, values: dict[str, Any]) -> None:
        if not self._editable:
            return
        store, programme_id, year = self.ctx.store, self.programme_id or "", self.fiscal_year
        self.message.setText(_("Saving…"))

        def failed(exc: BaseException) -> None:
            self.message.setText(f"<span style='color:{REFUSED}'>{html.escape(str(exc))}</span>")

        def saved(reopened: bool) -> None:
            self._refusals_put_right()
            self.message.setText(_("All changes saved."))
            self._emit_state()
            announce(self.ctx, self, Changes(activities=True, forms=True))
            self._tell_reopened(reopened)

        self.ctx.runner.run(
            lambda _p: plan_service.save_monitoring(store, programme_id, year, values),
            on_success=saved,
            on_failure=failed,
            owner=self,
        )

    def mark_complete(self) -> None:
        store, programme_id, year = self.ctx.store, self.programme_id or "", self.fiscal_year

        def done(problems: list) -> None:
            if problems:
                self._refuse_completion([problem for _number, problem in problems])
                return
            self.message.setText(_("The monitoring form (F3) is marked complete."))
            self.form_reopened.emit(False)
            self._emit_state()

        self.ctx.runner.run(
            lambda _p: plan_service.set_form_status(
                store, programme_id, year, plan_service.FORM_MONITORING, FormStatus.COMPLETE
            ),
            on_success=done,
            owner=self,
        )

    def _refuse_completion(self, problems: list[Any]) -> None:
        """Why F3 cannot be complete yet: each field named by its label on the form (the form
        has no rows: "แถวที่ 1" three times named nothing), in red, in the status bar too, and
        the cursor in the first field named, scrolled into view."""
        labels = {key: digits.shown(_(label)) for key, label in DATE_FIELDS}
        lines = [
            f"{labels[p.field]}: {p.message}" if p.field in labels else p.message for p in problems
        ]
        heading = _("The milestones cannot be marked complete yet:")
        self.message.setText(
            f"<span style='color:{REFUSED}'>"
            + "<br>".join(html.escape(line) for line in [heading, *lines])
            + "</span>"
        )
        show_status(self, f"{heading} {' · '.join(lines)}")
        field = problems[0].field if problems else ""
        target: QWidget | None = {
            **{key: edit.line for key, edit in self.dates.items()},
            "activities_override": self.override,
            "override_reason": self.reason,
            "note": self.note,
        }.get(field)
        if target is None or not target.isEnabled():
            return
        target.setFocus()
        scroll = self.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        if scroll is not None:
            scroll.ensureWidgetVisible(self.message)
            scroll.ensureWidgetVisible(target)

    def show_history(self) -> None:
        if self.view is None or not self.view.id:
            self.message.setText(_("No changes recorded yet."))
            return
        dialog = AuditDialog(
            self.ctx, [self.view.id], _("Changes of the monitoring milestones"), self
        )
        dialog.open()
        self.history_dialog = dialog


class TabCorner(QWidget):
    """The drop-downs beside the tabs: never wider than the room the tabs leave (QTabWidget
    gives a corner widget its size hint and squeezes the tabs instead)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.room = 10_000

    def sizeHint(self) -> QSize:
        # as wide as the drop-downs' longest names (a project read "โครงการร…" in ~100 px
        # with 350 px free at 1366×768 at 125 %), never wider than the room
        hint = super().sizeHint()
        more = sum(
            max(0, combo.whole_width() - combo.sizeHint().width())
            for combo in self.findChildren(ElidingComboBox)
            if not combo.isHidden()
        )
        return QSize(min(hint.width() + more, self.room), hint.height())


class ActivitiesScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.level: str | None = None
        layout = QVBoxLayout(self)
        self.bar = ProgrammeBar(ctx, _("Activities and results"))
        self.bar.guard = guard_for(self)
        self.f3_badge = StatusBadge()
        self.bar.add_widget(self.f3_badge)
        layout.addWidget(self.bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.offices = OfficeList(ctx, ("F2",))
        self.offices.setMinimumWidth(220)
        self.splitter.addWidget(self.offices)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.review = ReviewBar(ctx, plan_service.FORM_RESULTS)
        right_layout.addWidget(self.review)
        self.tabs = QTabWidget()
        self.editor = ActivitiesEditor(ctx)
        self.monitoring = MonitoringForm(ctx)
        self.tabs.addTab(self.editor, _("Activities and results (F2)"))
        # The milestones are a form of eight fields: it scrolls on a short screen (1366×768
        # at 125 %) rather than making the window taller.
        monitoring_scroll = QScrollArea()
        monitoring_scroll.setWidgetResizable(True)
        monitoring_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        monitoring_scroll.setWidget(self.monitoring)
        self.tabs.addTab(monitoring_scroll, _("Monitoring milestones (F3)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addWidget(self.bar.reopened)  # (under the form: the toolbar stays put)
        # Beside the tabs, on a narrow window: the LAO (a district's) and the project, as
        # drop-downs. Each took a row of its own above the table, which then had room for
        # about one row at 1366×768 at 125 %.
        self.corner = TabCorner()
        corner_layout = QHBoxLayout(self.corner)
        corner_layout.setContentsMargins(0, 0, 0, 2)
        corner_layout.addWidget(self.offices.combo, 2)
        corner_layout.addWidget(self.editor.project_combo, 3)
        for combo in (self.offices.combo, self.editor.project_combo):
            combo.setMinimumContentsLength(6)  # narrower than its text rather than the tabs
            combo.view().setMinimumWidth(360)  # the list that opens shows whole names
        self.tabs.setCornerWidget(self.corner, Qt.Corner.TopRightCorner)
        self.tabs.installEventFilter(self)
        # (the names arrive after the first layout: the corner asks for their width again)
        self.editor.items.modelReset.connect(self.corner.updateGeometry)
        self.offices.combo.model().modelReset.connect(self.corner.updateGeometry)
        # an LAO's name is short beside a project's: the LAO's box no wider than its longest
        # name, the project's takes the rest (2:3 gave "อบต.กุรุคุ" 174 px, the project 260)
        for signal in (
            self.offices.combo.model().modelReset,
            self.offices.combo.model().rowsInserted,
        ):
            signal.connect(
                lambda *_a: self.offices.combo.setMaximumWidth(self.offices.combo.whole_width())
            )
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 890])
        layout.addWidget(self.splitter, 1)
        self.offices.set_wanted(False)
        self.review.hide()
        self.bar.programme_changed.connect(lambda _p: self._show())
        self.offices.office_selected.connect(lambda _c: self._show_editor())
        self.editor.status_changed.connect(lambda s: self.bar.badge.set_status(s, "F2: "))
        self.monitoring.status_changed.connect(lambda s: self.f3_badge.set_status(s, "F3: "))
        self.editor.form_reopened.connect(lambda shown: self.bar.show_reopened("F2", shown))
        self.monitoring.form_reopened.connect(lambda shown: self.bar.show_reopened("F3", shown))
        self.review.reviewed.connect(self._show)
        ctx.fiscal_year_changed.connect(lambda _y: self.refresh())
        self.refresh()

    # Below this width the LAO list becomes a drop-down in the top bar: the projects and the
    # activities' ten columns need the width (1366×768).
    COMPACT_BELOW = 1300

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.offices.set_compact(self.width() < self.COMPACT_BELOW)
        self._fit_corner()

    def _fit_corner(self) -> None:
        # the drop-downs beside the tabs take only the room the tabs leave (at 1366×768 at
        # 125 % without a maximised window the F3 tab's title was cut to "แบบติดตามก")
        self.corner.room = max(0, self.tabs.width() - self.tabs.tabBar().sizeHint().width() - 12)
        self.corner.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The room measured when the tabs have their width: measured as the screen was
        # resized, they still had the width of the layout before (the LAO list beside them
        # at first), and a district's LAO and project drop-downs got 186 px of the 440 the
        # tabs left: "โครงกา…" in 90 px at 1366×768 at 125 % (fit16).
        if watched is self.tabs and event.type() == QEvent.Type.Resize:
            self._fit_corner()
        return super().eventFilter(watched, event)

    def _tab_changed(self, index: int) -> None:
        self.review.form_code = (
            plan_service.FORM_MONITORING if index == 1 else plan_service.FORM_RESULTS
        )
        self.offices.show_forms((self.review.form_code,))
        self.editor.project_combo.setVisible(index == 0 and self.editor.compact)
        if index == 1:
            self._show_editor()

    def refresh(self) -> None:
        ctx = self.ctx

        def work(_p):
            office = office_service.this_office(ctx.store)
            return (office.level if office else None), load_programmes(ctx)

        self.ctx.runner.run(work, on_success=self._setup, owner=self)

    def _setup(self, result: tuple[str | None, list[tuple[str, str]]]) -> None:
        level, programmes = result
        self.level = level
        self.bar.set_programmes(programmes, self.bar.programme_id())
        self.bar.set_year(self.ctx.fiscal_year)
        supervising = level is not None and level != Level.LAO
        self.offices.set_wanted(supervising)
        self.review.setVisible(supervising)
        self._show()

    def _supervising(self) -> bool:
        return self.level is not None and self.level != Level.LAO

    def _show(self) -> None:
        programme_id = self.bar.programme_id()
        if not programme_id:
            return
        if self._supervising():
            self.offices.load(programme_id, self.ctx.fiscal_year)
            if self.offices.selected():
                self._show_editor()
        else:
            self._show_editor()

    def _show_editor(self) -> None:
        programme_id = self.bar.programme_id()
        office = self.offices.selected() if self._supervising() else self.ctx.office_code
        if not programme_id or not office:
            return
        self.review.set_target(office, programme_id, self.ctx.fiscal_year)
        self.editor.load(office, programme_id, self.ctx.fiscal_year)
        self.monitoring.load(office, programme_id, self.ctx.fiscal_year)

    def open_item(self, arg: Any) -> None:
        if isinstance(arg, dict):  # the board's LAO: its F2 or F3 of that programme
            self.bar.choose_programme(arg.get("programme_id"))
            self.tabs.setCurrentIndex(1 if arg.get("form") == "F3" else 0)
            if arg.get("office"):
                self.offices.select(arg["office"])
            return
        if isinstance(arg, str) and arg in ("F3", "monitoring"):
            self.tabs.setCurrentIndex(1)
        elif isinstance(arg, str):
            self.offices.select(arg)
