"""Data entered again after a reinstall: the same plan (office, programme, fiscal year) under new
record ids is recognised; the preview says it replaces the earlier record; once the officer
confirms, the earlier plan (with its projects and activities) becomes a tombstone, the audit log
says why, and the district's and the province's figures are those of the new plan. Never a
wholesale refusal with a raw constraint message."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from exchange.helpers import (
    jsonl,
    make_district,
    make_lao,
    make_province,
    members,
    read_jsonl,
    resign,
    snapshot,
    write_members,
)
from sqlalchemy import select

from db.models import Activity, AuditEntry, Plan, PlanItem
from db.store import Store
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status

LAO = "4801006"


def reentered(lao: Store, tmp_path: Path, name: str) -> Path:
    """The LAO's plan typed in again — new ids for the plan, its projects and activities, one
    project worded differently — signed by the LAO: what a reinstalled office sends."""
    files = members(export_package(lao, "D4801", tmp_path / f"{name}-src.levpkg").path)
    plans = read_jsonl(files["payload/plans.jsonl"])
    new_plan: dict[str, str] = {}
    for record in plans:
        new_plan[record["id"]] = record["id"] = str(uuid.uuid4())
    items = read_jsonl(files["payload/plan_items.jsonl"])
    new_item: dict[str, str] = {}
    for record in items:
        record["plan_id"] = new_plan[record["plan_id"]]
        new_item[record["id"]] = record["id"] = str(uuid.uuid4())
    items[0]["project"] += " (บันทึกใหม่)"
    activities = read_jsonl(files["payload/activities.jsonl"])
    for record in activities:
        record["id"] = str(uuid.uuid4())
        record["plan_item_id"] = new_item[record["plan_item_id"]]
    payloads = {
        "payload/plans.jsonl": jsonl(plans),
        "payload/plan_items.jsonl": jsonl(items),
        "payload/activities.jsonl": jsonl(activities),
    }
    return write_members(tmp_path / f"{name}.levpkg", resign(files, LAO, payloads=payloads))


def live(store: Store) -> dict[str, Any]:
    """The LAO's live plan as a board or report counts it."""
    with store.read() as session:
        plans = list(
            session.scalars(select(Plan).where(Plan.owner_office == LAO, Plan.deleted.is_(False)))
        )
        items = list(
            session.scalars(
                select(PlanItem).where(PlanItem.owner_office == LAO, PlanItem.deleted.is_(False))
            )
        )
        activities = list(
            session.scalars(
                select(Activity).where(Activity.owner_office == LAO, Activity.deleted.is_(False))
            )
        )
    return {
        "plans": sorted(p.id for p in plans),
        "projects": sorted(i.project for i in items),
        "budget": sum(i.budget or 0 for i in items),
        "activities": len(activities),
    }


@pytest.fixture
def offices(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", LAO, seed=6)
    district = make_district(tmp_path / "district.db")
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "first.levpkg").path], trust=True
    )
    yield lao, district
    lao.dispose()
    district.dispose()


def test_the_preview_says_it_replaces_the_earlier_record(offices, tmp_path):
    lao, district = offices
    [old_plan] = live(district)["plans"]
    path = reentered(lao, tmp_path, "again")
    plan = importer.preview(district, [path])
    package = plan.packages[0]
    assert package.status == Status.OK, package.reason
    part = package.parts[0]
    assert [(c.table, c.existing_id, c.owner) for c in part.replacements] == [
        ("plans", old_plan, LAO)
    ]
    assert part.remark == "แทนข้อมูลเดิมหลังติดตั้งโปรแกรมใหม่: แผนปฏิบัติงาน (P1, 2568)"
    assert plan.needs_confirm == [part]
    # Not confirmed: refused with a Thai reason, nothing written.
    before = snapshot(district)
    result = importer.commit(district, plan)
    assert not result.imported and result.refused[0].code == "needs_confirm"
    assert result.refused[0].reason.startswith(f"หน่วยงาน {LAO} บันทึกข้อมูลที่หน่วยงานนี้มีอยู่แล้ว")
    assert snapshot(district) == before


