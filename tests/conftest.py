"""Shared fixtures: every test gets its own data folder and database; nothing touches the
user's real files."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Generator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# ---- a logged error fails the test (as qutebrowser's tests/helpers/logfail.py) ----------------
# The Runner logs a background job that failed without an on_failure, the crash dialog logs
# the bug it shows, a screen that cannot be built logs why: none of these may pass unseen.
# A test that provokes an error on purpose takes the ``caplog`` fixture and asserts on it.


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _fail_on_logged_errors(item: pytest.Item, phase: str) -> Generator[None, None, None]:
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    _GUI_THREAD_SQL.clear()
    try:
        yield
    finally:
        root.removeHandler(handler)
    _fail_on_gui_thread_sql(phase)
    if handler.records and "caplog" not in getattr(item, "fixturenames", ()):
        lines = "\n".join(
            f"{record.levelname} {record.name}: {record.getMessage()}" for record in handler.records
        )
        pytest.fail(f"error logged during {phase}:\n{lines}", pytrace=False)


# ---- one application, as the officer's ------------------------------------------------------
# Every widget test runs in the application the program makes (its fonts, style sheet, event
# filters), whichever test runs first: a test that passes only in Qt's default look, or only
# after another test made the application, fails for a reason nobody names.


@pytest.fixture(scope="session")
def qapp(qapp_args):
    from ui.app import make_application

    return make_application(qapp_args)


# ---- the window's thread never waits on the database -----------------------------------------
# "The GUI thread only presents": a statement the interface's own code (ui/) runs on the main
# thread, outside a worker of the Runner, fails the test with where it was run. On a shared
# database (a network drive, DELETE journal) such a read waits for another computer's write,
# up to the busy timeout of 15 s, with the window frozen. Tests set up their data on the main
# thread themselves: only statements reached through a frame of ui/ count.

_UI_FOLDER = str(Path(__file__).resolve().parent.parent / "ui") + os.sep
_GUI_THREAD_SQL: list[str] = []


def _watch_gui_thread_sql() -> None:
    import sys
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    main = threading.main_thread()

    @event.listens_for(Engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, _params, _context, _many) -> None:
        if threading.current_thread() is not main:
            return
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith(_UI_FOLDER):
                where = f"{name[len(_UI_FOLDER) - 3 :]}:{frame.f_lineno} ({frame.f_code.co_name})"
                _GUI_THREAD_SQL.append(f"{where}: {statement.split(chr(10))[0][:80]}")
                return
            frame = frame.f_back


_watch_gui_thread_sql()


def _fail_on_gui_thread_sql(phase: str) -> None:
    if _GUI_THREAD_SQL:
        found = list(dict.fromkeys(_GUI_THREAD_SQL))
        _GUI_THREAD_SQL.clear()
        pytest.fail(
            f"the interface read the database on its own thread during {phase}:\n"
            + "\n".join(found[:10]),
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    yield from _fail_on_logged_errors(item, "setup")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield from _fail_on_logged_errors(item, "the test")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield from _fail_on_logged_errors(item, "teardown")


# ---- a wait is an upper bound, never a timing ---------------------------------------------------
# ``qtbot.waitUntil`` and ``waitSignal`` return as soon as their condition holds, so their
# timeout only says how long to wait before calling the condition broken. Written timeouts of
# 5–20 s ran out in full runs at load 7–16 on two cores (``test_window_state``, ``settle``),
# failing tests whose condition came true a little later. Every such bound is raised to
# ``WAIT_BOUND_MS``: a passing test is not slowed by a millisecond, and a broken one still
# fails, with the same message. A wait whose timeout is the expected outcome
# (``raising=False``) keeps its own.
WAIT_BOUND_MS = 60_000


@pytest.fixture(autouse=True)
def _waits_are_upper_bounds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    if "qtbot" not in request.fixturenames:
        return
    from pytestqt.qtbot import QtBot

    def bounded(name: str, *, only_raising: bool = False):
        original = getattr(QtBot, name)

        def wait(self, *args, timeout: int = 5000, **kwargs):
            if not (only_raising and kwargs.get("raising") is False):
                timeout = max(timeout, WAIT_BOUND_MS)
            return original(self, *args, timeout=timeout, **kwargs)

        monkeypatch.setattr(QtBot, name, wait)

    for name in ("waitUntil", "waitExposed", "waitActive"):
        bounded(name)
    for name in ("waitSignal", "waitSignals", "waitCallback"):
        bounded(name, only_raising=True)


# ---- a loaded machine on demand -----------------------------------------------------------------
# The Runner shows its progress dialog when a labelled job runs past 600 ms, which happens only
# on a loaded machine; on the offscreen platform that dialog then takes the window activation
# for good. ``--dialogs-at-once`` makes every labelled job show it at once, so a test that
# depends on the main window staying active fails every time instead of once in a while.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--dialogs-at-once",
        action="store_true",
        help="every labelled background job shows its progress dialog at once",
    )


@pytest.fixture(autouse=True)
def _dialogs_at_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    if not request.config.getoption("--dialogs-at-once") or "qtbot" not in request.fixturenames:
        return
    from ui import workers

    original = workers.Runner.__init__

    def init(self, parent=None, **kwargs):
        kwargs.setdefault("show_after_ms", 0)  # a test that sets its own delay keeps it
        original(self, parent, **kwargs)

    monkeypatch.setattr(workers.Runner, "__init__", init)


class FakeClock:
    """The clock of every stamp in the database, moved by hand (``db.models.clock``)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    import db.models

    fake = FakeClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    monkeypatch.setattr(db.models, "clock", fake)
    return fake


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path_factory.mktemp("levdata")
    monkeypatch.setenv("LEV_DATA_DIR", str(data))
    monkeypatch.delenv("LEV_DB_URL", raising=False)
    yield data


