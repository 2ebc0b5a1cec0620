"""Writing the files a person sees — reports, workbooks, packages, previews, calendars, copies
to a USB drive — the one way, for Windows as the offices run it.

On Windows a file that Excel or a PDF reader has open cannot be replaced (error 32, "used by
another process", or 5, "access denied"), and an antivirus or OneDrive/Dropbox may hold a file
it has just seen for a moment. So every user-visible file is written here:

- into a temporary file beside the target, then renamed over it (a failed or cancelled write
  leaves the old file as it was and no partial file);
- the rename is retried briefly (``RETRY_DELAYS``, about 1.5 s in all) for those short locks;
- a failure becomes ``FileWriteError`` whose message is one Thai sentence naming the REAL file
  (never the temporary one), saying what to do (close it in the other program, choose another
  folder, free space, put the USB drive back) — never a raw "[Errno 13]".

Qt-free; the GUI calls it from its worker jobs, the CLI directly.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lev_desktop.i18n import _

log = logging.getLogger(__name__)

# Seconds to wait before each new attempt at the rename (antivirus scanners, sync clients).
RETRY_DELAYS: tuple[float, ...] = (0.1, 0.2, 0.4, 0.8)
TEMP_PREFIX = ".~lev-"

# Windows error codes (OSError.winerror) that mean "someone else holds the file".
ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
ERROR_USER_MAPPED_FILE = 1224
_LOCKED = {ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE}
# Windows error codes for a drive that went away (a USB stick pulled out, a share offline).
_GONE = {21, 55, 64, 67, 1167}  # not ready, net resource gone, net name deleted/not found, device
_NAME = {123, 206}  # invalid name, file name too long


class FileWriteError(OSError):
    """A user-visible file could not be written; ``message`` is Thai and names the file."""

    def __init__(self, path: Path, message: str, reason: str = "other"):
        super().__init__(message)
        self.path = Path(path)
        self.message = message
        self.reason = reason  # "locked" "permission" "full" "gone" "name" "other"

    def __str__(self) -> str:
        return self.message

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return self.message


def _winerror(exc: BaseException) -> int | None:
    value = getattr(exc, "winerror", None)
    return value if isinstance(value, int) else None


def _transient(exc: BaseException) -> bool:
    """Worth another try after a short wait: Windows locks and access denials (an antivirus
    scanning the new file) — never a full disk or a missing folder."""
    return isinstance(exc, OSError) and (
        _winerror(exc) in _LOCKED or _winerror(exc) == ERROR_ACCESS_DENIED
    )


def held_message(exc: BaseException, path: Path | str) -> str | None:
    """The Thai sentence for a file another program holds (Windows: Excel keeps a workbook it
    has open), met while READING ``path``; None for any other error. A reader that called
    such a file "not an Excel file or damaged, save it again" sent the officer the wrong way."""
    if isinstance(exc, OSError) and _winerror(exc) in _LOCKED:
        return explain(exc, path).message
    return None


def explain(exc: BaseException, target: Path | str, *, stage: str = "write") -> FileWriteError:
    """The Thai sentence for ``exc`` met while writing ``target`` (``stage``: "write" while
    creating the temporary file in the folder, "place" at the rename over the target)."""
    if isinstance(exc, FileWriteError):
        return exc
    target = Path(target)
    name, folder = str(target), str(target.parent)
    win = _winerror(exc)
    code = getattr(exc, "errno", None)
    if win in _LOCKED or (
        stage == "place" and (win == ERROR_ACCESS_DENIED or code == errno.EACCES)
    ):
        return FileWriteError(
            target,
            _(
                "The file {name} is open in another program (for example Excel or a PDF "
                "reader) or is read-only. Close it there and try again, or save under another "
                "name."
            ).format(name=name),
            "locked",
        )
    if code == errno.ENOSPC or win in (39, 112):
        return FileWriteError(
            target,
            _(
                "There is no space left on the drive of {folder}. Free some space or choose "
                "another drive; the file {name} was not written."
            ).format(folder=folder, name=target.name),
            "full",
        )
    if code == errno.EROFS:
        return FileWriteError(
            target,
            _(
                "The drive of {folder} is read-only (a write-protected USB drive or CD). "
                "Choose another folder."
            ).format(folder=folder),
            "permission",
        )
    if (
        win in _GONE
        or code in (errno.ENODEV, errno.ENXIO, errno.EIO)
        or (code == errno.ENOENT and not target.parent.exists())
    ):
        return FileWriteError(
            target,
            _(
                "The folder {folder} cannot be reached (a USB drive removed or a network "
                "drive offline?). Put the drive back or choose another folder."
            ).format(folder=folder),
            "gone",
        )
    if win in _NAME or code in (errno.ENAMETOOLONG, errno.EINVAL):
        return FileWriteError(
            target,
            _(
                "The name {name} cannot be used for a file here (too long or with characters "
                "Windows does not allow). Choose a shorter, simpler name."
            ).format(name=name),
            "name",
        )
    if win == ERROR_ACCESS_DENIED or code in (errno.EACCES, errno.EPERM):
        return FileWriteError(
            target,
            _(
                "This program may not write in the folder {folder}. Choose another folder, "
                "for example in Documents."
            ).format(folder=folder),
            "permission",
        )
    log.warning("cannot write %s: %r", target, exc)
    return FileWriteError(
        target,
        _("The file {name} could not be written. Choose another folder and try again.").format(
            name=name
        ),
        "other",
    )


def place(
    tmp: Path,
    target: Path,
    *,
    delays: Iterable[float] = RETRY_DELAYS,
    sleep: Callable[[float], None] | None = None,
) -> Path:
    """Renames ``tmp`` over ``target``, retrying briefly while another program holds either;
    raises ``FileWriteError`` naming ``target``. ``tmp`` is left for the caller to remove."""
    waits = list(delays)
    while True:
        try:
            os.replace(tmp, target)
            return Path(target)
        except OSError as exc:
            if not waits or not _transient(exc):
                raise explain(exc, target, stage="place") from exc
            log.info("%s is held by another program; trying again", target)
            (sleep or time.sleep)(waits.pop(0))


def new_temporary(target: Path | str) -> Path:
    """An empty temporary file beside ``target`` (same folder, so the rename stays on one
    drive); ``FileWriteError`` when the folder cannot take it."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise explain(exc, target, stage="write") from exc
    return Path(tmp_name)


