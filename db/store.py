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

import datetime as dt
import decimal
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from db.models import AuditEntry, Base, Setting, Synced, utcnow
from lev_desktop.paths import default_db_path

BUILTIN_OWNER = "builtin"


class ForeignRecordError(PermissionError):
    """A local edit touched a record owned by another office."""

    def __init__(self, table: str, owner: str):
        super().__init__(f"record of {table} belongs to office {owner}")
        self.table = table
        self.owner = owner


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
    def __init__(self, db: str | os.PathLike[str] | None = None, *, upgrade: bool = True):
        self.url = resolve_url(db)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database)
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = self._make_engine()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._office_code: str | None = None
        self.officer = ""
        if upgrade:
            self.upgrade()
        self.reload_identity()

    # ---- engine -----------------------------------------------------------------------
    def _make_engine(self) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True)
        if self.path is None:  # in-memory: one shared connection for every thread
            from sqlalchemy.pool import StaticPool

            engine = create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(self.url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if self.path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        return engine

    def dispose(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        """Short text for the status bar: the file path or the server URL without password."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    # ---- schema -----------------------------------------------------------------------
    def upgrade(self) -> None:
        from db import migrate

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
        except BaseException:
            session.rollback()
            raise
        finally:
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

    # ---- identity and settings --------------------------------------------------------
    def reload_identity(self) -> None:
        self._office_code = self.get_setting("office_code")
        self.officer = self.get_setting("officer_name", "") or ""

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
        with self.read() as session:
            row = session.get(Setting, key)
            return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> None:
        with self.session() as session:
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
        if key in ("office_code", "officer_name"):
            self.reload_identity()

    def set_settings(self, values: dict[str, Any]) -> None:
        """Writes several settings in one transaction (all or none)."""
        with self.session() as session:
            for key, value in values.items():
                row = session.get(Setting, key)
                if row is None:
                    session.add(Setting(key=key, value=value))
                else:
                    row.value = value

    def settings(self) -> dict[str, Any]:
        with self.read() as session:
            return {row.key: row.value for row in session.scalars(select(Setting))}

    # ---- backup -----------------------------------------------------------------------
    def backup(self, target: Path) -> Path:
        """Copies the SQLite database with the online backup API (safe while in use)."""
        if self.path is None:
            raise ValueError("only a SQLite file can be backed up this way")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        source = sqlite3.connect(self.path)
        try:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        shutil.move(tmp, target)
        return target


# ---- stamping and audit (one hook for every session of every store) ----------------------


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
            from db.models import new_uuid

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
    for obj in list(session.deleted):
        if isinstance(obj, Synced) and not importing:
            raise ValueError(
                f"{obj.__tablename__} records are never deleted outright: set deleted=True "
                "(a tombstone) so the deletion travels"
            )
    session.add_all(audit)


__all__ = ["BUILTIN_OWNER", "Base", "ForeignRecordError", "Store", "resolve_url"]
