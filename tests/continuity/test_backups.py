"""Backups: consistent snapshots, the 7/4/12 rotation, a second folder, and failures that are a
Thai warning and never delete an older backup."""

from __future__ import annotations

import datetime as dt
import errno
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from exchange.helpers import make_lao

from db.store import check_sqlite_file
from lev_desktop import options
from lev_desktop.continuity import backups
from lev_desktop.continuity.backups import Retention, select_kept

from .helpers import rows

START = dt.datetime(2025, 1, 1, 17, 30)


def _daily(days: int, per_day: int = 1) -> list[dt.datetime]:
    return [START + dt.timedelta(days=d, hours=h) for d in range(days) for h in range(per_day)]


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    stamps = _daily(400, per_day=3)  # three backups a day for 400 days
    kept = sorted(select_kept(stamps))
    newest_of_day: dict[dt.date, dt.datetime] = {}
    for s in stamps:
        newest_of_day[s.date()] = max(s, newest_of_day.get(s.date(), s))
    last_day = max(newest_of_day)
    days = {newest_of_day[last_day - dt.timedelta(days=i)] for i in range(7)}
    weeks: dict[tuple[int, int], dt.datetime] = {}
    months: dict[tuple[int, int], dt.datetime] = {}
    for s in stamps:
        week = s.isocalendar()[:2]
        weeks[week] = max(s, weeks.get(week, s))
        months[(s.year, s.month)] = max(s, months.get((s.year, s.month), s))
    expected = days | set(sorted(weeks.values())[-4:]) | set(sorted(months.values())[-12:])
    assert kept == sorted(expected)
    assert len(kept) <= 7 + 4 + 12
    assert max(stamps) in kept


def test_rotation_of_a_sparse_history_keeps_every_period_that_has_one():
    # A laptop used once a fortnight: every backup is the newest of its day and week.
    stamps = [START + dt.timedelta(days=14 * i) for i in range(30)]
    kept = select_kept(stamps, Retention(daily=7, weekly=4, monthly=12))
    assert set(sorted(stamps)[-7:]) <= kept  # the last seven days that have a backup
    assert len(kept) == len(set(sorted(stamps)[-7:]) | {max(ss) for ss in _by_month(stamps)[-12:]})


def _by_month(stamps: list[dt.datetime]) -> list[list[dt.datetime]]:
    months: dict[tuple[int, int], list[dt.datetime]] = {}
    for s in sorted(stamps):
        months.setdefault((s.year, s.month), []).append(s)
    return [months[k] for k in sorted(months)]


def test_rotate_deletes_only_this_databases_rotated_backups(tmp_path: Path):
    folder = tmp_path / "backups"
    folder.mkdir()
    made = {}
    for stamp in _daily(40):
        path = folder / backups.backup_name("lev", stamp)
        path.write_bytes(b"x")
        made[path] = stamp
    kept_apart = folder / backups.backup_name("lev", START, backups.BEFORE_RESTORE)
    other_db = folder / backups.backup_name("demo", START)
    stranger = folder / "notes.txt"
    for path in (kept_apart, other_db, stranger):
        path.write_bytes(b"y")
    removed = backups.rotate(folder, "lev")
    left = {p for p in made if p.exists()}
    assert left == {p for p, stamp in made.items() if stamp in select_kept(_daily(40))}
    # 3–9 Feb (days), 2 Feb, 26 Jan and 19 Jan (weeks), 31 Jan (month): 11 of 40.
    assert len(left) == 11
    assert set(removed) == set(made) - left
    assert kept_apart.exists() and other_db.exists() and stranger.exists()


