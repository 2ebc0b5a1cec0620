"""Backups while the program runs and when it closes, the restore flow, and what happens when
the database file turns out to be damaged at start.

The GUI only presents: the backup, the checks and the restore run on the worker threads
(``ui.workers.Runner``); the core is ``lev_desktop.continuity``.

- ``BackupScheduler`` makes a backup when the main window closes and, while it is open, at most
  once a day (checked every hour); a failure is a Thai warning, never a crash.
- ``RestoreFlow`` closes the main window, swaps the database on the worker and opens the
  restored one (the Launcher does the opening), then asks for the key's password when the
  backup carries the office's key and this computer does not have it.
- ``DamagedDialog`` explains a damaged database and offers the newest good backup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.i18n import _
from ui.settings.backups import backup_summary
from ui.widgets import file_dialogs
from ui.widgets.table_view import show_status

if TYPE_CHECKING:
    from lev_desktop.continuity.restore import BackupInfo
    from ui.context import AppContext

log = logging.getLogger(__name__)

HOUR_MS = 3_600_000


# ---- backups while running and at close ---------------------------------------------------------


class BackupScheduler(QObject):
    """At close, and at most once a day while the window is open (checked every hour)."""

    backed_up = Signal(object)  # BackupResult
    failed = Signal(str)  # a Thai sentence

    def __init__(
        self,
        ctx: AppContext,
        window: QWidget,
        *,
        check_every_ms: int = HOUR_MS,
        first_check_ms: int = 2 * 60_000,
    ):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.running = False
        self.closing_done = False
        self.last_warning = ""
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        self.timer.timeout.connect(self.check_daily)
        self.timer.start()
        QTimer.singleShot(first_check_ms, self, self.check_daily)

    @property
    def enabled(self) -> bool:
        return self.ctx.store.path is not None

    def check_daily(self) -> None:
        """A backup when the newest one is a day old (the check itself reads only a folder)."""
        path = self.ctx.store.path
        if path is None or self.running:
            return
        from lev_desktop.continuity.backups import backup_due

        if backup_due(path):
            self.run()

    def run(
        self, *, label: str = "", on_done: Callable[[], None] | None = None, modal: bool = False
    ) -> None:
        from lev_desktop.continuity.backups import make_backup

        store = self.ctx.store
        self.running = True

        def done(result: Any) -> None:
            self.running = False
            if result.warnings:
                self._warn(result.warnings[0], on_done)
            elif on_done is not None:
                on_done()
            self.backed_up.emit(result)

        def failed(exc: BaseException) -> None:
            self.running = False
            from lev_desktop.continuity.backups import BackupError
            from lev_desktop.errors import describe_error

            if isinstance(exc, BackupError):
                message = exc.message
            else:
                log.error("backup failed", exc_info=exc)
                message = describe_error(exc) or _("The backup could not be made: {reason}").format(
                    reason=exc
                )
            self._warn(message, on_done)

        self.ctx.runner.run(
            lambda _progress: make_backup(store),
            label=label,
            on_success=done,
            on_failure=failed,
            owner=self.window,
            modal=modal,
            cancellable=False,
            kind="io",
        )

    def _warn(self, message: str, then: Callable[[], None] | None) -> None:
        self.last_warning = message
        self.failed.emit(message)
        show_status(self.window, message, 0)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Backup"),
            message,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        if then is not None:
            box.finished.connect(lambda _result: then())
        box.show()

    def at_close(self) -> bool:
        """The main window's close guard: True lets it close now; False means a backup has
        started and the window closes itself when it is done (or after the warning)."""
        if self.closing_done or not self.enabled or self.running:
            return True
        self.timer.stop()

        def close_now() -> None:
            self.closing_done = True
            self.window.close()

        self.run(label=_("Making a backup before closing…"), on_done=close_now, modal=True)
        return False


# ---- restore ------------------------------------------------------------------------------------


class RestoreFlow(QObject):
    """Restore, step by step, for the Launcher: close the window, swap on the worker, reopen."""

    finished = Signal(object)  # RestoreResult
    failed = Signal(str)

    def __init__(self, runner, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner

    def swap(self, db_path: Path, backup: Path, owner: QWidget | None) -> None:
        from lev_desktop.continuity.restore import RestoreError, restore_backup

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RestoreError):
                self.failed.emit(exc.message)
                return
            from lev_desktop.errors import describe_error

            log.error("restore failed", exc_info=exc)
            self.failed.emit(describe_error(exc) or str(exc))

        self.runner.run(
            # force_lock: this program holds the lock itself; no other window can.
            lambda _p: restore_backup(db_path, backup, force_lock=True),
            label=_("Restoring the backup…"),
            on_success=self.finished.emit,
            on_failure=failed,
            owner=owner,
            cancellable=False,
        )


# ---- a damaged database at start ----------------------------------------------------------------


def find_newest_good(db_path: Path) -> BackupInfo | None:
    """The newest backup SQLite finds sound (worker thread)."""
    from lev_desktop.continuity.backups import list_backups
    from lev_desktop.continuity.restore import inspect_backup, refusal

    for backup in list_backups(db_path):
        info = inspect_backup(backup.path, full=False)
        if refusal(info) is None:
            return info
    return None


class DamagedDialog(QDialog):
    """The database is damaged: what that means, and the newest good backup to restore."""

    def __init__(self, db_path: Path, problems: list[str], best: BackupInfo | None):
        super().__init__()
        self.db_path = db_path
        self.chosen: Path | None = None
        self.setWindowTitle(_("The database is damaged"))
        layout = QVBoxLayout(self)
        title = QLabel(_("The database file is damaged"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        text = QLabel(
            _(
                "SQLite's check found damage in {path}. This happens after a power cut or a disk "
                "fault. The program cannot use the file safely; it is kept aside as it is when a "
                "backup is restored, so nothing is lost that can still be read."
            ).format(path=db_path)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        detail = QLabel(
            _("Technical detail for the person who supports the program: {problem}").format(
                problem=problems[0][:200]
            )
        )
        detail.setWordWrap(True)
        detail.setObjectName("hint")
        layout.addWidget(detail)
        self.best_label = QLabel()
        self.best_label.setWordWrap(True)
        layout.addWidget(self.best_label)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(_("Restore this backup"))
        self.other_button = QPushButton(_("Choose another backup file…"))
        self.quit_button = QPushButton(_("Close the program"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self._restore_best)
        self.other_button.clicked.connect(self._choose)
        self.quit_button.clicked.connect(self.reject)
        self.best = best
        if best is not None:
            self.best_label.setText(_("The newest good backup:") + "\n" + backup_summary(best))
        else:
            self.best_label.setText(
                _(
                    "No good backup was found in the data folder. If you keep backups on a USB "
                    "drive or a shared folder, choose the file there."
                )
            )
            self.restore_button.setEnabled(False)
        self.resize(640, self.sizeHint().height())

    def _restore_best(self) -> None:
        if self.best is not None:
            self.chosen = self.best.path
            self.accept()

    def _choose(self) -> None:
        path = file_dialogs.open_file(
            self,
            _("Choose a backup file"),
            _("LEV Desktop backups (*.db)"),
            purpose="backup-restore",
            ctx=None,  # the database could not be opened: nothing to remember it in
        )
        if path:
            self.chosen = Path(path)
            self.accept()
