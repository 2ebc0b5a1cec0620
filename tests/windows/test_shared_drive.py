"""A database on a shared drive (districts keep one on the office server): the network path is
recognised (UNC, mapped drive letter, CIFS/NFS mount — the path type faked here), the rollback
journal replaces WAL there or the database is refused with a Thai explanation pointing to
PostgreSQL, and the lock says which computer holds it since when, with a safe take-over."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from lev_desktop import drives
from lev_desktop.errors import describe_error

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
//district-srv/lev /mnt/lev cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/lev/local-usb vfat rw 0 0
/dev/sdc1 /media/somsri/KINGSTON vfat rw 0 0
/dev/sdd1 /run/media/somchai/USB\\040DISK exfat rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (r"\\district-srv\lev\lev.db", True),
        ("//district-srv/lev/lev.db", True),
        (r"\\?\C:\Users\somsri\lev.db", False),
        (r"\\.\PhysicalDrive0", False),
    ],
)
def test_unc_paths(path, expected):
    assert drives.is_network_path(path, drive_type=lambda _root: drives.DRIVE_FIXED) is expected


def test_mapped_drive_letters_ask_windows_for_the_drive_type():
    asked = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return {"Z:\\": drives.DRIVE_REMOTE}.get(root, drives.DRIVE_FIXED)

    assert drives.is_network_path(r"Z:\LEV\lev.db", drive_type=drive_type)
    assert drives.is_network_path(r"z:/LEV/lev.db", drive_type=drive_type)
    assert not drives.is_network_path(r"C:\Users\somsri\lev.db", drive_type=drive_type)
    assert asked == ["Z:\\", "Z:\\", "C:\\"]


def test_linux_network_mounts():
    assert drives.is_network_path("/mnt/lev/district.db", mounts_text=MOUNTS)
    assert drives.is_network_path("/mnt/nfs/a/b.db", mounts_text=MOUNTS)
    assert not drives.is_network_path("/mnt/lev/local-usb/x.db", mounts_text=MOUNTS)
    assert not drives.is_network_path("/home/somsri/lev.db", mounts_text=MOUNTS)
    assert not drives.is_network_path("/mnt/levelled/x.db", mounts_text=MOUNTS)


def test_removable_drives_are_listed_by_their_names():
    class FakeWindows:
        def logical_drives(self) -> int:
            return 0b1111101  # A: C: D: E: F: G:

        def drive_type(self, root: str) -> int:
            return {
                "C:\\": drives.DRIVE_FIXED,
                "D:\\": drives.DRIVE_CDROM,
                "E:\\": drives.DRIVE_REMOVABLE,
                "F:\\": drives.DRIVE_FIXED,
                "G:\\": drives.DRIVE_REMOTE,
            }[root]

        def bus_type(self, letter: str) -> int | None:
            return {"C:": 11, "F:": drives.BUS_TYPE_USB}.get(letter)  # C: is SATA, F: a USB disk

        def volume_label(self, root: str) -> str:
            return {"E:\\": "KINGSTON"}.get(root, "")

    found = drives.windows_drives(FakeWindows())
    assert [d.name for d in found] == ["KINGSTON (E:)", "แฟลชไดรฟ์ USB (F:)"]
    assert [str(d.root) for d in found] == ["E:\\", "F:\\"]
    linux = drives.linux_drives(MOUNTS)
    assert [d.name for d in linux] == ["KINGSTON", "USB DISK"]
    assert linux[1].root == Path("/run/media/somchai/USB DISK")


# ---- the database -----------------------------------------------------------------------------


def journal_mode(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def on_network(monkeypatch):
    """Every database path counts as a network path (the faked path type)."""
    import db.store

    monkeypatch.setattr(db.store, "is_network_path", lambda _path: True, raising=False)


def test_a_database_on_a_network_drive_uses_the_rollback_journal(tmp_path, on_network):
    from db.store import Store

    store = Store(tmp_path / "district.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert store.on_network
    store.dispose()
    assert journal_mode(tmp_path / "district.db") == "delete"
    assert not (tmp_path / "district.db-wal").exists()


def test_a_wal_database_moved_to_the_share_is_converted(tmp_path, monkeypatch):
    from db.store import Store

    local = Store(tmp_path / "lev.db")
    local.set_setting("office_code", "D4801")
    local.dispose()
    assert journal_mode(tmp_path / "lev.db") == "wal"
    import db.store

    monkeypatch.setattr(db.store, "is_network_path", lambda _path: True, raising=False)
    shared = Store(tmp_path / "lev.db")
    assert shared.get_setting("office_code") == "D4801"
    shared.dispose()
    assert journal_mode(tmp_path / "lev.db") == "delete"


def test_a_network_database_still_open_in_wal_mode_is_refused_in_thai(tmp_path, monkeypatch):
    from db.store import Store

    local = Store(tmp_path / "lev.db")
    local.dispose()
    other = sqlite3.connect(tmp_path / "lev.db")  # another computer has it open in WAL mode
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM settings").fetchone()
    import db.store

    monkeypatch.setattr(db.store, "is_network_path", lambda _path: True, raising=False)
    with pytest.raises(Exception) as caught:
        Store(tmp_path / "lev.db")
    message = describe_error(caught.value)
    assert message is not None, caught.value
    assert "PostgreSQL" in message and "ไดรฟ์เครือข่าย" in message
    assert str(tmp_path / "lev.db") in message
    other.close()


def test_a_local_database_keeps_wal(tmp_path, monkeypatch):
    import db.store
    from db.store import Store

    monkeypatch.setattr(db.store, "is_network_path", lambda _path: False, raising=False)
    store = Store(tmp_path / "lev.db")
    assert not store.on_network
    store.dispose()
    assert journal_mode(tmp_path / "lev.db") == "wal"


# ---- the lock ---------------------------------------------------------------------------------


@contextlib.contextmanager
def held_by_another_computer(path: Path, host: str = "DISTRICT-PC2"):
    """The lock file as LEV Desktop on another computer writes it, with the operating-system
    lock that program keeps on it while it runs (released when it stops or crashes)."""
    from lev_desktop import dblock

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"4242\nlev-desktop\n{host}\n2025-01-14T09:12:00\n".encode())
    handle = path.open("rb")
    dblock._os_lock(handle)
    try:
        yield handle
    finally:
        if not handle.closed:
            dblock._os_unlock(handle)
            handle.close()


@pytest.fixture
def url(tmp_path):
    from db.store import resolve_url

    return resolve_url(tmp_path / "district.db")


def test_the_lock_names_the_computer_and_the_time(qapp, url):
    from lev_desktop.dblock import lock_path
    from ui.app import acquire_lock, lock_holder

    with held_by_another_computer(lock_path(url)):
        assert acquire_lock(url) is None  # another computer's lock is never taken
        holder = lock_holder(url)
        assert holder is not None and holder.host == "DISTRICT-PC2" and not holder.this_computer
        text = holder.describe()
        assert "DISTRICT-PC2" in text and "14 ม.ค. 2568 09:12" in text
        assert "แถบงาน" not in text  # no "look in the task bar" for another computer


def test_a_lock_file_left_by_a_crash_is_no_lock(qapp, url):
    from lev_desktop.dblock import lock_path
    from ui.app import acquire_lock, lock_holder

    with held_by_another_computer(lock_path(url)) as handle:
        handle.close()  # that computer crashed: its hold is gone, its file is still there
    assert lock_path(url).exists()
    assert lock_holder(url) is None
    lock = acquire_lock(url)
    assert lock is not None
    lock.release()


def test_take_over_after_a_crash_and_not_while_the_holder_lives(qapp, url):
    from lev_desktop.dblock import _os_unlock, lock_path
    from ui.app import take_over_lock

    with held_by_another_computer(lock_path(url)) as handle:
        assert take_over_lock(url) is None  # its program still runs there
        _os_unlock(handle)  # it crashed, and the share let go of its session
        handle.close()
        lock = take_over_lock(url)
    assert lock is not None and lock.held
    lock.release()


def test_the_take_over_is_offered_and_confirmed(qapp, url, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from lev_desktop.dblock import _os_unlock, lock_path
    from ui.app import ask_about_lock, lock_holder

    seen = {}
    with held_by_another_computer(lock_path(url)) as handle:
        holder = lock_holder(url)

        def press_take_over(box):
            seen["text"] = box.text()
            _os_unlock(handle)  # meanwhile the clerk switched DISTRICT-PC2 off
            handle.close()
            next(b for b in box.buttons() if b.text() == "ใช้งานแทน").click()
            return 0

        monkeypatch.setattr(QMessageBox, "exec", press_take_over)
        monkeypatch.setattr(
            QMessageBox, "warning", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
        )
        lock = ask_about_lock(url, holder)
    assert "DISTRICT-PC2" in seen["text"]
    assert lock is not None and lock.held
    lock.release()


def test_this_computers_lock_offers_no_take_over(qapp, url, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import acquire_lock, ask_about_lock, lock_holder

    held = acquire_lock(url)
    assert held is not None
    seen = {}

    def close(box):
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["text"] = box.text()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", close)
    holder = lock_holder(url)
    assert holder is not None and holder.this_computer
    assert ask_about_lock(url, holder) is None
    assert seen["buttons"] == ["ปิด"] and "เครื่องนี้" in seen["text"]
    held.release()


def test_a_second_start_says_the_database_is_in_use_in_the_holders_language(qapp, url, monkeypatch):
    """clerk12: the message on a second start was Thai in an English setup (it comes before
    the database and its language setting are read). The window that holds the database says
    its language in the lock file; the second start speaks it, unless --lang asked."""
    from PySide6.QtWidgets import QMessageBox

    from lev_desktop import i18n
    from ui.app import acquire_lock, ask_about_lock, lock_holder, speak_as_the_holder

    held = acquire_lock(url)
    assert held is not None
    held.set_language("en")
    seen = {}

    def close(box):
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["text"] = box.text()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", close)
    try:
        holder = lock_holder(url)
        assert holder is not None and holder.language == "en"
        speak_as_the_holder(holder, "th")  # --lang th: as asked
        assert i18n.current_language() == "th"
        speak_as_the_holder(holder, None)
        assert ask_about_lock(url, holder) is None
        assert seen["text"].startswith("LEV Desktop is already open with this database on this")
        assert seen["buttons"] == ["Close"]
    finally:
        i18n.install("th")
        held.release()
