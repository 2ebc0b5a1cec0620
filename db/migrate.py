"""Schema upgrades with Alembic; the SQLite file is backed up before any migration runs."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

if TYPE_CHECKING:
    from lev_desktop.db.store import Store

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if store is not None:
        config.attributes["store"] = store
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {heads}")
    return heads[0]


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(store: Store, target: str = "head") -> None:
    current = current_revision(store)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return
    if current is not None and store.path is not None and store.path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = store.path.with_name(f"{store.path.stem}.before-{wanted}-{stamp}.bak.db")
        store.backup(backup)
        log.info("backed up %s to %s before migrating %s → %s", store.path, backup, current, wanted)
    with store.engine.begin() as connection:
        config = alembic_config(store)
        config.attributes["connection"] = connection
        command.upgrade(config, target)
