"""Excel fallback: a pre-filled form for an LAO without the app, filled and imported through the
same preview, validation and history, marked "from Excel, unsigned"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lev_desktop.exchange import importer
from lev_desktop.exchange.excel import write_template
from lev_desktop.exchange.importer import Status
from lev_desktop.services.offices import add_lao

from .helpers import make_district, snapshot


def _fill(path: Path, values: dict[str, object]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["ข้อมูล"]
    for row in sheet.iter_rows(min_row=6):
        code = row[0].value
        if code in values:
            row[3].value = values[code]
    book.save(path)


def test_excel_form_round_trip(tmp_path: Path):
    district = make_district(tmp_path / "d.db")
    add_lao(
        district,
        code="4801012",
        name="องค์การบริหารส่วนตำบลคำเตย",
        lao_type="sao",
        district_code="4801",
    )
    form = write_template(district, "4801012", "P2", tmp_path / "form.xlsx", period="FY2567")
    _fill(
        form,
        {
            "households_total": 1200,
            "households_sorting": 800,
            "waste_generated": 5.5,
            "waste_recovered": 1.25,
            "collection_coverage": 90,
            "waste_collected": 5,
            "waste_disposed_correctly": 4.5,
            "disposal_method": "ส่งศูนย์กำจัดขยะรวม",
        },
    )
    plan = importer.preview(district, [form])
    part = plan.packages[0].parts[0]
    assert plan.packages[0].status == Status.OK, plan.packages[0].reason
    assert part.counts["new"] == 8 and not part.signed and part.kind == "excel"
    result = importer.commit(district, plan)
    assert len(result.imported) == 1
    conn = sqlite3.connect(district.path)
    rows = dict(
        conn.execute(
            "SELECT indicator_code, value_num FROM kpi_values "
            "WHERE owner_office='4801012' AND value_num IS NOT NULL"
        ).fetchall()
    )
    kind, signed = conn.execute("SELECT kind, signed FROM exchange_received").fetchone()
    conn.close()
    assert rows["households_total"] == 1200 and rows["waste_recovered"] == 1.25
    assert (kind, signed) == ("excel", 0)
    # The same file again: nothing changes.
    before = snapshot(district)
    again = importer.preview(district, [form])
    assert again.packages[0].status == Status.DUPLICATE
    assert snapshot(district) == before
    # A corrected form (pre-filled with the stored values) updates only what changed.
    second = write_template(district, "4801012", "P2", tmp_path / "form2.xlsx", period="FY2567")
    _fill(second, {"households_total": 1300})
    plan = importer.preview(district, [second])
    counts = plan.packages[0].parts[0].counts
    assert (counts["updated"], counts["new"], counts["unchanged"]) == (1, 0, 7), counts
    district.dispose()


def test_excel_form_with_invalid_values_is_refused(tmp_path: Path):
    district = make_district(tmp_path / "d.db")
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P2", tmp_path / "form.xlsx", period="FY2567")
    _fill(form, {"households_total": 100, "households_sorting": 500, "collection_coverage": 150})
    before = snapshot(district)
    plan, _result = importer.import_files(district, [form])
    assert plan.packages[0].status == Status.REFUSED and plan.packages[0].code == "validation"
    assert "100" in plan.packages[0].reason  # percent must not be more than 100
    assert any(0x0E00 <= ord(c) < 0x0E80 for c in plan.packages[0].reason)
    assert snapshot(district) == before
    district.dispose()


def test_repeated_groups_form(tmp_path: Path):
    """P5: one row per product (a repeated group of indicators)."""
    district = make_district(tmp_path / "d.db")
    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P5", tmp_path / "p5.xlsx", period="FY2568")
    from openpyxl import load_workbook

    book = load_workbook(form)
    sheet = book["ข้อมูล"]
    product = [
        "ผ้าย้อมคราม",
        "กระเป๋าผ้าครามจากขวดพลาสติก",
        "กลุ่มทอผ้าบ้านคำเตย",
        35,
        12500.5,
        "จัดแล้ว",
        "ดำเนินการแล้ว",
        "https://example.org/photos",
        None,
    ]
    for row in (6, 7):
        for col, value in enumerate(product, start=2):
            sheet.cell(row=row, column=col, value=value)
    sheet.cell(row=7, column=2, value="พญานาค")
    book.save(form)
    plan = importer.preview(district, [form])
    assert plan.packages[0].status == Status.OK, plan.packages[0].reason
    assert plan.packages[0].parts[0].counts["new"] == 16  # two products × eight filled values
    importer.commit(district, plan)
    conn = sqlite3.connect(district.path)
    keys = conn.execute(
        "SELECT COUNT(DISTINCT row_key) FROM kpi_values WHERE owner_office='4801012'"
    ).fetchone()[0]
    income = conn.execute(
        "SELECT SUM(value_num) FROM kpi_values WHERE indicator_code='income'"
    ).fetchone()[0]
    conn.close()
    assert keys == 2 and income == 25001.0
    district.dispose()
