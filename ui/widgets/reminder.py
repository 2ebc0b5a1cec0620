"""The start-up reminder: what is overdue or due within ``reminder.days`` (default 7).

The main window calls ``maybe_show_reminder(ctx, parent)`` once after start. It reads on the
worker and sets the badges of the calendar and the home screen. The dialog shows only when
something is overdue or due soon, not again the same day for the same deadlines (a clerk who
opens the program five times a day saw it five times), and never when it is turned off
(option ``reminder.enabled``: its own check box, or Settings › Calendar).

Before it, at every start, a warning when this computer's clock cannot be right
(``exporter.clock_problem``: a dead clock battery back at 2012, a date set back): every deadline
here is judged by that clock, and the office above would refuse the packages it stamps. When
this office's records were saved in the future (the clock was ahead then), the warning offers
to set their times to now (``widgets/restamp.py``, after a question).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import options
from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import Item, State
from lev_desktop.exchange.exporter import ClockProblem, clock_problem
from lev_desktop.i18n import _
from ui.context import AppContext
from ui.widgets.deadline_models import AgendaModel, ItemRole
from ui.widgets.fit import fit_header, fit_to_screen
from ui.widgets.message_box import message_box
from ui.widgets.restamp import ask_restamp


class ReminderDialog(QDialog):
    def __init__(self, ctx: AppContext, items: list[Item], days: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Reminder: deadlines"))
        fit_to_screen(self, 980, 460)
        layout = QVBoxLayout(self)
        overdue = sum(1 for i in items if i.state != State.DUE_SOON)  # overdue or returned
        soon = len(items) - overdue
        text = QLabel(
            _(
                "{overdue} overdue or returned for correction and {soon} due within {days} "
                "days. Please send them "
                "on time; double-click a line to open its form."
            ).format(overdue=overdue, soon=soon, days=days)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.model = AgendaModel(self)
        self.model.set_items(items)
        table = QTableView()
        table.setModel(self.model)
        fit_header(table)  # the app's cells: wrapped, in the interface's digits
        table.verticalHeader().hide()
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column in (3, 6, 7):
            table.setColumnHidden(column, True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.doubleClicked.connect(self.open_index)
        layout.addWidget(table, 1)
        self.table = table
        self.turn_off = QCheckBox(_("Do not show this list at start (Settings › Calendar)"))
        self.turn_off.toggled.connect(self._turned_off)
        buttons = QDialogButtonBox()
        self.calendar_button = QPushButton(_("Open the calendar"))
        buttons.addButton(self.calendar_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton(_("Close")), QDialogButtonBox.ButtonRole.RejectRole)
        self.calendar_button.clicked.connect(self.open_calendar)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.turn_off, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    def _turned_off(self, off: bool) -> None:
        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: options.save(store, {"reminder.enabled": not off}), owner=self
        )

    def open_calendar(self) -> None:
        self.ctx.navigate.emit("calendar", None)
        self.accept()

    def open_index(self, index) -> None:
        item: Item | None = index.data(ItemRole)
        if item is None:
            return
        if item.target is not None:
            self.ctx.navigate.emit(*item.target)
        else:
            self.ctx.navigate.emit("calendar", {"date": item.due})
        self.accept()


def maybe_show_reminder(
    ctx: AppContext,
    parent: QWidget | None = None,
    *,
    on_shown: Callable[[ReminderDialog | None], None] | None = None,
) -> None:
    store = ctx.store

    def load(_progress):
        days = engine.reminder_days(store)
        enabled = options.get(store, "reminder.enabled")
        return engine.reminders(store, days=days), days, enabled, clock_problem(store)

    def loaded(result: tuple[list[Item], int, bool, ClockProblem | None]) -> None:
        items, days, enabled, clock = result
        ctx.set_badges(len(items))  # the badges count the same list
        if clock:  # every deadline below is judged by this clock: said first, every start
            box = message_box(
                parent,
                QMessageBox.Icon.Warning,
                clock.text,
                "clock_warning",
                QMessageBox.StandardButton.Ok,
            )
            future = clock.future
            if future is not None:  # records saved while the clock was ahead: offer to fix
                restamp = box.addButton(
                    _("Set their times to now…"), QMessageBox.ButtonRole.ActionRole
                )
                restamp.setObjectName("restamp_button")
                restamp.clicked.connect(lambda: ask_restamp(ctx, parent, future))
                # Esc and the title bar's ✕ answer "OK" (with two buttons Qt found no escape
                # button and ignored both: the box could only be closed by a button)
                box.setEscapeButton(QMessageBox.StandardButton.Ok)
            box.show()
        dialog = None
        if items and enabled and not shown_today(items):
            dialog = ReminderDialog(ctx, items, days, parent)
            dialog.setModal(False)
            dialog.show()
        if on_shown is not None:
            on_shown(dialog)

    ctx.runner.run(load, on_success=loaded, owner=parent)


def shown_today(items: list[Item], today: dt.date | None = None) -> bool:
    """True when these very deadlines were listed today already; remembers them otherwise."""
    from ui import window_state

    today = today or engine.today()
    keys = sorted(f"{i.obligation.programme_code}/{i.obligation.code}/{i.due}" for i in items)
    mark = f"{today.isoformat()}|" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    if window_state.value("reminder/shown") == mark:
        return True
    window_state.set_value("reminder/shown", mark)
    return False
