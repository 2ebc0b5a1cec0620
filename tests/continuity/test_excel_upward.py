"""Excel-entered records travel up: the district imports an Excel form for an LAO without the
program; its upward package carries the records, signed by the district, marked "entered at the
district from an Excel form" with who entered them; the province (and the Department after it)
imports them and sees that provenance."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exchange.helpers import make_district, make_province, members, write_members
from exchange.test_excel import _fill
from sqlalchemy import select

from db.models import KpiValue
from db.models_exchange import ReceivedPackage
from db.store import Store
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.excel import write_template
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status
from lev_desktop.services.offices import add_lao, initialise

LAO = "4801012"


def values(store: Store) -> dict[str, Any]:
    with store.read() as session:
        return {
            v.indicator_code: (v.id, v.revision, v.value_num, v.value_text)
            for v in session.scalars(
                select(KpiValue).where(KpiValue.owner_office == LAO, KpiValue.deleted.is_(False))
            )
        }


@pytest.fixture
def district_with_a_form(tmp_path: Path):
    district = make_district(tmp_path / "district.db")
    add_lao(
        district, code=LAO, name="องค์การบริหารส่วนตำบลคำเตย", lao_type="sao", district_code="4801"
    )
    form = write_template(district, LAO, "P2", tmp_path / "form.xlsx", period="FY2567")
    _fill(form, {"households_total": 1200, "households_sorting": 800, "waste_recovered": 1.25})
    plan, result = importer.import_files(district, [form])
    assert len(result.imported) == 1, plan.packages[0].reason
    yield district, form
    district.dispose()


def test_excel_records_reach_the_province_with_their_provenance(district_with_a_form, tmp_path):
    district, form = district_with_a_form
    province = make_province(tmp_path / "province.db")
    up = export_package(district, "P48", tmp_path / "up.levpkg")
    with zipfile.ZipFile(up.path) as archive:
        written = json.loads(archive.read("manifest.json"))
    assert written["format_version"] == 2
    [entry] = written["excel"]
    assert (entry["office"], entry["entered_by"], entry["entered_office"]) == (
        LAO,
        "เจ้าหน้าที่อำเภอ",
        "D4801",
    )
    assert entry["form_sha256"] == fmt.sha256(form.read_bytes())

    plan = importer.preview(province, [up.path])
    part = next(p for p in plan.rows() if p.kind == "excel")
    assert (part.sender, part.relayed_by, part.signed, part.status) == (
        LAO,
        "D4801",
        False,
        Status.OK,
    )
    assert part.notes[0].startswith("บันทึกที่ D4801 จากแบบฟอร์ม Excel โดย เจ้าหน้าที่อำเภอ เมื่อ")
    result = importer.commit(province, plan, trust=True)
    assert len(result.imported) == 1, [p.reason for p in result.refused]
    assert values(province) == values(district)  # the same records, ids and revisions
    with province.read() as session:
        row = session.scalars(select(ReceivedPackage).where(ReceivedPackage.kind == "excel")).one()
    assert (row.sender, row.relayed_by, row.signed) == (LAO, "D4801", False)
    assert row.provenance["entered_by"] == "เจ้าหน้าที่อำเภอ"
    assert row.provenance["entered_office"] == "D4801"

    # On to the Department: still the district's officer who entered them.
    nation = Store(tmp_path / "nation.db")
    initialise(nation, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    top = export_package(province, "DLA", tmp_path / "top.levpkg")
    _plan, result = importer.import_files(nation, [top.path], trust=True)
    assert len(result.imported) == 1, [p.reason for p in result.refused]
    assert values(nation) == values(district)
    with nation.read() as session:
        row = session.scalars(select(ReceivedPackage).where(ReceivedPackage.kind == "excel")).one()
    assert (row.relayed_by, row.provenance["entered_office"]) == ("P48", "D4801")
    # Importing the same upward package again changes nothing.
    _plan, again = importer.import_files(province, [up.path], trust=True)
    assert again.counts()["new"] == 0 and len(again.duplicates) == 1
    for store in (province, nation):
        store.dispose()


def test_a_delta_carries_only_the_forms_not_sent_yet(district_with_a_form, tmp_path):
    district, _form = district_with_a_form
    province = make_province(tmp_path / "province.db")
    first = export_package(district, "P48", tmp_path / "1.levpkg", since_last=True)
    importer.import_files(province, [first.path], trust=True)
    second = write_template(district, LAO, "P2", tmp_path / "form2.xlsx", period="FY2567")
    _fill(second, {"households_total": 1300})
    importer.import_files(district, [second])
    delta = export_package(district, "P48", tmp_path / "2.levpkg", since_last=True)
    with zipfile.ZipFile(delta.path) as archive:
        entries = json.loads(archive.read("manifest.json"))["excel"]
    assert len(entries) == 1 and entries[0]["form_sha256"] == fmt.sha256(second.read_bytes())
    _plan, result = importer.import_files(province, [delta.path])
    assert result.counts()["updated"] == 1
    assert values(province)["households_total"][2] == 1300
    province.dispose()


def test_a_changed_excel_record_in_transit_is_refused(district_with_a_form, tmp_path):
    district, _form = district_with_a_form
    province = make_province(tmp_path / "province.db")
    up = export_package(district, "P48", tmp_path / "up.levpkg")
    files = members(up.path)
    name = next(n for n in files if n.startswith("excel/"))
    files[name] = files[name].replace(b"1200", b"9999")
    bad = write_members(tmp_path / "bad.levpkg", files)
    plan, result = importer.import_files(province, [bad], trust=True)
    assert not result.imported and plan.packages[0].code == "hash_mismatch"
    assert values(province) == {}
    province.dispose()


def test_the_province_sees_who_entered_the_form(district_with_a_form, tmp_path, qtbot, make_ctx):
    from PySide6.QtCore import Qt

    from ui.app import make_application
    from ui.screens.exchange import ExchangeScreen
    from ui.thai_wrap import plain  # labels show Thai break opportunities

    make_application()
    district, _form = district_with_a_form
    province = make_province(tmp_path / "province.db")
    up = export_package(district, "P48", tmp_path / "up.levpkg")
    ctx = make_ctx(province)
    screen = ExchangeScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1093, 582)
    screen.show()
    tab = screen.import_tab
    screen.tabs.setCurrentWidget(tab)
    tab.add_files([str(up.path)])
    qtbot.waitUntil(lambda: tab.confirm.isEnabled(), timeout=15000)
    row = next(r for r in tab.model.rows if str(r.cells[1]).startswith(LAO))
    assert row.cells[1].endswith("\nผ่าน D4801")  # the office that relayed, under the sender
    assert "จากแบบฟอร์ม Excel โดย เจ้าหน้าที่อำเภอ" in row.cells[5]
    assert row.cells[2] == "–"  # no sequence number of its own
    tab.view.setCurrentIndex(tab.model.index(tab.model.rows.index(row), 0))
    assert "จากแบบฟอร์ม Excel" in plain(tab.detail.text())
    screen.grab().save("/tmp/cont-province-excel-preview.png")
    tab.trust.setChecked(True)
    tab.commit()
    qtbot.waitUntil(lambda: plain(tab.summary.text()).startswith("นำเข้า"), timeout=15000)
    screen.tabs.setCurrentWidget(screen.history_tab)
    history = screen.history_tab.model
    qtbot.waitUntil(lambda: history.rowCount() > 0, timeout=15000)
    qtbot.waitUntil(
        lambda: any(
            "จากแบบฟอร์ม Excel"
            in str(history.data(history.index(r, 0), Qt.ItemDataRole.ToolTipRole))
            for r in range(history.rowCount())
        ),
        timeout=15000,
    )
    [excel_row] = [
        r
        for r in range(history.rowCount())
        if "จากแบบฟอร์ม Excel" in str(history.data(history.index(r, 0), Qt.ItemDataRole.ToolTipRole))
    ]
    assert history.data(history.index(excel_row, 3)) == "–"
    assert history.data(history.index(excel_row, 7)).startswith(
        "บันทึกที่ D4801 จากแบบฟอร์ม Excel โดย เจ้าหน้าที่อำเภอ เมื่อ"
    )
    screen.grab().save("/tmp/cont-province-excel-history.png")
    province.dispose()