def test_confirmed_the_earlier_plan_becomes_a_tombstone_up_to_the_province(offices, tmp_path):
    lao, district = offices
    province = make_province(tmp_path / "province.db")
    up = export_package(district, "P48", tmp_path / "up-1.levpkg", since_last=True)
    importer.import_files(province, [up.path], trust=True)
    before = live(district)
    [old_plan] = before["plans"]

    path = reentered(lao, tmp_path, "again")
    plan, result = importer.import_files(district, [path], replace=True)
    assert len(result.imported) == 1, [p.reason for p in result.refused]
    after = live(district)
    assert after["plans"] != before["plans"] and len(after["plans"]) == 1
    assert sorted(p.replace(" (บันทึกใหม่)", "") for p in after["projects"]) == before["projects"]
    assert sum("(บันทึกใหม่)" in p for p in after["projects"]) == 1
    assert (after["budget"], after["activities"]) == (before["budget"], before["activities"])
    with district.read() as session:
        old = session.get(Plan, old_plan)
        assert old.deleted and old.revision == 2 and old.updated_by == "เจ้าหน้าที่อำเภอ"
        old_items = list(session.scalars(select(PlanItem).where(PlanItem.plan_id == old_plan)))
        assert old_items and all(i.deleted for i in old_items)
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == old_plan, AuditEntry.action == "replace"
            )
        ).one()
    assert entry.changes["replaced_by"] == after["plans"][0]
    assert entry.changes["reason"] == "re-entered by the office after a reinstall"
    assert entry.changes["owner"] == LAO

    # The province gets the office's package relayed, and confirms the same way.
    up = export_package(district, "P48", tmp_path / "up-2.levpkg", since_last=True)
    plan = importer.preview(province, [up.path])
    assert [p.sender for p in plan.needs_confirm] == [LAO]
    _plan, refused = importer.import_files(province, [up.path])
    assert refused.refused and refused.refused[0].code == "needs_confirm"
    _plan, result = importer.import_files(province, [up.path], replace={LAO})
    assert len(result.imported) == 1, [p.reason for p in result.refused]
    assert live(province) == after
    province.dispose()


def test_a_plan_typed_in_twice_in_one_import_is_still_refused_in_thai(tmp_path):
    """Not a replacement: the same key twice in one import (neither is here yet)."""
    district = make_district(tmp_path / "district.db")
    lao = make_lao(tmp_path / "lao.db", LAO, seed=6)
    first = export_package(lao, "D4801", tmp_path / "a.levpkg").path
    again = reentered(lao, tmp_path, "again")
    plan = importer.preview(district, [first, again])
    assert "natural_key" in {p.code for p in plan.packages}
    assert not plan.needs_confirm
    district.dispose()
    lao.dispose()


def test_lev_import_asks_or_takes_replace(offices, tmp_path, capsys):
    from lev_desktop.cli import main

    lao, district = offices
    path = reentered(lao, tmp_path, "again")
    db = ["--db", str(district.path)]
    assert main([*db, "import", str(path)]) == 2  # not a terminal: not confirmed, refused
    assert "ยืนยัน" in capsys.readouterr().err
    assert main([*db, "import", str(path), "--replace"]) == 0
    assert len(live(district)["plans"]) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path: Path):
    from lev_desktop.services.offices import initialise

    url = (
        request.getfixturevalue("pg_url")
        if request.param == "postgresql"
        else f"sqlite:///{tmp_path / 'x.db'}"
    )
    store = Store(url)
    initialise(
        store,
        level="lao",
        code=LAO,
        name="อบต.ทดสอบ",
        lao_type="sao",
        parent="D4801",
        province_code="48",
        district_code="4801",
    )
    yield store
    store.dispose()


