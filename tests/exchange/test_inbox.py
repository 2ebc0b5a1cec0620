"""The inbox list says what is true of each file whatever the file claims: verified from a
known office (named from this database), signed by a key not trusted yet (the name claimed,
marked as claimed), or cannot be verified (damaged, changed after signing, not a package)."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lev_desktop import i18n
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer, inbox, keys
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.inbox import inbox_dir, pending_packages
from lev_desktop.services.offices import update_office
from lev_desktop.thai_format import format_date

from .helpers import make_district, make_lao, members, write_members

LAO = "4801006"
DB_NAME = "อบต.ทดสอบ 4801006"  # the LAO's name as the district's database knows it


def _trusted_pair(tmp_path: Path):
    """A district that imported (and trusted) the LAO's first package; the LAO then renamed
    itself, so that its next packages claim another name than the district's database."""
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1)
    district = make_district(tmp_path / "d.db")
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    importer.import_files(district, [first], trust=True)
    update_office(lao, LAO, name="อบต.ชื่อใหม่")
    return lao, district


def _forged(
    files: dict[str, bytes], name: str, key: Ed25519PrivateKey | None, **changes: object
) -> dict[str, bytes]:
    """The manifest's sender name (and ``changes``) changed; signed again with ``key`` (None:
    not signed again)."""
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["sender"]["name"] = name
    manifest.update(changes)
    if key is not None:
        manifest["sender_key"]["public_key"] = keys.public_b64(key)
        manifest["sender_key"]["fingerprint"] = keys.fingerprint(key)
    data = fmt.canonical_json(manifest)
    out = {**files, fmt.MANIFEST: data}
    if key is not None:
        out[fmt.SIGNATURE] = keys.sign(key, data)
    return out


def test_a_package_from_a_trusted_key_is_named_from_this_database(tmp_path: Path):
    lao, district = _trusted_pair(tmp_path)
    path = export_package(lao, "D4801", inbox_dir() / "second.levpkg").path
    [found] = pending_packages(district)
    assert found.path == str(path)
    assert (found.check, found.from_office, found.from_name) == (inbox.VERIFIED, LAO, DB_NAME)
    assert found.check_text == "ตรวจสอบแล้ว" and found.problem == "" and found.importable
    assert found.sequence == 2
    lao.dispose()
    district.dispose()


def test_a_forged_manifest_is_not_shown_as_that_office(tmp_path: Path):
    """The sender's name changed after signing: the signature does not match, so nothing the
    manifest says is shown (neither the code nor the name)."""
    lao, district = _trusted_pair(tmp_path)
    real = members(export_package(lao, "D4801", tmp_path / "real.levpkg").path)
    write_members(inbox_dir() / "forged.levpkg", _forged(real, "อบต.ปลอม", None))
    [found] = pending_packages(district)
    assert (found.check, found.from_office, found.from_name) == (inbox.DAMAGED, "", "")
    assert found.check_text == "ตรวจสอบไม่ได้" and not found.importable
    assert found.problem == "ลายมือชื่ออิเล็กทรอนิกส์ไม่ตรงกับเนื้อหา ไฟล์ถูกแก้ไขหลังลงนาม"
    assert found.summary == "" and found.file_name == "forged.levpkg"
    lao.dispose()
    district.dispose()


def test_a_manifest_signed_again_by_another_key_shows_its_claim_as_a_claim(tmp_path: Path):
    lao, district = _trusted_pair(tmp_path)
    real = members(export_package(lao, "D4801", tmp_path / "real.levpkg").path)
    other = Ed25519PrivateKey.generate()
    write_members(inbox_dir() / "resigned.levpkg", _forged(real, "อบต.ปลอม", other))
    [found] = pending_packages(district)
    assert found.check == inbox.KEY_CHANGED and found.check_text == "กุญแจไม่ตรง"
    assert found.from_name == "ผู้ส่งแจ้งว่าเป็น อบต.ปลอม (4801006)"
    assert found.problem == ("ลงนามด้วยกุญแจอื่น ไม่ใช่กุญแจที่สำนักงานนี้เชื่อถือสำหรับ 4801006")
    lao.dispose()
    district.dispose()


def test_a_key_not_trusted_yet_is_marked_and_its_name_claimed(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1)
    district = make_district(tmp_path / "d.db")
    export_package(lao, "D4801", inbox_dir() / "first.levpkg")
    [found] = pending_packages(district)
    assert (found.check, found.from_office) == (inbox.UNTRUSTED, LAO)
    assert found.check_text == "ยังไม่เชื่อถือกุญแจ" and found.importable
    assert found.from_name == "ผู้ส่งแจ้งว่าเป็น อบต.ทดสอบ 4801006 (4801006)"
    assert found.problem == "ตรวจลายนิ้วมือกุญแจของ 4801006 ก่อนนำเข้า"
    lao.dispose()
    district.dispose()


