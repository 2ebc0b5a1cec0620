"""Start LEV Desktop: ``python -m ui.app [--db PATH_OR_URL] [--demo] [--lang th|en]``.

Start-up order: logging and the crash dialog first (so that anything after is caught), then
fonts and translations, then the main window, shown at once: nothing of the database layer
is imported before its first paint. Then one lock per database (a second window on the same
file would fight over it), then the database is opened on the worker thread while the window
says so, then either the first-start wizard or the first screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import logging.handlers
import multiprocessing
import os
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from exports.plain_text import ThaiArgumentParser
from lev_desktop import APP_NAME, __version__, i18n, options
from lev_desktop.dblock import DatabaseLock
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir, log_dir, resources_dir
from lev_desktop.thai_format import format_datetime
from ui import thai_wrap
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
OPENABLE = (".levpkg", ".xlsx")  # files the program opens on the import tab


# ---- command line -------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = ThaiArgumentParser(prog="lev-desktop", description=_("LEV Desktop"))
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
    parser.add_argument(
        "--self-check",
        nargs="?",
        const="-",
        metavar="FILE",
        help=_("check fonts and Thai line breaking, print the result and quit (installer tests)"),
    )
    parser.add_argument(
        "files", nargs="*", help=_("package files or Excel forms to import (.levpkg, .xlsx)")
    )
    # Qt's own options (-platform, -style …) pass through untouched.
    args, _rest = parser.parse_known_args(argv)
    # what Explorer passes for a double-clicked package; a Qt option's value is not a file
    args.files = [f for f in args.files if Path(f).suffix.lower() in OPENABLE]
    return args


def database_for(args: argparse.Namespace) -> str:
    from db.store import resolve_url

    if args.demo and not args.db:
        return resolve_url(data_dir() / DEMO_DB_NAME)
    return resolve_url(args.db)


# ---- logging --------------------------------------------------------------------------------


LOG_KEEP = 20  # log files kept in the log folder (one per start of the program)


def setup_logging() -> Path | None:
    """One log file per process (``lev-desktop-<date>-<time>-<pid>.log``): two windows (or a
    window and a second start refused by the lock) never share a file, which on Windows
    breaks the rotation of the other's log. The oldest files beyond ``LOG_KEEP`` are removed.

    None when the data folder cannot be written (no permission, a full disk): the program
    starts without a log and says what is wrong when it opens the database there, instead of
    ending before its first window (a traceback no one sees without a console)."""
    root = logging.getLogger()
    if not any(getattr(h, "_lev", False) for h in root.handlers):
        try:
            folder = log_dir()
            path = folder / f"lev-desktop-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
            _prune_logs(folder)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=2_000_000, backupCount=1, encoding="utf-8"
            )
        except OSError:
            return None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._lev = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    else:
        path = Path(next(h for h in root.handlers if getattr(h, "_lev", False)).baseFilename)  # type: ignore[attr-defined]
    return path


def emptied(url: str) -> None:
    """Raises DatabaseDamaged for a database file of 0 bytes beside which backups exist: the
    file was emptied (a copy cut off, a sync program, a disk fault), not made new. SQLite
    would open it as a new database and the set-up would start as for a new office, the
    backups not offered. (A 0-byte file and no backup: a first start cut off; it stays new.)"""
    from sqlalchemy.engine import make_url

    from db.store import DatabaseDamaged
    from lev_desktop.continuity.backups import list_backups

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    path = Path(parsed.database)
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return
    if empty and list_backups(path):
        raise DatabaseDamaged(path, [_("The file is empty (0 bytes).")])


def data_folder_problem() -> str | None:
    """Why the data folder cannot be used (Thai), or None. The database, the keys, the
    window's state and the crash report live there: a folder that cannot be created or
    written ended the program before its first window (a traceback no one sees without a
    console)."""
    try:
        folder = str(data_dir())
        if os.access(folder, os.W_OK):
            return None
    except OSError as exc:  # (its filename: the folder that could not be made)
        folder = str(exc.filename or os.environ.get("LEV_DATA_DIR") or "")
    return _(
        "LEV Desktop cannot create or write its data folder {path} (no permission, or a "
        "read-only or full drive). The database, the office's key and the backups are kept "
        "there: ask the administrator for write permission to this folder, then start the "
        "program again."
    ).format(path=folder)


def _prune_logs(folder: Path, keep: int = LOG_KEEP) -> None:
    logs = sorted(folder.glob("lev-desktop*.log*"), key=lambda p: p.stat().st_mtime)
    for old in logs[: max(0, len(logs) - keep)]:
        try:
            old.unlink()
        except OSError:  # still open in a running instance: it goes next time
            continue


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


@dataclass(frozen=True)
class LockHolder:
    """Who holds a database's lock: the computer, its process and since when."""

    host: str
    pid: int
    since: dt.datetime | None  # local time the lock was taken (the lock file's time)
    this_computer: bool
    language: str = ""  # the interface language the holding window speaks ("": not said)

    def describe(self) -> str:
        since = format_datetime(self.since) if self.since else _("an unknown time")
        if self.this_computer:
            return _(
                "LEV Desktop is already open with this database on this computer (since "
                "{since}). Please switch to the window that is open (look in the task bar); "
                "only one window may use a database at a time."
            ).format(since=since)
        return _(
            "This database is in use on the computer {host} since {since}. Only one computer "
            "at a time may use it. Close LEV Desktop on {host}, then try again."
        ).format(host=self.host, since=since)


