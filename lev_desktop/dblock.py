"""One writer per database: a lock file beside the SQLite file (or in the data folder for a
server database), taken by the window (``ui.app``) and by the command-line commands that write
(``lev import``, ``lev export`` …), so that the two never write the same database at once.

The lock is an operating-system lock on an open file (``flock`` on Linux and macOS, a locked
byte range on Windows): it ends with the process that holds it, so a crash or kill -9 never
leaves a stale lock behind. The file itself only says who holds it, for the message: the
process, the program, the computer and since when (a database on a shared drive is opened from
several computers; after one of them crashes, the share releases its lock when its session
ends).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Self

from lev_desktop.paths import data_dir

_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: one far past what the file holds


def lock_path(url: str) -> Path:
    """Beside a SQLite file; in the data folder, keyed by the URL, for a server database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        db = Path(parsed.database)
        return db.with_name(db.name + ".lock")
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    folder = data_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.lock"


@dataclass(frozen=True)
class Holder:
    pid: int
    owner: str
    host: str  # the computer's name ("" in a file from before it was written)
    since: dt.datetime | None  # local time the lock was taken
    language: str = ""  # the interface language the holder speaks ("": not said)


class DatabaseLock:
    """``acquire()`` → True when this process now holds the lock; ``holder()`` says who does."""

    def __init__(self, path: Path, owner: str = ""):
        self.path = Path(path)
        self.owner = owner or Path(sys.argv[0] or "lev").name
        self._handle: IO[bytes] | None = None
        self._since = ""
        self._language = ""

    @classmethod
    def for_url(cls, url: str, owner: str = "") -> DatabaseLock:
        return cls(lock_path(url), owner)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(5):
            handle = self.path.open("a+b")
            try:
                _os_lock(handle)
            except OSError:
                handle.close()
                return False
            # The holder before us may have removed the file as it let go: then what we locked
            # is no longer the lock file, and another process may lock the new one. Try again.
            try:
                same = os.path.samestat(os.fstat(handle.fileno()), os.stat(self.path))
            except OSError:
                same = False
            if same:
                break
            _os_unlock(handle)
            handle.close()
        else:
            return False
        self._handle = handle
        self._since = dt.datetime.now().isoformat(timespec="seconds")
        self._write()
        return True

    def set_language(self, language: str) -> None:
        """Says in the lock file which interface language the holder speaks: a second start
        tells the person the database is in use in that language (it comes before the
        database, and its language setting, is read)."""
        self._language = language
        if self._handle is not None:
            self._write()

    def _write(self) -> None:
        handle = self._handle
        assert handle is not None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"{os.getpid()}\n{self.owner}\n{socket.gethostname()}\n{self._since}\n"
            f"{self._language}\n".encode()
        )
        handle.flush()

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):  # removed while still locked (see acquire)
            self.path.unlink()
        with contextlib.suppress(OSError):
            _os_unlock(handle)
        handle.close()

    def holder(self) -> str:
        """'pid program' of the process holding the lock, as far as the file says."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return " ".join(lines[:2]).strip()

    def holder_info(self) -> Holder | None:
        """Who holds the lock, as the file says: None when nobody does (the file is gone,
        or no process holds its lock any more)."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        if not lines or not lines[0].strip().isdigit() or self._free():
            return None
        since = None
        if len(lines) > 3:
            with contextlib.suppress(ValueError):
                since = dt.datetime.fromisoformat(lines[3].strip())
        return Holder(
            pid=int(lines[0]),
            owner=lines[1].strip() if len(lines) > 1 else "",
            host=lines[2].strip() if len(lines) > 2 else "",
            since=since,
            language=lines[4].strip() if len(lines) > 4 else "",
        )

    def _free(self) -> bool:
        """Is the file unlocked (its holder gone)? Checked without taking it for long."""
        if self._handle is not None:
            return False
        try:
            handle = self.path.open("rb")
        except OSError:
            return True
        try:
            _os_lock(handle)
        except OSError:
            return False
        else:
            _os_unlock(handle)
            return True
        finally:
            handle.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _os_lock(handle: IO[bytes]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _os_unlock(handle: IO[bytes]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _os_lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _os_unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
