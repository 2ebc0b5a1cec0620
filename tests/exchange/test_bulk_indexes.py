"""A first import that fills a table (a province's 200 LAOs: 15,642 KPI values into an empty
table) builds the table's plain indexes once after its rows instead of updating them row by
row (importer._indexes_after). The database must end exactly as the ordinary way leaves it,
and a failure part-way must leave it as it was, indexes included."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pytest

from db.store import Store
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package

from .helpers import make_district, make_lao, snapshot


def _indexes(path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def _rows(path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
    finally:
        conn.close()


@pytest.fixture
def packages(tmp_path):
    laos = [
        make_lao(tmp_path / f"{code}.db", code, seed=n)
        for n, code in enumerate(("4801001", "4801002", "4801003"), 1)
    ]
    return [
        export_package(lao, "D4801", tmp_path / f"{n}.levpkg").path for n, lao in enumerate(laos)
    ]


@pytest.fixture
def dropped(monkeypatch):
    """What each table's plain indexes were while its rows were written."""
    seen: dict[str, list[str]] = {}
    original = importer._indexes_after

    @contextmanager
    def spying(cursor, table, new):
        with original(cursor, table, new):
            seen[table] = [
                name
                for (name,) in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                    (table,),
                )
            ]
            yield

    monkeypatch.setattr(importer, "_indexes_after", spying)
    return seen


def test_a_filling_import_writes_rows_before_the_plain_indexes_and_ends_the_same(
    tmp_path, packages, dropped, monkeypatch
):
    ordinary = make_district(tmp_path / "ordinary.db")
    importer.import_files(ordinary, packages, trust=True)
    monkeypatch.setattr(importer, "BULK_INDEX_ROWS", 20)
    district = make_district(tmp_path / "district.db")
    before = _indexes(district.path)

    _plan, result = importer.import_files(district, packages, trust=True)

    assert not result.refused
    # while the KPI values were written, only the unique indexes were kept up
    assert dropped["kpi_values"] == [
        "sqlite_autoindex_kpi_values_1",
        "ux_kpi_values_live_natural_key",
    ]
    assert _indexes(district.path) == before  # the same indexes, the same SQL
    conn = sqlite3.connect(district.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    for table in ("plans", "plan_items", "activities", "kpi_values", "form_submissions"):
        assert _rows(district.path, table) == _rows(ordinary.path, table), table


def test_a_failure_after_the_indexes_were_dropped_leaves_the_database_as_it_was(
    tmp_path, packages, dropped, monkeypatch
):
    monkeypatch.setattr(importer, "BULK_INDEX_ROWS", 20)
    district = make_district(tmp_path / "district.db")
    before = snapshot(district)

    def fails(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer.deliveries, "record_received", fails)
    with pytest.raises(OSError):
        importer.import_files(district, packages, trust=True)

    assert "kpi_values" in dropped  # (the failure came after the indexes were dropped)
    assert snapshot(district) == before


def test_a_table_already_holding_more_keeps_its_indexes_up(
    tmp_path, packages, dropped, monkeypatch
):
    monkeypatch.setattr(importer, "BULK_INDEX_ROWS", 20)
    district = make_district(tmp_path / "district.db")
    importer.import_files(district, packages[:2], trust=True)
    dropped.clear()

    importer.import_files(district, packages[2:], trust=True)  # a third more

    assert "ix_kpi_values_board" in dropped["kpi_values"]


_KILLED_WHILE_DROPPED = """
import os, sys
from contextlib import contextmanager
from pathlib import Path
from db.store import Store
from lev_desktop.exchange import importer

real = importer._indexes_after

@contextmanager
def rows_written_then_die(cursor, table, new):
    with real(cursor, table, new):
        yield
        if table == "kpi_values":  # its rows written, its plain indexes not yet built
            os._exit(9)

importer.BULK_INDEX_ROWS = 20
importer._indexes_after = rows_written_then_die
importer.import_files(Store(sys.argv[1]), [Path(p) for p in sys.argv[2:]], trust=True)
"""


def test_a_process_killed_while_the_indexes_are_dropped_leaves_the_database_as_it_was(
    tmp_path, packages
):
    district = make_district(tmp_path / "district.db")
    before = snapshot(district)
    district.dispose()

    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_DROPPED, str(tmp_path / "district.db")]
        + [str(p) for p in packages],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert killed.returncode == 9, killed.stderr
    district = Store(tmp_path / "district.db")  # the program started again
    assert snapshot(district) == before
    _plan, result = importer.import_files(district, packages, trust=True)
    assert [p.reason for p in result.refused] == []
    assert _indexes(district.path) == _indexes(make_district(tmp_path / "fresh.db").path)