@pytest.fixture(autouse=True)
def _no_thai_wrap_left_behind():
    """A test that starts the application (``make_application``) installs the label filter of
    ``ui.thai_wrap`` for the whole process: later tests would read their labels with zero-width
    spaces between Thai words. Each test leaves the application as it found it."""
    import sys

    yield
    thai_wrap = sys.modules.get("ui.thai_wrap")
    if thai_wrap is not None and thai_wrap._installed.get("filter") is not None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            thai_wrap.uninstall(app)


@pytest.fixture(autouse=True)
def _thai():
    from lev_desktop import i18n

    i18n.install("th")
    yield
    i18n.install("th")


@pytest.fixture
def empty_store(tmp_path: Path):
    """A fresh SQLite file with the schema and no office."""
    from db.store import Store

    store = Store(tmp_path / "empty.db")
    yield store
    store.dispose()


@pytest.fixture
def lao_store(tmp_path: Path):
    """An LAO database (อบต.หนองแสง under the demo district), with the built-in programmes."""
    from db.store import Store
    from lev_desktop.services.offices import initialise

    store = Store(tmp_path / "lao.db")
    initialise(
        store,
        level="lao",
        code="4801006",
        name="องค์การบริหารส่วนตำบลหนองแสง",
        lao_type="sao",
        parent="D4801",
        province_code="48",
        district_code="4801",
        officer="นางสาวทดสอบ ใจดี",
    )
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.store import Store
    from lev_desktop.services import demo

    folder = tmp_path_factory.mktemp("demo-template")
    os.environ["LEV_DATA_DIR"] = str(folder)
    store = Store(folder / "demo.db")
    demo.fill(store)
    store.dispose()
    return folder / "demo.db"


@pytest.fixture
def demo_store(tmp_path: Path, _demo_template: Path):
    """A copy of the demo district database (15 LAOs with FY2568 data)."""
    from db.store import Store

    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    store = Store(target)
    yield store
    store.dispose()


@pytest.fixture
def make_ctx(qtbot):
    """The one way a test makes an AppContext: ``make_ctx(store)``, at fiscal year 2568 (the
    demo's) unless ``fiscal_year`` says otherwise (None: the store's own choice), with the
    application's handling of failed jobs (``wire_runner``). At the end its background jobs are
    cancelled and waited for, before the store is closed."""
    from lev_desktop import options
    from ui.app import wire_runner
    from ui.context import AppContext

    made: list[AppContext] = []

    def make(store, *, fiscal_year: int | None = 2568) -> AppContext:
        if fiscal_year is not None:
            options.save(store, {"fiscal_year": fiscal_year})
        ctx = AppContext(store, settings=options.load_all(store))
        wire_runner(ctx.runner)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.runner.cancel_all()
        ctx.runner.wait(30000)
    if made:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()


@pytest.fixture
def window(qtbot, lao_store, make_ctx):
    """The main window over a temporary LAO database, 1366×728, shown, idle."""
    from waits import idle

    from ui import help as manual
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    ctx = make_ctx(lao_store)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.resize(1366, 728)
    main.show()
    qtbot.waitExposed(main)
    idle(qtbot, ctx)
    yield main, ctx
    for child in main.findChildren(manual.HelpWindow):
        child.close()
    main.apply_digits(False)  # the interface's digits are the process's: back to the default


@pytest.fixture
def pg_databases():
    """Makes fresh, empty PostgreSQL databases for one test: ``make()`` returns a URL; every
    database made is dropped afterwards.

    CI starts PostgreSQL on loopback and sets LEV_TEST_PG_URL (.ci/run). Without it the test is
    skipped locally, but fails under CI so a missing server can never pass silently."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("LEV_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("LEV_TEST_PG_URL is not set under CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL (set LEV_TEST_PG_URL)")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"lev_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(base).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as connection:
        for name in made:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_databases):
    """One fresh, empty PostgreSQL database for one test (its URL)."""
    return pg_databases()
