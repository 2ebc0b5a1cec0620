"""redteam14: a workbook saved with a password (Excel: File › Info › Protect Workbook ›
Encrypt with Password) was called damaged or "not an .xlsx file — save it again as .xlsx" by
the plan, LAO-list and KPI-form readers; Excel saves it again with its password, so the clerk
went round in circles. ``tests/data/password-1234.xlsx`` is a real one: a two-row workbook made
with openpyxl and encrypted with msoffcrypto-tool 6.1.0 (``OOXMLFile.encrypt("1234", …)``),
an OLE compound file as Excel writes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exports.xlsx.lao_list import LaoListError, read_lao_list
from exports.xlsx.plan_import import PlanImportError, open_workbook
from lev_desktop import workbooks

from .helpers import assert_refused, make_district

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "password-1234.xlsx"


def _said(name: str) -> str:
    return (
        f"{name} มีรหัสผ่านป้องกันไว้ จึงอ่านไม่ได้ โปรดเปิดไฟล์ใน Excel ด้วยรหัสผ่าน "
        "แล้วนำรหัสผ่านออก (ไฟล์ › ข้อมูล › ป้องกันเวิร์กบุ๊ก › เข้ารหัสด้วยรหัสผ่าน: "
        "ลบรหัสผ่านในช่องให้ว่าง แล้วกดตกลง) บันทึกไฟล์ แล้วลองอีกครั้ง"
    )


@pytest.fixture
def locked(tmp_path) -> Path:
    return Path(shutil.copyfile(SAMPLE, tmp_path / "แผน 2568.xlsx"))


def test_the_sample_is_a_password_protected_workbook(locked):
    assert workbooks.archive_problem(locked, max_unpacked=10**6) == workbooks.ENCRYPTED
    assert workbooks.archive_problem(locked.read_bytes(), max_unpacked=10**6) == "encrypted"


def test_an_old_xls_or_junk_is_still_called_damaged(tmp_path):
    ole = tmp_path / "old.xls"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    assert workbooks.archive_problem(ole, max_unpacked=10**6) == workbooks.DAMAGED


def test_the_plan_reader_says_to_remove_the_password(locked):
    with pytest.raises(PlanImportError) as refused:
        open_workbook(locked)
    assert str(refused.value) == _said("แผน 2568.xlsx")


def test_the_lao_list_reader_says_to_remove_the_password(locked):
    with pytest.raises(LaoListError) as refused:
        read_lao_list(locked, province_code="48")
    assert str(refused.value) == _said("แผน 2568.xlsx")


def test_a_kpi_form_with_a_password_is_refused_saying_so(locked, tmp_path):
    district = make_district(tmp_path / "d.db")
    reason = assert_refused(district, locked, "password")
    assert reason == _said("แผน 2568.xlsx")
    district.dispose()
