"""What every command module of ``lev`` shares: the error a person can fix and the store."""

from __future__ import annotations

import argparse

from db.store import Store


class CliError(Exception):
    """A mistake a person can fix: printed in Thai on stderr, exit with ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def open_store(args: argparse.Namespace) -> Store:
    """The store of ``--db`` (default: LEV_DB_URL, else the file in the user's data folder)."""
    return Store(args.db)
