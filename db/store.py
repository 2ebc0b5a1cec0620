"""The one place that opens database sessions.

``Store`` owns the engine (SQLite in the user's data folder by default, any SQLAlchemy URL
through ``--db``/``LEV_DB_URL``, e.g. PostgreSQL for a shared province server), upgrades the
schema with Alembic (backing the SQLite file up first) and hands out short sessions. Objects
leave a session detached (``expire_on_commit=False``) so the UI can read them freely.

Every local change to a travelling record is stamped here, in one ``before_flush`` hook:
new records get this office as owner, changed records get ``revision + 1``, and every change
is written to the audit log. A session with ``info["importing"] = True`` (package import)
writes records exactly as received. A workstation never edits another office's records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Table, Text, create_engine, delete, event, insert, inspect, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.expression import Executable

from db import migrate
from db.models import AuditEntry, Base, Setting, Synced, new_uuid, utcnow
from lev_desktop.domain.offices import BUILTIN_OWNER
from lev_desktop.drives import is_network_path
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir, default_db_path

log = logging.getLogger(__name__)

# How long opening a database on a network drive waits for another computer to let go of it.
NETWORK_SWITCH_WAIT_MS = 2000


class NetworkDatabaseError(Exception):
    """A SQLite file on a network drive that cannot be opened safely; the message is Thai."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return self.message

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return self.message


class DatabaseDamaged(Exception):
    """The SQLite file fails SQLite's own check, or is not a database at all."""

    def __init__(self, path: Path, problems: list[str]):
        super().__init__(f"{path}: {problems[0] if problems else 'damaged'}")
        self.path = path
        self.problems = problems


class DatabaseReadOnly(Exception):
    """The SQLite file (or its folder, where SQLite writes its journal) cannot be written by
    this user: a file marked read-only, a folder under Program Files without administrator
    rights, a write-protected drive. The file is sound; it is not "damaged"."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return _(
            "The database {path} cannot be written: the file or its folder is read-only for "
            "this user (a file marked read-only, a folder such as Program Files, a "
            "write-protected drive). The file is not damaged and nothing was changed. Copy it "
            "to a folder you can write to, or ask the administrator for write permission, then "
            "open it again."
        ).format(path=self.path)


# What SQLite says when it cannot read or write a file it could otherwise open (permissions,
# a read-only folder for its WAL index), as opposed to a file whose content is wrong.
_ACCESS_PROBLEMS = ("attempt to write a readonly database", "unable to open database file")
_DISK_FAILED = "disk I/O error"


def unwritable(path: Path, problems: Iterable[str] = ()) -> bool:
    """Whether the database at ``path`` cannot be written by this user: the file or its
    folder is not writable, or SQLite's check failed only for want of access."""
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return True
    return any(problem.lower() in _ACCESS_PROBLEMS for problem in problems)


