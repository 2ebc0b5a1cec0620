"""Start LEV Desktop: ``python -m ui.app [--db PATH_OR_URL] [--demo] [--lang th|en]``.

Start-up order: logging and the crash dialog first (so that anything after is caught), then
fonts and translations, then the main window, shown at once: nothing of the database layer
is imported before its first paint. Then one lock per database (a second window on the same
file would fight over it), then the database is opened on the worker thread while the window
says so, then either the first-start wizard or the first screen.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from lev_desktop import APP_NAME, __version__, i18n, options
from lev_desktop.dblock import DatabaseLock
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir, log_dir
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from db.store import Store
    from lev_desktop.continuity.restore import RestoreResult
    from ui.context import AppContext
    from ui.continuity import BackupScheduler
    from ui.setup_wizard import SetupWizard

log = logging.getLogger("lev_desktop.app")

_T0 = time.perf_counter()
DEMO_DB_NAME = "demo.db"


# ---- command line -------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lev-desktop", description=_("LEV Desktop"))
    parser.add_argument("--db", help=_("database file or SQLAlchemy URL"))
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the demo database (created with demo data on first use)"),
    )
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), help=_("interface language"))
    parser.add_argument(
        "--measure-startup",
        action="store_true",
        help=_("print the time to the first paint of the main window and quit"),
    )
    # Qt's own options (-platform, -style …) pass through untouched.
    args, _rest = parser.parse_known_args(argv)
    return args


def database_for(args: argparse.Namespace) -> str:
    from db.store import resolve_url

    if args.demo and not args.db:
        return resolve_url(data_dir() / DEMO_DB_NAME)
    return resolve_url(args.db)


# ---- logging --------------------------------------------------------------------------------


def setup_logging() -> Path:
    path = log_dir() / "lev-desktop.log"
    root = logging.getLogger()
    if not any(getattr(h, "_lev", False) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._lev = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path


# ---- one window per database --------------------------------------------------------------


class _SharedDatabase:
    """A server database is shared by design (several clerks, optimistic versioning in
    ``db.store``): there is nothing to lock."""

    def release(self) -> None:
        pass


def acquire_lock(url: str) -> DatabaseLock | _SharedDatabase | None:
    """The lock for this database, or None when another LEV Desktop window or a ``lev``
    command that writes holds it (the one lock of ``lev_desktop.dblock``, shared with the CLI;
    it ends with its process, so a crashed window never leaves it behind).

    Only a SQLite file is one person's: a PostgreSQL database is opened by as many windows as
    there are clerks, and the store refuses the second of two saves of one record instead."""
    from sqlalchemy.engine import make_url

    if make_url(url).get_backend_name() != "sqlite":
        return _SharedDatabase()
    lock = DatabaseLock.for_url(url, owner="lev-desktop")
    return lock if lock.acquire() else None


# ---- the start-up sequence ------------------------------------------------------------------


class Launcher(QObject):
    """Opens the store off the GUI thread, then shows the wizard or the first screen."""

    ready = Signal(object)  # the main window
    failed = Signal(str)

    def __init__(
        self,
        url: str,
        *,
        demo: bool = False,
        language: str | None = None,
        measure: bool = False,
        window: MainWindow | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        from ui.workers import Runner

        self.url = url
        self.demo = demo
        self.language = language
        self.measure = measure
        self.runner = Runner(self)
        self.store: Store | None = None
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = window
        self.wizard: SetupWizard | None = None
        self.scheduler: BackupScheduler | None = None
        self.restored: RestoreResult | None = None  # reported once the restored database is open
        wire_runner(self.runner)
        if window is not None:
            self._watch_paints(window)

    def start(self) -> None:
        from db.store import Store

        if self.window is None:
            self.window = MainWindow()
            self._watch_paints(self.window)
            show_window(self.window, measure=self.measure)
        self.window.set_waiting(_("Opening the database…") + "\n" + self._describe())
        url = self.url
        self.runner.run(
            lambda _progress: Store(url, check=True),
            label=_("Opening the database…"),
            on_success=self._opened,
            on_failure=self._open_failed,
            owner=self.window,
            cancellable=False,
        )

    def _watch_paints(self, window: MainWindow) -> None:
        if self.measure:
            window.first_painted.connect(self._report_first_paint)
            window.screen_ready.connect(self._report_screen_ready)

    def _describe(self) -> str:
        from sqlalchemy.engine import make_url

        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            return parsed.database
        return parsed.render_as_string(hide_password=True)

    def _open_failed(self, exc: BaseException) -> None:
        from db.store import DatabaseDamaged
        from lev_desktop.errors import describe_error

        if isinstance(exc, DatabaseDamaged):
            self._damaged(exc)
            return
        message = describe_error(exc)
        if message is None:
            log.exception("cannot open the database", exc_info=exc)
            message = _("The database cannot be opened: {error}").format(error=exc)
        if self.window is not None:
            self.window.hide()
        self.failed.emit(message)

    def _context(self) -> AppContext:
        assert self.ctx is not None  # made as soon as the store is open (_opened)
        return self.ctx

    def _opened(self, store: Store) -> None:
        from ui.context import AppContext

        self.store = store
        language = self.language or options.get(store, "language")
        if language and language != i18n.current_language():
            i18n.install(language)
        self.ctx = AppContext(store, self.runner)
        self.ctx.restore_requested.connect(self.restore)
        if self.demo and not store.office_code:
            self._fill_demo()
        elif not store.office_code:
            self._run_wizard()
        else:
            self._show_main()

    def _fill_demo(self) -> None:
        from lev_desktop.services import demo

        store = self.store
        assert self.window is not None
        self.window.set_waiting(_("Creating the demo data…"))

        def fill(progress):
            return demo.fill(
                store,
                progress=lambda done, total: progress(
                    done,
                    total,
                    _("Creating the demo data… ({done} of {total} LAOs)").format(
                        done=done, total=total
                    ),
                ),
            )

        self.runner.run(
            fill,
            label=_("Creating the demo data…"),
            cancellable=False,
            on_success=lambda _name: self._after_demo(),
            owner=self.window,
        )

    def _after_demo(self) -> None:
        ctx = self._context()
        ctx.store.reload_identity()
        ctx.set_fiscal_year(options.fiscal_year(ctx.store))
        self._show_main()

    def _run_wizard(self) -> None:
        from ui.setup_wizard import SetupWizard

        if self.window is not None:
            self.window.hide()
        self.wizard = SetupWizard(self._context())
        self.wizard.finished.connect(self._wizard_done)
        self.wizard.show()

    def _wizard_done(self, result: int) -> None:
        ctx = self._context()
        if result and ctx.store.office_code:
            ctx.set_fiscal_year(options.fiscal_year(ctx.store))
            self._show_main()
        else:
            QApplication.quit()

    def _show_main(self) -> None:
        if self.window is None:
            self.window = MainWindow()
            self._watch_paints(self.window)
        self.window.attach(self._context())
        if not self.measure:
            # A backup when the window closes and once a day while it is open.
            from ui.continuity import BackupScheduler

            self.scheduler = BackupScheduler(self._context(), self.window)
            self.window.close_guard = self.scheduler.at_close
        self.window.show()
        if self.restored is not None:
            QTimer.singleShot(0, self._report_restore)
        elif not self.measure:
            # What is overdue or due soon: badges in the navigation pane and a short dialog,
            # once the first screen is on the screen.
            self.window.screen_ready.connect(self._remind)
        self.ready.emit(self.window)

    # ---- restore and a damaged database (ui.continuity) ------------------------------------
    def db_path(self) -> Path | None:
        from sqlalchemy.engine import make_url

        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            return None
        return Path(parsed.database)

    def _waiting_window(self, text: str) -> MainWindow:
        """A window without a database that says what is happening (a restore, a check)."""
        if self.window is None or self.window.has_ctx:
            self.window = MainWindow()
        self.window.set_waiting(text)
        self.window.show()
        return self.window

    def restore(self, backup: Path) -> None:
        """Puts a backup in place of the open database: the window closes (no backup at close:
        the restore keeps the current database itself), the swap runs on the worker, and the
        restored database opens as at start."""
        db_path = self.db_path()
        if db_path is None:
            return
        wizard, self.wizard = self.wizard, None
        if wizard is not None:  # a restore chosen in the first-start wizard
            wizard.finished.disconnect(self._wizard_done)
            wizard.close()
            wizard.deleteLater()
        old = self.window
        self._waiting_window(_("Restoring the backup…"))
        if old is not None and old is not self.window:
            old.close_guard = None
            old.close()
            old.deleteLater()
        self.scheduler = None
        if self.store is not None:
            self.store.dispose()
            self.store = None
        self._swap(db_path, Path(backup))

    def _swap(self, db_path: Path, backup: Path) -> None:
        from ui.continuity import RestoreFlow

        flow = RestoreFlow(self.runner, self)

        def done(result) -> None:
            self.restored = result
            self.start()

        def failed(message: str) -> None:
            from ui.settings.common import warn

            # The database is as it was: open it again once the officer has read why.
            box = warn(self._waiting_window(_("Restore a backup")), _("Restore a backup"), message)
            box.finished.connect(lambda _r: self.start())
            self.restore_warning = box

        flow.finished.connect(done)
        flow.failed.connect(failed)
        flow.swap(db_path, backup, self.window)

    def _report_restore(self) -> None:
        from lev_desktop.continuity.keysafe import key_state
        from lev_desktop.thai_format import format_datetime
        from ui.settings.backups import ask_key_password

        result, self.restored = self.restored, None
        if result is None:
            return
        text = _("Restored. The database is now the backup of {when}").format(
            when=format_datetime(result.info.made_at)
        )
        if result.kept is not None:
            text += "\n" + _("The database as it was is kept in {path}").format(path=result.kept)
        box = QMessageBox(
            QMessageBox.Icon.Information, _("Restore a backup"), text, parent=self.window
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        store, window, ctx = self.store, self.window, self._context()
        assert store is not None

        def key_check(state) -> None:
            if state is not None and state.restorable and window is not None:
                ask_key_password(ctx, window)

        box.finished.connect(
            lambda _r: ctx.runner.run(
                lambda _p: key_state(store), on_success=key_check, owner=window
            )
        )
        box.show()
        self.restore_report = box

    def _damaged(self, exc) -> None:
        """A damaged file at start: find the newest good backup, explain, offer to restore."""
        from ui.continuity import find_newest_good

        db_path = Path(exc.path)
        window = self._waiting_window(_("The database is damaged: looking for a good backup…"))
        self.runner.run(
            lambda _p: find_newest_good(db_path),
            label=_("Looking for a good backup…"),
            on_success=lambda best: self._offer_restore(db_path, exc.problems, best),
            owner=window,
            cancellable=False,
        )

    def _offer_restore(self, db_path: Path, problems: list[str], best) -> None:
        from ui.continuity import DamagedDialog

        dialog = DamagedDialog(db_path, problems, best)
        if self.window is not None:
            self.window.hide()
        self.damaged_dialog = dialog

        def chosen(result: int) -> None:
            if result and dialog.chosen is not None:
                self._waiting_window(_("Restoring the backup…"))
                self._swap(db_path, dialog.chosen)
            else:
                QApplication.exit(2)

        dialog.finished.connect(chosen)
        dialog.show()

    def _remind(self) -> None:
        from ui.widgets.reminder import maybe_show_reminder

        maybe_show_reminder(self._context(), self.window)

    def _report_first_paint(self) -> None:
        print(f"FIRST_PAINT {time.perf_counter() - _T0:.3f}", flush=True)

    def _report_screen_ready(self) -> None:
        print(f"SCREEN_READY {time.perf_counter() - _T0:.3f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def show_window(window: MainWindow, *, measure: bool = False) -> None:
    """Maximised the first time, then as the person left it (ui.window_state); a start-up
    measurement shows it plainly, as the benchmark's bare window is."""
    if measure:
        window.show()
        return
    from ui import window_state

    window_state.show_main(window)


