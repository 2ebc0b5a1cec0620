"""Every KPI validation rule, with the Thai message a person reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lev_desktop.domain.templates import P2, P5
from lev_desktop.domain.validation import (
    parse_indicator_value,
    savable_changes,
    validate_form,
    validate_rows,
)


def _spec(**fields):
    return {"code": "x", "name": "x", **fields}


@pytest.mark.parametrize(
    "spec, raw, value, message",
    [
        (_spec(type="integer", min=0), "12", 12, None),
        (_spec(type="integer", min=0), "1,250", 1250, None),
        (_spec(type="integer", min=0), "๑๒", 12, None),
        (_spec(type="integer", min=0), "abc", None, "โปรดกรอกตัวเลข"),
        (_spec(type="integer", min=0), "2.5", None, "โปรดกรอกจำนวนเต็ม"),
        (_spec(type="integer", min=0), "-1", None, "ต้องไม่น้อยกว่า 0"),
        (_spec(type="integer", min=0, max=10), "11", None, "ต้องไม่มากกว่า 10"),
        (_spec(type="decimal", min=0), "3.75", Decimal("3.75"), None),
        (_spec(type="decimal", min=0), "-0.5", None, "ต้องไม่น้อยกว่า 0"),
        (_spec(type="percent"), "100", Decimal(100), None),
        (_spec(type="percent"), "100.5", None, "ต้องไม่มากกว่า 100"),
        (_spec(type="percent"), "-1", None, "ต้องไม่น้อยกว่า 0"),
        (_spec(type="baht", min=0), "12,500.50 บาท", Decimal("12500.50"), None),
        (_spec(type="baht", min=0), "10.005", None, "จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        (_spec(type="baht", min=0), "10.0050", None, "จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        # the same amount with zeros after it: as a scale-4 column and earlier packages give it
        (_spec(type="baht", min=0), "12500.5000", Decimal("12500.50"), None),
        (_spec(type="baht", min=0), "๔,๕๐๐.๐๐๐", Decimal("4500.00"), None),
        (_spec(type="date"), "15/02/2568", dt.date(2025, 2, 15), None),
        (
            _spec(type="date"),
            "31/02/2568",
            None,
            "ไม่มีวันที่ 31 กุมภาพันธ์ 2568: เดือนกุมภาพันธ์ 2568 มี 28 วัน",
        ),
        (_spec(type="date"), "2568/02/15", None, "โปรดกรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/02/2568"),
        (
            _spec(type="url"),
            "https://www.youtube.com/watch?v=1",
            "https://www.youtube.com/watch?v=1",
            None,
        ),
        (_spec(type="url"), "http://drive.example.go.th/x", "http://drive.example.go.th/x", None),
        (
            _spec(type="url"),
            "ftp://example.com/x",
            None,
            "โปรดกรอกลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://",
        ),
        (
            _spec(type="url"),
            "www.youtube.com/watch",
            None,
            "โปรดกรอกลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://",
        ),
        (
            _spec(type="url"),
            "https://exa mple.com",
            None,
            "โปรดกรอกลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://",
        ),
        (_spec(type="choice", choices=["มี", "ไม่มี"]), "มี", "มี", None),
        (
            _spec(type="choice", choices=["มี", "ไม่มี"]),
            "บางส่วน",
            None,
            "โปรดเลือกหนึ่งรายการจาก: มี, ไม่มี",
        ),
        (_spec(type="bool"), "ใช่", True, None),
        (_spec(type="bool"), "maybe", None, "โปรดตอบ ใช่ หรือ ไม่ใช่"),
        (_spec(type="text"), "กลุ่มแม่บ้าน", "กลุ่มแม่บ้าน", None),
        (_spec(type="integer", required=True), "", None, None),  # required is checked by the form
    ],
)
def test_each_type_rule_and_its_thai_message(spec, raw, value, message):
    got, error = parse_indicator_value(spec, raw)
    assert error == message
    assert got == value


def test_required_only_when_final():
    spec = {"indicators": [{"code": "a", "name": "A", "type": "integer", "required": True}]}
    assert validate_form(spec, {}, final=False) == []
    problems = validate_form(spec, {}, final=True)
    assert [(p.field, p.message) for p in problems] == [("a", "ต้องกรอกช่องนี้")]


def test_cross_field_rule_sorted_not_more_than_total():
    problems = validate_form(
        P2, {"households_total": "100", "households_sorting": "150"}, final=False
    )
    assert [(p.field, p.message) for p in problems] == [
        ("households_sorting", "ครัวเรือนที่คัดแยกขยะต้องไม่มากกว่าครัวเรือนทั้งหมด")
    ]
    assert (
        validate_form(P2, {"households_total": "150", "households_sorting": "150"}, final=False)
        == []
    )


def test_rule_without_message_has_a_thai_default():
    spec = {
        "indicators": [{"code": "a", "type": "integer"}, {"code": "b", "type": "integer"}],
        "rules": [{"type": "lte", "left": "a", "right": "b"}],
    }
    assert [p.message for p in validate_form(spec, {"a": "3", "b": "2"}, final=False)] == [
        "ค่ามากเกินไป"
    ]


def test_products_need_at_least_one_to_complete():
    problems = validate_rows(P5, {}, final=True)
    assert [(p.field, p.message) for p in problems] == [("", "โปรดเพิ่มผลิตภัณฑ์อย่างน้อย 1 รายการ")]
    assert validate_rows(P5, {}, final=False) == []


def test_products_are_checked_one_by_one_with_their_row_key():
    rows = {
        "k1": {
            "identity": "ผ้าย้อมคราม",
            "product": "กระเป๋า",
            "group": "กลุ่มทอผ้า",
            "participants": 10,
            "income": Decimal("100.00"),
            "training": "จัดแล้ว",
            "publicity": "ดำเนินการแล้ว",
            "video_url": "youtube.com/x",
        },
        "k2": {"identity": "x"},
    }
    problems = validate_rows(P5, rows, final=True)
    k1 = [(p.field, p.message) for p in problems if p.row == "k1"]
    assert k1 == [("video_url", "โปรดกรอกลิงก์เว็บที่ขึ้นต้นด้วย http:// หรือ https://")]
    k2 = {p.field for p in problems if p.row == "k2"}
    assert k2 == {"product", "group", "participants", "income", "training", "publicity"}


def test_savable_changes_refuses_a_change_that_breaks_a_rule_and_keeps_the_others():
    saved = {"": {"households_total": 100}}
    accepted, problems = savable_changes(
        P2,
        saved,
        {
            ("", "households_sorting"): "150",
            ("", "waste_banks"): "3",
            ("", "collection_coverage"): "120",
        },
    )
    assert accepted == {("", "waste_banks"): 3}
    assert {(p.field, p.message) for p in problems} == {
        ("households_sorting", "ครัวเรือนที่คัดแยกขยะต้องไม่มากกว่าครัวเรือนทั้งหมด"),
        ("collection_coverage", "ต้องไม่มากกว่า 100"),
    }


def test_savable_changes_lowering_the_total_below_a_saved_part_is_refused():
    saved = {"": {"households_total": 100, "households_sorting": 80}}
    accepted, problems = savable_changes(P2, saved, {("", "households_total"): "50"})
    assert accepted == {}
    assert problems and problems[0].field == "households_sorting"


def test_savable_changes_fixing_both_sides_together_is_accepted():
    saved = {"": {"households_total": 100, "households_sorting": 80}}
    accepted, problems = savable_changes(
        P2, saved, {("", "households_total"): "50", ("", "households_sorting"): "40"}
    )
    assert problems == []
    assert accepted == {("", "households_total"): 50, ("", "households_sorting"): 40}


def test_unknown_indicator_is_refused():
    accepted, problems = savable_changes(P2, {}, {("", "nope"): "1"})
    assert accepted == {}
    assert problems[0].message == "ไม่รู้จักตัวชี้วัด nope"


def test_a_remembering_parser_gives_every_value_the_verdict_of_a_fresh_one():
    """The package import keeps each indicator's verdict per value (``remembering_parser``):
    the same result for every value, asked in any order and again, as a parser that keeps
    nothing; equal numbers written differently (1 and 1.000 baht) keep their own verdicts."""
    from lev_desktop.domain.validation import indicator_parser, remembering_parser

    specs = [
        _spec(type="integer", min=0),
        _spec(type="baht", min=0),
        _spec(type="percent"),
        _spec(type="decimal", min=-5, max=10),
        _spec(type="date"),
        _spec(type="choice", choices=["มี", "ไม่มี"]),
        _spec(type="bool"),
        _spec(type="text"),
        _spec(type="url"),
    ]
    values = [
        Decimal("1"),
        Decimal("1.000"),
        Decimal("1.00"),
        Decimal("1.005"),
        Decimal("-0"),
        Decimal("0"),
        Decimal("100"),
        Decimal("100.0"),
        Decimal("100.0001"),
        Decimal("1E+2"),
        Decimal("-6"),
        Decimal("99999999999999"),
        Decimal("100000000000000"),
        "12",
        "1,250",
        "๑๒",
        "2.5",
        " ",
        "",
        None,
        "มี",
        "ไม่มี ",
        "yes",
        "https://example.org",
        dt.date(2024, 2, 29),
        dt.date(2567, 1, 1),
        "2024-02-30",
        "15/02/2568",
        1,
        True,
    ]
    for spec in specs:
        remembered = remembering_parser(indicator_parser(spec))
        for value in [*values, *reversed(values), *values]:
            expected = indicator_parser(spec)(value)
            found = remembered(value)
            assert found == expected, (spec["type"], value)
            assert type(found[0]) is type(expected[0]), (spec["type"], value)
            if isinstance(expected[0], Decimal):
                assert str(found[0]) == str(expected[0]), (spec["type"], value)


def test_the_largest_value_accepted_is_the_value_read_back(lao_store):
    """The largest value each numeric kind accepts is saved and read back exactly from the
    office's SQLite file (a REAL: 15 significant digits). Before: 14 digits before the point
    were accepted, and 99,999,999,999,999.99 baht came back as 99,999,999,999,999.9844 (and
    the report printed 100,000,000,000,000.00, a value the form itself refuses)."""
    from lev_desktop.domain.validation import VALUE_NUM_WHOLE_DIGITS
    from lev_desktop.services import kpi, programmes

    programmes.seed_builtins(lao_store)
    limit = Decimal(10) ** VALUE_NUM_WHOLE_DIGITS
    largest = {
        "waste_generated": limit - Decimal("0.0001"),
        "budget_spent": limit - Decimal("0.01"),
    }
    spec = {i["code"]: i for i in P2["indicators"]}
    for code, value in largest.items():
        assert parse_indicator_value(spec[code], str(value)) == (value, None)
        assert parse_indicator_value(spec[code], str(limit))[0] is None
    kpi.save_values(lao_store, "P2", "FY2567", {("", k): str(v) for k, v in largest.items()})
    form = kpi.load_form(lao_store, "4801006", "P2", "FY2567")
    assert {k: form.rows[""][k] for k in largest} == largest
    assert str(form.rows[""]["waste_generated"]) == "99999999999.9999"
