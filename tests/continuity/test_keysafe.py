"""The office's key: exported with a password, carried by backups only encrypted, and put back on
a reinstalled computer so that the district accepts its packages as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from exchange.helpers import make_district, make_lao

from lev_desktop.continuity import backups, keysafe
from lev_desktop.continuity.restore import restore_backup
from lev_desktop.exchange import importer, keys
from lev_desktop.exchange.exporter import export_package

PASSWORD = "รหัสผ่านยาวพอ 2568"


def _raw_private(office: str) -> bytes:
    key = keys.load_or_create(office)
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def test_key_file_round_trip_and_wrong_password(tmp_path: Path):
    original = keys.load_or_create("4801006")
    record = keys.protect("4801006", original, PASSWORD)
    assert record["fingerprint"] == keys.fingerprint(original)
    assert keys.fingerprint(keys.unprotect(record, PASSWORD)) == keys.fingerprint(original)
    with pytest.raises(keys.KeyFileError) as wrong:
        keys.unprotect(record, PASSWORD + "x")
    assert str(wrong.value) == "รหัสผ่านไม่ถูกต้อง"
    # Bound to the office: the same secret presented as another office's key does not open.
    with pytest.raises(keys.KeyFileError):
        keys.unprotect({**record, "office": "4801007"}, PASSWORD)
    with pytest.raises(keys.KeyFileError) as short:
        keys.protect("4801006", original, "1234567")
    assert str(short.value) == "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร"
    with pytest.raises(keys.KeyFileError) as garbage:
        keys.read_protected(b"-----BEGIN PRIVATE KEY-----")
    assert str(garbage.value) == "ไฟล์นี้ไม่ใช่ไฟล์กุญแจของ LEV Desktop"


def test_backups_carry_the_key_only_encrypted(tmp_path: Path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    export_package(store, "D4801", tmp_path / "first.levpkg")  # makes the key
    raw = _raw_private("4801006")
    pem = keys.key_path("4801006").read_bytes()
    path, fingerprint = keysafe.export_key(store, tmp_path / "usb" / "หนองแสง", PASSWORD, PASSWORD)
    assert path.name == "หนองแสง.levkey"
    assert fingerprint == keys.office_fingerprint("4801006")
    made = backups.make_backup(store).path
    assert keysafe.escrow(store)["secret"] in made.read_text(encoding="latin-1")
    for data in (made.read_bytes(), path.read_bytes(), store.path.read_bytes()):
        assert raw not in data and pem not in data
    assert keysafe.key_state(store).in_backups
    store.dispose()


def test_reinstalled_computer_gets_the_same_identity_from_a_backup(tmp_path: Path, monkeypatch):
    # The old laptop: sends to the district, backs up to a USB stick with the key in it.
    (tmp_path / "old").mkdir()
    lao = make_lao(tmp_path / "old" / "lao.db", "4801006")
    district = make_district(tmp_path / "district.db")
    first = export_package(lao, "D4801", tmp_path / "1.levpkg")
    importer.import_files(district, [first.path], trust=True)
    keysafe.export_key(lao, tmp_path / "key.levkey", PASSWORD, PASSWORD)
    usb = tmp_path / "usb"
    usb.mkdir()
    on_stick = backups.make_backup(lao, to=usb).second_path
    old_fingerprint = keys.office_fingerprint("4801006")
    lao.dispose()

    # The new laptop: a fresh data folder (no key), the database restored from the stick.
    monkeypatch.setenv("LEV_DATA_DIR", str(tmp_path / "new-data"))
    assert not keys.has_key("4801006")
    new_db = tmp_path / "new" / "lev.db"
    new_db.parent.mkdir()
    restore_backup(new_db, on_stick)
    from db.store import Store

    restored = Store(new_db)
    state = keysafe.key_state(restored)
    assert state.restorable and not state.fingerprint
    with pytest.raises(keys.KeyFileError):
        keysafe.restore_key_from_database(restored, "ผิดรหัส 12345")
    assert not keys.has_key("4801006")
    assert keysafe.restore_key_from_database(restored, PASSWORD) == old_fingerprint
    assert keysafe.key_state(restored).in_backups

    # Its next package goes straight in at the district: same key, a later sequence.
    second = export_package(restored, "D4801", tmp_path / "2.levpkg", since_last=True)
    assert second.sequence > first.sequence
    plan, result = importer.import_files(district, [second.path])
    assert [p.status for p in plan.packages] == [importer.Status.OK]
    assert len(result.imported) == 1 and not result.refused
    restored.dispose()
    district.dispose()


def test_key_file_of_another_office_is_refused(tmp_path: Path, monkeypatch):
    lao = make_lao(tmp_path / "lao.db", "4801006")
    other = make_lao(tmp_path / "other.db", "4801007")
    export_package(other, "D4801", tmp_path / "o.levpkg")
    path, _fp = keysafe.export_key(other, tmp_path / "other", PASSWORD)
    with pytest.raises(keys.KeyFileError) as refused:
        keysafe.import_key_file(lao, path, PASSWORD)
    assert str(refused.value) == ("ไฟล์กุญแจนี้เป็นของหน่วยงาน 4801007 แต่ฐานข้อมูลนี้เป็นของหน่วยงาน 4801006")
    lao.dispose()
    other.dispose()


def test_importing_a_key_keeps_the_replaced_one(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", "4801006")
    export_package(lao, "D4801", tmp_path / "1.levpkg")
    path, old = keysafe.export_key(lao, tmp_path / "k", PASSWORD)
    keys.key_path("4801006").unlink()
    newer = keys.office_fingerprint("4801006")  # the reinstalled program made a new key
    assert newer != old
    assert keysafe.import_key_file(lao, path, PASSWORD) == old
    kept = list(keys.keys_dir().glob("4801006.pem.replaced-*"))
    assert len(kept) == 1
    replaced = serialization.load_pem_private_key(kept[0].read_bytes(), password=None)
    assert keys.fingerprint(replaced) == newer
    lao.dispose()


def test_lev_key_export_and_import(tmp_path: Path, capsys):
    from lev_desktop.cli import main

    lao = make_lao(tmp_path / "lao.db", "4801006")
    export_package(lao, "D4801", tmp_path / "1.levpkg")
    lao.dispose()
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "lao.db")]
    assert main([*db, "key-export", str(tmp_path / "k"), "--password-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert f"บันทึกไฟล์กุญแจแล้ว: {tmp_path / 'k.levkey'}" in out
    fingerprint = keys.office_fingerprint("4801006")
    keys.key_path("4801006").unlink()
    assert main([*db, "key-import", "--password-file", str(secret)]) == 0
    assert keys.office_fingerprint("4801006") == fingerprint
