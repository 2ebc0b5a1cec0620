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

from .helpers import make_district, make_lao, snapshot


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
