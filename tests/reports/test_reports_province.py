"""F4, the province report of the LEV network letter, and the P4 monthly report's month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from exports.reports import ReportDataError, ReportOptions, ReportRequest, generate
from exports.reports.data import load_monitoring, load_province_report

from .conftest import needs_poppler, pdftotext
from .test_reports_digits import pdftotext_raw

WEEK = "พิธีเปิดงาน LEV Week เครือข่าย อถล. ร่วมใจ ขับเคลื่อนสิ่งแวดล้อมไทยยั่งยืน"
PAO_ACT = "อบรมแกนนำเครือข่าย อถล. ระดับจังหวัด"


def add_activity(store, owner: str, title: str, day: dt.date, participants: int, spent: str):
    from db.models import Activity, Plan, PlanItem
    from exports.reports.data import programme_by_code

    p1 = programme_by_code(store, "P1")
    with store.session() as s:
        plan = Plan(owner_office=owner, programme_id=p1.id, fiscal_year=2568)
        s.add(plan)
        s.flush()
        item = PlanItem(owner_office=owner, plan_id=plan.id, seq=1, project="LEV Week")
        s.add(item)
        s.flush()
        s.add(
            Activity(
                owner_office=owner,
                plan_item_id=item.id,
                title=title,
                held_on=day,
                held_until=day + dt.timedelta(days=14),
                place="ลานพญาศรีสัตตนาคราช",
                participants=participants,
                outputs="เก็บขยะริมโขง ๒.๕ ตัน",
                budget_spent=Decimal(spent),
            )
        )


@pytest.fixture
def f4_store(province_store):
    from lev_desktop.domain.offices import LaoType
    from lev_desktop.services import offices as office_service

    add_activity(province_store, "P48", WEEK, dt.date(2025, 2, 1), 850, "45000")
    pao = office_service.add_lao(
        province_store,
        code="4800001",
        name="องค์การบริหารส่วนจังหวัดนครพนม",
        lao_type=LaoType.PAO.value,
        district_code="4801",
    )
    add_activity(province_store, pao.code, PAO_ACT, dt.date(2025, 3, 5), 120, "30000.50")
    return province_store


def test_f4_counts_the_laos_by_district_and_lists_the_provinces_activities(f4_store):
    data = load_province_report(f4_store, "P48", 2568)
    rows = load_monitoring(f4_store, "P48", 2568).rows
    assert [d.district for d in data.districts] == ["เมืองนครพนม"]
    (d,) = data.districts
    assert d.laos == len(rows) == 16  # the demo's 15 LAOs and the อบจ.
    assert d.selected == sum(1 for r in rows if r.committee_selected_on)
    assert d.met == sum(1 for r in rows if r.committee_met_on)
    assert d.planned == sum(1 for r in rows if r.plan_made_on)
    assert d.activities == sum(r.activities for r in rows)
    assert d.reported == sum(1 for r in rows if r.state is not None and r.state.fulfilled)
    assert 0 < d.reported < d.laos  # the demo has LAOs that have not reported
    assert [a.title for a in data.own] == [WEEK]
    assert [a.title for a in data.pao] == [PAO_ACT]
    assert data.pao_name == "องค์การบริหารส่วนจังหวัดนครพนม"


@needs_poppler
def test_f4_pdf_shows_the_letters_sections_counts_and_signature(f4_store, tmp_path):
    path = generate(
        f4_store,
        ReportRequest("province", "P48", 2568, "pdf"),
        options=ReportOptions(signer_name="นายทดสอบ ผู้ใหญ่"),
        folder=tmp_path,
    )
    assert path.name == "แบบรายงานระดับจังหวัด_สถจ.นครพนม_2568.pdf"
    text = "".join(pdftotext(path).split())
    d = load_province_report(f4_store, "P48", 2568).districts[0]

    def thai(n: int) -> str:
        return str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))

    for line in (
        "แบบรายงานระดับจังหวัด",
        "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก",
        "ประจำปีงบประมาณพ.ศ.๒๕๖๘",
        "จังหวัดนครพนม",
        "๑.การติดตามผลการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น(ข้อ๒.๑)",
        "๒.การจัดกิจกรรมสัปดาห์การขับเคลื่อนเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลกระดับจังหวัด",
        "“LEVWeekเครือข่ายอถล.ร่วมใจขับเคลื่อนสิ่งแวดล้อมไทยยั่งยืน”",
        "๓.การส่งเสริมและสนับสนุนเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลกระดับจังหวัด",
        "(องค์การบริหารส่วนจังหวัดนครพนม)",
        "ข้อมูลณวันที่",
        "ลงชื่อ",
        "ผู้รายงาน",
        "(นายทดสอบผู้ใหญ่)",
        "ท้องถิ่นจังหวัดนครพนม",
    ):
        assert line in text, line
    line = next(x for x in pdftotext(path, layout=True).splitlines() if "อำเภอเมืองนครพนม" in x)
    assert line.split() == ["๑", "อำเภอเมืองนครพนม"] + [
        thai(n) for n in (d.laos, d.selected, d.met, d.planned, d.activities, d.reported)
    ]
    raw = "".join(pdftotext_raw(path).split())  # cell by cell, as drawn
    assert "".join(WEEK.split()) + "๑ก.พ.๒๕๖๘–๑๕ก.พ.๒๕๖๘ลานพญาศรีสัตตนาคราช๘๕๐" in raw
    assert "๔๕,๐๐๐.๐๐" in raw
    assert "".join(PAO_ACT.split()) in raw and "๓๐,๐๐๐.๕๐" in raw
    # the signature is on the page of the last table
    pages = pdftotext(path).split("\f")
    last = next(p for p in reversed(pages) if p.strip())
    assert "ผู้รายงาน" in last and "๓๐,๐๐๐.๕๐" in last


def test_f4_xlsx_holds_the_same_numbers(f4_store, tmp_path):
    path = generate(
        f4_store,
        ReportRequest("province", "P48", 2568, "xlsx"),
        options=ReportOptions(thai_digits=False),
        folder=tmp_path,
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["F4 ติดตามผล อปท.", "F4 LEV Week", "F4 อบจ."]
    d = load_province_report(f4_store, "P48", 2568).districts[0]
    cells = [list(r) for r in wb["F4 ติดตามผล อปท."].iter_rows(values_only=True)]
    assert [1, "อำเภอเมืองนครพนม", d.laos, d.selected, d.met, d.planned, d.activities] == (
        cells[next(i for i, r in enumerate(cells) if r[0] == 1)][:7]
    )
    # the PDF's last row, "ร้อยละของ อปท. ทั้งหมด", is in the sheet too (it was missing), as
    # numbers with two decimals
    t = load_province_report(f4_store, "P48", 2568).total
    ws = wb["F4 ติดตามผล อปท."]
    row = next(r for r in ws.iter_rows() if r[1].value == "ร้อยละของ อปท. ทั้งหมด")
    assert [c.value for c in row[2:8]] == [
        None,
        *(round(n * 100 / t.laos, 2) for n in (t.selected, t.met, t.planned)),
        None,
        round(t.reported * 100 / t.laos, 2),
    ]
    assert {row[i].number_format for i in (3, 4, 5, 7)} == {"#,##0.00"}
    week = [list(r) for r in wb["F4 LEV Week"].iter_rows(values_only=True)]
    row = next(r for r in week if r[1] == WEEK)
    assert row[2] == dt.datetime(2025, 2, 1) and row[4] == 850 and row[6] == 45000


def test_f4_counts_reports_by_the_obligation_state_not_by_a_report_date(f4_store, monkeypatch):
    """Column ๕ counts the LAOs whose report is in by the one model of issue 9: a LAO with a
    report date whose F3 was returned for correction, or which is not concerned (it began
    using the app after the deadline), has not reported. Counted by ``reported_on`` before."""
    from db.models import Review, utcnow
    from lev_desktop.deadlines import State, engine
    from lev_desktop.domain import reviews
    from lev_desktop.services.programmes import builtin_id

    monkeypatch.setenv("LEV_TODAY", "2025-09-10")
    dated = [r.lao_code for r in load_monitoring(f4_store, "P48", 2568).rows if r.reported_on]
    returned, late_comer = dated[0], dated[1]
    with f4_store.session(importing=True) as s:
        s.add(
            Review(
                owner_office="P48",
                target_office=returned,
                target_kind="F3",
                target_id=reviews.plan_forms_target(builtin_id("P1"), 2568),
                action=reviews.RETURNED,
                text="โปรดแก้วันที่ประชุม",
                updated_at=utcnow() + dt.timedelta(minutes=5),
                updated_by="จังหวัด",
                revision=1,
            )
        )
    engine.set_since(f4_store, late_comer, dt.date(2025, 10, 1), source="list")
    rows = {r.lao_code: r for r in load_monitoring(f4_store, "P48", 2568).rows}
    assert rows[returned].reported_on and rows[returned].state == State.RETURNED
    assert rows[late_comer].reported_on and rows[late_comer].state == State.NOT_APPLICABLE
    (d,) = load_province_report(f4_store, "P48", 2568).districts
    fulfilled = {code for code, r in rows.items() if r.state is not None and r.state.fulfilled}
    assert returned not in fulfilled and late_comer not in fulfilled
    assert d.reported == len(fulfilled) < sum(1 for r in rows.values() if r.reported_on)


def test_f4_is_refused_in_thai_for_a_district_office(demo_store, tmp_path):
    with pytest.raises(ReportDataError, match="ไม่ใช่สำนักงานระดับจังหวัด"):
        generate(demo_store, ReportRequest("province", "D4801", 2568, "pdf"), folder=tmp_path / "o")
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


@needs_poppler
def test_p4_monthly_report_has_its_month_in_the_title_and_that_months_values(demo_store, tmp_path):
    from db.models import KpiValue

    paths = {}
    for month in ((2024, 11), (2025, 7)):
        paths[month] = generate(
            demo_store,
            ReportRequest("monthly", "4801006", 2568, "pdf", month=month),
            options=ReportOptions(),
            folder=tmp_path,
        )
    assert paths[(2025, 7)].name == "รายงานประจำเดือน_อบต.หนองแสง_2568_กค2568.pdf"
    july = "".join(pdftotext(paths[(2025, 7)]).split())
    assert "แบบรายงานผลการดำเนินงานวัดและชุมชนประจำเดือนกรกฎาคมพ.ศ.๒๕๖๘" in july
    assert "บทบาทในการเกื้อหนุนระหว่างวัดและชุมชนให้มีความสุขอย่างยั่งยืน" in july
    november = "".join(pdftotext(paths[(2024, 11)]).split())
    assert "ประจำเดือนพฤศจิกายนพ.ศ.๒๕๖๗" in november
    with demo_store.read() as s:
        held = {
            v.period: int(v.value_num)
            for v in s.query(KpiValue).filter(
                KpiValue.owner_office == "4801006", KpiValue.indicator_code == "participants"
            )
        }
    for text, period in ((july, "2025-07"), (november, "2024-11")):
        shown = str(held[period]).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        assert f"จำนวนผู้เข้าร่วมคน{shown}" in text


@pytest.fixture
def national_store(tmp_path):
    """The Department's database with the demo LAOs (Nakhon Phanom) and no province office."""
    from db.store import Store
    from lev_desktop.services import demo
    from lev_desktop.services.offices import initialise

    store = Store(tmp_path / "nation.db")
    initialise(store, level="national", code="DLA", name="กรมส่งเสริมการปกครองท้องถิ่น")
    demo.fill(store)
    yield store
    store.dispose()


