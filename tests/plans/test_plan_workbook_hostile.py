"""redteam14: a clerk's plan workbook (F1 in Excel) that is damaged or not what it seems:
its sheet XML cut or naming a shared string the file lacks (a crash or "cannot be read"
without a reason), a hidden old plan first in the book (imported instead of the plan), more
rows than a plan has (the rows past 5,000 were left out without a word)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from exports.xlsx.plan_import import PlanImportError, extract_rows, open_workbook

HEADER = ["ลำดับ", "โครงการ", "วัตถุประสงค์", "เป้าหมาย", "สถานที่", "งบประมาณ", "ตัวชี้วัด", "ผลที่คาด"]


def _plan(path: Path, rows: list[list], *, hidden_old_plan: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "แผน"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if hidden_old_plan:
        old = book.create_sheet("แผนปีก่อน", 0)
        old.sheet_state = "hidden"
        old.append(HEADER)
        old.append([1, "โครงการปีก่อน", "ก", "ข", "ค", 5, "ง", "จ"])
    book.save(path)
    return path


ROWS = [[1, "ธนาคารขยะ", "ลดขยะ", "10 ครัวเรือน", "หมู่ 1", 1000, "ร้อยละ 80", "ขยะลดลง"]]


def _edited(source: Path, target: Path, change) -> Path:
    """``source`` with its first sheet's XML changed by hand, the zip otherwise the same."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    return target


def _read(path: Path) -> list[tuple[str, object]]:
    preview = open_workbook(path)
    sheet = preview.sheets[preview.best_sheet()]
    result = extract_rows(path, sheet.name, sheet.header_row, sheet.mapping)
    return [(row["project"], row.get("budget")) for row in result.rows]


UNREADABLE = (
    "ไม่สามารถอ่าน {name} ได้: ไฟล์ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย — "
    "โปรดเปิดไฟล์ใน Excel บันทึกใหม่เป็น .xlsx แล้วลองอีกครั้ง"
)


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[: len(xml) // 2],  # the sheet's XML cut (ParseError)
        lambda xml: re.sub(  # a text cell naming shared string 999 of none (IndexError)
            r'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>',
            '<c r="B2" t="s"><v>999</v></c>',
            xml,
        ),
    ],
    ids=["cut", "shared-string"],
)
def test_a_damaged_sheet_is_called_damaged_in_thai(tmp_path, change):
    path = _edited(_plan(tmp_path / "plan.xlsx", ROWS), tmp_path / "damaged.xlsx", change)
    with pytest.raises(PlanImportError) as refused:
        _read(path)
    assert str(refused.value) == UNREADABLE.format(name="damaged.xlsx")


def test_the_visible_plan_is_chosen_over_a_hidden_old_one(tmp_path):
    path = _plan(tmp_path / "plan.xlsx", ROWS, hidden_old_plan=True)
    preview = open_workbook(path)
    assert [(sheet.name, sheet.hidden) for sheet in preview.sheets] == [
        ("แผนปีก่อน", True),
        ("แผน", False),
    ]
    assert _read(path) == [("ธนาคารขยะ", 1000)]


def test_a_hidden_sheet_is_still_chosen_when_it_alone_is_a_plan(tmp_path):
    book = Workbook()
    book.active.title = "ปก"
    book.active.append(["แผนปฏิบัติงาน อบต.ทดสอบ"])
    only = book.create_sheet("แผน")
    only.sheet_state = "hidden"
    only.append(HEADER)
    only.append(ROWS[0])
    book.save(tmp_path / "plan.xlsx")
    assert _read(tmp_path / "plan.xlsx") == [("ธนาคารขยะ", 1000)]


def test_rows_past_the_limit_refuse_the_file_instead_of_being_left_out(tmp_path):
    rows = [[n, f"โครงการ {n}", "ก", "ข", "ค", 1, "ง", "จ"] for n in range(1, 5002)]
    path = _plan(tmp_path / "plan.xlsx", rows)
    with pytest.raises(PlanImportError) as refused:
        _read(path)
    assert str(refused.value) == (
        "plan.xlsx มีข้อมูลใต้แถวหัวตารางมากกว่า 5,000 แถว (แถวที่ 5002 มีข้อมูล) "
        "ซึ่งไม่ใช่แผนปฏิบัติงานแผนเดียว โปรดตรวจสอบแผ่นงานและแถวหัวตาราง ยังไม่ได้นำเข้าข้อมูลใด"
    )
    assert len(_read(_plan(tmp_path / "full.xlsx", rows[:5000]))) == 5000
