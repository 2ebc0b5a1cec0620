"""Automatic and manual backups of the SQLite database, rotated, in one or two folders.

A backup is a plain SQLite file (SQLite's online backup, ``db.store.backup_sqlite``), so any
copy can be opened, checked and restored on its own. Files are named
``<database stem>-YYYYmmdd-HHMMSS.db`` (local time) in ``<data folder>/backups``; a copy goes
to the second folder when one is chosen (``backup.second_folder``). Each folder is rotated on
its own: the newest backup of each of the last 7 days, 4 weeks and 12 months that have one is
kept, with the newest of all (the usual grandfather-father-son rule). Copies kept before a
restore (``-before-restore``) or set aside because they were damaged (``-damaged``) and the
copies made before a schema upgrade (``*.before-<rev>-<stamp>.bak.db`` beside the database)
are never rotated away.

A failed backup (disk full, USB stick removed) raises ``BackupError`` with a Thai sentence, or
is a Thai warning in the result when only the second folder failed; it never deletes an older
backup (rotation runs only after a successful copy).
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from db.store import Store, backup_sqlite
from lev_desktop import files, options
from lev_desktop.errors import describe_error
from lev_desktop.i18n import _
from lev_desktop.paths import data_dir

log = logging.getLogger(__name__)

ROTATED = "auto"  # made at close, daily, or on request: rotated
BEFORE_RESTORE = "before-restore"  # the database as it was before a restore: kept
DAMAGED = "damaged"  # a damaged database set aside by a restore: kept
BEFORE_UPGRADE = "before-upgrade"  # the copy db.migrate makes beside the file: kept
SUFFIXES = {BEFORE_RESTORE: "-before-restore", DAMAGED: "-damaged"}
STAMP = "%Y%m%d-%H%M%S"
DAILY_INTERVAL = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Retention:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


RETENTION = Retention()


class BackupError(Exception):
    """A backup that could not be made; the message is one Thai sentence for the officer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime  # local time, from the file name
    kind: str
    size: int

    @property
    def rotated(self) -> bool:
        return self.kind == ROTATED


@dataclass
class BackupResult:
    path: Path
    made_at: dt.datetime
    size: int
    seconds: float
    second_path: Path | None = None
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---- folders and names ------------------------------------------------------------------------


def backup_folder() -> Path:
    """``<data folder>/backups``: where every backup is made first."""
    return data_dir() / "backups"


def second_folder(store: Store) -> Path | None:
    """The folder the officer chose for a second copy (a USB stick, a shared drive), if any."""
    value = str(options.get(store, "backup.second_folder") or "").strip()
    return Path(value).expanduser() if value else None


def backup_name(stem: str, made_at: dt.datetime, kind: str = ROTATED) -> str:
    return f"{stem}-{made_at.strftime(STAMP)}{SUFFIXES.get(kind, '')}.db"


_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?P<suffix>-before-restore|-damaged)?\.db$"
)
_UPGRADE = re.compile(r"^(?P<stem>.+)\.before-(?P<rev>[^-]+)-(?P<stamp>\d{8}-\d{6})\.bak\.db$")