def test_backup_is_a_consistent_copy_row_for_row(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    result = backups.make_backup(store)
    assert result.path.parent == backups.backup_folder()
    assert result.path.name.startswith("lao-") and result.warnings == []
    assert check_sqlite_file(result.path, quick=False) == []
    assert rows(result.path, skip=("settings",)) == rows(store.path, skip=("settings",))
    # The copy says when it was made, opens read-only (no -wal beside it), and the live
    # database does not carry the stamp.
    conn = sqlite3.connect(result.path.as_uri() + "?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert store.get_setting("backup.made_at") is None
    store.dispose()


def test_a_backup_taken_while_another_connection_writes_is_consistent(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    expected = rows_spread(store.path)
    stop = threading.Event()

    def write() -> None:
        conn = sqlite3.connect(store.path, timeout=15)
        n = 0
        while not stop.is_set():
            conn.execute("UPDATE plan_items SET seq = seq + 1")
            conn.execute("INSERT INTO settings (key, value) VALUES (?, '1')", (f"writer.{n}",))
            conn.commit()
            n += 1
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        results = [backups.snapshot(store.path, tmp_path / "copies")[0] for _ in range(5)]
    finally:
        stop.set()
        writer.join()
    assert len(set(results)) == 5
    for result in results:
        assert check_sqlite_file(result, quick=False) == []
        conn = sqlite3.connect(result)
        # One transaction of the writer is either wholly in a copy or not at all: every plan
        # row was bumped the same number of times.
        spread = conn.execute("SELECT max(seq) - min(seq) FROM plan_items").fetchone()[0]
        conn.close()
        assert spread == expected
    store.dispose()


def rows_spread(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT max(seq) - min(seq) FROM plan_items").fetchone()[0]
    finally:
        conn.close()


def test_second_folder_gets_a_copy_and_is_rotated(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    usb = tmp_path / "usb"
    usb.mkdir()
    options.save(store, {"backup.second_folder": str(usb)})
    for day in range(10):
        result = backups.make_backup(store, now=START + dt.timedelta(days=day))
        assert result.second_path == usb / result.path.name
    assert sorted(p.name for p in usb.iterdir()) == sorted(
        p.name for p in backups.backup_folder().iterdir()
    )
    assert len(list(usb.iterdir())) < 10  # rotated there too
    assert [b.path.parent for b in backups.list_backups(store.path, [usb])].count(usb) == len(
        list(usb.iterdir())
    )
    store.dispose()


def test_removed_usb_stick_is_a_thai_warning_and_the_first_copy_is_made(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    options.save(store, {"backup.second_folder": str(tmp_path / "E-drive-gone")})
    result = backups.make_backup(store)
    assert result.path.exists() and result.second_path is None
    gone = tmp_path / "E-drive-gone"
    assert result.warnings == [
        f"ไม่พบโฟลเดอร์สำรองข้อมูลที่สอง {gone} (เสียบแฟลชไดรฟ์ไว้หรือไม่) " + "สำรองข้อมูลไว้ในโฟลเดอร์ข้อมูลแล้ว"
    ]
    store.dispose()


def test_stick_pulled_out_during_the_copy_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    store = make_lao(tmp_path / "lao.db", "4801006")
    usb = tmp_path / "usb"
    usb.mkdir()

    def pulled(src, dst, length=0):
        dst.write(src.read(4096))
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(shutil, "copyfileobj", pulled)  # wherever the copy is made
    result = backups.make_backup(store, to=usb)
    assert result.path.exists()
    assert list(usb.iterdir()) == []
    assert len(result.warnings) == 1 and str(usb) in result.warnings[0]
    store.dispose()


def test_disk_full_is_a_thai_error_and_deletes_no_older_backup(tmp_path: Path, monkeypatch):
    store = make_lao(tmp_path / "lao.db", "4801006")
    older = [backups.make_backup(store, now=START + dt.timedelta(days=d)).path for d in range(9)]
    survivors = sorted(p for p in older if p.exists())
    real_connect = sqlite3.connect

    def small_disk(target, *args, **kwargs):
        conn = real_connect(target, *args, **kwargs)
        if str(target).endswith(".db.tmp"):  # the backup's copy: a disk with 3 pages free
            conn.execute("PRAGMA max_page_count = 3")
        return conn

    monkeypatch.setattr("db.store.sqlite3.connect", small_disk)
    with pytest.raises(backups.BackupError) as failed:
        backups.make_backup(store, now=START + dt.timedelta(days=30))
    assert failed.value.message == (
        "สำรองข้อมูลไม่สำเร็จ: พื้นที่ดิสก์เต็ม โปรดลบไฟล์ที่ไม่ใช้แล้วลองใหม่ — ข้อมูลยังไม่มีการเปลี่ยนแปลง"
    )
    assert sorted(p for p in backups.backup_folder().iterdir()) == survivors
    store.dispose()


def test_a_server_database_is_not_backed_up_here(tmp_path: Path):
    class ServerStore:
        path = None

    with pytest.raises(backups.BackupError) as failed:
        backups.make_backup(ServerStore())  # type: ignore[arg-type]
    assert "pg_dump" in failed.value.message


def test_daily_backup_is_due_once_a_day(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    assert backups.backup_due(store.path, START)
    backups.make_backup(store, now=START)
    assert not backups.backup_due(store.path, START + dt.timedelta(hours=23, minutes=59))
    assert backups.backup_due(store.path, START + dt.timedelta(hours=24))
    store.dispose()


def test_list_includes_copies_made_before_a_schema_upgrade(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    upgrade_copy = tmp_path / "lao.before-0007-20250101-080000.bak.db"
    store.backup(upgrade_copy)
    made = backups.make_backup(store, now=START).path
    listed = backups.list_backups(store.path)
    assert [(b.path, b.kind) for b in listed] == [
        (made, backups.ROTATED),
        (upgrade_copy, backups.BEFORE_UPGRADE),
    ]
    store.dispose()


def test_lev_backup_command(tmp_path: Path, capsys):
    from lev_desktop.cli import main

    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["--db", str(tmp_path / "lao.db"), "backup", "--to", str(usb)]) == 0
    out = capsys.readouterr().out
    made = next(backups.backup_folder().iterdir())
    assert f"สำรองข้อมูลแล้ว: {made}" in out
    assert (usb / made.name).exists()
    assert main(["--db", str(tmp_path / "lao.db"), "backup", "--to", str(tmp_path / "gone")]) == 3
    assert "ไม่พบโฟลเดอร์สำรองข้อมูลที่สอง" in capsys.readouterr().err
