"""Helpers for the continuity tests: damaging a database file, comparing databases row for row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


def damage(path: Path, table: str = "plan_items") -> None:
    """Overwrites the b-tree header of ``table``'s root page with garbage (a bad sector)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size + (100 if root == 1 else 0))
        handle.write(b"\xff" * 64)


def rows(path: Path, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, per table (``skip``: tables left out)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if r[0] not in skip and not r[0].startswith("sqlite_")
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def settings(path: Path) -> dict[str, Any]:
    """The settings as the program reads them (JSON values; SQLite keeps numbers as numbers)."""
    conn = sqlite3.connect(path)
    try:
        return {
            key: json.loads(value) if isinstance(value, str) else value
            for key, value in conn.execute("SELECT key, value FROM settings")
        }
    finally:
        conn.close()
