"""Known errors a person can cause or meet (disk full, locked, read-only, corrupt database):
one Thai sentence each, saying what to do. Anything else is a bug and goes to the crash dialog.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3

from sqlalchemy import exc as sa_exc

from db.store import DatabaseDamaged, ForeignRecordError, StaleRecordError
from lev_desktop.files import explain
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import format_datetime


def damaged_message() -> str:
    return _(
        "The database file is damaged. Restore the newest good backup: when the program "
        "starts it offers one, or use “lev restore”."
    )


# What the fields are called on screen (the grids' column titles), for the message below.
FIELD_LABELS = {
    "seq": N_("No."),
    "project": N_("Project"),
    "objective": N_("Objective"),
    "target": N_("Target (project outputs)"),
    "location": N_("Location"),
    "budget": N_("Budget (baht)"),
    "no_budget": N_("Budget (baht)"),
    "kpi": N_("Indicator (KPI)"),
    "expected_result": N_("Expected result"),
    "planned_activities": N_("Planned activities"),
    "held_on": N_("Date held"),
    "held_until": N_("Until"),
    "title": N_("Activity"),
    "place": N_("Place"),
    "participants": N_("Participants"),
    "outputs": N_("Outputs against the KPI"),
    "budget_spent": N_("Budget spent (baht)"),
    "problems": N_("Problems"),
    "remedies": N_("Remedies"),
    "deleted": N_("Deleted"),
}


def stale_message(error: StaleRecordError) -> str:
    """Another workstation's save came first: say who, when and what they changed."""
    text = _(
        "Another workstation saved this record after you opened it, so your change was not "
        "saved. The screen now shows the saved version; make your change again if it is still "
        "needed."
    )
    if error.by or error.at:
        when = (  # stored in UTC; people read local time
            format_datetime(error.at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None))
            if error.at
            else "-"
        )
        text += " " + _("Saved by {who} on {when}.").format(who=error.by or "-", when=when)
    shown = [
        _("{field}: “{before}” → “{after}”").format(
            field=_(FIELD_LABELS.get(field, field)),
            before="" if before is None else before,
            after="" if after is None else after,
        )
        for field, (before, after) in error.changes.items()
        if field not in ("updated_at", "updated_by", "revision")
    ][:4]
    if shown:
        text += " " + _("Their change: {changes}").format(changes="; ".join(shown))
    return text


def describe_error(error: BaseException) -> str | None:
    """A message for a known error, or None when the error is a bug."""
    if isinstance(error, DatabaseDamaged):
        return damaged_message()
    if isinstance(error, StaleRecordError):
        return stale_message(error)
    if isinstance(error, sa_exc.DBAPIError):
        error = error.orig or error
    # An error that carries its own Thai sentence (files.FileWriteError, the store's
    # NetworkDatabaseError, the key protection's ProtectionError …).
    own = getattr(error, "user_message", None)
    if isinstance(own, str) and own:
        return own
    if isinstance(error, OSError) and getattr(error, "winerror", None) in (32, 33, 1224):
        # Windows: another program holds the file (Excel, a PDF reader, an antivirus).
        return explain(error, error.filename or "", stage="place").message
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
            return damaged_message()
    if isinstance(error, ForeignRecordError):
        return _(
            "This record belongs to office {office}; it can be read here but not changed."
        ).format(office=error.owner)
    return None
