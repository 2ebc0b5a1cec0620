"""Small dialogs of the deadline calendar: the holiday table, the LAOs of one deadline and the
manual mark of a submission made outside the app."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from lev_desktop.changes import Changes
from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import Item
from lev_desktop.deadlines.text import summary_text, when_text
from lev_desktop.i18n import _
from lev_desktop.thai_format import be_year, date_refusal, parse_date
from ui import digits
from ui.context import AppContext
from ui.status_palette import REFUSED
from ui.widgets.date_edit import BEDateEdit
from ui.widgets.deadline_models import HolidayModel, LaoStatesModel
from ui.widgets.delegates import DigitsDelegate
from ui.widgets.fit import fit_to_screen, wide_enough_for_example


class HolidayDialog(QDialog):
    """Lists the holidays of a year; adds and removes days (the table is this database's)."""

    def __init__(self, ctx: AppContext, year: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self._show_day: dt.date | None = None  # the day just added: selected once listed
        self.setWindowTitle(_("Public holidays"))
        fit_to_screen(self, 720, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year (BE)")))
        self.year = QComboBox()
        for y in range(2021, 2031):
            self.year.addItem(digits.shown(str(be_year(y))), y)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.year.currentIndexChanged.connect(self.reload)
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)
        hint = QLabel(
            _(
                "A deadline on a holiday or a weekend is flagged: offices often send "
                "on the working day before. Add the special days off the cabinet "
                "announces each year."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = HolidayModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(DigitsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        add = QHBoxLayout()
        self.day = QLineEdit()
        self.day.setPlaceholderText(_("date, e.g. 15/2/2568"))
        wide_enough_for_example(self.day, fixed=True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("name of the holiday"))
        self.add_button = QPushButton(_("Add holiday"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove)
        add.addWidget(self.day)
        add.addWidget(self.name, 1)
        add.addWidget(self.add_button)
        add.addWidget(self.remove_button)
        layout.addLayout(add)
        self.message = QLabel("")  # (only refusals: the date, the name)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {REFUSED};")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        buttons.addButton(QPushButton(_("Close")), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        year = self.year.currentData()
        store = self.ctx.store

        def load(_progress):
            return [(h.day, h.name, h.source) for h in engine.list_holidays(store, year)]

        self.ctx.runner.run(load, on_success=self._loaded, owner=self)

    def _loaded(self, rows: list) -> None:
        self.model.set_rows(rows)
        day, self._show_day = self._show_day, None
        found = next((n for n, row in enumerate(rows) if row[0] == day), None)
        if found is not None:
            self.table.selectRow(found)
            self.table.scrollTo(self.model.index(found, 0))

    def add(self) -> None:
        try:
            day = parse_date(self.day.text())
        except ValueError as exc:  # ("31/02/2568" was written right: the day does not exist)
            self.message.setText(date_refusal(exc))
            return
        if day is None:
            self.message.setText(date_refusal(None))
            return
        name = self.name.text().strip()
        if not name:
            self.message.setText(_("Please enter the name of the holiday"))
            return
        store = self.ctx.store

        def save(_progress):
            engine.set_holiday(store, day, name)
            return day

        def saved(saved_day: dt.date) -> None:
            self.changed = True
            self.day.clear()
            self.name.clear()
            self.message.setText("")
            # the day just added is shown selected (the list stayed at January, the new day
            # out of sight), and the cursor is back where the next holiday starts
            self._show_day = saved_day
            self.day.setFocus()
            index = self.year.findData(saved_day.year)
            if index >= 0 and index != self.year.currentIndex():
                self.year.setCurrentIndex(index)
            else:
                self.reload()

        self.ctx.runner.run(save, on_success=saved, owner=self)

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(_("Please select a holiday in the table first"))
            return
        day, _name, _source = self.model.rows[rows[0].row()]
        store = self.ctx.store

        def drop(_progress):
            engine.remove_holiday(store, day)

        def dropped(_result: object) -> None:
            self.changed = True
            self.reload()

        self.ctx.runner.run(drop, on_success=dropped, owner=self)


class LaoStatesDialog(QDialog):
    """Each LAO under this office for one deadline, in the one state; a report that came on
    paper or by LINE is marked received here, with its reason."""

    def __init__(self, ctx: AppContext, item: Item, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.setWindowTitle(_("LAOs for this deadline"))
        fit_to_screen(self, 760, 540)
        layout = QVBoxLayout(self)
        title = QLabel(
            f"<b>{html.escape(item.obligation.title)}</b><br>"
            f"{html.escape(when_text(item.deadline))}"
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        self.summary = QLabel(_("Loading…"))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = LaoStatesModel(self)
        table = QTableView()
        table.setModel(self.model)
        table.setItemDelegate(DigitsDelegate(table))
        table.verticalHeader().hide()
        table.setSortingEnabled(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table, 1)
        self.table = table
        buttons = QDialogButtonBox()
        self.mark_button = QPushButton(_("Received on paper or by LINE…"))
        self.mark_button.setToolTip(
            _("Record that the selected LAO's report came outside the app, with the reason")
        )
        self.mark_button.clicked.connect(self.mark_selected)
        buttons.addButton(self.mark_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QPushButton(_("Close")), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        store, item = self.ctx.store, self.item

        def load(_progress):
            return engine.completeness(
                store, item.obligation, item.due, programme=item.obligation.programme_code
            )

        self.ctx.runner.run(load, on_success=self.show_rows, owner=self)

    def show_rows(self, rows: list) -> None:
        self.model.set_rows(rows)
        self.summary.setText(summary_text(engine.LaoSummary.of(rows)))

    def mark_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            show_error(self, _("Please select an LAO first."))
            return
        lao = self.model.rows[rows[0].row()]
        book_obligation = self.item.obligation
        dialog = MarkDialog(self.item, engine.today(), self, office_name=lao.name, received=True)

        def accepted() -> None:
            day, reason = dialog.values()
            store = self.ctx.store

            def work(_progress):
                book = engine.DeadlineBook(store, programmes=[book_obligation.programme_id])
                lao_ob = book.lao_obligation(book.find(book_obligation)) or book_obligation
                due = book.lao_due(book_obligation, self.item.period, self.item.due)
                engine.mark_sent(
                    store,
                    lao.code,
                    lao_ob.code,
                    due,
                    day,
                    programme=lao_ob.programme_code,
                    reason=reason,
                )

            def done(_result: object) -> None:
                self.ctx.notify(Changes(marks=True))
                self.load()

            self.ctx.runner.run(
                work,
                on_success=done,
                on_failure=lambda exc: show_error(self, str(exc)),
                owner=self,
            )

        dialog.accepted.connect(accepted)
        dialog.open()
        self.mark_dialog = dialog


class MarkDialog(QDialog):
    """A submission made outside the app: when, and how (the reason is required and kept in
    the audit log)."""

    def __init__(
        self,
        item: Item,
        today: dt.date,
        parent=None,
        *,
        office_name: str = "",
        received: bool = False,
    ):
        super().__init__(parent)
        self.setWindowTitle(
            _("Received outside the app") if received else _("Sent outside the app")
        )
        layout = QVBoxLayout(self)
        intro = QLabel(
            (
                _("{office}: record that this report was received on paper, by LINE or e-mail.")
                if received
                else _("Record that this was sent on paper, by LINE or e-mail.")
            ).format(office=office_name)
            + "\n"
            + item.obligation.title
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.day = BEDateEdit()
        self.day.setDate(today)
        form.addRow(_("On"), self.day)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. letter no. 123 of 12 Sep, sent by LINE"))
        wide_enough_for_example(self.reason)
        form.addRow(_("How (required)"), self.reason)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {REFUSED};")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(_("Please say how it was sent (e.g. on paper, by LINE) and when"))
            return
        if self.day.date() is None:
            self.error.setText(_("Please enter the date"))
            return
        self.accept()

    def values(self) -> tuple[dt.date, str]:
        return self.day.date() or engine.today(), self.reason.text().strip()


def show_error(parent, text: str) -> None:
    QMessageBox.warning(parent, _("LEV Desktop"), text)
