"""The start-up reminder: what is overdue or due within ``reminder.days`` (default 7).

The main window calls ``maybe_show_reminder(ctx, parent)`` once after start. It reads on the
worker, sets the badges of the calendar and the home screen, and shows a short dialog when
something needs attention (unless the setting ``reminder.enabled`` is false).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lev_desktop import options
from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import Item, State
from lev_desktop.i18n import _
from ui.context import AppContext
from ui.widgets.deadline_models import AgendaModel, ItemRole


class ReminderDialog(QDialog):
    def __init__(self, ctx: AppContext, items: list[Item], days: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Reminder: deadlines"))
        self.resize(980, 460)
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
        buttons = QDialogButtonBox()
        self.calendar_button = QPushButton(_("Open the calendar"))
        buttons.addButton(self.calendar_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton(_("Close")), QDialogButtonBox.ButtonRole.RejectRole)
        self.calendar_button.clicked.connect(self.open_calendar)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

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
        return engine.reminders(store, days=days), days, enabled

    def loaded(result: tuple[list[Item], int, bool]) -> None:
        items, days, enabled = result
        ctx.set_badges(len(items))  # the badges count the same list
        dialog = None
        if items and enabled:
            dialog = ReminderDialog(ctx, items, days, parent)
            dialog.setModal(False)
            dialog.show()
        if on_shown is not None:
            on_shown(dialog)

    ctx.runner.run(load, on_success=loaded, owner=parent)
