"""Restore: what a backup holds, then the swap that puts it in place of the database.

``inspect_backup`` reads a backup without changing it: when it was made, whose office it is,
how many records it holds, its schema revision and what SQLite's ``integrity_check`` says.
``restore_backup`` copies the backup beside the database, checks that copy (the file that will
be used, not the one on the stick), keeps the current database as a ``-before-restore`` backup
(a damaged one is set aside byte for byte), removes the old ``-wal``/``-shm`` files and renames
the copy over the database in one atomic step. Whatever fails before that rename leaves the
database as it was.

The restored database continues the exchange sequence with a gap (``SEQUENCE_GAP``): packages
written after the backup was made are unknown to it, and the next package must still be newer
than any of them for the offices above.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.migrate import known_revisions
from db.store import BACKUP_MADE_AT, backup_sqlite, check_sqlite_file
from lev_desktop.continuity.backups import (
    BEFORE_RESTORE,
    DAMAGED,
    BackupError,
    backup_folder,
    parse_name,
    snapshot,
)
from lev_desktop.dblock import DatabaseLock, lock_path
from lev_desktop.errors import describe_error
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_number

SEQUENCE_SETTING = "exchange_sequence"  # lev_desktop.exchange.exporter.SEQUENCE_SETTING
SEQUENCE_GAP = 1000
RESTORED_FROM = "restored_from"

# What the confirmation shows: live records per table (tombstones are not counted).
COUNTED = (
    "offices",
    "plans",
    "plan_items",
    "activities",
    "monitoring",
    "kpi_values",
    "form_submissions",
    "letters",
)


def count_label(table: str) -> str:
    labels = {
        "offices": _("Office"),
        "plans": _("Action plan"),
        "plan_items": _("Plan project"),
        "activities": _("Activity"),
        "monitoring": _("Monitoring form"),
        "kpi_values": _("Indicator value"),
        "form_submissions": _("Form status"),
        "letters": _("Letter"),
    }
    return labels.get(table, table)


def describe_counts(counts: dict[str, int]) -> str:
    """ "แผนปฏิบัติงาน 3 · โครงการในแผน 24 · …" in the order of ``COUNTED`` (none: left out)."""
    return " · ".join(
        f"{count_label(table)} {format_number(counts[table])}"
        for table in COUNTED
        if counts.get(table)
    )


class RestoreError(Exception):
    """A restore that cannot be done; the message is Thai. The database was not changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class BackupInfo:
    path: Path
    made_at: dt.datetime | None  # local time
    size: int
    office_code: str = ""
    office_name: str = ""
    level: str = ""
    revision: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    checked: str = ""  # "integrity_check" or "quick_check"

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "offices")


@dataclass
class RestoreResult:
    info: BackupInfo
    kept: Path | None  # the database as it was before, kept as a backup
    sequence: int | None  # the next package's sequence number will be above this


def _table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _setting(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0]) if isinstance(row[0], str) else row[0]
    except ValueError:
        return row[0]


def _read_details(path: Path, info: BackupInfo) -> None:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = _table_names(conn)
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            info.revision = row[0] if row else None
        if "settings" in tables:
            info.office_code = str(_setting(conn, "office_code") or "")
            made = _setting(conn, BACKUP_MADE_AT)
            if isinstance(made, str):
                with contextlib.suppress(ValueError):
                    info.made_at = dt.datetime.fromisoformat(made)
        if info.office_code and "offices" in tables:
            row = conn.execute(
                "SELECT name, level FROM offices WHERE code = ?", (info.office_code,)
            ).fetchone()
            if row:
                info.office_name, info.level = row[0] or "", row[1] or ""
        for table in COUNTED:
            if table in tables:
                info.counts[table] = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE deleted = 0'
                ).fetchone()[0]
    finally:
        conn.close()


def inspect_backup(path: Path, *, full: bool = True) -> BackupInfo:
    """What a backup holds and whether SQLite finds it sound (``full``: ``integrity_check``,
    else ``quick_check``). Reads only; a file that is not a database is a problem, not an
    exception."""
    return _inspect(Path(path), Path(path), full=full)


