"""``db.store.insert_rows`` writes exactly what ``connection.execute(insert(table), rows)``
writes: the same values of the same SQLite types, for every kind of column the import's
history rows have (times, JSON, booleans, bytes, Thai text, NULLs)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert

from db.models import Base
from db.store import Store, insert_rows

WHEN = dt.datetime(2025, 9, 30, 10, 0, 0, 123456)

ROWS = {
    "exchange_received": [
        {
            "uuid": f"00000000-0000-4000-8000-00000000000{i}",
            "sender": "4801006",
            "sender_name": "อบต.คำเตย",
            "recipient": "D4801",
            "sequence": i,
            "kind": "full",
            "base_uuid": None,
            "created_at": None if i == 1 else WHEN,
            "imported_at": WHEN + dt.timedelta(days=i),
            "imported_by": "เจ้าหน้าที่",
            "relayed_by": "",
            "file_name": "4801006.levpkg",
            "signed": i != 2,
            "fingerprint": "ab" * 32,
            "counts": {"plans": 1, "kpi_values": 80, "ชื่อ": "ค่า"},
            "result": "imported",
            "manifest": b"{}",
            "signature": b"\x00\x01\xff",
            "payload": None if i == 2 else b"PK\x03\x04" * 10,
            "container": None,
            "records": None,
            "provenance": None if i != 3 else {"entered_by": "สมชาย", "at": "2025-09-30"},
        }
        for i in range(1, 4)
    ],
    "audit_log": [
        {
            "at": WHEN,
            "officer": "เจ้าหน้าที่",
            "office": "D4801",
            "table_name": "exchange_received",
            "record_id": f"r{i}",
            "action": "import",
            "changes": {"sender": "4801006", "sequence": i, "signed": True, "relayed_by": ""},
        }
        for i in range(3)
    ],
    "form_deliveries": [
        {
            "direction": "received",
            "owner_office": "4801006",
            "programme_id": "f3b73d2a-0008-5174-96da-5560766c00bf",
            "form_code": f"F{i}",
            "period": "FY2568",
            "package_uuid": "00000000-0000-4000-8000-000000000001",
            "counterpart": "4801006",
            "sent_at": None if i else WHEN,
            "received_at": WHEN,
            "via": "package",
        }
        for i in range(3)
    ],
}


def _written(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        picked = ", ".join(f"{c}, typeof({c})" for c in columns)
        return conn.execute(f"SELECT {picked} FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def _write(path: Path, table: str, rows: list[dict], *, direct: bool) -> list[tuple]:
    store = Store(path)
    try:
        with store.engine.begin() as connection:
            if direct:
                insert_rows(connection, Base.metadata.tables[table], rows)
            else:
                connection.execute(insert(Base.metadata.tables[table]), rows)
    finally:
        store.dispose()
    return _written(path, table)


@pytest.mark.parametrize("table", sorted(ROWS))
def test_the_same_values_and_types_as_sqlalchemy_writes(tmp_path, monkeypatch, table):
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "data"))
    rows = ROWS[table]
    direct = _write(tmp_path / "a.db", table, rows, direct=True)
    through = _write(tmp_path / "b.db", table, rows, direct=False)
    assert len(direct) == len(rows)
    assert direct == through


def test_a_column_left_to_its_python_default_goes_through_sqlalchemy(tmp_path, monkeypatch):
    """``officer`` and ``changes`` left out: SQLAlchemy fills them ('' and {}), so the rows
    are not handed to the driver bare (which would leave NULL)."""
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "data"))
    rows = [
        {k: v for k, v in r.items() if k not in ("officer", "changes")} for r in ROWS["audit_log"]
    ]
    direct = _write(tmp_path / "a.db", "audit_log", rows, direct=True)
    through = _write(tmp_path / "b.db", "audit_log", rows, direct=False)
    assert direct == through
    assert {(r[2 * 2], r[2 * 7]) for r in direct} == {("", "{}")}