def test_a_natural_key_is_unique_among_live_records_only(any_store):
    """Migration 0007: a tombstone keeps its key; two live records never share one."""
    import sqlalchemy as sa

    from lev_desktop.services.programmes import builtin_id

    store = any_store
    p1 = builtin_id("P1")
    common = {"owner_office": LAO, "programme_id": p1, "fiscal_year": 2570, "revision": 1}
    with store.session(importing=True) as session:
        session.add(Plan(id=str(uuid.uuid4()), deleted=True, **common))
        session.add(Plan(id=str(uuid.uuid4()), deleted=False, **common))
    with pytest.raises(sa.exc.IntegrityError), store.session(importing=True) as session:
        session.add(Plan(id=str(uuid.uuid4()), deleted=False, **common))


def test_the_import_tab_shows_and_confirms_the_replacement(offices, tmp_path, qtbot, make_ctx):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import make_application
    from ui.screens.exchange import ExchangeScreen
    from ui.thai_wrap import plain  # labels show Thai break opportunities

    make_application()
    lao, district = offices
    path = reentered(lao, tmp_path, "again")
    ctx = make_ctx(district)
    screen = ExchangeScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1093, 582)
    screen.show()
    tab = screen.import_tab
    screen.tabs.setCurrentWidget(tab)
    tab.add_files([str(path)])
    qtbot.waitUntil(lambda: tab.replace.isVisible(), timeout=15000)
    row = next(r for r in tab.model.rows if r.cells[1].startswith(LAO))
    assert row.cells[4] == "แทนข้อมูลเดิม: โปรดยืนยันด้านล่าง"
    assert row.cells[5].startswith("แทนข้อมูลเดิมหลังติดตั้งโปรแกรมใหม่: แผนปฏิบัติงาน")
    assert plain(tab.replace.text()).startswith(f"ข้าพเจ้าได้สอบถาม {LAO} แล้ว")
    screen.grab().save("/tmp/cont-import-replaces.png")
    before = snapshot(district)
    told: list[str] = []
    import ui.screens.exchange as exchange_screen

    def information(_parent, _title, text):
        told.append(text)
        return QMessageBox.StandardButton.Ok

    original = exchange_screen.QMessageBox.information
    exchange_screen.QMessageBox.information = information
    try:
        tab.commit()  # not ticked: asked to confirm, nothing written
    finally:
        exchange_screen.QMessageBox.information = original
    assert told and told[0].startswith("มีข้อมูลที่ใช้แทนข้อมูลเดิมของหน่วยงาน")
    assert snapshot(district) == before
    tab.replace.setChecked(True)
    tab.commit()
    qtbot.waitUntil(lambda: plain(tab.summary.text()).startswith("นำเข้า"), timeout=15000)
    assert len(live(district)["plans"]) == 1 and live(district)["plans"] != []


def test_the_preview_names_indicators_and_forms_as_people_know_them(offices, tmp_path):
    """Indicator values and form states typed in again: the note says which by the indicator's
    and the form's names and the month in BE (it read "P4, activities_held, 2025-01" and
    "P4, M, …": codes an officer never sees)."""
    lao, district = offices
    files = members(export_package(lao, "D4801", tmp_path / "kpi-src.levpkg").path)
    payloads = {}
    for name in ("payload/kpi_values.jsonl", "payload/form_submissions.jsonl"):
        records = read_jsonl(files[name])
        for record in records:
            record["id"] = str(uuid.uuid4())
        payloads[name] = jsonl(records)
    path = write_members(tmp_path / "kpi-again.levpkg", resign(files, LAO, payloads=payloads))
    package = importer.preview(district, [path]).packages[0]
    assert package.status == Status.OK, package.reason
    notes = [note for part in package.parts for note in part.notes]
    assert notes == [
        "แทนข้อมูลเดิมหลังติดตั้งโปรแกรมใหม่: ค่าตัวชี้วัด (P4, จำนวนกิจกรรมที่วัดและชุมชนร่วมกันจัด, ตุลาคม 2567 … +81)",
        "แทนข้อมูลเดิมหลังติดตั้งโปรแกรมใหม่: สถานะแบบฟอร์ม "
        "(P4, แบบรายงานผลการดำเนินงานวัดและชุมชน (รายเดือน), ตุลาคม 2567 … +14)",
    ]
