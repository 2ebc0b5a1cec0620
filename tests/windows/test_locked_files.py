"""Files held open by another program, as Windows reports them, simulated on any platform:
``os.replace`` (the rename over the target) or the write raises PermissionError with the
``winerror`` Windows gives — 32 (sharing violation: Excel has the workbook open), 5 (access
denied: a PDF reader has the file, or an antivirus scans the new file)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from lev_desktop.errors import describe_error

try:
    from lev_desktop import files
except ImportError:  # the code before this helper existed, where these tests show the defects
    files = None  # type: ignore[assignment]


def windows_error(winerror: int, filename: str) -> PermissionError:
    exc = PermissionError(13, "Permission denied", filename)
    exc.winerror = winerror  # what CPython sets on Windows
    return exc


class HeldBy:
    """Replaces ``os.replace``: the rename over ``target`` fails ``times`` times (all when
    None) with Windows error ``winerror``, as while another program holds the file."""

    def __init__(self, target: Path, winerror: int, times: int | None = None):
        self.target = Path(target)
        self.winerror = winerror
        self.times = times
        self.calls = 0
        self.real = os.replace

    def __call__(self, src, dst, *args, **kwargs):
        if Path(dst) == self.target and (self.times is None or self.calls < self.times):
            self.calls += 1
            raise windows_error(self.winerror, str(src))  # Windows names the source here
        return self.real(src, dst, *args, **kwargs)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".~lev-", "~")))


def assert_thai_message_names(message: str, target: Path) -> None:
    assert str(target) in message, message
    # the file itself, not a temporary name that begins with it ("x.levkey.tmp")
    assert message.split(str(target), 1)[1][:1] in ("", " "), message
    assert ".~lev-" not in message and ".part" not in message, message
    assert "Errno" not in message and "[" not in message, message
    assert "ปิดไฟล์" in message, message  # says to close it


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """The retries' waits take no time in tests."""
    if files is not None:
        monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)


# ---- reports --------------------------------------------------------------------------------


def test_report_over_a_workbook_open_in_excel_names_the_real_file(
    demo_store, tmp_path, monkeypatch
):
    from exports.reports import ReportRequest, generate

    target = tmp_path / "แผนปฏิบัติงาน.xlsx"
    target.write_bytes(b"the workbook Excel has open")
    monkeypatch.setattr(os, "replace", HeldBy(target, 5))
    with pytest.raises(OSError) as caught:
        generate(demo_store, ReportRequest("plan", "4801006", 2568, "xlsx"), target)
    assert_thai_message_names(describe_error(caught.value), target)
    assert target.read_bytes() == b"the workbook Excel has open"
    assert leftovers(tmp_path) == []


def test_a_brief_antivirus_lock_is_waited_out(demo_store, tmp_path, monkeypatch):
    from exports.reports import ReportRequest, generate

    target = tmp_path / "plan.pdf"
    held = HeldBy(target, 32, times=2)
    monkeypatch.setattr(os, "replace", held)
    assert generate(demo_store, ReportRequest("plan", "4801006", 2568, "pdf"), target) == target
    assert held.calls == 2
    assert target.read_bytes()[:4] == b"%PDF"
    assert leftovers(tmp_path) == []


