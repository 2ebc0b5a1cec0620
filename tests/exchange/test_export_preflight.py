"""An office never sends what the office above would refuse: the export reads its own payloads
as the receiver reads them, and a record that would be refused is named here, in Thai, with
nothing written (a Word line break pasted into a project before the editors refused one, or
data of an earlier version; the district refused the whole package over it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import (
    ExportError,
    ensure_key,
    export_package,
    this_office_info,
)

from .helpers import make_district, make_lao, make_province, snapshot


def _set_project(store, old: str, new: str) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE plan_items SET project = ? WHERE project = ?", (new, old)
        )


def test_a_record_the_district_would_refuse_is_named_and_nothing_is_written(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    district = make_district(tmp_path / "district.db")
    try:
        with lao.read() as session:
            project = session.scalars(text("SELECT project FROM plan_items ORDER BY id")).first()
        _set_project(lao, project, "ปุ๋ยหมัก\x0bระยะที่ 2")  # (a Word line break)
        # (its key is made at its first export, refused or not: the office record carries it)
        ensure_key(lao, this_office_info(lao))
        before = snapshot(lao)
        out = tmp_path / "to-district.levpkg"
        with pytest.raises(ExportError) as refused:
            export_package(lao, "D4801", out)
        assert str(refused.value) == (
            "หน่วยงานที่รับแพ็กเกจนี้จะปฏิเสธแพ็กเกจ จึงยังไม่ได้เขียนไฟล์ "
            "โปรดแก้ไขรายการเหล่านี้แล้วส่งออกอีกครั้ง:\n"
            "โครงการในแผน “ปุ๋ยหมักU+000Bระยะที่ 2”: โครงการ: มีอักขระที่ไม่ใช่ข้อความ"
        )
        assert not out.exists() and list(tmp_path.glob("*.levpkg")) == []
        assert snapshot(lao) == before  # no sequence taken, nothing recorded as sent
        # corrected: it goes, and the district takes it
        _set_project(lao, "ปุ๋ยหมัก\x0bระยะที่ 2", "ปุ๋ยหมัก ระยะที่ 2")
        path = export_package(lao, "D4801", out).path
        _plan, result = importer.import_files(district, [path], trust=True)
        assert len(result.imported) == 1 and not result.refused
    finally:
        lao.dispose()
        district.dispose()


HINT = (
    "แก้ไขชื่อหน่วยงานได้ที่ ตั้งค่า › หน่วยงานนี้ (ชื่อของหน่วยงานนี้) หรือ ตั้งค่า › "
    "อปท. ในพื้นที่ (ชื่อของ อปท. ในอำเภอนี้) โดยพิมพ์ชื่อใหม่ทั้งชื่อ "
    "เพราะอักขระที่ไม่ใช่ข้อความนั้นมองไม่เห็น ส่วนหน่วยงานสองแห่งที่ชื่อเหมือนกันให้เพิ่มชื่อตำบลเพื่อแยกกัน"
)
REFUSED = (
    "หน่วยงานที่รับแพ็กเกจนี้จะปฏิเสธแพ็กเกจ จึงยังไม่ได้เขียนไฟล์ "
    "โปรดแก้ไขรายการเหล่านี้แล้วส่งออกอีกครั้ง:\n"
    "หน่วยงาน “{code}”: ชื่อ: มีอักขระที่ไม่ใช่ข้อความ\n" + HINT
)


def _set_name(store, code: str, name: str) -> None:
    """A name stored before the rule refused it (or pasted into the database by hand)."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE offices SET name = ? WHERE code = ?", (name, code))
    store.written()


