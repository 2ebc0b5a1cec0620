"""The exchange on a PostgreSQL server, the province office's shared database.

1. The same tests as on SQLite: every test of ``test_refusals`` (each refusal leaves the
   database unchanged row for row, the accepted package is idempotent), the Excel tests that
   need no SQLite file and those of Excel-entered records travelling up (``continuity.
   test_excel_upward``, the screen test aside) run again here with the receiving offices'
   databases on PostgreSQL (``make_district``/``make_province`` give a server database,
   ``helpers.snapshot`` reads a server database as well as a file).
2. The journey LAO → district → province → Department with the district, province and
   Department on PostgreSQL: every record arrives row for row as the LAOs hold it, signatures
   verified; the delta upward; a conflict kept and swapped; a filled Excel form.
3. The board and the reports read from the server equal those read from a SQLite database that
   imported the same packages.

LAOs stay on SQLite (an LAO keeps its year on one computer). CI starts PostgreSQL and sets
LEV_TEST_PG_URL (.ci/run); without it these tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from continuity import test_excel_upward
from continuity.test_excel_upward import district_with_a_form  # noqa: F401 - as offices
from sqlalchemy import select

from db.models import Activity, Plan
from db.models_exchange import ReceivedPackage
from db.store import Store
from lev_desktop.exchange import importer, keys
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.records import MODELS
from lev_desktop.services.offices import initialise

from . import helpers, test_excel, test_refusals
from .helpers import make_lao

pytestmark = pytest.mark.postgres

LAOS = ["4801001", "4801002", "4801003"]


@pytest.fixture(autouse=True)
def _receiving_office_on_postgresql(pg_databases, monkeypatch):
    """The offices that receive (district, province) get a PostgreSQL database."""

    def district(_path: Path, *args: Any, **kwargs: Any) -> Store:
        return helpers.make_district(pg_databases(), *args, **kwargs)

    def province(_path: Path, *args: Any, **kwargs: Any) -> Store:
        return helpers.make_province(pg_databases(), *args, **kwargs)

    for module in (test_refusals, test_excel, test_excel_upward):
        monkeypatch.setattr(module, "make_district", district, raising=False)
        monkeypatch.setattr(module, "make_province", province, raising=False)
    yield


# ---- 1. the same tests as on SQLite ------------------------------------------------------------

for _name, _test in list(vars(test_refusals).items()):
    if _name.startswith("test_") and callable(_test):
        globals()[_name] = _test
# The Excel tests that read the database only through the store and ``snapshot``.
for _name in ("test_excel_form_with_invalid_values_is_refused",):
    if hasattr(test_excel, _name):
        globals()[_name] = getattr(test_excel, _name)
# Excel-entered records reaching the province (and the Department) through the server.
for _name in (
    "test_excel_records_reach_the_province_with_their_provenance",
    "test_a_delta_carries_only_the_forms_not_sent_yet",
    "test_a_changed_excel_record_in_transit_is_refused",
):
    globals()[_name] = getattr(test_excel_upward, _name)


def test_the_rerun_tests_are_here():
    rerun = [n for n in globals() if n.startswith("test_") and n != "test_the_rerun_tests_are_here"]
    assert len(rerun) >= 23 and "test_accepted_package_is_imported_and_idempotent" in rerun
    assert "test_excel_records_reach_the_province_with_their_provenance" in rerun


# ---- 2. the journey through the server --------------------------------------------------------


def records_of(store: Store, owners: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every travelling record owned by ``owners``, by table, as the ORM types read it
    (Decimal, date, datetime on both SQLite and PostgreSQL): equal means row for row."""
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for model in MODELS:
            table = model.__table__
            rows = conn.execute(
                select(table).where(table.c.owner_office.in_(owners)).order_by(table.c.id)
            )
            out[table.name] = [dict(r._mapping) for r in rows]
    return out


def _lao_stores(tmp_path: Path) -> list[Store]:
    return [make_lao(tmp_path / f"{c}.db", c, seed=int(c[-1]) * 11) for c in LAOS]


