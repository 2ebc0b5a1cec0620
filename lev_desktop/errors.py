"""Known errors a person can cause or meet (disk full, locked, read-only, corrupt database):
one Thai sentence each, saying what to do. Anything else is a bug and goes to the crash dialog.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy import exc as sa_exc

from db.store import ForeignRecordError
from lev_desktop.i18n import _


def describe_error(error: BaseException) -> str | None:
    """A message for a known error, or None when the error is a bug."""
    if isinstance(error, sa_exc.DBAPIError):
        error = error.orig or error
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return _("The disk is full. Free some space and try again; nothing was changed.")
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return _("The file cannot be written (no permission or read-only): {name}").format(
                name=error.filename or ""
            )
        if error.errno == errno.ENOENT:
            return _("File not found: {name}").format(name=error.filename or "")
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return _("The database is busy with another task. Please wait a moment and try again.")
        if "disk is full" in text or "database or disk is full" in text:
            return _("The disk is full. Free some space and try again; nothing was changed.")
        if "disk i/o error" in text:  # SQLite's word for a write that failed (often: disk full)
            return _(
                "The computer could not write to the disk (it may be full, or the drive was "
                "removed). Free some space or check the drive and try again; nothing was changed."
            )
        if "readonly" in text or "read-only" in text:
            return _("The database is read-only. Check the file's permissions.")
        if "unable to open" in text:
            return _("The database file cannot be opened. Check the path and permissions.")
    if isinstance(error, sqlite3.DatabaseError):
        text = str(error).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return _(
                "The database file is damaged. Restore it from a backup (the .bak.db files "
                "beside it)."
            )
    if isinstance(error, ForeignRecordError):
        return _(
            "This record belongs to office {office}; it can be read here but not changed."
        ).format(office=error.owner)
    return None
