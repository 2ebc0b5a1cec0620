"""The KPI service against a temporary database: what is written, what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, FormSubmission, KpiValue, Review
from lev_desktop.domain.obligation_state import State
from lev_desktop.services import kpi
from lev_desktop.services.programmes import builtin_id
from tests.exchange.helpers import snapshot

LAO = "4801006"


def _count(store, model, **where):
    with store.read() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_periods_are_parsed_and_labelled_in_thai():
    assert kpi.parse_period("fy2568") == "FY2568"
    assert kpi.parse_period("2568") == "FY2568"
    assert kpi.parse_period("2025-7") == "2025-07"
    assert kpi.parse_period("2568-07") == "2025-07"  # a BE year typed by habit
    assert kpi.parse_period("2025-07") == "2025-07"
    assert kpi.parse_period("once") == "ONCE"
    # Thai digits and the words a person reads are read; the code is stored in Arabic digits
    # (it was stored as "FY๒๕๖๘", a period nothing else matches)
    assert kpi.parse_period("๒๕๖๘") == "FY2568"
    assert kpi.parse_period("FY๒๕๖๘") == "FY2568"
    assert kpi.parse_period("ปีงบประมาณ พ.ศ. ๒๕๖๘") == "FY2568"
    assert kpi.parse_period("๐๗/๒๕๖๘") == "2025-07"
    assert kpi.parse_period("ครั้งเดียว") == "ONCE"
    with pytest.raises(kpi.KpiError, match="ไม่รู้จักงวด"):
        kpi.parse_period("next year")
    assert kpi.period_label("FY2568") == "ปีงบประมาณ พ.ศ. 2568"
    assert kpi.period_label("2025-07") == "กรกฎาคม 2568"
    assert kpi.period_label("ONCE") == "รายงานครั้งเดียว"


def test_values_are_formatted_as_a_person_reads_them():
    assert kpi.format_value({"type": "baht"}, Decimal("373000")) == "373,000.00"
    assert kpi.format_value({"type": "integer"}, 4020) == "4,020"
    assert kpi.format_value({"type": "decimal"}, Decimal("9.2000")) == "9.2"
    assert kpi.format_value({"type": "percent"}, Decimal("87.0000")) == "87"
    assert kpi.format_value({"type": "date"}, dt.date(2025, 2, 15)) == "15 ก.พ. 2568"
    assert kpi.edit_text({"type": "baht"}, Decimal("12500")) == "12500.00"
    assert kpi.edit_text({"type": "date"}, dt.date(2025, 2, 15)) == "15/02/2568"


def test_save_and_load_round_trip(lao_store):
    result = kpi.save_values(
        lao_store,
        "P2",
        "FY2567",
        {
            ("", "households_total"): "4,020",
            ("", "waste_generated"): "9.25",
            ("", "collection_coverage"): "87.5",
            ("", "budget_spent"): "373000",
            ("", "disposal_method"): "เตาเผาขยะ",
        },
    )
    assert result.saved == 5 and result.status == "draft"
    data = kpi.load_form(lao_store, LAO, "P2", "FY2567", today=dt.date(2024, 11, 10))
    assert data.rows[""] == {
        "households_total": 4020,
        "waste_generated": Decimal("9.25"),
        "collection_coverage": Decimal("87.5"),
        "budget_spent": Decimal("373000"),
        "disposal_method": "เตาเผาขยะ",
    }
    assert data.status == "draft" and not data.read_only
    # Clearing a value stores an empty value (the change travels like any other).
    kpi.save_values(lao_store, "P2", "FY2567", {("", "waste_generated"): ""})
    assert kpi.load_form(lao_store, LAO, "P2", "FY2567").rows[""]["waste_generated"] is None


def test_invalid_values_are_refused_and_nothing_is_written(lao_store):
    kpi.save_values(lao_store, "P2", "FY2567", {("", "households_total"): "100"})
    before = (_count(lao_store, KpiValue), _count(lao_store, AuditEntry))
    with pytest.raises(kpi.KpiValidationError) as caught:
        kpi.save_values(
            lao_store, "P2", "FY2567", {("", "households_sorting"): "150", ("", "waste_banks"): "2"}
        )
    assert [p.message for p in caught.value.problems] == ["ครัวเรือนที่คัดแยกขยะต้องไม่มากกว่าครัวเรือนทั้งหมด"]
    with pytest.raises(kpi.KpiValidationError, match="ต้องไม่มากกว่า 100"):
        kpi.save_values(lao_store, "P2", "FY2567", {("", "collection_coverage"): "101"})
    assert (_count(lao_store, KpiValue), _count(lao_store, AuditEntry)) == before


def test_complete_only_when_the_form_validates(lao_store):
    kpi.save_values(lao_store, "P3", "ONCE", {("", "has_green_plan"): "มี"})
    problems = kpi.set_status(lao_store, "P3", "ONCE", "complete")
    assert {p.field for p in problems} == {"green_area_rai", "trees_planted", "activities"}
    assert {p.message for p in problems} == {"ต้องกรอกช่องนี้"}
    # the form's own status, and the state of the obligation it fulfils (due 30 Sep 2564)
    form = kpi.load_form(lao_store, LAO, "P3", "ONCE")
    assert form.status == "draft" and form.state == State.OVERDUE
    early = kpi.load_form(lao_store, LAO, "P3", "ONCE", today=dt.date(2021, 9, 1))
    assert early.state == State.IN_PROGRESS
    kpi.save_values(
        lao_store,
        "P3",
        "ONCE",
        {
            ("", "green_area_rai"): "12.5",
            ("", "trees_planted"): "300",
            ("", "activities"): "ปลูกต้นไม้ริมถนน",
        },
    )
    assert kpi.set_status(lao_store, "P3", "ONCE", "complete") == []
    assert kpi.load_form(lao_store, LAO, "P3", "ONCE").status == "complete"
    # Changing a value of a complete form sends it back to draft.
    assert (
        kpi.save_values(lao_store, "P3", "ONCE", {("", "trees_planted"): "310"}).status == "draft"
    )
    # Sending is recorded by the exchange (a package to the office above), never typed here.
    assert kpi.set_status(lao_store, "P3", "ONCE", "complete") == []
    refused = kpi.set_status(lao_store, "P3", "ONCE", "sent")
    assert refused and "ส่งออกแพ็กเกจ" in refused[0].message
    assert kpi.load_form(lao_store, LAO, "P3", "ONCE").status == "complete"


def test_products_add_remove_restore_with_tombstones(lao_store):
    first = kpi.add_product(lao_store, "P5", "FY2568")
    second = kpi.add_product(lao_store, "P5", "FY2568")
    assert first < second  # keys sort in the order of adding
    kpi.save_values(
        lao_store,
        "P5",
        "FY2568",
        {
            (first, "product"): "กระเป๋าผ้าคราม",
            (first, "income"): "12500.5",
            (first, "video_url"): "https://www.youtube.com/watch?v=abc",
            (second, "product"): "โคมไฟพญานาค",
        },
    )
    with pytest.raises(kpi.KpiValidationError, match="http"):
        kpi.save_values(lao_store, "P5", "FY2568", {(second, "photos_url"): "drive/photos"})
    data = kpi.load_form(lao_store, LAO, "P5", "FY2568")
    assert data.row_order == [first, second]
    assert data.rows[first]["income"] == Decimal("12500.5")
    products = kpi.list_products(lao_store, LAO, "P5", "FY2568")
    assert [(p.number, p.row_key, p.name) for p in products] == [
        (1, first, "กระเป๋าผ้าคราม"),
        (2, second, "โคมไฟพญานาค"),
    ]
    assert kpi.remove_product(lao_store, "P5", "FY2568", second) == 2
    assert [p.row_key for p in kpi.list_products(lao_store, LAO, "P5", "FY2568")] == [first]
    assert kpi.load_form(lao_store, LAO, "P5", "FY2568").row_order == [first]
    assert _count(lao_store, KpiValue, row_key=second, deleted=True) == 2  # tombstones travel
    assert kpi.restore_product(lao_store, "P5", "FY2568", second) == 2
    assert kpi.load_form(lao_store, LAO, "P5", "FY2568").row_order == [first, second]


def test_a_product_value_in_the_single_row_is_refused(lao_store):
    with pytest.raises(kpi.KpiError):
        kpi.save_values(lao_store, "P5", "FY2568", {("", "product"): "x"})


def test_kpi_list_shows_every_form_with_its_status(lao_store):
    kpi.save_values(lao_store, "P4", "2024-10", {("", "activities_held"): "3"})
    rows = kpi.kpi_list(lao_store, [LAO], 2568, today=dt.date(2025, 1, 26))
    by_key = {(r.programme_code, r.period): r for r in rows}
    assert {r.programme_code for r in rows} == {"P2", "P3", "P4", "P5"}
    assert len([r for r in rows if r.programme_code == "P4"]) == 12
    # The due dates are the deadline engine's: the report of a month is due on its 1st.
    october = by_key[("P4", "2024-10")]
    assert october.status == "overdue" and october.due == dt.date(2024, 10, 1)
    assert october.period_label == "ตุลาคม 2567" and october.progress_text == "1/5"
    assert by_key[("P4", "2025-02")].status == "due_soon"  # due 1 Feb 2568, within a week
    assert by_key[("P4", "2025-02")].status_label == "ใกล้ครบกำหนด"
    assert by_key[("P4", "2025-03")].status == "not_yet_due"  # due 1 Mar 2568
    assert by_key[("P4", "2024-11")].status == "overdue"
    assert by_key[("P5", "FY2568")].progress_text == "0 ผลิตภัณฑ์"
    assert by_key[("P2", "FY2567")].due == dt.date(2024, 11, 22)


def test_district_reads_its_laos_and_returns_a_form(demo_store):
    laos = [f"48010{i:02d}" for i in range(2, 16)]
    rows = kpi.kpi_list(demo_store, laos, 2568)
    assert len(rows) == len(laos) * 15  # P2 + P3 + 12 months of P4 + P5
    everything = kpi.consolidated(demo_store, "P2", "FY2567")
    assert set(everything) >= set(laos)
    data = kpi.load_form(demo_store, "4801003", "P2", "FY2567")
    assert (
        data.read_only
        and data.rows[""]["households_total"] == everything["4801003"][""]["households_total"]
    )
    # The district cannot write an LAO's values: save_values always writes this office's own.
    kpi.add_review(demo_store, "4801003", "P2", "FY2567", "returned", "ตัวเลขขยะไม่ตรงกับรายงานเดือน")
    data = kpi.load_form(demo_store, "4801003", "P2", "FY2567")
    assert data.status == "returned"
    assert data.reviews[0].office == "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม"
    assert _count(demo_store, Review, target_office="4801003", action="returned") == 1
    listed = {
        (r.office_code, r.programme_code): r.status
        for r in kpi.kpi_list(demo_store, ["4801003"], 2568)
    }
    assert listed[("4801003", "P2")] == "returned"
    with pytest.raises(kpi.KpiError, match="โปรดระบุความเห็น"):
        kpi.add_review(demo_store, "4801003", "P2", "FY2567", "comment", "  ")


def test_returned_form_is_complete_again_after_correction(lao_store):
    # The LAO side: a return arrives (as a package would bring it), the LAO completes again.
    kpi.save_values(
        lao_store,
        "P3",
        "ONCE",
        {
            ("", "has_green_plan"): "มี",
            ("", "green_area_rai"): "1",
            ("", "trees_planted"): "1",
            ("", "activities"): "ปลูกต้นไม้",
        },
    )
    assert kpi.set_status(lao_store, "P3", "ONCE", "complete") == []
    with lao_store.read() as session:
        sub = session.scalar(select(FormSubmission))
    with lao_store.session(importing=True) as session:
        session.add(
            Review(
                id="r1",
                owner_office="D4801",
                target_office=LAO,
                target_kind=kpi.REVIEW_KIND,
                target_id=sub.id,
                action="returned",
                text="โปรดตรวจสอบพื้นที่สีเขียว",
                updated_at=sub.updated_at + dt.timedelta(seconds=5),
            )
        )
    data = kpi.load_form(lao_store, LAO, "P3", "ONCE")
    assert data.status == "returned" and data.reviews[0].text == "โปรดตรวจสอบพื้นที่สีเขียว"


def test_value_lines_for_the_cli(demo_store):
    data = kpi.load_form(demo_store, "4801003", "P5", "FY2568")
    lines = kpi.value_lines(data)
    assert {line[:2] for line in lines} == {("FY2568", "ปีงบประมาณ พ.ศ. 2568")}
    assert {line[2] for line in lines} == {str(n + 1) for n in range(len(data.row_order))}
    income = [line for line in lines if line[3] == "income"]
    assert all(line[5].endswith(".00") and line[6] == "บาท" for line in income)
    assert builtin_id("P5") == data.programme_id


@pytest.mark.parametrize("typed", ["12500.5", "4500", "0.25"])
def test_a_saved_baht_amount_passes_the_check_when_the_form_is_completed(lao_store, typed):
    """P4's budget typed as 12500.5 shows 12,500.50, yet marking the form complete said
    "จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง": the column (Numeric(18, 4)) gives it back as
    12500.5000, four decimals. A stored amount is checked as it was typed."""
    kpi.save_values(
        lao_store,
        "P4",
        "2024-10",
        {
            ("", "activities_held"): "12",
            ("", "temples"): "3",
            ("", "participants"): "1250",
            ("", "budget_spent"): typed,
            ("", "summary"): "จัดกิจกรรมที่วัดศรีเทพ",
        },
    )
    assert kpi.set_status(lao_store, "P4", "2024-10", "complete") == []
    stored = kpi.load_form(lao_store, LAO, "P4", "2024-10").rows[""]["budget_spent"]
    assert stored == Decimal(typed) and stored.as_tuple().exponent >= -2
    assert kpi.format_value({"type": "baht"}, stored) == format(Decimal(typed), ",.2f")
    assert kpi.edit_text({"type": "baht"}, stored) == format(Decimal(typed), ".2f")


def test_a_review_with_a_word_line_break_is_refused_and_nothing_written(demo_store):
    """The office receiving the review refuses a control character: the comment is refused
    where it is saved, in Thai naming the field, and the database stays as it was."""
    before = snapshot(demo_store)
    with pytest.raises(kpi.KpiError) as refused:
        kpi.add_review(demo_store, "4801003", "P2", "FY2567", "returned", "ตัวเลข\x0bไม่ตรง")
    assert str(refused.value) == "ความเห็น: มีอักขระที่ไม่ใช่ข้อความ"
    assert snapshot(demo_store) == before
