"""A workbook someone else made is looked at as an archive before openpyxl reads it
(``lev_desktop.workbooks``). Before, a 0.75 MB plan whose one sheet unpacked to 315 MB took
5.1 s and 831 MB of memory to preview; the LAO list read every row of it. Now both say in Thai
that the file is too large, at once, and read nothing."""

from __future__ import annotations

import io
import resource
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from exports.xlsx.lao_list import LaoListError, read_lao_list
from exports.xlsx.plan_import import PlanImportError, open_workbook
from lev_desktop import workbooks


def _plan(path: Path, filler_mb: int) -> Path:
    """A real plan workbook whose one project name is ``filler_mb`` MB of Thai text."""
    book = Workbook()
    book.active.append(["ลำดับ", "ชื่อโครงการ", "งบประมาณ"])
    book.active.append([1, "XXFILLXX", "5,000"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and filler_mb:
                before, after = data.split(b"XXFILLXX")
                with out.open(info.filename, "w", force_zip64=True) as part:
                    part.write(before)
                    for _ in range(filler_mb):
                        part.write("โครงการ".encode() * 50_000)  # (1.05 MB)
                    part.write(after)
            else:
                out.writestr(info, data)
    return path


def test_an_ordinary_plan_is_opened(tmp_path):
    preview = open_workbook(_plan(tmp_path / "แผน.xlsx", 0))
    assert preview.sheets[0].rows[1] == ["1", "XXFILLXX", "5,000"]
    assert workbooks.archive_problem(tmp_path / "แผน.xlsx", max_unpacked=1024**2) is None


def test_a_plan_that_unpacks_far_beyond_its_size_is_refused_before_it_is_read(tmp_path):
    path = _plan(tmp_path / "แผน 2568.xlsx", 60)
    assert path.stat().st_size < 1024**2  # (60 MB of sheet packed into a small file)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(PlanImportError) as refused:
        open_workbook(path)
    assert str(refused.value) == (
        "แผน 2568.xlsx ใหญ่เกินกว่าจะเป็นแผนปฏิบัติงาน (ข้อมูลในไฟล์มีมากเกิน 50 MB "
        "หรือไฟล์ถูกบีบอัดผิดปกติ) จึงไม่ได้นำเข้าข้อมูลใด โปรดเปิดไฟล์ใน Excel ตรวจสอบ แล้วบันทึกใหม่"
    )
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50, grown_mb  # nothing of the sheet was read (before: ~160 MB here)
    with pytest.raises(LaoListError) as refused_list:
        read_lao_list(path, province_code="48")
    assert "ใหญ่เกินกว่าจะเป็นรายชื่อ อปท." in str(refused_list.value)


def test_packed_far_more_than_a_spreadsheet_program_packs(tmp_path):
    """Under the size limit, but packed more than 200 times: refused by its ratio."""
    path = _plan(tmp_path / "plan.xlsx", 5)
    assert workbooks.archive_problem(path, max_unpacked=50 * 1024**2) == workbooks.TOO_LARGE
    assert workbooks.archive_problem(path.read_bytes(), max_unpacked=50 * 1024**2) == (
        workbooks.TOO_LARGE
    )
    assert workbooks.archive_problem(b"not a zip", max_unpacked=1) == workbooks.DAMAGED