def test_three_levels_through_the_server(tmp_path: Path, pg_databases):
    laos = _lao_stores(tmp_path)
    district = helpers.make_district(pg_databases())
    province = helpers.make_province(pg_databases())
    packages = [export_package(s, "D4801", tmp_path / f"{s.office_code}.levpkg").path for s in laos]
    plan, result = importer.import_files(district, packages, trust=True)
    assert len(result.imported) == 3, [p.reason for p in plan.packages]
    upward = export_package(district, "P48", tmp_path / "up.levpkg")
    assert len(upward.embedded) == 3
    plan, result = importer.import_files(province, [upward.path], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason

    expected: dict[str, list[dict[str, Any]]] = {}
    for store in laos:
        for table, rows in records_of(store, [store.office_code]).items():
            expected.setdefault(table, []).extend(rows)
    expected = {t: sorted(rows, key=lambda r: r["id"]) for t, rows in expected.items()}
    # Offices are matched by code: each database gives a received office row its own id.
    for store in (district, province):
        got = records_of(store, LAOS)
        assert {t: r for t, r in got.items() if t != "offices"} == {
            t: r for t, r in expected.items() if t != "offices"
        }
        assert sum(len(r) for r in got.values()) > 300

    with province.read() as session:
        stored = {r.sender: r for r in session.scalars(select(ReceivedPackage))}
    for code in LAOS:
        row = stored[code]
        manifest = json.loads(row.manifest)
        assert row.relayed_by == "D4801" and row.signed
        assert manifest["sender_key"]["fingerprint"] == keys.office_fingerprint(code)
        assert keys.verify(manifest["sender_key"]["public_key"], row.signature, row.manifest)

    nation = Store(pg_databases())
    initialise(nation, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    top = export_package(province, "DLA", tmp_path / "top.levpkg")
    assert len(top.embedded) == 4
    plan, result = importer.import_files(nation, [top.path], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason
    got = records_of(nation, LAOS)
    assert {t: r for t, r in got.items() if t != "offices"} == {
        t: r for t, r in expected.items() if t != "offices"
    }
    before = helpers.snapshot(province)
    _plan, again = importer.import_files(province, [upward.path], trust=True)
    assert again.counts()["new"] == 0 and len(again.duplicates) == 1
    assert helpers.snapshot(province) == before
    for store in (*laos, district, province, nation):
        store.dispose()


def test_delta_upward_through_the_server(tmp_path: Path, pg_databases, clock):
    lao = make_lao(tmp_path / "lao.db", "4801001", seed=5)
    district = helpers.make_district(pg_databases())
    province = helpers.make_province(pg_databases())
    clock.advance(seconds=2)
    importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "a.levpkg").path], trust=True
    )
    first = export_package(district, "P48", tmp_path / "up1.levpkg", since_last=True)
    importer.import_files(province, [first.path], trust=True)
    clock.advance(seconds=2)
    with lao.session() as session:
        activity = session.scalars(select(Activity).order_by(Activity.id).limit(1)).first()
        activity.participants = (activity.participants or 0) + 1000
    delta = export_package(lao, "D4801", tmp_path / "b.levpkg", since_last=True)
    assert delta.kind == "delta" and delta.counts.get("activities") == 1
    _plan, result = importer.import_files(district, [delta.path])
    assert result.counts()["updated"] == 1
    second = export_package(district, "P48", tmp_path / "up2.levpkg", since_last=True)
    assert second.kind == "delta" and [e["sender"] for e in second.embedded] == ["4801001"]
    plan, result = importer.import_files(province, [second.path])
    assert result.counts()["updated"] == 1, [p.remark for p in plan.rows()]
    assert (
        records_of(province, ["4801001"])["activities"]
        == records_of(lao, ["4801001"])["activities"]
    )
    for store in (lao, district, province):
        store.dispose()


def test_a_conflict_is_kept_and_swapped_on_the_server(tmp_path: Path, pg_databases):
    """Two versions of one record with the same revision (``test_conflicts``' pair): both are
    kept, the later wins, the officer swaps them."""
    from .test_conflicts import conflicting_pair

    first, second = conflicting_pair(tmp_path)
    district = helpers.make_district(pg_databases())
    importer.import_files(district, [first], trust=True)
    plan, result = importer.import_files(district, [second], trust=True)
    assert result.counts()["conflicts"] == 1, [p.remark for p in plan.rows()]
    conflicts = importer.open_conflicts(district)
    assert len(conflicts) == 1 and conflicts[0].table_name == "plans"
    assert {conflicts[0].kept["note"], conflicts[0].other["note"]} == {"", "แก้ไขจากเครื่องที่สอง"}

    def note() -> str:
        with district.read() as session:
            return session.scalars(select(Plan.note).where(Plan.owner_office == "4801006")).one()

    assert note() == conflicts[0].kept["note"]
    importer.resolve_conflict(district, conflicts[0].id, use_other=True)
    assert note() == conflicts[0].other["note"]
    assert importer.open_conflicts(district) == []
    district.dispose()