def test_the_retries_are_brief_and_stop(tmp_path, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(files.time, "sleep", waits.append)
    target = tmp_path / "x.pdf"
    monkeypatch.setattr(os, "replace", HeldBy(target, 32))
    with pytest.raises(files.FileWriteError) as caught:
        files.write_bytes(target, b"%PDF")
    assert caught.value.reason == "locked"
    assert 0 < sum(waits) <= 2.0 and len(waits) == len(files.RETRY_DELAYS)


def test_a_sharing_violation_while_writing_names_the_target(tmp_path):
    target = tmp_path / "รายงาน.pdf"

    def write(tmp: Path) -> None:
        raise windows_error(32, str(tmp))

    with pytest.raises(files.FileWriteError) as caught:
        files.write_file(target, write)
    assert_thai_message_names(caught.value.message, target)
    assert leftovers(tmp_path) == []


def test_other_write_failures_are_thai_and_name_the_place(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"

    def full(tmp: Path) -> None:
        raise OSError(28, "No space left on device", str(tmp))

    with pytest.raises(files.FileWriteError) as caught:
        files.write_file(target, full)
    assert caught.value.reason == "full" and str(tmp_path) in caught.value.message
    assert "Errno" not in caught.value.message

    def no_folder_rights(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(files.tempfile, "mkstemp", no_folder_rights)
    with pytest.raises(files.FileWriteError) as caught:
        files.write_bytes(target, b"x")
    assert caught.value.reason == "permission" and str(tmp_path) in caught.value.message
    assert describe_error(caught.value) == caught.value.message


def test_windows_lock_errors_anywhere_get_the_thai_message():
    exc = windows_error(32, r"C:\Users\clerk\Documents\plan.xlsx")
    message = describe_error(exc)
    assert message is not None and r"C:\Users\clerk\Documents\plan.xlsx" in message
    assert "ปิดไฟล์" in message


# ---- the Excel form for an LAO --------------------------------------------------------------


def test_excel_form_over_an_open_workbook_is_a_thai_message(demo_store, tmp_path, monkeypatch):
    from lev_desktop.exchange.excel import write_template

    target = tmp_path / "4801006-P2.xlsx"
    target.write_bytes(b"open in Excel")
    monkeypatch.setattr(os, "replace", HeldBy(target, 32))
    with pytest.raises(OSError) as caught:
        write_template(demo_store, "4801006", "P2", target)
    assert_thai_message_names(describe_error(caught.value), target)
    assert target.read_bytes() == b"open in Excel"


def test_excel_form_written_where_asked(demo_store, tmp_path):
    from lev_desktop.exchange.excel import write_template

    target = tmp_path / "ฟอร์ม.xlsx"
    assert write_template(demo_store, "4801006", "P2", target) == target
    assert target.read_bytes()[:2] == b"PK"
    assert leftovers(tmp_path) == []


# ---- names ----------------------------------------------------------------------------------


def test_unique_names_never_replace_an_open_preview(tmp_path):
    first = files.unique_path(tmp_path, "แผน.pdf")
    assert first == tmp_path / "แผน.pdf"
    first.write_bytes(b"open in Acrobat")
    second = files.unique_path(tmp_path, "แผน.pdf")
    assert second == tmp_path / "แผน (2).pdf"
    second.write_bytes(b"x")
    assert files.unique_path(tmp_path, "แผน.pdf") == tmp_path / "แผน (3).pdf"
    assert files.unique_path(tmp_path, "แผน (2).pdf") == tmp_path / "แผน (3).pdf"


@pytest.mark.parametrize(
    ("chosen", "fmt", "expected"),
    [
        ("รายงาน", "pdf", "รายงาน.pdf"),
        ("รายงาน.PDF", "pdf", "รายงาน.PDF"),
        ("แผน.2568", "xlsx", "แผน.2568.xlsx"),
        ("ส่งอำเภอ", ".levpkg", "ส่งอำเภอ.levpkg"),
    ],
)
def test_the_extension_is_always_added(chosen, fmt, expected, tmp_path):
    assert files.with_suffix(tmp_path / chosen, fmt) == tmp_path / expected


# ---- the command line -----------------------------------------------------------------------


def test_cli_tsv_has_a_bom_and_a_locked_file_is_a_thai_message(
    demo_store, tmp_path, capsys, monkeypatch
):
    from lev_desktop.cli import main

    out = tmp_path / "deadlines.tsv"
    args = ["--db", str(demo_store.path), "deadlines", "--from", "2025-09-01"]
    args += ["--to", "2025-09-30", "--out", str(out)]
    assert main(args) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel and PowerShell 5.1 then read UTF-8
    assert "2025-09-15\t" in data.decode("utf-8-sig")
    monkeypatch.setattr(os, "replace", HeldBy(out, 32))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert str(out) in err and "ปิดไฟล์" in err and "Errno" not in err


# ---- the key file and the recovery package (often onto a USB drive) --------------------------


def test_key_file_over_a_held_file_names_the_real_file(tmp_path, monkeypatch):
    from lev_desktop.continuity import keysafe
    from lev_desktop.exchange.exporter import export_package
    from tests.exchange.helpers import make_lao

    store = make_lao(tmp_path / "lao.db", "4801006")
    try:
        export_package(store, "D4801", tmp_path / "first.levpkg")  # makes the key
        target = tmp_path / "usb" / "หนองแสง.levkey"
        target.parent.mkdir()
        target.write_bytes(b"the key file of last year")
        held = HeldBy(target, 32)
        monkeypatch.setattr(os, "replace", held)
        with pytest.raises(OSError) as caught:
            keysafe.export_key(store, target, "รหัสผ่านยาวพอ 2568", "รหัสผ่านยาวพอ 2568")
        assert_thai_message_names(describe_error(caught.value), target)
        assert held.calls == 1 + len(files.RETRY_DELAYS)  # retried before giving up
        assert target.read_bytes() == b"the key file of last year"
        assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
        # an antivirus holding the new file for a moment is waited out
        brief = HeldBy(target, 5, times=2)
        brief.real = held.real
        monkeypatch.setattr(os, "replace", brief)
        path, _fingerprint = keysafe.export_key(
            store, target, "รหัสผ่านยาวพอ 2568", "รหัสผ่านยาวพอ 2568"
        )
        assert path == target and target.read_bytes().startswith(b"{")
    finally:
        store.dispose()


def test_recovery_package_over_a_held_file_names_it_and_records_nothing(tmp_path, monkeypatch):
    from sqlalchemy import select

    from db.models import AuditEntry
    from lev_desktop.exchange import importer
    from lev_desktop.exchange.exporter import export_package
    from lev_desktop.exchange.recovery import export_recovery
    from tests.exchange.helpers import make_district, make_lao

    lao = make_lao(tmp_path / "lao.db", "4801006")
    district = make_district(tmp_path / "district.db")
    try:
        sent = export_package(lao, "D4801", tmp_path / "lao-1.levpkg")
        importer.import_files(district, [sent.path], trust=True)
        target = tmp_path / "usb" / "หนองแสง.levrecovery"
        target.parent.mkdir()
        target.write_bytes(b"open in another program")
        monkeypatch.setattr(os, "replace", HeldBy(target, 32))
        with pytest.raises(OSError) as caught:
            export_recovery(district, "4801006", target)
        assert_thai_message_names(describe_error(caught.value), target)
        assert target.read_bytes() == b"open in another program"
        assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
        with district.read() as session:  # recorded only once the file is there
            audit = session.scalars(
                select(AuditEntry).where(AuditEntry.table_name == "exchange_recovery")
            ).all()
        assert audit == []
    finally:
        lao.dispose()
        district.dispose()


# ---- a file attached to an activity (a photo, the minutes) ------------------------------------


@pytest.mark.parametrize("where", ["reading the file chosen", "writing the copy"])
def test_an_attachment_that_cannot_be_copied_is_a_thai_message(tmp_path, monkeypatch, where):
    import shutil

    from lev_desktop.paths import attachments_dir
    from lev_desktop.services import plans

    source = tmp_path / "รายงานการประชุม.docx"
    source.write_bytes(b"minutes")
    real = shutil.copyfile

    def refused(src, dst, *args, **kwargs):
        if where == "reading the file chosen":  # Word holds it (Windows error 32)
            raise windows_error(32, str(src))
        real(src, dst, *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(shutil, "copyfile", refused)
    with pytest.raises(plans.PlanError) as caught:
        plans.add_attachment(source, "3f2c0a9e-1d2b-4c5d-8e9f-0a1b2c3d4e5f")
    message = str(caught.value)
    assert "Errno" not in message and "[" not in message and ".part" not in message, message
    if where == "reading the file chosen":
        assert message.startswith(f"อ่านไฟล์ {source} ไม่ได้ "), message
    else:
        assert message.startswith("ไดรฟ์ของโฟลเดอร์ ") and "เต็มแล้ว" in message, message
    assert [p for p in attachments_dir().rglob("*") if p.is_file()] == []  # nothing left


# ---- backups ----------------------------------------------------------------------------------


def test_backup_copy_in_the_second_folder_waits_for_an_antivirus_scan(tmp_path, monkeypatch):
    """The copy of a backup on a USB stick or a shared folder is a user-visible file too: an
    antivirus holding the new file for a moment (error 32 at the rename) is waited for, and a
    copy that stays held is a Thai warning naming the file, with nothing left behind."""
    from exchange.helpers import make_lao

    from lev_desktop.continuity import backups

    store = make_lao(tmp_path / "lao.db", "4801006")
    usb = tmp_path / "usb"
    usb.mkdir()
    first = backups.make_backup(store)
    target = usb / first.path.name
    held = HeldBy(target, 32, times=2)
    monkeypatch.setattr(os, "replace", held)
    copy = backups.copy_to(first.path, usb)
    assert copy == target and target.read_bytes() == first.path.read_bytes()
    assert held.calls == 2
    target.unlink()
    monkeypatch.setattr(os, "replace", HeldBy(target, 32))
    with pytest.raises(OSError) as failed:
        backups.copy_to(first.path, usb)
    assert_thai_message_names(str(failed.value), target)
    assert list(usb.iterdir()) == []
    store.dispose()