def test_damaged_files_are_listed_with_the_reason_and_never_offered(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1)
    district = make_district(tmp_path / "d.db")
    data = export_package(lao, "D4801", tmp_path / "p.levpkg").path.read_bytes()
    (inbox_dir() / "a-cut.levpkg").write_bytes(data[: len(data) // 2])  # cut off while copying
    files = members(tmp_path / "p.levpkg")
    payload = next(name for name in files if name.startswith(fmt.PAYLOAD_DIR))
    files[payload] = files[payload].replace(b"4801006", b"4801007", 1)  # a changed payload
    write_members(inbox_dir() / "b-changed.levpkg", files)
    (inbox_dir() / "c-junk.levpkg").write_bytes(b"not a zip")
    write_members(inbox_dir() / "d-empty.levpkg", {"readme.txt": b"hello"})
    found = pending_packages(district)
    assert [(p.file_name, p.check, p.from_office, p.from_name) for p in found] == [
        ("a-cut.levpkg", inbox.DAMAGED, "", ""),
        ("b-changed.levpkg", inbox.DAMAGED, "", ""),
        ("c-junk.levpkg", inbox.DAMAGED, "", ""),
        ("d-empty.levpkg", inbox.DAMAGED, "", ""),
    ]
    assert [p.problem for p in found] == [
        "ไฟล์เสียหายหรือไม่ครบ",
        "เนื้อหาไม่ตรงกับที่ลงนามไว้ ถูกแก้ไขหรือเสียหาย",
        "ไฟล์เสียหายหรือไม่ครบ",
        "ไม่ใช่แพ็กเกจของ LEV Desktop",
    ]
    assert not any(p.importable for p in found)
    assert found[0].detail.startswith("ไฟล์แพ็กเกจเสียหายหรือไม่สมบูรณ์")  # the import's reason
    lao.dispose()
    district.dispose()


def test_a_damaged_files_reason_follows_the_interface_language(tmp_path: Path, monkeypatch):
    """The checks are kept per file, but the import's reason is shown in the language of the
    moment: switched to English and back (a restore bringing another language setting), each
    listing says it in the current language; a verified file is not read again meanwhile."""
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1)
    district = make_district(tmp_path / "d.db")
    data = export_package(lao, "D4801", tmp_path / "p.levpkg").path.read_bytes()
    (inbox_dir() / "a-cut.levpkg").write_bytes(data[: len(data) // 2])
    export_package(lao, "D4801", inbox_dir() / "b-whole.levpkg")
    thai = "ไฟล์แพ็กเกจเสียหายหรือไม่สมบูรณ์ (อาจคัดลอกไม่ครบ) โปรดขอไฟล์ใหม่จากผู้ส่ง"
    english = (
        "The package file is damaged or incomplete (it may have been cut off while copying). "
        "Please ask the sender for the file again."
    )
    cut = pending_packages(district)[0]
    assert (cut.problem, cut.detail) == ("ไฟล์เสียหายหรือไม่ครบ", thai)
    checked: list[str] = []
    real_check = inbox._check
    monkeypatch.setattr(inbox, "_check", lambda path: checked.append(path.name) or real_check(path))
    i18n.install("en")
    cut = pending_packages(district)[0]
    assert (cut.problem, cut.detail) == ("The file is damaged or incomplete", english)
    i18n.install("th")
    cut = pending_packages(district)[0]
    assert (cut.problem, cut.detail) == ("ไฟล์เสียหายหรือไม่ครบ", thai)
    assert pending_packages(district)[0].detail == thai
    assert checked == ["a-cut.levpkg", "a-cut.levpkg"]  # once per language; the whole one never
    lao.dispose()
    district.dispose()


def _cells(section) -> list[list[str]]:
    grid = section.grid
    rows = []
    for row in range(grid.rowCount()):
        cells = []
        for column in range(grid.columnCount()):
            item = grid.itemAtPosition(row, column)
            widget = item.widget() if item is not None else None
            if widget is not None:
                cells.append(widget.text())
        if cells:
            rows.append(cells)
    return rows


def test_the_home_screen_says_what_the_check_found(tmp_path: Path, qtbot, make_ctx):
    from ui.screens.home import HomeScreen

    lao, district = _trusted_pair(tmp_path)
    other = make_lao(tmp_path / "other.db", "4801007", seed=2)
    export_package(lao, "D4801", inbox_dir() / "a-second.levpkg")
    export_package(other, "D4801", inbox_dir() / "b-other.levpkg")
    data = export_package(lao, "D4801", tmp_path / "third.levpkg").path.read_bytes()
    (inbox_dir() / "c-cut.levpkg").write_bytes(data[:-200])
    verified, untrusted, cut = pending_packages(district)
    ctx = make_ctx(district)
    home = HomeScreen(ctx)
    qtbot.addWidget(home)
    home.resize(1166, 708)
    with qtbot.waitSignal(ctx.badge_changed, timeout=10000):
        home.refresh()
    assert verified.summary.startswith("ลำดับที่ 2 · ")
    assert untrusted.summary.startswith("ลำดับที่ 1 · ")
    day = format_date(verified.received_at)  # the day the file came into the folder
    assert _cells(home.packages) == [
        ["ตรวจสอบแล้ว", day, f"{DB_NAME}\n{verified.summary}", "นำเข้า…"],
        [
            "ยังไม่เชื่อถือกุญแจ",
            day,
            "ผู้ส่งแจ้งว่าเป็น อบต.ทดสอบ 4801007 (4801007)\n"
            f"{untrusted.summary}\n"
            "ตรวจลายนิ้วมือกุญแจของ 4801007 ก่อนนำเข้า",
            "นำเข้า…",
        ],
        ["ตรวจสอบไม่ได้", day, "c-cut.levpkg\nไฟล์เสียหายหรือไม่ครบ"],  # nothing to import
    ]
    assert home.packages.grid.itemAtPosition(2, 2).widget().toolTip() == cut.detail
    assert len(home.packages.buttons) == 2
    with qtbot.waitSignal(ctx.navigate, timeout=3000) as signal:
        home.packages.buttons[0].click()
    assert signal.args == ["exchange", [verified.path]]
    ctx.runner.wait()
    lao.dispose()
    other.dispose()
