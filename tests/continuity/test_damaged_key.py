"""The office's key file damaged (a disk fault, a sync program that emptied it, a copy from
another Windows account): the export says so in Thai and where to put the key back, writes
nothing, and putting the key back works over the unreadable file."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange.helpers import make_lao, snapshot

from lev_desktop.continuity import keysafe
from lev_desktop.errors import describe_error
from lev_desktop.exchange import keys
from lev_desktop.exchange.exporter import export_package

PASSWORD = "รหัสผ่านยาวพอ 2568"
SAID = (
    "อ่านไฟล์กุญแจของหน่วยงาน {path} ไม่ได้ (ไฟล์เสียหาย ว่างเปล่า "
    "หรือสร้างไว้สำหรับผู้ใช้ Windows คนอื่น) จึงลงลายมือชื่อแพ็กเกจไม่ได้ "
    "โปรดนำกุญแจกลับมาที่ ตั้งค่า › สำรองข้อมูล ด้วยปุ่ม “นำเข้าไฟล์กุญแจ…” "
    "(ไฟล์กุญแจที่บันทึกไว้พร้อมรหัสผ่าน) หรือ “นำกุญแจจากข้อมูลสำรองกลับมาใช้…” "
    "หรือใช้คำสั่ง “lev key-import” ไฟล์ที่อ่านไม่ได้จะเก็บไว้ข้าง ๆ"
)


@pytest.mark.parametrize("damaged", [b"", b"\x00\x01garbage", "cut"])
def test_a_damaged_key_is_named_at_export_and_can_be_put_back(tmp_path: Path, damaged):
    lao = make_lao(tmp_path / "lao.db", "4801006")
    try:
        export_package(lao, "D4801", tmp_path / "first.levpkg")  # (the key is made here)
        key_file, fingerprint = keysafe.export_key(lao, tmp_path / "office", PASSWORD)
        path = keys.key_path("4801006")
        good = path.read_bytes()
        path.write_bytes(good[: len(good) // 2] if damaged == "cut" else damaged)
        before = snapshot(lao)
        with pytest.raises(keys.KeyDamaged) as refused:
            export_package(lao, "D4801", tmp_path / "p.levpkg")
        # (before: ValueError "Unable to load PEM file. See https://cryptography.io/…" to the
        # crash dialog)
        assert describe_error(refused.value) == SAID.format(path=path)
        assert not (tmp_path / "p.levpkg").exists() and snapshot(lao) == before
        # Settings › Backups › "Import a key file…" (before: the same ValueError; the key
        # could not be put back over the unreadable file)
        assert keysafe.import_key_file(lao, key_file, PASSWORD) == fingerprint
        assert path.read_bytes() != (damaged if isinstance(damaged, bytes) else b"")
        assert [p.read_bytes() for p in path.parent.glob("4801006.pem.replaced-*")] == [
            good[: len(good) // 2] if damaged == "cut" else damaged
        ]
        export_package(lao, "D4801", tmp_path / "p.levpkg")
        assert keys.office_fingerprint("4801006") == fingerprint
    finally:
        lao.dispose()
