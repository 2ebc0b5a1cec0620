"""Three levels: 3 LAO databases → a district → a province. The province's totals equal the
sum of the LAOs' data and every LAO's original signature is verified at the province."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import select

from db.models_exchange import ReceivedPackage
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer, keys
from lev_desktop.exchange.exporter import export_package

from .helpers import make_district, make_lao, make_province

LAOS = ["4801001", "4801002", "4801003"]
TOTALS = {
    "kpi_sum": "SELECT COALESCE(SUM(value_num), 0) FROM kpi_values WHERE owner_office IN ({o})",
    "kpi_count": "SELECT COUNT(*) FROM kpi_values WHERE owner_office IN ({o})",
    "activities": "SELECT COUNT(*) FROM activities WHERE owner_office IN ({o})",
    "participants": (
        "SELECT COALESCE(SUM(participants), 0) FROM activities WHERE owner_office IN ({o})"
    ),
    "spent": "SELECT COALESCE(SUM(budget_spent), 0) FROM activities WHERE owner_office IN ({o})",
    "plan_items": "SELECT COUNT(*) FROM plan_items WHERE owner_office IN ({o})",
    "budget": "SELECT COALESCE(SUM(budget), 0) FROM plan_items WHERE owner_office IN ({o})",
    "forms": "SELECT COUNT(*) FROM form_submissions WHERE owner_office IN ({o})",
}


def _totals(path: Path, offices: list[str]) -> dict[str, float]:
    conn = sqlite3.connect(path)
    try:
        marks = ",".join("?" for _ in offices)
        return {
            k: round(conn.execute(q.format(o=marks), offices).fetchone()[0], 4)
            for k, q in TOTALS.items()
        }
    finally:
        conn.close()


def test_three_levels_lao_district_province(tmp_path: Path):
    laos = [make_lao(tmp_path / f"{code}.db", code, seed=int(code[-1]) * 11) for code in LAOS]
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")

    lao_packages = [
        export_package(s, "D4801", tmp_path / f"{s.office_code}.levpkg").path for s in laos
    ]
    plan, result = importer.import_files(district, lao_packages, trust=True)
    assert len(result.imported) == 3, [p.reason for p in plan.packages]

    upward = export_package(district, "P48", tmp_path / "district-up.levpkg")
    assert len(upward.embedded) == 3
    plan, result = importer.import_files(province, [upward.path], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason
    senders = {p.sender for p in plan.rows()}
    assert senders == {"D4801", *LAOS}

    expected: dict[str, float] = {}
    for store in laos:
        for key, value in _totals(store.path, [store.office_code]).items():
            expected[key] = round(expected.get(key, 0) + value, 4)
    assert expected["kpi_count"] > 100
    assert _totals(province.path, LAOS) == expected
    assert _totals(district.path, LAOS) == expected

    # Provenance: every LAO package at the province carries the LAO's own signature, made
    # with the LAO's own key, and verifies.
    with province.read() as session:
        stored = {r.sender: r for r in session.scalars(select(ReceivedPackage))}
    for code in LAOS:
        row = stored[code]
        assert row.relayed_by == "D4801" and row.signed
        manifest = json.loads(row.manifest)
        assert manifest["sender_key"]["fingerprint"] == keys.office_fingerprint(code)
        assert keys.verify(manifest["sender_key"]["public_key"], row.signature, row.manifest)
        container = stored["D4801"].payload
        part = fmt.part_from_container(container, row.uuid, row.manifest, row.signature)
        for name, meta in manifest["files"].items():
            assert fmt.sha256(part.load(name)) == meta["sha256"]

    # Province → Department: the LAO packages travel on, still signed by the LAOs.
    from db.store import Store
    from lev_desktop.services.offices import initialise

    nation = Store(tmp_path / "nation.db")
    initialise(nation, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    top = export_package(province, "DLA", tmp_path / "province-up.levpkg")
    assert len(top.embedded) == 4  # the district's package and the three LAO packages
    plan, result = importer.import_files(nation, [top.path], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason
    assert _totals(nation.path, LAOS) == expected

    # Re-importing anywhere changes nothing.
    _plan, again = importer.import_files(province, [upward.path], trust=True)
    assert again.counts()["new"] == 0 and len(again.duplicates) == 1
    for store in (*laos, district, province, nation):
        store.dispose()


def test_delta_upward_forwards_only_new_lao_packages(tmp_path: Path, clock):
    lao = make_lao(tmp_path / "lao.db", "4801001", seed=5)
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    # The delta watermark has one-second resolution and includes its own second (a record
    # stamped in the same second as the previous export is sent again, never lost): let the
    # demo records be older than the first export, so the delta holds exactly the change.
    clock.advance(seconds=2)
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path], trust=True
    )
    first = export_package(district, "P48", tmp_path / "up1.levpkg", since_last=True)
    importer.import_files(province, [first.path], trust=True)
    # The LAO changes one activity and sends only the changes.
    from db.models import Activity

    with lao.session() as session:
        activity = session.scalars(select(Activity).limit(1)).first()
        activity.participants = (activity.participants or 0) + 1000
    delta = export_package(lao, "D4801", tmp_path / "b.levpkg", since_last=True)
    assert delta.kind == "delta" and delta.counts.get("activities") == 1
    _plan, result = importer.import_files(district, [delta.path])
    assert result.counts()["updated"] == 1
    second = export_package(district, "P48", tmp_path / "up2.levpkg", since_last=True)
    assert second.kind == "delta" and [e["sender"] for e in second.embedded] == ["4801001"]
    plan, result = importer.import_files(province, [second.path])
    assert result.counts()["updated"] == 1, [p.remark for p in plan.rows()]
    assert _totals(province.path, ["4801001"]) == _totals(lao.path, ["4801001"])