def test_this_offices_own_name_with_a_hidden_character_is_named_at_export(tmp_path: Path):
    """Before: the package was written and recorded as sent; the district refused all of it
    ("ไม่ได้นำเข้าแพ็กเกจจาก 4801006: ชื่อ: มีอักขระที่ไม่ใช่ข้อความ") and the LAO never heard."""
    from lev_desktop.services.offices import update_office

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    district = make_district(tmp_path / "district.db")
    try:
        _set_name(lao, "4801006", "อบต.ทดสอบ\u200b 4801006")
        ensure_key(lao, this_office_info(lao))
        before = snapshot(lao)
        out = tmp_path / "to-district.levpkg"
        with pytest.raises(ExportError) as refused:
            export_package(lao, "D4801", out)
        assert str(refused.value) == REFUSED.format(code="4801006")
        assert list(tmp_path.glob("*.levpkg")) == []
        assert snapshot(lao) == before
        # Settings › This office: the name typed again (the tab's service)
        update_office(lao, "4801006", name="อบต.ทดสอบ 4801006")
        path = export_package(lao, "D4801", out).path
        _plan, result = importer.import_files(district, [path], trust=True)
        assert len(result.imported) == 1 and not result.refused
    finally:
        lao.dispose()
        district.dispose()


def test_an_lao_of_the_district_list_with_a_hidden_character_is_named_at_export(tmp_path: Path):
    """Before: the district's package went up with it and the province refused the whole
    package ("หน่วยงาน “4801007”: ชื่อ: มีอักขระที่ไม่ใช่ข้อความ"): every LAO's reports with it."""
    from lev_desktop.services.offices import add_laos

    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    try:
        row = {
            "code": "4801007",
            "name": "อบต.บ้านใหม่",
            "lao_type": "sao",
            "district_code": "4801",
            "province_code": "48",
        }
        add_laos(district, [row])
        _set_name(district, "4801007", "อบต.บ้านใหม่\u2060")
        ensure_key(district, this_office_info(district))
        before = snapshot(district)
        out = tmp_path / "to-province.levpkg"
        with pytest.raises(ExportError) as refused:
            export_package(district, "P48", out)
        assert str(refused.value) == REFUSED.format(code="4801007")
        assert list(tmp_path.glob("*.levpkg")) == []
        assert snapshot(district) == before
        add_laos(district, [row])  # Settings › LAOs in the area: the name typed again
        path = export_package(district, "P48", out).path
        _plan, result = importer.import_files(province, [path], trust=True)
        assert len(result.imported) == 1 and not result.refused
    finally:
        district.dispose()
        province.dispose()


def test_two_lao_names_of_the_district_list_drawn_alike_are_named_at_export(tmp_path: Path):
    """Two LAOs of one district whose stored names look the same (kept from before the LAO
    list refused such rows): the province refused the district's whole package ("แพ็กเกจตั้ง
    ชื่อหน่วยงาน 4801008 ว่า “อบต.บ้านใหม่” ซึ่งดูเหมือนชื่อของหน่วยงาน 4801007 …")."""
    from lev_desktop.services.offices import add_laos

    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    try:
        rows = [
            {
                "code": code,
                "name": name,
                "lao_type": "sao",
                "district_code": "4801",
                "province_code": "48",
            }
            for code, name in (("4801007", "อบต.บ้านใหม่"), ("4801008", "อบต.บ้านใหม่ พัฒนา"))
        ]
        add_laos(district, rows)
        _set_name(district, "4801008", "อบต.บ้านใหม่\u3000")  # (an ideographic space after it)
        ensure_key(district, this_office_info(district))
        before = snapshot(district)
        out = tmp_path / "to-province.levpkg"
        with pytest.raises(ExportError) as refused:
            export_package(district, "P48", out)
        assert str(refused.value) == (
            "หน่วยงานที่รับแพ็กเกจนี้จะปฏิเสธแพ็กเกจ จึงยังไม่ได้เขียนไฟล์ "
            "โปรดแก้ไขรายการเหล่านี้แล้วส่งออกอีกครั้ง:\n"
            "หน่วยงาน “4801008”: ชื่อดูเหมือนชื่อของ อปท. 4801007 ในอำเภอนี้\n" + HINT
        )
        assert list(tmp_path.glob("*.levpkg")) == [] and snapshot(district) == before
        add_laos(district, rows)  # Settings › LAOs in the area: the subdistrict's name added
        path = export_package(district, "P48", out).path
        _plan, result = importer.import_files(province, [path], trust=True)
        assert len(result.imported) == 1 and not result.refused
    finally:
        district.dispose()
        province.dispose()