def lock_holder(url: str) -> LockHolder | None:
    """Who holds the lock of ``url`` now, as its lock file says; None when nobody does."""
    info = DatabaseLock.for_url(url).holder_info()
    if info is None:
        return None
    return LockHolder(
        host=info.host or "?",
        pid=info.pid,
        since=info.since,
        this_computer=not info.host or info.host.lower() == socket.gethostname().lower(),
        language=info.language,
    )


def speak_as_the_holder(holder: LockHolder | None, asked: str | None) -> None:
    """The message about a database in use comes before the database (and its language
    setting) is read: it was Thai in an English setup. It is said in the language the window
    holding the database speaks (its lock file says), unless ``--lang`` asked for one."""
    if asked or holder is None or holder.language not in i18n.LANGUAGES:
        return
    if holder.language != i18n.current_language():
        i18n.install(holder.language)


def take_over_lock(url: str) -> DatabaseLock | _SharedDatabase | None:
    """After a crash on another computer: takes the lock once that computer's hold is gone.
    Safe by construction: the lock is the operating system's lock on the file, which a live
    program keeps (and a share releases when the crashed computer's session ends); nothing is
    ever forced. None while the other computer still holds it."""
    lock = acquire_lock(url)
    if lock is not None:
        log.warning("database %s taken over from a computer that stopped", url)
    return lock


def deliver_to_inbox(files: Sequence[str]) -> str:
    """Packages opened while another window has the database: copied into the inbox folder,
    where that window's "From the inbox folder" finds them. Returns what to tell the user."""
    from lev_desktop import files as file_io
    from lev_desktop.exchange.inbox import inbox_dir

    folder = inbox_dir()
    copied = []
    for name in files:
        source = Path(name)
        if source.parent.resolve() == folder.resolve():
            copied.append(source.name)
            continue
        try:
            copied.append(file_io.copy_file(source, file_io.unique_path(folder, source.name)).name)
        except OSError:
            log.warning("could not copy %s to the inbox", source, exc_info=True)
    if not copied:
        return ""
    return _(
        "The file {names} was put in the folder {folder}. In the window that is open, choose "
        "Data exchange › Import › From the inbox folder."
    ).format(names=", ".join(copied), folder=folder)


