"""Restore: a round trip gives back the database row for row; a damaged or newer backup changes
nothing; the current database is kept first; the exchange sequence moves on; the lock and the
terminal are respected; a damaged database is caught when it is opened."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from exchange.helpers import make_lao, snapshot

from db.store import DatabaseDamaged, Store, check_sqlite_file
from lev_desktop.continuity import backups, restore
from lev_desktop.continuity.restore import RestoreError, inspect_backup, restore_backup
from lev_desktop.errors import describe_error
from lev_desktop.services.plans import apply_item_changes

from .helpers import damage, rows, settings

WHEN = dt.datetime(2025, 3, 1, 9, 0)
ADDED = ("restored_from", "exchange_sequence")


def _edit(store: Store) -> None:
    """A day's work after the backup: a plan row changed and one added."""
    with store.read() as session:
        from sqlalchemy import select

        from db.models import Plan, PlanItem

        item = session.scalars(select(PlanItem).where(PlanItem.deleted.is_(False))).first()
        plan = session.get(Plan, item.plan_id)
    apply_item_changes(
        store,
        plan.programme_id,
        plan.fiscal_year,
        upserts=[
            {"id": item.id, "project": "โครงการที่แก้ไขหลังสำรองข้อมูล"},
            {"id": "00000000-0000-4000-8000-000000000001", "project": "โครงการใหม่"},
        ],
    )


