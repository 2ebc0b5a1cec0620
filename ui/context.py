"""What every screen gets: the store, the worker runner, this office, the fiscal year, and
signals that tell screens to refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from db.store import Store
from lev_desktop import options
from ui.workers import Runner


class AppContext(QObject):
    # area name ("plans", "kpi", "deadlines", "exchange", "offices", "programmes", "*")
    data_changed = Signal(str)
    fiscal_year_changed = Signal(int)
    office_changed = Signal()
    # navigation key, count (overdue + due soon) for the badge in the navigation pane
    badge_changed = Signal(str, int)
    # ask the main window to show a screen: key, optional argument (e.g. a programme code)
    navigate = Signal(str, object)
    # ask the Launcher to put a backup file (a Path) in place of the database and reopen it
    restore_requested = Signal(object)

    def __init__(self, store: Store, runner: Runner | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.runner = runner or Runner(self)
        self._fiscal_year = options.fiscal_year(store)

    @property
    def office_code(self) -> str | None:
        return self.store.office_code

    @property
    def fiscal_year(self) -> int:
        return self._fiscal_year

    def set_fiscal_year(self, value: int) -> None:
        if value != self._fiscal_year:
            self._fiscal_year = value
            self.fiscal_year_changed.emit(value)