def test_the_department_makes_f4_for_the_province_it_chooses(national_store, tmp_path):
    data = load_province_report(national_store, "DLA", 2568, province="48")
    assert data.office.name == "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม"
    (d,) = data.districts
    assert d.district == "เมืองนครพนม" and d.laos == 15
    assert load_province_report(national_store, "DLA", 2568, province="34").districts == []
    path = generate(
        national_store,
        ReportRequest("province", "DLA", 2568, "pdf", province="48"),
        options=ReportOptions(),
        folder=tmp_path,
    )
    assert path.name == "แบบรายงานระดับจังหวัด_สถจ.นครพนม_2568.pdf"
    with pytest.raises(ReportDataError, match="เลือกจังหวัด"):
        load_province_report(national_store, "DLA", 2568)


def test_f4_sheet_headings_take_the_width_its_district_column_cannot_use(f4_store, tmp_path):
    """F4's six number headings wrapped to 5 lines each (a 103 pt heading row) beside an
    อำเภอ column a third of the page wide whose names all fit one line: no one heading
    alone could lose a line and make the row shorter, so the rest of the width went to the
    district's names. The headings are widened together now when no row's text wraps;
    a sheet whose texts wrap keeps that width for them (the Soft Power sheet, unchanged)."""
    from exports.xlsx.sheets import row_height

    path = generate(
        f4_store,
        ReportRequest("province", "P48", 2568, "xlsx"),
        options=ReportOptions(thai_digits=True),
        folder=tmp_path,
    )
    ws = openpyxl.load_workbook(path)["F4 ติดตามผล อปท."]
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "ที่")
    assert ws.row_dimensions[header].height == row_height(4)  # was row_height(5)
    widths = {c: ws.column_dimensions[c].width for c in "BDEFGH"}
    assert widths["B"] < 2 * min(widths[c] for c in "DE"), widths  # was 72.3 against 12.6
