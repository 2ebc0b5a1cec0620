"""What every screen gets: the store, the worker runner, this office, the fiscal year, and
one change notification that tells screens and badges to refresh."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from db.store import Store
from lev_desktop import options
from lev_desktop.changes import EVERYTHING, Changes
from ui.workers import Runner

# The navigation entries whose badge counts what needs attention (overdue, due soon,
# returned for correction): one number, computed in one place.
BADGED_SCREENS = ("home", "calendar")


class AppContext(QObject):
    # what an operation changed (lev_desktop.changes.Changes): the one change notification
    changed = Signal(object)
    fiscal_year_changed = Signal(int)
    office_changed = Signal()
    # navigation key, count (overdue + due soon + returned) for the badge in the navigation pane
    badge_changed = Signal(str, int)
    # ask the main window to show a screen: key, optional argument (e.g. a programme code)
    navigate = Signal(str, object)
    # ask the Launcher to put a backup file (a Path) in place of the database and reopen it
    restore_requested = Signal(object)

    def __init__(
        self,
        store: Store,
        runner: Runner | None = None,
        parent: QObject | None = None,
        *,
        settings: Mapping[str, Any] | None = None,
    ):
        """``settings``: ``options.load_all(store)`` as the job that opened the database read
        it (the application: this thread never waits on the database); read here when not given
        (tests and tools)."""
        super().__init__(parent)
        self.store = store
        self.runner = runner or Runner(self)
        values = settings if settings is not None else options.load_all(store)
        self._fiscal_year = options.fiscal_year_in(values)
        # the folder each kind of file dialog was last used in (ui.widgets.file_dialogs)
        used = values.get("folders.last_used")
        self.folders: dict[str, str] = dict(used) if isinstance(used, dict) else {}
        self._badge_timer = QTimer(self)
        self._badge_timer.setSingleShot(True)
        self._badge_timer.setInterval(0)
        self._badge_timer.timeout.connect(self.refresh_badges)
        self.badges: dict[str, int] = {}

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

    # ---- the one change notification ------------------------------------------------------
    def notify(self, changes: Changes | None = None, *, source: object = None) -> None:
        """Tells every screen what changed (default: everything); the badges follow."""
        changes = changes if changes is not None else EVERYTHING
        if source is not None:
            changes = changes.by(source)
        if changes.states:
            self.store.written()  # what was derived from the data is read again
        self.changed.emit(changes)
        if changes.states:
            self._badge_timer.start()  # several notices in one turn: counted once

    def refresh_badges(self) -> None:
        """Counts what needs attention (the same list as the start-up reminder) on the worker
        and sets the badges of the screens that show it."""
        from lev_desktop.deadlines import engine

        store = self.store

        def count(_progress) -> int:
            return len(engine.reminders(store))

        self.runner.run(count, on_success=self.set_badges)  # the context lives with the app

    def set_badges(self, count: int) -> None:
        for key in BADGED_SCREENS:
            self.badges[key] = count
            self.badge_changed.emit(key, count)