def _inspect(checked: Path, shown: Path, *, full: bool) -> BackupInfo:
    """Checks ``checked`` and describes it as ``shown`` (the copy beside the database stands
    for the file the officer chose)."""
    try:
        size = checked.stat().st_size
    except OSError as exc:
        raise RestoreError(
            describe_error(exc) or _("File not found: {name}").format(name=checked)
        ) from exc
    info = BackupInfo(path=shown, made_at=None, size=size)
    info.checked = "integrity_check" if full else "quick_check"
    info.problems = check_sqlite_file(checked, quick=not full)
    if not info.problems:
        try:
            if "settings" not in _tables_of(checked):
                info.problems = [_("This file is not a LEV Desktop database.")]
            else:
                _read_details(checked, info)
        except sqlite3.DatabaseError as exc:
            info.problems = [str(exc)]
    if info.made_at is None:  # no stamp inside (a copy made before a schema upgrade): the name
        named = parse_name(shown)
        if named is not None:
            info.made_at = named.made_at
    if info.made_at is None:
        with contextlib.suppress(OSError):
            info.made_at = dt.datetime.fromtimestamp(shown.stat().st_mtime).replace(microsecond=0)
    return info


def _tables_of(path: Path) -> set[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return _table_names(conn)
    finally:
        conn.close()


def refusal(info: BackupInfo) -> str | None:
    """Why this backup cannot be restored (Thai), or None."""
    if info.problems:
        return _(
            "The backup file is damaged and cannot be restored ({problem}). Choose another backup."
        ).format(problem=info.problems[0][:120])
    if info.revision is not None and info.revision not in known_revisions():
        return _(
            "The backup was made by a newer version of LEV Desktop. Install that version first, "
            "then restore it."
        )
    return None


# ---- the database lock ------------------------------------------------------------------------


def open_elsewhere(db_path: Path) -> bool:
    """True when a LEV Desktop window or a ``lev`` command that writes holds the database's lock
    (``lev_desktop.dblock``, the one lock they share)."""
    lock = DatabaseLock(lock_path(f"sqlite:///{db_path}"), owner="lev restore")
    if lock.acquire():
        lock.release()
        return False
    return True


# ---- restoring ---------------------------------------------------------------------------------


def _prepare(copy: Path, info: BackupInfo, now: dt.datetime) -> int | None:
    """Marks the copy as restored (settings, audit log) and moves its exchange sequence on."""
    conn = sqlite3.connect(copy)
    try:
        tables = _table_names(conn)
        sequence = None
        if "settings" in tables:
            current = _setting(conn, SEQUENCE_SETTING)
            sent = 0
            if "exchange_sent" in tables:
                sent = conn.execute(
                    "SELECT coalesce(max(sequence), 0) FROM exchange_sent"
                ).fetchone()[0]
            # a value that is not a number ≥ 0 (a damaged page, a hand edit) counts as missing,
            # as the export reads it (exporter.last_sequence): the packages sent say the rest
            if type(current) is not int or current < 0:
                current = 0
            base = max(current, int(sent or 0))
            if base:
                sequence = base + SEQUENCE_GAP
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    (SEQUENCE_SETTING, json.dumps(sequence)),
                )
            conn.execute("DELETE FROM settings WHERE key = ?", (BACKUP_MADE_AT,))
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (
                    RESTORED_FROM,
                    json.dumps(
                        {
                            "file": info.path.name,
                            "made_at": info.made_at.isoformat() if info.made_at else None,
                            "restored_at": now.isoformat(),
                        },
                        ensure_ascii=False,
                    ),
                ),
            )
        if "audit_log" in tables:
            officer = ""
            if "settings" in tables:
                officer = str(_setting(conn, "officer_name") or "")
            conn.execute(
                "INSERT INTO audit_log (at, officer, office, table_name, record_id, action, "
                "changes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(" "),
                    officer[:120],
                    info.office_code[:32],
                    "database",
                    "restore",
                    "restore",
                    json.dumps(
                        {
                            "file": info.path.name,
                            "made_at": info.made_at.isoformat() if info.made_at else None,
                            "sequence": sequence,
                        },
                        ensure_ascii=False,
                    ),
                ),
            )
        conn.commit()
        return sequence
    finally:
        conn.close()


