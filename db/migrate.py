"""Schema upgrades with Alembic; the SQLite file is backed up before any migration runs."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from lev_desktop.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config

    from db.store import Store

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if store is not None:
        config.attributes["store"] = store
    return config


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)


def head_revision() -> str:
    """The newest migration, read from the scripts' own ``revision``/``down_revision`` lines.

    Importing Alembic costs about a quarter of a second at every start; reading the few
    script headers does not, so an up-to-date database opens without loading Alembic at all.
    (A test checks this agrees with Alembic's own answer.)
    """
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
        parents.update(_DOWN.findall(source))
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {heads}")
    return heads[0]


def known_revisions() -> set[str]:
    """Every schema revision this version's migrations know (a database written by a newer
    version of the program has one that is not among them)."""
    found = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        match = _REVISION.search(script.read_text(encoding="utf-8"))
        if match:
            found.add(match.group(1))
    return found


class SchemaRefused(Exception):
    """A database this version must not upgrade: written by a newer version of the program,
    or another program's SQLite file. Nothing was written to it; the message is Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    @property
    def user_message(self) -> str:  # what errors.describe_error shows
        return self.message


def _newer(store: Store) -> SchemaRefused:
    return SchemaRefused(
        _(
            "The database {path} was last opened by a newer version of LEV Desktop. This "
            "version cannot read it: install that version (or a newer one) and open it again. "
            "Nothing in the file was changed."
        ).format(path=store.describe())
    )


def foreign(store: Store) -> SchemaRefused | None:
    """A SQLite file with tables but without ``alembic_version`` is not LEV Desktop's
    (another program's database renamed, or ``--db`` pointing at one): creating our tables
    in it, or even opening it as ours (WAL mode), would change a file that is not ours. Asked
    on a read-only connection before the store's engine first connects. (A server database may
    hold other schemas' tables: SQLite only.)"""
    if not store.is_sqlite or store.path is None or not store.path.exists():
        return None
    try:
        connection = sqlite3.connect(store.path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None  # (cannot be read: the engine's own error says why)
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    if not tables or "alembic_version" in tables:
        return None
    return SchemaRefused(
        _(
            "The file {path} is a database of another program, not of LEV Desktop, so it was "
            "not opened and nothing in it was changed. Choose the LEV Desktop database (lev.db "
            "in the data folder) or a backup of it."
        ).format(path=store.describe())
    )


def alembic_head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {heads}")
    return heads[0]


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(store: Store, target: str = "head") -> None:
    """Upgrades the schema to ``target``; refuses (``SchemaRefused``, before any backup or
    write) a database of a newer version of the program or of another program."""
    refused = foreign(store)
    if refused is not None:
        raise refused
    current = current_revision(store)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return
    if current is not None and current not in known_revisions():
        # Alembic cannot migrate down from a revision it does not know (its English error
        # came after the backup was written).
        raise _newer(store)
    if current is not None and store.path is not None and store.path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = store.path.with_name(f"{store.path.stem}.before-{wanted}-{stamp}.bak.db")
        store.backup(backup)
        log.info("backed up %s to %s before migrating %s → %s", store.path, backup, current, wanted)
    from alembic import command

    with store.engine.connect() as connection:
        if store.is_sqlite:
            # A migration that rebuilds a table (SQLite cannot drop a constraint in place) drops
            # the old table that other tables refer to: foreign keys are checked once, at the
            # end, instead (SQLite's own procedure; the pragma only works outside a transaction).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config = alembic_config(store)
            config.attributes["connection"] = connection
            command.upgrade(config, target)
            if store.is_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left broken references: {broken[:5]}")
        if store.is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