def check_sqlite_file(path: Path, *, quick: bool = True) -> list[str]:
    """What ``PRAGMA quick_check`` (or the full ``integrity_check``) finds wrong; [] = sound.

    A file that is not a database at all (overwritten, truncated header) is a problem too, not
    an exception. ``quick_check`` skips only the index-content comparison: ~40 ms for a
    province-size database, so it runs every time the program opens one.
    """
    pragma = "quick_check" if quick else "integrity_check"
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = connection.execute(f"PRAGMA {pragma}(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        connection.close()
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


class StaleRecordError(RuntimeError):
    """Another workstation saved this record after this one read it (several clerks on one
    PostgreSQL server). Nothing of the save was written; ``changes`` are the other's changes
    as the audit log has them (field → [before, after]), newest last."""

    def __init__(
        self,
        table: str,
        record_id: str,
        *,
        seen: int | None = None,
        current: int | None = None,
        by: str = "",
        at: dt.datetime | None = None,
        changes: dict[str, list[Any]] | None = None,
    ):
        super().__init__(f"{table} {record_id}: read at revision {seen}, now {current}")
        self.table = table
        self.record_id = record_id
        self.seen = seen
        self.current = current
        self.by = by
        self.at = at
        self.changes = changes or {}


class ForeignRecordError(PermissionError):
    """A local edit touched a record owned by another office."""

    def __init__(self, table: str, owner: str):
        super().__init__(f"record of {table} belongs to office {owner}")
        self.table = table
        self.owner = owner


T = TypeVar("T")


def plain_rows(connection: Connection, statement: Executable) -> list[tuple[Any, ...]]:
    """The rows of a query as the database driver gives them, without SQLAlchemy's type
    processing: dates as SQLite's text, numbers as int/float on SQLite (Decimal elsewhere).
    For reads of tens of thousands of rows (the national board, month view and lists):
    building a ``Row`` per line and a ``Decimal`` per NUMERIC took 2–4× the query itself."""
    return list(plain_iter(connection, statement))


def plain_iter(connection: Connection, statement: Executable) -> Iterator[tuple[Any, ...]]:
    """``plain_rows`` one row at a time (the one implementation of both), for a caller that
    keeps something else of each row: the driver's rows are not all alive at once (the
    national board's 7,850-row reads held as lists made the cyclic collector run a dozen times
    per read, and the whole heap now and then). 615,000 rows: 765 ms as a list either way."""
    result = connection.execute(statement)
    try:
        if result.returns_rows:
            yield from map(tuple, cast(Iterable[Any], result.cursor))
    finally:
        result.close()


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``connection.execute(insert(table), rows)``, with the rows handed to SQLite's driver in
    one executemany: each value through its column type's own bind processor, as SQLAlchemy
    binds it, without SQLAlchemy building parameters row by row (an import's 3,000 delivery
    rows: ~20 ms). Anything else goes through SQLAlchemy as before: another database, rows
    naming different columns or a column the table lacks, or a column left out that
    SQLAlchemy would fill from a Python-side default."""
    if not rows:
        return
    dialect = connection.dialect
    first = rows[0].keys()
    names = list(first)
    columns = table.c
    if (
        dialect.name != "sqlite"
        or any(name not in columns for name in names)
        or any(
            c.default is not None or c.onupdate is not None for c in columns if c.key not in first
        )
        or any(row.keys() != first for row in rows)
    ):
        connection.execute(insert(table), rows)
        return
    values = []
    for name in names:
        column = [row[name] for row in rows]
        process = columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            values.append(column)
        elif all(v is None or (v.__class__ is dt.datetime and v.tzinfo is None) for v in column):
            # (an import's time, a package's: a few distinct naive times, each formatted once;
            # equal naive times have equal fields, so they are written alike)
            formatted = {v: process(v) for v in set(column)}
            values.append([formatted[v] for v in column])
        else:
            values.append(list(map(process, column)))
    quote = dialect.identifier_preparer.quote
    sql = "INSERT INTO {table} ({names}) VALUES ({marks})".format(
        table=dialect.identifier_preparer.format_table(table),
        names=", ".join(quote(columns[name].name) for name in names),
        marks=", ".join("?" for _ in names),
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, list(zip(*values, strict=True)))
    finally:
        cursor.close()


_NOT_JSON = object()


def _decoded(raw: str | None) -> Any:
    """A setting's stored text decoded, or ``_NOT_JSON`` when it is not JSON (a page damaged
    where SQLite's check does not look, a hand edit)."""
    try:
        return None if raw is None else json.loads(raw)
    except ValueError:
        return _NOT_JSON


def _setting_texts(key: str | None = None) -> Executable:
    """The settings (or one) as stored text: read as text, a value that is not JSON cannot
    stop the read."""
    table = cast(Table, Setting.__table__)
    statement = select(table.c.key, sql_cast(table.c.value, Text))
    return statement if key is None else statement.where(table.c.key == key)


def stored_setting(session: Session, key: str) -> Any:
    """One setting as stored, inside the caller's transaction; None when it is missing or is
    not JSON (its default applies), as ``Store.settings`` reads them all."""
    row = session.execute(_setting_texts(key)).first()
    value = _decoded(row[1]) if row is not None else None
    if value is _NOT_JSON:
        log.info("setting %s is not JSON: its default applies", key)
        return None
    return value


def replace_setting(session: Session, key: str, value: Any) -> None:
    """Writes one setting inside the caller's transaction, replacing the row without reading
    it: a stored value that is not JSON is overwritten, not an error."""
    session.execute(delete(Setting).where(Setting.key == key))
    session.add(Setting(key=key, value=value))


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` value (a path or a SQLAlchemy URL) → URL; then LEV_DB_URL; then the default file."""
    value = str(db) if db is not None else os.environ.get("LEV_DB_URL")
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class Store:
    def __init__(
        self, db: str | os.PathLike[str] | None = None, *, upgrade: bool = True, check: bool = False
    ):
        """``check``: run SQLite's quick check first and raise ``DatabaseDamaged`` (the program
        does this on every start, so a damaged file is met with an explanation and the offer
        of a backup instead of failing somewhere later)."""
        self.url = resolve_url(db)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database)
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # A district may keep its database on a shared drive. SQLite's WAL mode needs shared
        # memory that only one computer sees, so there the rollback journal is used (one
        # computer at a time, which the program's lock beside the file ensures).
        self.on_network = self.path is not None and is_network_path(self.path)
        if check and self.path is not None and self.path.exists() and self.path.stat().st_size:
            # (Before the check: SQLite cannot even read a WAL file whose folder it cannot
            # write, and that is no damage. The program opens the file to work in it; the
            # command line's reads run on a read-only file.)
            problems = check_sqlite_file(self.path)
            if unwritable(self.path, problems):
                raise DatabaseReadOnly(self.path)
            if problems == [_DISK_FAILED]:
                # The check could not write SQLite's WAL index (a full disk, a drive pulled
                # out): the disk's problem, not the file's; errors.describe_error says so.
                raise sqlite3.OperationalError(_DISK_FAILED)
            if problems:
                raise DatabaseDamaged(self.path, problems)
        self.engine: Engine = self._make_engine()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Every commit on the engine (sessions, the importer's connection) forgets what was
        # derived: before it (a reader may see the new data at once) and, for a session, after
        # it (``_remember_saved``). Not a listener on the sessionmaker: SQLAlchemy keeps those
        # in a table keyed weakly by its Session class, which the listener's store holds, so
        # no store would ever be freed.
        event.listen(self.engine, "commit", lambda _conn: self.written())
        # (table, id) → the revision this workstation last showed in an editor or wrote:
        # a save of a record another workstation changed since is refused (StaleRecordError).
        self._seen: dict[tuple[str, str], int] = {}
        self._seen_lock = threading.Lock()
        # What was derived from the data (the national board's figures, the LAOs' facts of a
        # form) while nothing was written: see ``derived``.
        self.generation = 0
        self._derived: dict[Any, tuple[int, Any]] = {}
        self._derived_lock = threading.Lock()
        # A connection of its own that only asks SQLite whether another connection committed
        # (``PRAGMA data_version``): another program on this computer (``lev import`` from a
        # command line, a second window) writes the same file without this store's commit
        # events.
        self._version_connection: sqlite3.Connection | None = None
        self._data_version: int | None = None
        self._office_code: str | None = None
        self._data_dir = data_dir()  # this computer's (the officer's name on a server database)
        self.officer = ""
        if upgrade:
            self.upgrade()
        self.reload_identity()

    # ---- engine -----------------------------------------------------------------------
    def _make_engine(self) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True)
        if self.path is None:  # in-memory: one shared connection for every thread
            engine = create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(self.url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if self.on_network:
                # Leaving WAL needs the file to itself: a WAL database another computer has
                # open answers "wal" (or "locked" after the short wait) and is refused.
                cursor.execute(f"PRAGMA busy_timeout={NETWORK_SWITCH_WAIT_MS}")
                try:
                    mode = cursor.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                        raise
                    mode = "locked"
                if str(mode).lower() != "delete":
                    cursor.close()
                    raise self._network_refusal()
                cursor.execute("PRAGMA synchronous=FULL")
            elif self.path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                # Up to 64 MB of pages kept per connection (SQLite's default is 2 MB): the
                # national board and month view read tens of MB of indexes, again at each
                # change of programme or month; the pages stay valid while nothing writes.
                cursor.execute("PRAGMA cache_size=-65536")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        return engine

    def _network_refusal(self) -> NetworkDatabaseError:
        assert self.path is not None
        return NetworkDatabaseError(
            self.path,
            _(
                "The database {path} is on a network drive and is still open in a way that "
                "cannot be shared over a network (another computer may have it open). Close LEV "
                "Desktop on the other computers and try again. If several computers must work "
                "on the same data at the same time, use a PostgreSQL server instead of a shared "
                "file (see the README, “shared server”)."
            ).format(path=self.path),
        )

    # ---- derived data kept while nothing is written --------------------------------------
    DERIVED_LIMIT = 64  # entries (the nation's largest: a programme's figures, ~2 MB)

    def written(self) -> None:
        """Something was written, or the program was told so (``AppContext.notify``): what
        was derived from the data before is read again."""
        with self._derived_lock:
            self.generation += 1
            self._derived.clear()

    def _written_elsewhere(self) -> None:
        """Forgets what was derived when any other connection (another program on the file
        included) committed since the last look. Called with ``_derived_lock`` held."""
        if self.path is None or self.is_server:
            return
        if self._version_connection is None:
            self._version_connection = sqlite3.connect(
                self.path, timeout=15, check_same_thread=False, isolation_level=None
            )
        version = self._version_connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            if self._data_version is not None:
                self.generation += 1
                self._derived.clear()
            self._data_version = version

    def derived(self, key: Any, make: Callable[[], T]) -> T:
        """``make()``, kept under ``key`` until the next write through this store (a commit
        on its engine) or change notification. A server database is written by other
        workstations too: there nothing is kept."""
        generation, found = self.kept(key)
        if found is not None:
            return cast(T, found)
        value = make()
        self.keep(key, value, generation)
        return value

    def kept(self, key: Any) -> tuple[int, Any]:
        """(the generation now, what is kept under ``key`` or None): read the data after
        this, and ``keep`` what was derived with this generation."""
        with self._derived_lock:
            self._written_elsewhere()
            found = None if self.is_server else self._derived.get(key)
            if found is not None and found[0] == self.generation:
                return self.generation, found[1]
            return self.generation, None

    def keep(self, key: Any, value: Any, generation: int) -> None:
        """Keeps ``value`` derived from the data read at ``generation`` (not when something
        was written since: it may be older than that)."""
        with self._derived_lock:
            self._written_elsewhere()
            if self.is_server or self.generation != generation:
                return
            if key not in self._derived and len(self._derived) >= self.DERIVED_LIMIT:
                self._derived.pop(next(iter(self._derived)))
            self._derived[key] = (generation, value)

    def dispose(self) -> None:
        with self._derived_lock:
            if self._version_connection is not None:
                self._version_connection.close()
                self._version_connection = None
                self._data_version = None
        self.engine.dispose()

    def describe(self) -> str:
        """Short text for the status bar: the file path or the server URL without password."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    # ---- schema -----------------------------------------------------------------------
    def upgrade(self) -> None:
        migrate.upgrade(self)

    # ---- sessions ---------------------------------------------------------------------
    @contextmanager
    def session(self, *, importing: bool = False) -> Iterator[Session]:
        """A short unit of work: commits when the block ends, rolls back on an exception."""
        session = self._sessions()
        session.info["store"] = self
        session.info["importing"] = importing
        try:
            yield session
            session.commit()
        except StaleDataError as exc:  # a concurrent save won the race between read and write
            session.rollback()
            found = re.search(r"table '([^']+)'", str(exc))
            raise StaleRecordError(found.group(1) if found else "", "") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop("seen_pending", None)
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing is committed."""
        session = self._sessions()
        session.info["store"] = self
        try:
            yield session
        finally:
            session.close()  # detaches without expiring: objects stay readable

    # ---- what this workstation has shown (optimistic versioning) --------------------------
    def saw(self, table: str, revisions: Iterable[tuple[str, int]]) -> None:
        """An editor shows these records (id, revision): saving one of them later is refused
        when another workstation has changed it in between."""
        with self._seen_lock:
            for record_id, revision in revisions:
                self._seen[(table, record_id)] = int(revision or 0)

    def seen_revision(self, table: str, record_id: str) -> int | None:
        with self._seen_lock:
            return self._seen.get((table, record_id))

    def _saved(self, pending: list[tuple[str, str, int]]) -> None:
        with self._seen_lock:
            for table, record_id, revision in pending:
                self._seen[(table, record_id)] = revision

    # ---- identity and settings --------------------------------------------------------
    def reload_identity(self) -> None:
        self._office_code = self.get_setting("office_code")
        shared = self.get_setting("officer_name", "") or ""
        self.officer = self._workstation().get("officer_name", shared) if self.is_server else shared

    @property
    def is_server(self) -> bool:
        """A database several workstations share (PostgreSQL), not a file of one computer."""
        return not self.is_sqlite

    # Several clerks on one server each have their own name in the audit log: on a server
    # database the officer's name is kept on this computer, per database.
    WORKSTATION_KEYS = frozenset({"officer_name"})

    def _workstation_file(self) -> Path:
        return self._data_dir / "workstation.json"

    def _workstation(self) -> dict[str, Any]:
        try:
            every = json.loads(self._workstation_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        mine = every.get(self.describe()) if isinstance(every, dict) else None
        return mine if isinstance(mine, dict) else {}

    def _set_workstation(self, key: str, value: Any) -> None:
        path = self._workstation_file()
        try:
            every = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            every = {}
        if not isinstance(every, dict):
            every = {}
        every.setdefault(self.describe(), {})[key] = value
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(every, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @property
    def office_code(self) -> str | None:
        return self._office_code

    def set_identity(self, *, office_code: str | None = None, officer: str | None = None) -> None:
        """Records which office this database is and who works in it (None: unchanged)."""
        if office_code is not None:
            self.set_setting("office_code", office_code)
        if officer is not None:
            self.set_setting("officer_name", officer)

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self._stored_settings(key).get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        if self.is_server and key in self.WORKSTATION_KEYS:
            self._set_workstation(key, value)
            self.reload_identity()
            return
        self.set_settings({key: value})
        if key in ("office_code", "officer_name"):
            self.reload_identity()

    def set_settings(self, values: dict[str, Any]) -> None:
        """Writes several settings in one transaction (all or none). Each row is replaced
        without being read: a stored value that is not JSON is overwritten, not an error."""
        with self.session() as session:
            for key, value in values.items():
                replace_setting(session, key, value)

    def settings(self) -> dict[str, Any]:
        return self._stored_settings()

    def _stored_settings(self, key: str | None = None) -> dict[str, Any]:
        """The settings as stored, each value decoded here. A value that is not JSON (a page
        damaged where SQLite's check does not look, a hand edit) is left out, so its default
        applies until it is saved again, instead of stopping every read of the settings (the
        program did not start: "Expecting property name…"). The office's code is the
        database's identity: a damaged one is damage (the start offers a backup)."""
        with self.read() as session:
            rows = session.execute(_setting_texts(key)).all()
        found: dict[str, Any] = {}
        for name, raw in rows:
            value = _decoded(raw)
            if value is not _NOT_JSON:
                found[name] = value
            elif name == "office_code":
                raise DatabaseDamaged(
                    self.path or Path(self.describe()), [f"settings.{name}: {raw[:60]!r}"]
                )
            else:
                log.info("setting %s is not JSON (%r): its default applies", name, raw[:60])
        return found

    # ---- backup -----------------------------------------------------------------------
    def backup(self, target: Path, *, made_at: dt.datetime | None = None) -> Path:
        """Copies the SQLite database with the online backup API (safe while in use)."""
        if self.path is None:
            raise ValueError("only a SQLite file can be backed up this way")
        return backup_sqlite(self.path, target, made_at=made_at)


BACKUP_MADE_AT = "backup.made_at"  # a settings row written into every snapshot, never live


def backup_sqlite(source_path: Path, target: Path, *, made_at: dt.datetime | None = None) -> Path:
    """A consistent snapshot of a SQLite file, written atomically to ``target``.

    SQLite's online backup copies the pages in one read transaction, so the copy is consistent
    even while the program writes (WAL readers do not block writers). The copy is switched to
    the rollback journal so that it can be opened read-only (from a write-protected USB stick)
    without creating ``-wal``/``-shm`` files; it is fsynced before it gets its final name, and
    a failure (disk full, drive removed) leaves no partial file behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    try:
        source = sqlite3.connect(source_path)
        try:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
                if (
                    made_at is not None
                    and dest.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'"
                    ).fetchone()
                ):
                    dest.execute(
                        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                        (BACKUP_MADE_AT, json.dumps(made_at.isoformat())),
                    )
                    dest.commit()
            finally:
                dest.close()
        finally:
            source.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):  # the drive is gone: nothing left to clean
                leftover.unlink(missing_ok=True)
        raise
    return target


# ---- stamping and audit (one hook for every session of every store) ----------------------

# Records the editors show and a person changes cell by cell: a save of one that another
# workstation changed since this one showed it is refused. (Records the program touches by
# itself, such as a form's status or the plan header, are guarded only against the exact
# moment of a concurrent write, by the ORM's version counter.)
EDITED_TABLES = frozenset({"plan_items", "activities", "monitoring", "kpi_values"})


def _check_not_stale(session: Session, store: Store, obj: Any) -> None:
    """Refuses the save of a record another workstation changed after this one showed it."""
    table = obj.__tablename__
    seen = store.seen_revision(table, obj.id)
    loaded = inspect(obj).attrs.revision.loaded_value
    if seen is None or not isinstance(loaded, int) or loaded == seen:
        return
    with session.no_autoflush:
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.table_name == table, AuditEntry.record_id == obj.id)
                .order_by(AuditEntry.id.desc())
                .limit(max(loaded - seen, 1))
            )
        )
    changes: dict[str, list[Any]] = {}
    for entry in reversed(entries):
        for field, (before, after) in (entry.changes or {}).items():
            changes[field] = [changes[field][0] if field in changes else before, after]
    raise StaleRecordError(
        table,
        obj.id,
        seen=seen,
        current=loaded,
        by=inspect(obj).attrs.updated_by.loaded_value or "",
        at=inspect(obj).attrs.updated_at.loaded_value,
        changes=changes,
    )


@event.listens_for(Session, "after_commit")
def _remember_saved(session: Session) -> None:
    store: Store | None = session.info.get("store")
    if store is None:
        return
    store.written()
    pending = session.info.pop("seen_pending", None)
    if pending:
        store._saved(pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_unsaved(session: Session, _previous: Any) -> None:
    session.info.pop("seen_pending", None)


def _changes(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.has_changes() and attr.key not in ("revision", "updated_at", "updated_by"):
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            out[attr.key] = [_jsonable(old), _jsonable(new)]
    return out


@event.listens_for(Session, "before_flush")
def _stamp_and_audit(session: Session, _context: Any, _instances: Any) -> None:
    store: Store | None = session.info.get("store")
    importing = session.info.get("importing", False)
    office = (store.office_code if store else None) or ""
    officer = store.officer if store else ""
    now = utcnow()
    audit: list[AuditEntry] = []
    for obj in list(session.new):
        if not isinstance(obj, Synced):
            continue
        if importing:
            audit.append(
                AuditEntry(
                    officer=officer,
                    office=office,
                    table_name=obj.__tablename__,
                    record_id=obj.id or "",
                    action="import",
                    changes={},
                )
            )
            continue
        if obj.id is None:
            obj.id = new_uuid()
        if not obj.owner_office:
            obj.owner_office = office
        obj.revision = obj.revision or 1
        obj.updated_at = now
        obj.updated_by = officer
        obj.deleted = bool(obj.deleted)
        audit.append(
            AuditEntry(
                officer=officer,
                office=office,
                table_name=obj.__tablename__,
                record_id=obj.id,
                action="insert",
                changes=_changes(obj),
            )
        )
    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changes(obj)
        if importing:
            audit.append(
                AuditEntry(
                    officer=officer,
                    office=office,
                    table_name=obj.__tablename__,
                    record_id=obj.id,
                    action="import",
                    changes=changes,
                )
            )
            continue
        owner = obj.owner_office
        if owner not in (office, BUILTIN_OWNER) and "owner_office" not in changes:
            raise ForeignRecordError(obj.__tablename__, owner)
        if store is not None:
            _check_not_stale(session, store, obj)
        obj.revision = (obj.revision or 0) + 1
        obj.updated_at = now
        obj.updated_by = officer
        action = "delete" if changes.get("deleted", [False, False])[1] else "update"
        audit.append(
            AuditEntry(
                officer=officer,
                office=office,
                table_name=obj.__tablename__,
                record_id=obj.id,
                action=action,
                changes=changes,
            )
        )
    if store is not None and not importing:
        # What this workstation now knows of the records it changed (once the commit holds).
        session.info.setdefault("seen_pending", []).extend(
            (obj.__tablename__, obj.id, obj.revision)
            for obj in [*session.new, *session.dirty]
            if isinstance(obj, Synced)
            and obj.__tablename__ in EDITED_TABLES
            and (obj in session.new or session.is_modified(obj, include_collections=False))
        )
    for obj in list(session.deleted):
        if isinstance(obj, Synced) and not importing:
            raise ValueError(
                f"{obj.__tablename__} records are never deleted outright: set deleted=True "
                "(a tombstone) so the deletion travels"
            )
    session.add_all(audit)


__all__ = [
    "BUILTIN_OWNER",
    "EDITED_TABLES",
    "Base",
    "DatabaseDamaged",
    "ForeignRecordError",
    "NetworkDatabaseError",
    "StaleRecordError",
    "Store",
    "check_sqlite_file",
    "resolve_url",
]
