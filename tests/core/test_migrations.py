"""Every released schema upgrades to the current head with its data intact, after a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

FROZEN = sorted((Path(__file__).resolve().parents[1] / "data" / "frozen").glob("*.sql"))


def test_there_is_a_frozen_database_per_released_schema():
    assert FROZEN, "tests/data/frozen must hold at least the first released schema"


@pytest.mark.parametrize("dump", FROZEN, ids=[p.stem for p in FROZEN])
def test_frozen_database_upgrades_to_head(dump: Path, tmp_path: Path):
    from db.migrate import current_revision, head_revision
    from db.models import KpiValue, Office, PlanItem
    from db.store import Store

    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(dump.read_text(encoding="utf-8"))
    before = {
        t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("offices", "plan_items", "kpi_values")
    }
    connection.close()

    store = Store(path)
    try:
        assert current_revision(store) == head_revision()
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(Office)) == before["offices"]
            assert s.scalar(select(func.count()).select_from(PlanItem)) == before["plan_items"]
            assert s.scalar(select(func.count()).select_from(KpiValue)) == before["kpi_values"]
        assert store.office_code == "4801006"
    finally:
        store.dispose()
    if dump.stem != head_revision():
        backups = list(tmp_path.glob("old.before-*.bak.db"))
        assert len(backups) == 1, "the file must be backed up before migrating"
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == dump.stem
        old.close()


def test_new_database_is_created_at_head_without_backup(tmp_path: Path):
    from db.migrate import current_revision, head_revision
    from db.store import Store

    store = Store(tmp_path / "new.db")
    assert current_revision(store) == head_revision()
    store.dispose()
    assert not list(tmp_path.glob("*.bak.db"))


def test_quick_head_reading_agrees_with_alembic():
    from db.migrate import alembic_head_revision, head_revision

    assert head_revision() == alembic_head_revision()
