"""redteam14: an office's name that makes the board or a printout show another office's name.
An LAO's own signed package may rename it; it could take, or draw alike, its neighbour's name
(zero-width characters, SARA E twice for SARA AE), and the district's board and F3 then showed
two rows of one name. An office record's name is refused when it holds a character that draws
nothing, or when it looks the same as another office's of its district."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from db.models import Office
from exports.xlsx.lao_list import read_lao_list
from lev_desktop.domain.validation import office_name_key, office_name_problem
from lev_desktop.exchange import importer, inbox
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.inbox import inbox_dir, pending_packages
from lev_desktop.services.offices import add_laos

from .helpers import assert_refused, jsonl, members, read_jsonl, resign, write_members

NEIGHBOURS = [
    {"code": "4801007", "name": "อบต.บ้านใหม่", "lao_type": "sao", "district_code": "4801"},
    {"code": "4801008", "name": "อบต.แม่", "lao_type": "sao", "district_code": "4801"},
    {"code": "4801009", "name": "อบต.น้ำคำ", "lao_type": "sao", "district_code": "4801"},
    {"code": "4801010", "name": "อบต.บ้าน ใหม่", "lao_type": "sao", "district_code": "4801"},
]


def _renamed(lao, tmp_path: Path, name: str) -> Path:
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    records = read_jsonl(files["payload/offices.jsonl"])
    for record in records:
        if record["code"] == "4801006":
            record["name"] = name
            record["revision"] += 1
    files = resign(files, "4801006", payloads={"payload/offices.jsonl": jsonl(records)})
    return write_members(tmp_path / "renamed.levpkg", files)


def _names(store) -> dict[str, str]:
    with store.read() as session:
        return {office.code: office.name for office in session.scalars(select(Office))}


@pytest.fixture
def district_with_neighbours(offices, tmp_path):
    lao, district = offices
    add_laos(district, NEIGHBOURS)
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    importer.import_files(district, [first], trust=True)
    return lao, district


@pytest.mark.parametrize(
    ("name", "named", "other", "shown"),
    [
        ("อบต.บ้านใหม่", "อบต.บ้านใหม่", "4801007", "อบต.บ้านใหม่"),
        # SARA E twice, drawn as SARA AE
        ("อบต.\u0e40\u0e40ม่", "อบต.\u0e40\u0e40ม่", "4801008", "อบต.แม่"),
        # NIKHAHIT + SARA AA, drawn as SARA AM
        ("อบต.น\u0e49\u0e4d\u0e32คำ", "อบต.น\u0e49\u0e4d\u0e32คำ", "4801009", "อบต.น้ำคำ"),
        # a zero-width space is refused on its own; a full-width space is a space
        ("อบต.บ้าน\u3000ใหม่", "อบต.บ้านU+3000ใหม่", "4801010", "อบต.บ้าน ใหม่"),
    ],
)
def test_an_lao_may_not_take_the_name_of_another_lao_of_its_district(
    district_with_neighbours, tmp_path, name, named, other, shown
):
    lao, district = district_with_neighbours
    reason = assert_refused(district, _renamed(lao, tmp_path, name), "office_identity")
    assert reason == (
        f"แพ็กเกจตั้งชื่อหน่วยงาน 4801006 ว่า “{named}” ซึ่งดูเหมือน"
        f"ชื่อของหน่วยงาน {other} (“{shown}”) ในอำเภอเดียวกัน "
        "กระดานติดตามและรายงานจะแสดงหน่วยงานสองแห่งในชื่อเดียวกัน จึงไม่ได้นำเข้า "
        "การแก้ไขชื่อหน่วยงานให้ทำในรายชื่อ อปท."
    )
    assert _names(district)["4801006"] == "อบต.ทดสอบ 4801006"


@pytest.mark.parametrize(
    "name",
    [
        "อบต.บ้านใหม่\u200b",  # zero-width space
        "อบต.บ้\u200dานใหม่",  # zero-width joiner
        "อบต.ทดสอบ 4801006\u2060",  # word joiner
        "อบต.\u00adบ้านใหม่",  # soft hyphen
        "อบต.ทดสอบ\u2028D4801",  # line separator: Qt breaks the line there
        "อบต.\ue000ทดสอบ",  # private use
    ],
    ids=["zwsp", "zwj", "wj", "shy", "u2028", "pua"],
)
def test_an_office_name_with_a_character_that_draws_nothing_is_refused(
    district_with_neighbours, tmp_path, name
):
    lao, district = district_with_neighbours
    reason = assert_refused(district, _renamed(lao, tmp_path, name), "validation")
    assert reason == "หน่วยงาน “4801006”: ชื่อ: มีอักขระที่ไม่ใช่ข้อความ"
    assert office_name_problem(name) == "มีอักขระที่ไม่ใช่ข้อความ"


def test_an_lao_may_still_be_renamed_to_a_name_of_its_own(district_with_neighbours, tmp_path):
    lao, district = district_with_neighbours
    _plan, result = importer.import_files(
        district, [_renamed(lao, tmp_path, "เทศบาลตำบลบ้านใหม่")], trust=True
    )
    assert len(result.imported) == 1
    assert _names(district)["4801006"] == "เทศบาลตำบลบ้านใหม่"


def test_a_name_this_office_already_holds_twice_is_not_judged_again(offices, tmp_path):
    lao, district = offices
    add_laos(district, [*NEIGHBOURS, {**NEIGHBOURS[0], "code": "4801006"}])
    _plan, result = importer.import_files(
        district, [_renamed(lao, tmp_path, "อบต.บ้านใหม่")], trust=True
    )
    assert len(result.imported) == 1


def test_office_name_key_draws_alike_names_alike():
    assert office_name_key("อบต.\u0e40\u0e40ม่") == office_name_key("อบต.แม่")
    assert office_name_key("น\u0e4d\u0e32") == office_name_key("นำ")
    assert office_name_key("ท\u0e48\u0e35") == office_name_key("ที่")
    assert office_name_key("อบต.  บ้าน\u3000ใหม่\u200b") == office_name_key("อบต. บ้าน ใหม่")
    assert office_name_key("ＡＢ") == office_name_key("ab")
    assert office_name_key("อบต.บ้านใหม่") != office_name_key("อบต.บ้านใหม")


def _lao_list(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["ชื่อ อปท.", "ประเภท", "อำเภอ", "รหัส"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_lao_list_row_that_draws_another_laos_name(tmp_path):
    path = _lao_list(
        tmp_path / "l.xlsx",
        [
            ["อบต.\u0e40\u0e40ม่", "อบต.", "เมืองนครพนม", "4801009"],
            ["อบต.บ้านใหม่", "อบต.", "เมืองนครพนม", ""],
            ["อบต.บ้าน\u200bใหม่", "อบต.", "เมืองนครพนม", ""],
        ],
    )
    preview = read_lao_list(path, province_code="48", existing=[("4801008", "อบต.แม่", "4801")])
    assert [(row.code, row.problems) for row in preview.rows] == [
        ("4801009", ["ชื่อดูเหมือนชื่อของ อปท. 4801008 ในอำเภอนี้"]),
        ("4801001", []),
        ("", ["ชื่อ: มีอักขระที่ไม่ใช่ข้อความ", "ซ้ำกับแถวที่ 3"]),
    ]


def test_a_first_package_claiming_a_neighbours_name_is_refused_before_trust(offices, tmp_path):
    """The claimed name is shown beside the new key's fingerprint: with a neighbour's name
    the officer would trust a stranger's key as the neighbour's."""
    lao, district = offices
    add_laos(district, NEIGHBOURS)
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)

    def claim(manifest):
        manifest["sender"]["name"] = "อบต.บ้านใหม่"

    files = resign(files, "4801006", mutate_manifest=claim)
    path = write_members(tmp_path / "claims.levpkg", files)
    reason = assert_refused(district, path, trust=False)
    assert reason == (
        "ไม่ได้นำเข้าแพ็กเกจจาก 4801006: แพ็กเกจตั้งชื่อหน่วยงาน 4801006 ว่า “อบต.บ้านใหม่” "
        "ซึ่งดูเหมือนชื่อของหน่วยงาน 4801007 (“อบต.บ้านใหม่”) ในอำเภอเดียวกัน "
        "กระดานติดตามและรายงานจะแสดงหน่วยงานสองแห่งในชื่อเดียวกัน จึงไม่ได้นำเข้า "
        "การแก้ไขชื่อหน่วยงานให้ทำในรายชื่อ อปท."
    )


@pytest.mark.parametrize(
    "name",
    ["อบต.X\nตรวจสอบแล้ว: อบต.บ้านใหม่", "อบต.ทดสอบ \u202e6001084", "อบต.บ้านใหม่\u200b"],
    ids=["lf", "rlo", "zwsp"],
)
def test_the_inbox_lists_a_package_whose_claimed_name_is_not_a_name_as_refused(
    offices, tmp_path, name
):
    """The inbox showed "ผู้ส่งแจ้งว่าเป็น อบต.X" and, on a line of its own, "ตรวจสอบแล้ว: …",
    and offered the file for import; the import refuses it before trust."""
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "src.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m["sender"].update(name=name))
    write_members(inbox_dir() / "claims.levpkg", files)
    [found] = pending_packages(district)
    assert (found.check, found.from_office, found.from_name) == (inbox.DAMAGED, "", "")
    assert not found.importable
    assert found.problem == "ชื่อผู้ส่งที่ระบุในแพ็กเกจมีอักขระที่ไม่ใช่ข้อความ"
    assert found.detail == "ไม่ได้นำเข้าแพ็กเกจจาก 4801006: ชื่อ: มีอักขระที่ไม่ใช่ข้อความ"
