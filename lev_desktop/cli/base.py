"""What every command module of ``lev`` shares: the error a person can fix and the store."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy.engine import make_url

from db.store import DatabaseReadOnly, Store, resolve_url, unwritable
from lev_desktop.dblock import DatabaseLock
from lev_desktop.domain.validation import read_fiscal_year
from lev_desktop.i18n import _
from lev_desktop.thai_format import parse_date, parse_month


class CliError(Exception):
    """A mistake a person can fix: printed in Thai on stderr, exit with ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


_LOCKS: list[DatabaseLock] = []  # held until the command ends (``release_locks``)


def release_locks() -> None:
    """Lets go of the database locks the command took (``main`` does, when it is over)."""
    while _LOCKS:
        _LOCKS.pop().release()


def open_store(args: argparse.Namespace, *, write: bool | None = None) -> Store:
    """The store of ``--db`` (default: LEV_DB_URL, else the file in the user's data folder).

    A command that writes (``writes=True`` in its defaults, or ``write=True``) first takes the
    database's lock, the same one the window takes (``lev_desktop.dblock``), so that LEV
    Desktop and ``lev`` never write one database at the same time."""
    if write if write is not None else getattr(args, "writes", False):
        url = resolve_url(args.db)
        name = make_url(url).database if url.startswith("sqlite") else None
        if name and Path(name).exists() and unwritable(Path(name)):
            # (SQLite's "attempt to write a readonly database" came first, named no file)
            raise CliError(DatabaseReadOnly(Path(name)).user_message, 1)
        lock = DatabaseLock.for_url(url, owner="lev")
        if not lock.acquire():
            raise CliError(
                _(
                    "This database is in use by LEV Desktop or another lev command ({holder}). "
                    "Close the program or wait until the command finishes, then try again."
                ).format(holder=lock.holder() or "-"),
                2,
            )
        _LOCKS.append(lock)
    return Store(args.db)


def typed_day(text: str) -> dt.date:
    """A date given on the command line, read as the entry screens read one
    (``thai_format.parse_date``: 2568-09-30, 2025-09-30, 30/9/2568, Thai digits too)."""
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise CliError(
            _(
                "Not a date: {text} (write it as YYYY-MM-DD or DD/MM/YYYY, "
                "e.g. 2568-09-30 or 30/09/2568)"
            ).format(text=text),
            2,
        )
    return day


def typed_month(text: str) -> tuple[int, int]:
    """A month given on the command line → (CE year, month) (``thai_format.parse_month``:
    2568-09, 2025-09, 09/2568)."""
    try:
        return parse_month(text)
    except ValueError as exc:
        raise CliError(
            _("Not a month: {text} (write it as YYYY-MM, e.g. 2568-09)").format(text=text), 2
        ) from exc


def fiscal_year_arg(text: str) -> int:
    """``--fiscal-year`` (``validation.read_fiscal_year``: a Buddhist-era year, Thai digits
    too; a Christian-era year is refused with the year meant)."""
    try:
        return read_fiscal_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