def parse_name(path: Path, stem: str | None = None) -> BackupFile | None:
    """The backup a file name describes (None for any other file)."""
    match = _NAME.match(path.name)
    kind = ROTATED
    if match is not None:
        suffix = match.group("suffix") or ""
        kind = {v: k for k, v in SUFFIXES.items()}.get(suffix, ROTATED)
    else:
        match = _UPGRADE.match(path.name)
        kind = BEFORE_UPGRADE
    if match is None or (stem is not None and match.group("stem") != stem):
        return None
    try:
        made_at = dt.datetime.strptime(match.group("stamp"), STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupFile(path=path, made_at=made_at, kind=kind, size=size)


def list_backups(db_path: Path, folders: Iterable[Path | None] = ()) -> list[BackupFile]:
    """Every backup of this database, newest first: the data folder's, those in ``folders``
    (the second folder) and the copies made before schema upgrades beside the file."""
    seen: set[Path] = set()
    found: list[BackupFile] = []
    places = [backup_folder(), *[f for f in folders if f is not None], db_path.parent]
    for folder in places:
        try:
            entries = list(folder.iterdir()) if folder.is_dir() else []
        except OSError:  # a drive that went away while listing
            continue
        for entry in entries:
            parsed = parse_name(entry, db_path.stem)
            if parsed is None or entry.resolve() in seen or entry.resolve() == db_path.resolve():
                continue
            if folder == db_path.parent and parsed.kind != BEFORE_UPGRADE:
                continue
            seen.add(entry.resolve())
            found.append(parsed)
    found.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


# ---- rotation -----------------------------------------------------------------------------


def _day(stamp: dt.datetime) -> tuple[int, ...]:
    return (stamp.year, stamp.month, stamp.day)


def _week(stamp: dt.datetime) -> tuple[int, ...]:
    iso = stamp.isocalendar()
    return (iso.year, iso.week)


def _month(stamp: dt.datetime) -> tuple[int, ...]:
    return (stamp.year, stamp.month)


def select_kept(
    stamps: Iterable[dt.datetime], retention: Retention = RETENTION
) -> set[dt.datetime]:
    """Which backups rotation keeps: the newest of all, and the newest one in each of the most
    recent ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that have a backup.
    Each rule counts on its own (a backup kept as a day's may also be its week's)."""
    ordered = sorted(set(stamps), reverse=True)
    kept: set[dt.datetime] = set(ordered[:1])
    rules: list[tuple[int, Callable[[dt.datetime], tuple[int, ...]]]] = [
        (retention.daily, _day),
        (retention.weekly, _week),
        (retention.monthly, _month),
    ]
    for count, period in rules:
        periods: set[tuple[int, ...]] = set()
        for stamp in ordered:
            if len(periods) >= count:
                break
            key = period(stamp)
            if key not in periods:
                periods.add(key)
                kept.add(stamp)
    return kept


def rotate(folder: Path, stem: str, retention: Retention = RETENTION) -> list[Path]:
    """Deletes the rotated backups of ``stem`` in ``folder`` that the rule does not keep."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    rotated = [b for b in (parse_name(e, stem) for e in entries) if b is not None and b.rotated]
    kept = select_kept((b.made_at for b in rotated), retention)
    removed = []
    for backup in rotated:
        if backup.made_at not in kept:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError as exc:  # a read-only stick: keep going, the next run tries again
                log.warning("cannot remove old backup %s: %s", backup.path, exc)
    return removed


# ---- making a backup ------------------------------------------------------------------------


def last_backup(db_path: Path) -> BackupFile | None:
    """The newest backup in the data folder that rotation manages (the daily timer's clock)."""
    for backup in list_backups(db_path):
        if backup.rotated and backup.path.parent == backup_folder():
            return backup
    return None


def backup_due(db_path: Path, now: dt.datetime | None = None) -> bool:
    """True when the newest backup is a day old or there is none (the daily backup)."""
    newest = last_backup(db_path)
    now = now or dt.datetime.now()
    return newest is None or now - newest.made_at >= DAILY_INTERVAL


def _free_name(
    folder: Path, stem: str, made_at: dt.datetime, kind: str
) -> tuple[Path, dt.datetime]:
    """A name not taken yet (two backups within one second get the next second)."""
    while (folder / backup_name(stem, made_at, kind)).exists():
        made_at += dt.timedelta(seconds=1)
    return folder / backup_name(stem, made_at, kind), made_at


def _failure(error: BaseException, folder: Path) -> str:
    known = describe_error(error)
    if known:
        return _("The backup could not be made: {reason}").format(reason=known)
    return _("The backup could not be written to {folder}: {error}").format(
        folder=folder, error=error
    )


def snapshot(
    db_path: Path, folder: Path, *, kind: str = ROTATED, now: dt.datetime | None = None
) -> tuple[Path, dt.datetime]:
    """One consistent copy of ``db_path`` into ``folder``; raises BackupError (Thai)."""
    made_at = (now or dt.datetime.now()).replace(microsecond=0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target, made_at = _free_name(folder, db_path.stem, made_at, kind)
        backup_sqlite(db_path, target, made_at=made_at)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(_failure(exc, folder)) from exc
    return target, made_at


def copy_to(source: Path, folder: Path) -> Path:
    """Copies a finished backup into another folder the way every user-visible file is written
    (``lev_desktop.files``: a temporary file beside it, a rename retried while an antivirus or a
    sync client holds the new file, a Thai message naming it).

    Raises OSError; a folder that is not there (the stick was removed) is ENOENT.
    """
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "folder not found", str(folder))
    return files.copy_file(source, folder / source.name)


def make_backup(
    store: Store,
    *,
    to: Path | None = None,
    kind: str = ROTATED,
    now: dt.datetime | None = None,
    retention: Retention = RETENTION,
) -> BackupResult:
    """A backup of the store's SQLite file into the data folder, then a copy into ``to`` (or
    the configured second folder); each folder is rotated after its copy succeeded.

    Raises ``BackupError`` when the data folder's copy fails (nothing is deleted then). A failed
    second copy is a warning in the result: the first one is there.
    """
    if store.path is None:
        raise BackupError(
            _(
                "This database is on a server (PostgreSQL): back it up on the server with "
                "pg_dump. LEV Desktop makes backups of SQLite files only."
            )
        )
    started = time.perf_counter()
    folder = backup_folder()
    path, made_at = snapshot(store.path, folder, kind=kind, now=now)
    result = BackupResult(path=path, made_at=made_at, size=path.stat().st_size, seconds=0.0)
    if kind == ROTATED:
        result.removed += rotate(folder, store.path.stem, retention)
    second = to if to is not None else second_folder(store)
    if second is not None and second.resolve() != folder.resolve():
        try:
            result.second_path = copy_to(path, second)
        except OSError as exc:
            if exc.errno == errno.ENOENT or not second.is_dir():
                message = _(
                    "The second backup folder {folder} is not available (is the USB drive "
                    "plugged in?). The backup in the data folder was made."
                ).format(folder=second)
            else:
                message = _(
                    "The copy in the second backup folder {folder} failed ({reason}). The "
                    "backup in the data folder was made."
                ).format(folder=second, reason=describe_error(exc) or exc)
            log.info("second backup copy failed: %s", exc)
            result.warnings.append(message)
        else:
            if kind == ROTATED:
                result.removed += rotate(second, store.path.stem, retention)
    result.seconds = time.perf_counter() - started
    log.info("backup %s (%d bytes) in %.2f s", path, result.size, result.seconds)
    return result


__all__ = [
    "BEFORE_RESTORE",
    "BEFORE_UPGRADE",
    "DAMAGED",
    "RETENTION",
    "ROTATED",
    "BackupError",
    "BackupFile",
    "BackupResult",
    "Retention",
    "backup_due",
    "backup_folder",
    "backup_name",
    "copy_to",
    "last_backup",
    "list_backups",
    "make_backup",
    "parse_name",
    "rotate",
    "second_folder",
    "select_kept",
    "snapshot",
]
