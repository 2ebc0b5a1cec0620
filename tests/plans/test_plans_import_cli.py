"""Excel import of an existing plan (Qt-free reader) and the ``lev plans`` command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from exports.xlsx import plan_import
from lev_desktop.cli import main
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id

P1 = builtin_id("P1")
HEADER = [
    "ลำดับ",
    "โครงการ",
    "วัตถุประสงค์",
    "เป้าหมาย\n(ผลผลิตของโครงการ)",
    "สถานที่ดำเนินการ",
    "งบประมาณ (บาท)",
    "ตัวชี้วัด (KPI)",
    "ผลที่คาดว่าจะได้รับ",
]


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "แผน อถล."
    sheet.append(["แผนปฏิบัติงานเครือข่าย อถล. ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.create_sheet("หมายเหตุ").append(["ไม่เกี่ยวข้อง"])
    book.save(path)
    return path


def test_reader_guesses_the_header_and_mapping(tmp_path):
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            [1, "โครงการปลูกต้นไม้", "เพิ่มพื้นที่สีเขียว", "๑,๐๐๐ ต้น", "ริมโขง", 12500, "จำนวนต้นไม้", "ร่มรื่น"],
            [
                2,
                "โครงการธนาคารขยะ",
                "ลดขยะ",
                "๕๐ ครัวเรือน",
                "หมู่ ๓",
                "ไม่ใช้งบประมาณ",
                "กก./เดือน",
                "ขยะลดลง",
            ],
            [None, None, None, None, None, None, None, None],
            ["", "รวม", "", "", "", "๑๒,๕๐๐", "", ""],
        ],
    )
    preview = plan_import.open_workbook(path)
    sheet = preview.sheets[preview.best_sheet()]
    assert sheet.name == "แผน อถล." and sheet.header_row == 2
    assert sheet.mapping == {
        "project": 1,
        "objective": 2,
        "target": 3,
        "location": 4,
        "budget": 5,
        "kpi": 6,
        "expected_result": 7,
    }
    result = plan_import.extract_rows(path, sheet.name, sheet.header_row, sheet.mapping)
    assert [r["project"] for r in result.rows] == ["โครงการปลูกต้นไม้", "โครงการธนาคารขยะ"]
    assert result.skipped == 2  # the empty line and the total
    assert result.rows[0]["budget"] == Decimal("12500.00")
    assert result.rows[1]["no_budget"] is True and "budget" not in result.rows[1]


def test_bad_cells_are_reported_by_row(tmp_path):
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            [1, "โครงการ ก", "", "", "", "ห้าพันบาท", "", ""],
            [2, "โครงการ ข", "", "", "", "-300", "", ""],
            [3, "โครงการ ค", "", "", "", "300", "", ""],
        ],
    )
    result = plan_import.extract_rows(path, "แผน อถล.", 2, plan_import.guess_mapping(HEADER))
    assert [n for n, _m in result.problems] == [4, 5]
    assert "ตัวเลข" in result.problems[0][1]
    assert [r["project"] for r in result.rows] == ["โครงการ ค"]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip", "ไม่ใช่ excel".encode()])
def test_broken_files_give_a_thai_message_and_change_nothing(lao_store, tmp_path, content):
    path = tmp_path / "เสีย.xlsx"
    path.write_bytes(content)
    with pytest.raises(plan_import.PlanImportError, match=r"ไม่สามารถอ่าน เสีย\.xlsx"):
        plan_import.open_workbook(path)
    with pytest.raises(plan_import.PlanImportError):
        plan_import.extract_rows(path, "Sheet", 0, {"project": 0})
    assert ps.load_plan(lao_store, "4801006", P1, 2568).plan_id is None


def test_import_rows_is_all_or_nothing(lao_store):
    with pytest.raises(ps.PlanError, match="แถวที่ 2"):
        ps.import_rows(
            lao_store,
            P1,
            2568,
            [{"project": "ก", "budget": "100"}, {"project": "ข", "budget": "abc"}],
        )
    assert ps.load_plan(lao_store, "4801006", P1, 2568).items == []
    assert ps.import_rows(lao_store, P1, 2568, [{"project": "ก", "budget": Decimal("100")}]) == 1


def test_cli_prints_the_plan_rows(demo_store, capsys):
    view = ps.load_plan(demo_store, "4801002", P1, 2568)
    code = main(
        ["--db", str(demo_store.path), "plans", "--office", "4801002", "--fiscal-year", "2568"]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(view.items) >= 3
    cells = [line.split("\t") for line in lines]
    assert all(len(c) == 9 for c in cells)
    assert [c[0] for c in cells] == [str(n) for n in range(1, len(cells) + 1)]
    assert cells[0][1] == view.items[0].project
    budgets = {c[5] for c in cells}
    assert "ไม่ใช้งบประมาณ" in budgets and "20,000.00" in budgets
    assert cells[0][8] == f"{view.items[0].done}/{view.items[0].planned_activities}"


def test_cli_errors_are_thai(demo_store, capsys):
    assert (
        main(
            ["--db", str(demo_store.path), "plans", "--office", "9999999", "--fiscal-year", "2568"]
        )
        == 2
    )
    assert "ไม่พบหน่วยงาน" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(demo_store.path),
                "plans",
                "--office",
                "4801002",
                "--fiscal-year",
                "2568",
                "--programme",
                "P9",
            ]
        )
        == 2
    )
    assert "ไม่พบโครงการ" in capsys.readouterr().err