def test_an_excel_form_on_the_server(tmp_path: Path, pg_databases):
    from sqlalchemy import select as sel

    from db.models import KpiValue
    from lev_desktop.exchange.excel import write_template
    from lev_desktop.services.offices import add_lao

    district = helpers.make_district(pg_databases())
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P2", tmp_path / "form.xlsx", period="FY2567")
    test_excel._fill(form, {"households_total": 1200, "waste_recovered": 1.25})
    plan, result = importer.import_files(district, [form])
    assert len(result.imported) == 1, plan.packages[0].reason
    with district.read() as session:
        values = dict(
            session.execute(
                sel(KpiValue.indicator_code, KpiValue.value_num).where(
                    KpiValue.owner_office == "4801012", KpiValue.value_num.is_not(None)
                )
            ).all()
        )
        received = session.scalars(sel(ReceivedPackage)).one()
    assert (values["households_total"], values["waste_recovered"]) == (1200, 1.25)
    assert (received.kind, received.signed) == ("excel", False)
    district.dispose()


# ---- 3. the board and the reports read the same from the server --------------------------------


@pytest.fixture
def same_province(tmp_path: Path, pg_databases):
    """A province on PostgreSQL and one on SQLite that imported the same district package."""
    laos = _lao_stores(tmp_path)
    district = helpers.make_district(tmp_path / "district.db")
    packages = [export_package(s, "D4801", tmp_path / f"{s.office_code}.levpkg").path for s in laos]
    importer.import_files(district, packages, trust=True)
    upward = export_package(district, "P48", tmp_path / "up.levpkg").path
    server = helpers.make_province(pg_databases())
    local = helpers.make_province(tmp_path / "province.db")
    for store in (server, local):
        plan, result = importer.import_files(store, [upward], trust=True)
        assert len(result.imported) == 1, plan.packages[0].reason
    yield server, local
    for store in (*laos, district, server, local):
        store.dispose()


def test_the_board_is_the_same_on_the_server(same_province):
    from lev_desktop.services.consolidation import build_board

    server, local = same_province
    for programme in ("P1", "P2", "P4", "P5"):
        on_server = build_board(server, programme, fiscal_year=2568, today=dt.date(2025, 9, 1))
        on_file = build_board(local, programme, fiscal_year=2568, today=dt.date(2025, 9, 1))
        assert on_server.rows == on_file.rows, programme
        assert on_server.rows  # the three LAOs are on it
        assert {r.code for r in on_server.rows} >= set(LAOS)


def test_the_reports_are_the_same_on_the_server(same_province, tmp_path: Path):
    from exports.reports import ReportRequest, generate, load

    server, local = same_province
    for kind in ("monitoring", "softpower", "kpi"):
        request = ReportRequest(kind, "P48", 2568)
        assert load(server, request) == load(local, request), kind
    for office in LAOS[:1]:
        for kind in ("plan", "summary"):
            request = ReportRequest(kind, office, 2568)
            assert load(server, request) == load(local, request), kind
    pdf = generate(server, ReportRequest("monitoring", "P48", 2568), tmp_path / "f3.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_the_same_package_content_again_is_no_conflict_on_the_server(tmp_path: Path, pg_databases):
    """An office sends a full package again (the same records, same revisions, in a new
    package): nothing is a conflict. PostgreSQL reads a JSON column (activities' attachments)
    back as a list while the package's value is JSON text; before the fix each activity of
    every full package after the first was a false conflict on a server."""
    lao = make_lao(tmp_path / "lao.db", "4801001", seed=3)
    district = helpers.make_district(pg_databases())
    first = export_package(lao, "D4801", tmp_path / "1.levpkg").path
    importer.import_files(district, [first], trust=True)
    again = export_package(lao, "D4801", tmp_path / "2.levpkg").path
    plan, result = importer.import_files(district, [again])
    assert len(result.imported) == 1, plan.packages[0].reason
    counts = result.counts()
    assert (counts["conflicts"], counts["new"], counts["updated"]) == (0, 0, 0), counts
    assert importer.open_conflicts(district) == []
    lao.dispose()
    district.dispose()
