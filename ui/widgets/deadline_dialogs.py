"""Small dialogs of the deadline calendar: the holiday table and the per-LAO completeness."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import Item
from lev_desktop.deadlines.text import when_text
from lev_desktop.i18n import _
from lev_desktop.thai_format import be_year, parse_date
from ui.context import AppContext
from ui.widgets.deadline_models import HolidayModel, LaoStatesModel
from ui.widgets.fit import fit_to_screen


class HolidayDialog(QDialog):
    """Lists the holidays of a year; adds and removes days (the table is this database's)."""

    def __init__(self, ctx: AppContext, year: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle(_("Public holidays"))
        fit_to_screen(self, 720, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year (BE)")))
        self.year = QComboBox()
        for y in range(2021, 2031):
            self.year.addItem(str(be_year(y)), y)
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
        self.day.setMaximumWidth(170)
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
        self.message = QLabel("")
        self.message.setWordWrap(True)
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

        self.ctx.runner.run(load, on_success=self.model.set_rows, owner=self)

    def add(self) -> None:
        try:
            day = parse_date(self.day.text())
        except ValueError:
            day = None
        if day is None:
            self.message.setText(_("Please enter the date as day/month/BE year, e.g. 15/2/2568"))
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
    """Which LAOs under this office are done, pending or late for one deadline."""

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
        layout.addWidget(self.summary)
        self.model = LaoStatesModel(self)
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setSortingEnabled(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox()
        buttons.addButton(QPushButton(_("Close")), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        store, deadline = ctx.store, item.deadline

        def load(_progress):
            return engine.completeness(store, deadline)

        ctx.runner.run(load, on_success=self.show_rows, owner=self)

    def show_rows(self, rows: list) -> None:
        self.model.set_rows(rows)
        summary = engine.LaoSummary.of(rows)
        self.summary.setText(
            _("Done {done} · pending {pending} · late {late} (of {total})").format(
                done=summary.done, pending=summary.pending, late=summary.late, total=summary.total
            )
        )


def show_error(parent, text: str) -> None:
    QMessageBox.warning(parent, _("LEV Desktop"), text)