def ask_about_lock(
    url: str, holder: LockHolder | None, parent: QWidget | None = None, *, note: str = ""
):
    """The Thai message about who holds the database; for another computer, the offer to take
    over after a crash. Returns the lock when it was taken over, else None."""
    text = holder.describe() if holder is not None else LockHolder("?", 0, None, True).describe()
    if note:
        text += "\n\n" + note
    box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, text, parent=parent)
    take = None
    if holder is not None and not holder.this_computer:
        box.setInformativeText(
            _(
                "If {host} was switched off or the program there stopped without closing (a "
                "crash, a power cut), you may take the database over."
            ).format(host=holder.host)
        )
        take = box.addButton(_("Take over"), QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(QMessageBox.StandardButton.Close)
    close.setText(_("Close"))
    box.setDefaultButton(close)
    box.exec()
    if take is None or box.clickedButton() is not take:
        return None
    # No "are you sure": the lock is the operating system's, so a computer that still runs
    # the program keeps it; taking over only succeeds once that computer has let go.
    lock = take_over_lock(url)
    if lock is None:
        QMessageBox.warning(
            parent,
            APP_NAME,
            _(
                "{host} still holds the database open, so it was not taken over. Close LEV "
                "Desktop there; after a crash of {host}, wait a few minutes (the network "
                "releases its files) and try again."
            ).format(host=holder.host if holder else "?"),
        )
    return lock


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
        files: Sequence[str] = (),
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
        self.files = [str(Path(f).resolve()) for f in files]
        self.scheduler: BackupScheduler | None = None
        self.restored: RestoreResult | None = None  # reported once the restored database is open
        self.lock: DatabaseLock | _SharedDatabase | None = None  # this window's, once taken
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

        def open_store(_progress: Any) -> tuple[Store, dict[str, Any]]:
            emptied(url)
            store = Store(url, check=True)
            return store, options.load_all(store)  # (this window's thread reads none of it)

        self.runner.run(
            open_store,
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

    def _opened(self, opened: tuple[Store, dict[str, Any]]) -> None:
        from ui.context import AppContext

        store, settings = opened
        self.store = store
        language = self.language or settings["language"]
        if language and language != i18n.current_language():
            i18n.install(language)
        if isinstance(self.lock, DatabaseLock):  # (a second start says "in use" in it)
            self.lock.set_language(i18n.current_language())
        self.ctx = AppContext(store, self.runner, settings=settings)
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
            demo.fill(
                store,
                progress=lambda done, total: progress(
                    done,
                    total,
                    _("Creating the demo data… ({done} of {total} LAOs)").format(
                        done=done, total=total
                    ),
                ),
            )
            store.reload_identity()  # the demo's office, read here rather than by the window
            return options.fiscal_year(store)

        self.runner.run(
            fill,
            label=_("Creating the demo data…"),
            cancellable=False,
            on_success=self._after_demo,
            owner=self.window,
        )

    def _after_demo(self, fiscal_year: int) -> None:
        self._context().set_fiscal_year(fiscal_year)
        self._show_main()

    def _run_wizard(self) -> None:
        from ui.setup_wizard import SetupWizard

        if self.window is not None:
            self.window.hide()
        thai_wrap.start_loading()
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
        # Thai line breaks for the screens, loaded once the first screen is on the screen
        self.window.screen_ready.connect(thai_wrap.start_loading)
        if not self.measure:
            # A backup when the window closes and once a day while it is open.
            from ui.continuity import BackupScheduler

            self.scheduler = BackupScheduler(self._context(), self.window)
            self.window.close_guard = self.scheduler.at_close
        self.window.show()
        if self.restored is not None:
            QTimer.singleShot(0, self._report_restore)
        elif self.files:  # a package double-clicked in Explorer: straight to the import preview
            self._context().navigate.emit("exchange", list(self.files))
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
    icon = resources_dir() / "icons" / "lev-desktop.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setApplicationVersion(__version__)
    app.setOrganizationName("LEV")
    style.apply(app)
    from ui import digits, qt_translations

    qt_translations.install(app)
    digits.install(app)  # dialogs' and message boxes' digits (Thai-digit mode)
    from ui.widgets import fit, keys, wheel_guard

    wheel_guard.install(app)  # the wheel scrolls a form; it turns only a box in use
    keys.install(app)  # Enter presses a button, Tab leaves a read-only table
    fit.keep_menus_on_screen(app)  # (a scaled screen's last logical pixel is not whole)
    return app


SELF_CHECK_TEXT = "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"


def self_check(app: QApplication, output: str = "-") -> int:
    """What an installed copy needs to show Thai right, as one JSON line: the Sarabun fonts,
    the style, the segmenter, and the line-break opportunities Qt finds in a Thai run as it is
    and as the screens show it (libthai present or not). Printed, or written to ``output``
    (the windowed Windows program has no console). Exit 0 when Thai will wrap."""
    import json

    from PySide6.QtCore import QTextBoundaryFinder

    from ui import style

    def breaks(text: str) -> int:
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
        count = 0
        while finder.toNextBoundary() not in (-1, len(text)):
            count += 1
        return count

    thai_wrap.load()
    shown = thai_wrap.display_text(SELF_CHECK_TEXT)
    fonts = style.load_fonts()
    result = {
        "version": __version__,
        "fonts": fonts,
        "style": style.base_style_name(),
        "qt_breaks": breaks(SELF_CHECK_TEXT),  # > 0 only with libthai
        "shown_breaks": breaks(shown),
        "words": len(shown.split(thai_wrap.ZWSP)),
    }
    line = json.dumps(result, ensure_ascii=False)
    if output == "-":
        print(line, flush=True)
    else:
        Path(output).write_text(line + "\n", encoding="utf-8")
    words = len(shown.split(thai_wrap.ZWSP))
    ok = "Sarabun" in fonts and breaks(shown) >= words - 1 >= 5
    return 0 if ok else 3


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    from ui.crash import install_excepthook

    install_excepthook()
    i18n.install(args.lang)
    app = make_application(sys.argv[:1] + list(sys.argv[1:] if argv is None else argv))
    thai_wrap.defer()  # until the first screen is painted (Launcher._show_main)
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_qt_message_to_log)
    log.info("LEV Desktop %s starting", __version__)
    if args.self_check:
        try:
            return self_check(app, args.self_check)
        finally:
            thai_wrap.wait_for_loader()
    unusable = data_folder_problem()
    if unusable is not None:
        QMessageBox.critical(None, APP_NAME, unusable)
        return 2
    # The window is on screen at once; the database layer is imported and opened after.
    window = MainWindow()
    state: dict = {"lock": None, "started": False}
    launcher = Launcher(
        "",
        demo=args.demo,
        language=args.lang,
        measure=args.measure_startup,
        window=window,
        files=args.files,
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
            holder = lock_holder(url)
            speak_as_the_holder(holder, args.lang)
            note = deliver_to_inbox(args.files) if args.files else ""
            lock = ask_about_lock(url, holder, note=note)
            if lock is None:
                QApplication.exit(1)
                return
            window.show()
        state["lock"] = lock
        launcher.lock = lock
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
        thai_wrap.wait_for_loader()
    log.info("LEV Desktop closed (%s)", code)
    return code


if __name__ == "__main__":
    # The frozen build's worker processes (an import's payload readers, exchange/pool.py) start
    # as this executable: freeze_support runs them here and exits, before any window.
    multiprocessing.freeze_support()
    sys.exit(main())