def wire_runner(runner) -> None:
    """Unexpected failures of background jobs → crash dialog; known ones → a Thai message."""
    from ui.crash import show_bug, show_known_error

    runner.on_bug = lambda exc, details: show_bug(exc, details)
    runner.on_known_error = lambda message: show_known_error(message)


def _qt_message_to_log(mode, context, message) -> None:
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    from ui import style

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("LEV")
    style.apply(app)
    from ui import qt_translations

    qt_translations.install(app)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    from ui.crash import install_excepthook

    install_excepthook()
    i18n.install(args.lang)
    app = make_application(sys.argv[:1] + list(sys.argv[1:] if argv is None else argv))
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_qt_message_to_log)
    log.info("LEV Desktop %s starting", __version__)
    # The window is on screen at once; the database layer is imported and opened after.
    window = MainWindow()
    state: dict = {"lock": None, "started": False}
    launcher = Launcher(
        "", demo=args.demo, language=args.lang, measure=args.measure_startup, window=window
    )

    def fail(message: str) -> None:
        QMessageBox.critical(None, APP_NAME, message)
        QApplication.exit(2)

    def proceed() -> None:
        if state["started"]:
            return
        state["started"] = True
        url = database_for(args)
        lock = acquire_lock(url)
        if lock is None:
            window.hide()
            QMessageBox.information(
                None,
                APP_NAME,
                _(
                    "LEV Desktop is already open with this database. Please switch to the window "
                    "that is open (look in the task bar); only one window may use a database at a "
                    "time."
                ),
            )
            QApplication.exit(1)
            return
        state["lock"] = lock
        launcher.url = url
        launcher.failed.connect(fail, Qt.ConnectionType.QueuedConnection)
        launcher.start()

    window.first_painted.connect(proceed)
    QTimer.singleShot(500, proceed)  # a platform that paints late still starts
    show_window(window, measure=args.measure_startup)
    try:
        code = app.exec()
    finally:
        if state["started"]:
            launcher.runner.cancel_all()
            launcher.runner.wait()
            if launcher.store is not None:
                launcher.store.dispose()
        if state["lock"] is not None:
            state["lock"].release()
    log.info("LEV Desktop closed (%s)", code)
    return code


if __name__ == "__main__":
    sys.exit(main())