def test_round_trip_gives_back_every_row(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.set_setting("exchange_sequence", 7)
    before = rows(store.path)
    settings_then = settings(store.path)
    made = backups.make_backup(store, now=WHEN).path
    _edit(store)
    after_edit = rows(store.path)
    assert after_edit != before
    store.dispose()

    result = restore_backup(store.path, made, now=WHEN + dt.timedelta(days=1))

    restored = rows(store.path)
    # Every table but the settings and the audit log is exactly as it was at the backup.
    for table in before:
        if table not in ("settings", "audit_log"):
            assert restored[table] == before[table], table
    # The audit log: the backup's entries plus one line saying what was restored.
    assert [r for r in before["audit_log"] if r not in restored["audit_log"]] == []
    extra = [r for r in restored["audit_log"] if r not in before["audit_log"]]
    assert [(r[4], r[5], r[6]) for r in extra] == [("database", "restore", "restore")]
    assert json.loads(extra[0][7]) == {
        "file": made.name,
        "made_at": "2025-03-01T09:00:00",
        "sequence": 1007,
    }
    # The settings: as they were, plus where the database came from and the next sequence.
    now = settings(store.path)
    assert {k: v for k, v in now.items() if k not in ADDED} == {
        k: v for k, v in settings_then.items() if k not in ADDED
    }
    assert now["exchange_sequence"] == 7 + restore.SEQUENCE_GAP == result.sequence
    assert now["restored_from"]["file"] == made.name
    # The database as it was before the restore (with the day's work) is kept.
    assert result.kept is not None and result.kept.name.endswith("-before-restore.db")
    assert {t: r for t, r in rows(result.kept).items() if t != "settings"} == {
        t: r for t, r in after_edit.items() if t != "settings"
    }
    assert not Path(str(store.path) + ".restoring").exists()
    assert Store(store.path, check=True).office_code == "4801006"


@pytest.mark.parametrize("damaged", ['{"seq', '"abc"', "[1]", "-4"])
def test_a_backup_whose_sequence_setting_is_damaged_restores_and_numbers_on_from_its_packages(
    tmp_path: Path, damaged: str
):
    """The export reads a damaged exchange_sequence as missing and numbers on from the packages
    sent (exporter.last_sequence); the restore did int() of it and stopped with ValueError
    (or took -4): it now does the same as the export."""
    from exchange.helpers import make_district

    from lev_desktop.exchange.exporter import export_package

    store = make_lao(tmp_path / "lao.db", "4801006")
    make_district(tmp_path / "district.db").dispose()
    export_package(store, "D4801", tmp_path / "p.levpkg")  # package number 1 sent
    made = backups.make_backup(store, now=WHEN).path
    store.dispose()
    copy = tmp_path / "damaged-backup.db"
    shutil.copy(made, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'exchange_sequence'", (damaged,))
    conn.close()

    result = restore_backup(store.path, copy, now=WHEN + dt.timedelta(days=1))

    assert result.sequence == 1 + restore.SEQUENCE_GAP
    assert settings(store.path)["exchange_sequence"] == 1 + restore.SEQUENCE_GAP


def test_inspect_shows_date_office_counts_and_check(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    store.dispose()
    info = inspect_backup(made)
    conn = sqlite3.connect(made)
    live = {
        t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in restore.COUNTED
    }
    conn.close()
    assert (info.made_at, info.office_code, info.office_name, info.level) == (
        WHEN,
        "4801006",
        "อบต.ทดสอบ 4801006",
        "lao",
    )
    assert info.counts == live and info.counts["plan_items"] > 0
    assert info.ok and info.checked == "integrity_check"
    assert restore.describe_counts({"plans": 2, "plan_items": 1234}) == (
        "แผนปฏิบัติงาน 2 · โครงการในแผน 1,234"
    )


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    _edit(store)
    store.dispose()
    damage(made)
    before = snapshot(store)
    with pytest.raises(RestoreError) as refused:
        restore_backup(store.path, made)
    assert refused.value.message.startswith("ไฟล์ข้อมูลสำรองเสียหาย กู้คืนไม่ได้ (")
    assert snapshot(store) == before
    assert [p.name for p in backups.backup_folder().iterdir()] == [made.name]  # nothing kept
    assert not Path(str(store.path) + ".restoring").exists()


def test_a_backup_from_a_newer_version_is_refused(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    store.dispose()
    conn = sqlite3.connect(made)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = snapshot(store)
    with pytest.raises(RestoreError) as refused:
        restore_backup(store.path, made)
    assert refused.value.message == (
        "ข้อมูลสำรองนี้สร้างจาก LEV Desktop รุ่นที่ใหม่กว่า โปรดติดตั้งรุ่นนั้นก่อนแล้วจึงกู้คืน"
    )
    assert snapshot(store) == before


def test_a_file_that_is_not_a_lev_database_is_refused(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("รายงานการประชุม", encoding="utf-8")
    for path in (other, text):
        with pytest.raises(RestoreError):
            restore_backup(store.path, path)
    assert Store(store.path, check=True).office_code == "4801006"


def test_a_damaged_database_is_set_aside_byte_for_byte(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    store.dispose()
    damage(store.path, "kpi_values")
    broken = store.path.read_bytes()
    assert check_sqlite_file(store.path)
    result = restore_backup(store.path, made)
    assert result.kept is not None
    # Kept as a consistent backup when SQLite could still copy it, else every byte.
    if result.kept.name.endswith("-damaged.db"):
        assert result.kept.read_bytes() == broken
    assert check_sqlite_file(store.path, quick=False) == []


def test_restore_is_refused_while_another_program_holds_the_lock(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    store.dispose()
    holder = subprocess.Popen(  # another program holding the database's lock (lev_desktop.dblock)
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from lev_desktop.dblock import DatabaseLock\n"
            f"lock = DatabaseLock.for_url('sqlite:///{store.path}', owner='lev-desktop')\n"
            "assert lock.acquire()\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = snapshot(store)
        with pytest.raises(RestoreError) as refused:
            restore_backup(store.path, made)
        assert refused.value.message.startswith("LEV Desktop กำลังเปิดฐานข้อมูลนี้อยู่")
        assert snapshot(store) == before
        cli = _lev(tmp_path, "restore", str(made), "--yes")
        assert cli.returncode == 2 and "LEV Desktop กำลังเปิดฐานข้อมูลนี้อยู่" in cli.stderr
        assert snapshot(store) == before
    finally:
        holder.kill()
        holder.wait()
    # The holder is gone and its lock with it (an operating-system lock): the restore goes ahead.
    assert restore_backup(store.path, made).info.office_code == "4801006"


def test_damaged_database_is_detected_on_open(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    damage(store.path)
    with pytest.raises(DatabaseDamaged) as found:
        Store(store.path, check=True)
    assert found.value.problems and found.value.path == store.path
    assert describe_error(found.value) == (
        "ไฟล์ฐานข้อมูลเสียหาย โปรดกู้คืนจากข้อมูลสำรองชุดล่าสุดที่ใช้ได้ "
        "โปรแกรมจะเสนอให้เมื่อเปิดโปรแกรม หรือใช้คำสั่ง “lev restore”"
    )


def test_a_file_overwritten_with_garbage_is_damaged_not_a_crash(tmp_path: Path):
    path = tmp_path / "lev.db"
    path.write_bytes(b"PK\x03\x04" + os.urandom(8000))  # e.g. a package saved over it
    with pytest.raises(DatabaseDamaged) as found:
        Store(path, check=True)
    assert "not a database" in found.value.problems[0]


def _lev(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "lev_desktop.cli", "--db", str(tmp_path / "lao.db"), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=120,
    )


def test_lev_restore_needs_yes_without_a_terminal(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    _edit(store)
    store.dispose()
    before = snapshot(store)
    refused = _lev(tmp_path, "restore", str(made), stdin="yes\n")
    assert refused.returncode == 2
    assert "ยังไม่ได้กู้คืน: โปรดยืนยันที่หน้าจอเทอร์มินัล หรือใส่ --yes ในสคริปต์" in refused.stderr
    assert "หน่วยงาน: อบต.ทดสอบ 4801006 (4801006) องค์กรปกครองส่วนท้องถิ่น" in refused.stdout
    assert "ผลตรวจความสมบูรณ์ (SQLite): ไม่พบปัญหา" in refused.stdout
    assert snapshot(store) == before
    done = _lev(tmp_path, "restore", str(made), "--yes")
    assert done.returncode == 0, done.stderr
    assert "กู้คืนแล้ว ฐานข้อมูลขณะนี้คือข้อมูลสำรองเมื่อ 1 มี.ค. 2568 09:00 น." in done.stdout
    assert "-before-restore.db" in done.stdout


def test_lev_restore_asks_on_a_terminal(tmp_path: Path, monkeypatch, capsys):
    from lev_desktop.cli import main

    store = make_lao(tmp_path / "lao.db", "4801006")
    made = backups.make_backup(store, now=WHEN).path
    _edit(store)
    store.dispose()
    before = snapshot(store)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["ไม่"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["--db", str(store.path), "restore", str(made)]) == 1
    assert "ยังไม่ได้กู้คืน ไม่มีการเปลี่ยนแปลงใด ๆ" in capsys.readouterr().out
    assert snapshot(store) == before
    answers = iter(["ใช่"])
    assert main(["--db", str(store.path), "restore", str(made)]) == 0


def test_lev_check(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    ok = _lev(tmp_path, "check")
    assert ok.returncode == 0 and "ไม่พบปัญหา" in ok.stdout
    shutil.copyfile(store.path, tmp_path / "copy.db")
    damage(store.path)
    bad = _lev(tmp_path, "check")
    assert bad.returncode == 1 and "ไฟล์ฐานข้อมูลเสียหาย" in bad.stderr
