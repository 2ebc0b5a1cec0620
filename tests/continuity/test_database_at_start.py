"""The database file at start, as the program and ``lev`` meet it: a database written by a
newer version, another program's SQLite file, a read-only file or folder. Each is refused
with one Thai sentence that says what to do, and the file is left as it was (no backup
written beside it, no table created in it, nothing called "damaged" that is not)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from exchange.helpers import make_lao

from db import store as store_module
from db.migrate import SchemaRefused
from db.store import DatabaseDamaged, DatabaseReadOnly, Store, unwritable
from lev_desktop.errors import describe_error

NEWER = (
    "ฐานข้อมูล {path} ถูกเปิดใช้ครั้งล่าสุดด้วย LEV Desktop รุ่นที่ใหม่กว่ารุ่นนี้ "
    "รุ่นนี้จึงอ่านไม่ได้ โปรดติดตั้งรุ่นนั้น (หรือรุ่นที่ใหม่กว่า) แล้วเปิดอีกครั้ง "
    "ไม่มีสิ่งใดในไฟล์นี้ถูกเปลี่ยนแปลง"
)
FOREIGN = (
    "ไฟล์ {path} เป็นฐานข้อมูลของโปรแกรมอื่น ไม่ใช่ของ LEV Desktop จึงไม่ได้เปิดใช้ "
    "และไม่มีสิ่งใดในไฟล์นี้ถูกเปลี่ยนแปลง โปรดเลือกฐานข้อมูลของ LEV Desktop "
    "(lev.db ในโฟลเดอร์ข้อมูล) หรือข้อมูลสำรองของฐานข้อมูลนั้น"
)
READ_ONLY = (
    "บันทึกลงฐานข้อมูล {path} ไม่ได้ เพราะไฟล์หรือโฟลเดอร์ของไฟล์เป็นแบบอ่านอย่างเดียว"
    "สำหรับผู้ใช้นี้ (ไฟล์ที่ตั้งค่าให้อ่านอย่างเดียว โฟลเดอร์อย่าง Program Files "
    "หรือไดรฟ์ที่ป้องกันการเขียน) ไฟล์ไม่ได้เสียหายและไม่มีสิ่งใดถูกเปลี่ยนแปลง "
    "โปรดคัดลอกไฟล์ไปไว้ในโฟลเดอร์ที่บันทึกได้ หรือขอสิทธิ์เขียนจากผู้ดูแลระบบ แล้วเปิดอีกครั้ง"
)


def _lev(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lev_desktop.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def _folder(path: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(path.parent.iterdir()) if f.is_file()}


def _newer_database(tmp_path: Path) -> Path:
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    return store.path


def test_a_database_of_a_newer_version_is_refused_in_thai_and_left_alone(tmp_path: Path):
    path = _newer_database(tmp_path)
    before = _folder(path)
    with pytest.raises(SchemaRefused) as found:
        Store(path, check=True)
    assert describe_error(found.value) == NEWER.format(path=path)
    # No "before-0011" backup beside it (it was written before Alembic's English error), no
    # change to the file's content.
    assert sorted(f.name for f in path.parent.iterdir()) == [
        "lao.db",
        "lao.db-shm",
        "lao.db-wal",
    ]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("9999_future",)
        ]
    connection.close()
    assert before["lao.db"] == path.read_bytes()
    done = _lev(path, "status")
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "",
        "lev: " + NEWER.format(path=path) + "\n",
    )


def test_another_programs_sqlite_file_is_refused_and_not_changed(tmp_path: Path):
    path = tmp_path / "lev.db"  # e.g. a browser's or an accounting program's file, renamed
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE ledger (entry TEXT)")
        connection.execute("INSERT INTO ledger VALUES ('ค่าน้ำ 120 บาท')")
    connection.close()
    before = _folder(path)
    with pytest.raises(SchemaRefused) as found:
        Store(path, check=True)
    assert describe_error(found.value) == FOREIGN.format(path=path)
    assert _folder(path) == before  # not even switched to WAL: no -wal, no -shm, same bytes
    done = _lev(path, "offices")
    assert (done.returncode, done.stderr) == (1, "lev: " + FOREIGN.format(path=path) + "\n")
    assert _folder(path) == before


def test_an_empty_file_is_still_a_new_database(tmp_path: Path):
    path = tmp_path / "lev.db"
    path.write_bytes(b"")
    store = Store(path, check=True)
    assert store.office_code is None
    store.dispose()


def test_a_read_only_database_is_said_so_not_called_damaged(tmp_path: Path, monkeypatch):
    """A file marked read-only (or copied from a CD): the program opened it and the officer
    learnt it only at the first save ("the database is read-only")."""
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    path = store.path
    before = _folder(path)
    real_access = os.access

    def access(target, mode, **kwargs):  # what the system answers a user without the right
        if Path(target) == path and mode & os.W_OK:
            return False
        return real_access(target, mode, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)
    with pytest.raises(DatabaseReadOnly) as found:
        Store(path, check=True)
    assert describe_error(found.value) == READ_ONLY.format(path=path)
    assert path.read_bytes() == before["lao.db"]
    Store(path).dispose()  # the command line's reads still open it (check=False)


def test_a_lev_command_that_writes_names_the_read_only_file(tmp_path: Path, monkeypatch, capsys):
    """redteam16 (left by redteam15): ``lev`` commands that write said only "ฐานข้อมูลเป็นแบบ
    อ่านอย่างเดียว โปรดตรวจสอบสิทธิ์ของไฟล์" (SQLite's error names no file; measured as
    ``nobody`` on a file marked read-only). They now say which file, as the program's start
    does, before taking the lock or writing."""
    from lev_desktop.cli import main

    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    path = store.path
    before = _folder(path)
    real_access = os.access

    def access(target, mode, **kwargs):  # what the system answers a user without the right
        if Path(target) == path and mode & os.W_OK:
            return False
        return real_access(target, mode, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)

    assert main(["--db", str(path), "demo"]) == 1

    assert capsys.readouterr().err == f"lev: {READ_ONLY.format(path=path)}\n"
    assert _folder(path) == before
    assert main(["--db", str(path), "offices"]) == 0  # reading still works


def test_a_folder_sqlite_cannot_write_is_read_only_not_damaged(tmp_path: Path, monkeypatch):
    """A WAL database in a folder the user cannot write (Program Files without administrator
    rights): SQLite's read-only check fails ("attempt to write a readonly database", or
    "unable to open database file"); the program said "damaged" and offered a backup."""
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    for said in ("attempt to write a readonly database", "unable to open database file"):
        monkeypatch.setattr(store_module, "check_sqlite_file", lambda _p, s=said, **_k: [s])
        with pytest.raises(DatabaseReadOnly):
            Store(store.path, check=True)
    monkeypatch.setattr(
        store_module, "check_sqlite_file", lambda _p, **_k: ["file is not a database"]
    )
    with pytest.raises(DatabaseDamaged):
        Store(store.path, check=True)
    assert unwritable(store.path, ["attempt to write a readonly database"])
    assert not unwritable(store.path, ["file is not a database"])
    assert not unwritable(store.path)


def test_the_program_says_it_at_start(qapp, qtbot, tmp_path: Path):
    from ui.app import Launcher, make_application

    make_application()
    path = _newer_database(tmp_path)
    launcher = Launcher(f"sqlite:///{path}")
    with qtbot.waitSignal(launcher.failed, timeout=60000) as failed:
        launcher.start()
    assert failed.args == [NEWER.format(path=path)]
    launcher.runner.wait()
    assert launcher.window is not None and not launcher.window.isVisible()
    launcher.window.close()


def test_a_full_disk_at_start_is_said_so_not_called_damaged(tmp_path: Path, monkeypatch):
    """The data folder on a full disk: SQLite's check cannot write the WAL index and answers
    "disk I/O error" (measured on a full 2 MB tmpfs: a 3-byte -shm is left). The program said
    "damaged" and offered to restore a backup onto the full disk."""
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    monkeypatch.setattr(store_module, "check_sqlite_file", lambda _p, **_k: ["disk I/O error"])
    with pytest.raises(sqlite3.OperationalError) as found:
        Store(store.path, check=True)
    assert describe_error(found.value) == (
        "เครื่องคอมพิวเตอร์เขียนข้อมูลลงดิสก์ไม่ได้ (ดิสก์อาจเต็ม หรือถอดไดรฟ์ออกแล้ว) "
        "โปรดเพิ่มพื้นที่ว่างหรือตรวจสอบไดรฟ์แล้วลองใหม่ ไม่มีข้อมูลใดถูกเปลี่ยนแปลง"
    )


def test_a_data_folder_that_cannot_be_written_still_speaks_thai(tmp_path: Path, monkeypatch):
    """The catalogues are compiled into the data folder's cache (a source install): when it
    cannot be written (full, no permission, here a file where the folder should be) the
    program stopped at ``import lev_desktop.i18n`` with an English traceback."""
    from lev_desktop import i18n

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("LEV_DATA_DIR", str(blocked / "data"))
    po = i18n.catalog_files("th")[0]
    with pytest.raises(OSError):
        i18n._compiled(po, "th")
    thai = i18n._load("th")
    assert thai.gettext("The database is read-only. Check the file's permissions.") == (
        "ฐานข้อมูลเป็นแบบอ่านอย่างเดียว โปรดตรวจสอบสิทธิ์ของไฟล์"
    )


def test_a_data_folder_that_cannot_be_made_is_said_before_the_window(
    qapp, tmp_path: Path, monkeypatch
):
    """``python -m ui.app`` with a data folder it cannot create (no permission; here a file
    stands where a folder should be): the program ended on PermissionError in the window's
    state, its crash handler failing the same way; without a console the officer saw nothing."""
    from PySide6.QtCore import qInstallMessageHandler

    import ui.app

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("LEV_DATA_DIR", str(blocked / "data"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ui.app.QMessageBox,
        "critical",
        staticmethod(lambda _p, title, text: shown.append((title, text))),
    )
    try:
        assert ui.app.main([]) == 2
    finally:
        qInstallMessageHandler(None)
    assert shown == [
        (
            "LEV Desktop",
            f"LEV Desktop สร้างหรือบันทึกลงโฟลเดอร์ข้อมูล {blocked / 'data'} ไม่ได้ "
            "(ไม่มีสิทธิ์ หรือไดรฟ์เป็นแบบอ่านอย่างเดียวหรือเต็ม) ฐานข้อมูล กุญแจของหน่วยงาน "
            "และข้อมูลสำรองเก็บอยู่ในโฟลเดอร์นี้ โปรดขอสิทธิ์เขียนโฟลเดอร์นี้จากผู้ดูแลระบบ "
            "แล้วเปิดโปรแกรมอีกครั้ง",
        )
    ]


def test_a_setting_that_is_not_json_takes_its_default_and_can_be_saved_again(tmp_path: Path):
    """A settings value damaged where SQLite's quick check does not look (or edited by hand):
    every read of the settings raised JSONDecodeError, so neither the program nor ``lev``
    started ("The database cannot be opened: Expecting property name…")."""
    from lev_desktop import options

    store = make_lao(tmp_path / "lao.db", "4801006")
    options.save(store, {"fiscal_year": 2569})
    store.dispose()
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE settings SET value = '{2569' WHERE key = 'fiscal_year'")
    connection.close()
    opened = Store(store.path, check=True)
    try:
        assert opened.office_code == "4801006"
        assert options.load_all(opened)["fiscal_year"] is None  # its default: this year
        done = _lev(store.path, "offices")
        assert (done.returncode, done.stderr) == (0, "")
        options.save(opened, {"fiscal_year": 2568})  # the setting saved again replaces it
        assert options.load_all(opened)["fiscal_year"] == 2568
    finally:
        opened.dispose()


def test_a_damaged_office_code_is_damage_not_a_new_office(tmp_path: Path):
    """The office's code is the database's identity: read as missing, the program would start
    the set-up of a new office over this office's data."""
    store = make_lao(tmp_path / "lao.db", "4801006")
    store.dispose()
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE settings SET value = '\"48010' WHERE key = 'office_code'")
    connection.close()
    with pytest.raises(DatabaseDamaged) as found:
        Store(store.path, check=True)
    assert found.value.problems == ["settings.office_code: '\"48010'"]
    assert describe_error(found.value) == (
        "ไฟล์ฐานข้อมูลเสียหาย โปรดกู้คืนจากข้อมูลสำรองชุดล่าสุดที่ใช้ได้ "
        "โปรแกรมจะเสนอให้เมื่อเปิดโปรแกรม หรือใช้คำสั่ง “lev restore”"
    )
