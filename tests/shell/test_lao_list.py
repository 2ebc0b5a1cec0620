"""The LAO list reader (Qt-free) and the one-transaction apply."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from exports.xlsx.lao_list import LaoListError, read_lao_list
from lev_desktop.domain.offices import LaoType
from lev_desktop.services.offices import add_laos, list_offices, subordinate_laos


def write_list(
    path: Path, rows: list[list], header=("ลำดับ", "ชื่อ อปท.", "ประเภท", "อำเภอ"), title: bool = True
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "รายชื่อ"
    if title:
        sheet.append(["รายชื่อองค์กรปกครองส่วนท้องถิ่น จังหวัดนครพนม"])
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_reads_thai_headers_below_a_title(tmp_path: Path):
    path = write_list(
        tmp_path / "laos.xlsx",
        [
            [1, "องค์การบริหารส่วนตำบลนาราชควาย", "อบต.", "เมืองนครพนม"],
            [2, "เทศบาลตำบลธาตุพนม", "เทศบาลตำบล", "อำเภอธาตุพนม"],
            [3, "เทศบาลเมืองนครพนม", "", "อ.เมืองนครพนม"],
        ],
    )
    preview = read_lao_list(path, province_code="48")
    assert preview.header_line == 3
    assert [r.line for r in preview.rows] == [4, 5, 6]
    assert [r.lao_type for r in preview.rows] == [LaoType.SAO, LaoType.SUBDISTRICT, LaoType.TOWN]
    assert [r.district_code for r in preview.rows] == ["4801", "4805", "4801"]
    assert all(not r.problems for r in preview.rows)
    codes = [r.code for r in preview.rows]
    assert len(set(codes)) == 3 and codes[0].startswith("4801") and codes[1].startswith("4805")


def test_english_headers_and_row_problems(tmp_path: Path):
    path = write_list(
        tmp_path / "en.xlsx",
        [
            ["อบต.ทดสอบ", "cooperative", "Mueang Nakhon Phanom"],
            ["", "อบต.", "เมืองนครพนม"],
            ["องค์การบริหารส่วนตำบลกุรุคุ", "อบต.", "อำเภอที่ไม่มีจริง"],
            ["องค์การบริหารส่วนตำบลโพนทอง", "อบต.", "เมืองนครพนม"],
            ["องค์การบริหารส่วนตำบลโพนทอง", "อบต.", "เมืองนครพนม"],
        ],
        header=("Name", "Type", "District"),
        title=False,
    )
    preview = read_lao_list(path, province_code="48")
    problems = [r.problems for r in preview.rows]
    assert any("cooperative" in p for p in problems[0])
    assert problems[1] == ["ไม่มีชื่อ"]
    assert any("อำเภอที่ไม่มีจริง" in p for p in problems[2])
    assert problems[3] == []
    assert problems[4] == ["ซ้ำกับแถวที่ 5"]
    assert len(preview.good_rows) == 1


def test_existing_lao_keeps_its_code(tmp_path: Path):
    path = write_list(
        tmp_path / "again.xlsx", [[1, "องค์การบริหารส่วนตำบลหนองแสง", "อบต.", "เมืองนครพนม"]]
    )
    preview = read_lao_list(
        path, province_code="48", existing=[("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "4801")]
    )
    assert preview.rows[0].code == "4801006"


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip", b""])
def test_broken_files_are_refused_in_thai(tmp_path: Path, content: bytes):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(LaoListError) as info:
        read_lao_list(path, province_code="48")
    assert "ไม่ใช่ไฟล์ Excel" in str(info.value)


def test_foreign_spreadsheet_is_refused(tmp_path: Path):
    workbook = Workbook()
    workbook.active.append(["วันที่", "รายการ", "จำนวนเงิน"])
    workbook.active.append(["1/1/2568", "ค่าน้ำ", 100])
    workbook.save(tmp_path / "budget.xlsx")
    with pytest.raises(LaoListError) as info:
        read_lao_list(tmp_path / "budget.xlsx", province_code="48")
    assert "ไม่พบรายชื่อ อปท." in str(info.value)


def test_add_laos_is_all_or_nothing(demo_store):
    before = len(list_offices(demo_store))
    rows = [
        {
            "code": "4801090",
            "name": "องค์การบริหารส่วนตำบลใหม่",
            "lao_type": "sao",
            "district_code": "4801",
        },
        {"code": "4801091", "name": "ผิด", "lao_type": "สหกรณ์", "district_code": "4801"},
    ]
    with pytest.raises(ValueError):
        add_laos(demo_store, rows)
    assert len(list_offices(demo_store)) == before
    add_laos(demo_store, rows[:1])
    added = [o for o in subordinate_laos(demo_store) if o.code == "4801090"]
    assert added and added[0].parent_code == "D4801"