def place_file(tmp: Path | str, target: Path | str, **kwargs: Any) -> Path:
    """``place`` for a temporary file written elsewhere (e.g. by a Qt printer): it is removed
    when it cannot be put in place."""
    try:
        return place(Path(tmp), Path(target), **kwargs)
    except BaseException:
        _remove_quietly(Path(tmp))
        raise


@contextmanager
def staged(target: Path | str) -> Iterator[Path]:
    """A temporary file beside ``target`` for the caller to fill and then ``place``; removed
    when the block ends if it is still there. ``OSError`` inside the block comes out as
    ``FileWriteError`` naming ``target``."""
    target = Path(target)
    tmp = new_temporary(target)
    try:
        yield tmp
    except FileWriteError:
        raise
    except OSError as exc:
        raise explain(exc, target, stage="write") from exc
    finally:
        if tmp.exists():
            _remove_quietly(tmp)


def write_file(
    target: Path | str,
    write: Callable[[Path], object],
    *,
    delays: Iterable[float] = RETRY_DELAYS,
    sleep: Callable[[float], None] | None = None,
) -> Path:
    """Calls ``write(tmp)`` for a temporary file beside ``target``, then puts it in place.

    On any error (or a ``Cancelled``) the temporary file is removed and ``target`` is left as
    it was; an ``OSError`` comes out as ``FileWriteError`` with the Thai message.
    """
    target = Path(target)
    with staged(target) as tmp:
        write(tmp)
        place(tmp, target, delays=delays, sleep=sleep)
    return target


def write_bytes(target: Path | str, data: bytes, **kwargs: Any) -> Path:
    return write_file(target, lambda tmp: tmp.write_bytes(data), **kwargs)


def copy_file(source: Path | str, target: Path | str, **kwargs: Any) -> Path:
    """Copies ``source`` to ``target`` (e.g. onto a USB drive) the same safe way."""
    source = Path(source)

    def copy(tmp: Path) -> None:
        with source.open("rb") as src, tmp.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())

    return write_file(target, copy, **kwargs)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # held by an antivirus: it goes with the next clean-up
        log.info("temporary file left behind: %s", path)


def with_suffix(path: Path | str, suffix: str) -> Path:
    """``path`` with the extension ``suffix`` (".pdf"), added when the name lacks it — a save
    dialog on Linux (and a typed name on Windows) may return "รายงาน" without ".pdf"."""
    path = Path(path)
    suffix = suffix if suffix.startswith(".") else f".{suffix}"
    return path if path.suffix.lower() == suffix.lower() else path.with_name(path.name + suffix)


_NUMBERED = re.compile(r"^(?P<stem>.*) \((?P<n>\d+)\)$")


def unique_path(folder: Path | str, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``… when that file exists (as Explorer
    names copies): a preview never has to replace a file still open in a PDF reader."""
    folder = Path(folder)
    candidate = folder / name
    if not candidate.exists():
        return candidate
    stem, suffix = Path(name).stem, Path(name).suffix
    match = _NUMBERED.match(stem)
    if match:
        stem = match.group("stem")
    number = 2
    while (folder / f"{stem} ({number}){suffix}").exists():
        number += 1
    return folder / f"{stem} ({number}){suffix}"


def remove_stale_temporaries(folder: Path | str, older_than: float = 24 * 3600) -> int:
    """Removes temporary files a crash left in ``folder`` (older than a day); returns how many."""
    removed = 0
    now = time.time()
    for path in Path(folder).glob(f"{TEMP_PREFIX}*"):
        try:
            if now - path.stat().st_mtime > older_than:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