def _set_aside(db_path: Path, now: dt.datetime) -> Path:
    """The current database, kept: a consistent backup, or (when SQLite cannot read it) its
    bytes as they are, with its ``-wal`` file."""
    try:
        kept, _made = snapshot(db_path, backup_folder(), kind=BEFORE_RESTORE, now=now)
        return kept
    except BackupError as exc:  # a damaged file: keep every byte instead
        folder = backup_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now.replace(microsecond=0)
        target = folder / f"{db_path.stem}-{stamp:%Y%m%d-%H%M%S}-{DAMAGED}.db"
        try:
            shutil.copyfile(db_path, target)
            wal = db_path.with_name(db_path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        except OSError as copy_error:
            raise RestoreError(
                _(
                    "The current database could not be kept as a backup ({reason}), so it was "
                    "not replaced."
                ).format(reason=describe_error(copy_error) or copy_error)
            ) from exc
        return target


def restore_backup(
    db_path: Path, backup: Path, *, now: dt.datetime | None = None, force_lock: bool = False
) -> RestoreResult:
    """Puts ``backup`` in place of the SQLite database at ``db_path``.

    The caller has closed every connection to ``db_path`` (``Store.dispose()``) and holds the
    database's lock (the window holds it already: ``force_lock``; ``lev restore`` takes it).
    Raises ``RestoreError`` (Thai) with the database unchanged when the backup is damaged, from a
    newer version, or cannot be copied, or when another program holds the database.
    """
    now = now or dt.datetime.now()
    db_path, backup = Path(db_path), Path(backup)
    if not force_lock and open_elsewhere(db_path):
        raise RestoreError(
            _(
                "LEV Desktop is open with this database. Close it first, then restore (or "
                "restore from the Settings of the open program)."
            )
        )
    if backup.resolve() == db_path.resolve():
        raise RestoreError(_("This file is the database itself; choose a backup file."))
    copy = db_path.with_name(db_path.name + ".restoring")
    try:
        try:
            backup_sqlite(backup, copy)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and describe_error(exc):
                raise RestoreError(
                    _("The backup could not be copied: {reason}").format(reason=describe_error(exc))
                ) from exc
            raise RestoreError(
                _(
                    "The backup file is damaged and cannot be restored ({problem}). Choose "
                    "another backup."
                ).format(problem=str(exc)[:120])
            ) from exc
        except OSError as exc:
            raise RestoreError(
                _("The backup could not be copied: {reason}").format(
                    reason=describe_error(exc) or exc
                )
            ) from exc
        info = _inspect(copy, backup, full=True)
        reason = refusal(info)
        if reason:
            raise RestoreError(reason)
        sequence = _prepare(copy, info, now)
        kept = _set_aside(db_path, now) if db_path.exists() else None
        for suffix in ("-wal", "-shm", "-journal"):
            stale = db_path.with_name(db_path.name + suffix)
            if stale.exists():
                stale.unlink()
        os.replace(copy, db_path)
    except RestoreError:
        raise
    except OSError as exc:
        raise RestoreError(
            _("The database could not be replaced: {reason}").format(
                reason=describe_error(exc) or exc
            )
        ) from exc
    finally:
        for leftover in (copy, copy.with_name(copy.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return RestoreResult(info=info, kept=kept, sequence=sequence)


__all__ = [
    "SEQUENCE_GAP",
    "BackupInfo",
    "RestoreError",
    "RestoreResult",
    "describe_counts",
    "inspect_backup",
    "open_elsewhere",
    "refusal",
    "restore_backup",
]
