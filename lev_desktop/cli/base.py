"""What every command module of ``lev`` shares: the error a person can fix and the store."""

from __future__ import annotations

import argparse

from db.store import Store, resolve_url
from lev_desktop.dblock import DatabaseLock
from lev_desktop.i18n import _


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
        lock = DatabaseLock.for_url(resolve_url(args.db), owner="lev")
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
