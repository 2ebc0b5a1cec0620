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
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.i18n import _
from lev_desktop.thai_format import format_datetime
from ui.settings.common import inform, warn
from ui.widgets.status_palette import fg

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
        bar = getattr(self.window, "statusBar", None)
        if callable(bar):
            bar().showMessage(message)
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


def backup_summary(info: BackupInfo, current_office: str | None = None) -> str:
    """The confirmation text: date, office, record counts, integrity check."""
    from lev_desktop.continuity.restore import describe_counts

    lines = [
        _("Backup of {when}").format(when=format_datetime(info.made_at)),
        _("Office: {name} ({code})").format(name=info.office_name, code=info.office_code),
        _("Records: {counts}").format(counts=describe_counts(info.counts)),
        _("SQLite integrity check: no problems found")
        if info.ok
        else _("SQLite integrity check: {problem}").format(problem=info.problems[0][:160]),
    ]
    if current_office and info.office_code and current_office != info.office_code:
        lines.append(
            _(
                "Warning: the database now belongs to office {current}; the backup is of office "
                "{other}."
            ).format(current=current_office, other=info.office_code)
        )
    return "\n".join(lines)


class RestoreConfirm(QMessageBox):
    """Shows what the backup holds and asks before anything is replaced."""

    def __init__(self, info: BackupInfo, current_office: str | None, parent: QWidget | None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(_("Restore a backup"))
        self.setText(_("Restore this backup in place of the database?"))
        self.setInformativeText(
            backup_summary(info, current_office)
            + "\n\n"
            + _(
                "The current database is kept as a backup first. The program then opens the "
                "restored database; work done after the backup was made is in the kept copy."
            )
        )
        self.restore_button = self.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        cancel = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(cancel)
        self.restore_button.setEnabled(info.ok)


class PasswordDialog(QDialog):
    """A password, asked once (to open a key) or twice (to protect one)."""

    def __init__(self, title: str, text: str, *, twice: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Password"), self.password)
        self.repeated: QLineEdit | None = None
        if twice:
            self.repeated = QLineEdit()
            self.repeated.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(_("The same password again"), self.repeated)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {fg('overdue').name()};")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _check(self) -> None:
        from lev_desktop.exchange.keys import KeyFileError, check_password

        try:
            check_password(
                self.password.text(), self.repeated.text() if self.repeated is not None else None
            )
        except KeyFileError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def values(self) -> tuple[str, str | None]:
        return self.password.text(), self.repeated.text() if self.repeated is not None else None


def ask_key_password(
    ctx: AppContext,
    parent: QWidget,
    *,
    after_restore: bool = True,
    on_done: Callable[[], None] | None = None,
) -> None:
    """The backup carries the office's key: the password puts it back on this computer."""
    from lev_desktop.continuity import keysafe

    dialog = PasswordDialog(
        _("The office's key"),
        _(
            "The restored database carries the office's key (encrypted). Enter the password it "
            "was exported with, so that packages are signed with the same key as before and the "
            "district accepts them without asking again."
        )
        if after_restore
        else _("Enter the password of the office's key."),
        twice=False,
        parent=parent,
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    store = ctx.store

    def chosen(result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            return
        password, _unused = dialog.values()

        def done(fingerprint: str) -> None:
            from lev_desktop.exchange.keys import format_fingerprint

            ctx.data_changed.emit("exchange")
            if on_done is not None:
                on_done()
            inform(
                parent,
                _("The office's key"),
                _("The office's key is back; packages are signed with it again.")
                + "\n\n"
                + format_fingerprint(fingerprint),
            )

        def failed(exc: BaseException) -> None:
            from lev_desktop.exchange.keys import KeyFileError

            if isinstance(exc, KeyFileError):
                box = warn(parent, _("The office's key"), str(exc))
                box.finished.connect(
                    lambda _r: ask_key_password(
                        ctx, parent, after_restore=after_restore, on_done=on_done
                    )
                )
            else:
                raise exc

        ctx.runner.run(
            lambda _p: keysafe.restore_key_from_database(store, password),
            on_success=done,
            on_failure=failed,
            owner=parent,
        )

    dialog.finished.connect(chosen)
    dialog.show()


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
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup file"), "", _("LEV Desktop backups (*.db)")
        )
        if path:
            self.chosen = Path(path)
            self.accept()
