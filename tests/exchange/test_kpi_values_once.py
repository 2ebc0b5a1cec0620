"""Issue 14 (import speed): ``payloads.kpi_problems`` checks each distinct indicator value once
per preview (``IndicatorRules.valid``) and answers "no problem" without a step per record when
every value is valid. Its answer must be exactly the full check's: the same Thai reasons in the
same order, the same values handed back, for valid and invalid values, unknown indicators and
programmes, a value given twice in one group (the last one counts) and the checks across
fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lev_desktop.exchange import payloads
from lev_desktop.exchange.payloads import IndicatorRules, KpiValue, kpi_problems

WASTE = "f3b73d2a-0008-5174-96da-5560766c00bf"
TEMPLES = "16915dd8-ffac-5429-9999-07e9e3a19788"
UNKNOWN = "0f8fad5b-d9cb-469f-a165-70867728950e"
SPECS: dict[str, Any] = {
    WASTE: (
        "P2",
        {
            "indicators": [
                {"code": "total", "type": "integer", "min": 0},
                {"code": "sorting", "type": "integer", "min": 0},
                {"code": "spent", "type": "baht", "min": 0},
                {"code": "share", "type": "percent"},
            ],
            "rules": [{"type": "lte", "left": "sorting", "right": "total", "message": "มากไป"}],
        },
    ),
    TEMPLES: (
        "P4",
        {
            "indicators": [
                {"code": "temples", "type": "integer", "min": 0, "max": 50},
                {"code": "note", "type": "text"},
                {"code": "held", "type": "date"},
            ]
        },
    ),
}
CODES = ["total", "sorting", "spent", "share", "temples", "note", "held", "ghost"]
NUMBERS = [None, "0", "1", "12", "12.5", "12.505", "-3", "100", "101", "50", "51", 7, 0]
TEXTS = [None, "", " ", "ดี", "12"]
DATES = [None, "2025-01-31", "2025-02-30"]


def value(draw: Any, index: int) -> KpiValue:
    pid = draw(st.sampled_from([WASTE, WASTE, TEMPLES, TEMPLES, UNKNOWN]))
    return KpiValue(
        pid,
        draw(st.sampled_from(CODES)),
        draw(st.sampled_from(["FY2567", "2025-01"])),
        draw(st.sampled_from(["", "", "r1"])),
        draw(st.sampled_from(NUMBERS)),
        draw(st.sampled_from(TEXTS)),
        draw(st.sampled_from(DATES)),
        f"id-{index}",
    )


@st.composite
def batches(draw: Any) -> list[list[KpiValue]]:
    """A few payloads of values, read one after the other in one preview."""
    count = draw(st.integers(1, 4))
    out = []
    for _ in range(count):
        size = draw(st.integers(0, 12))
        out.append([value(draw, i) for i in range(size)])
    return out


def full_check(records: list[KpiValue], *, defer: bool) -> tuple[list[str], list[KpiValue]]:
    """kpi_problems with every record through the full check (as before the shortcut)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(payloads, "_all_valid", lambda *_a: False)
        return kpi_problems(records, SPECS.get, {}, defer=defer)


@settings(max_examples=300, deadline=None)
@given(batches(), st.booleans())
def test_the_shortcut_answers_exactly_as_the_full_check(batch: Any, defer: bool) -> None:
    rules = IndicatorRules()  # one preview: what is remembered carries over between payloads
    for records in batch:
        assert kpi_problems(records, SPECS.get, rules, defer=defer) == full_check(
            records, defer=defer
        )


def test_valid_values_are_remembered_for_the_preview_and_refound_when_invalid() -> None:
    rules = IndicatorRules()
    good = [
        KpiValue(WASTE, "total", "FY2567", "", "10", None, None, "a"),
        KpiValue(WASTE, "sorting", "FY2567", "", "4", None, None, "b"),
        KpiValue(TEMPLES, "temples", "2025-01", "", "3", None, None, "c"),
    ]
    assert kpi_problems(good, SPECS.get, rules, defer=True) == ([], [])
    assert rules.valid[WASTE][2] == {
        (WASTE, "total", "10", None, None),
        (WASTE, "sorting", "4", None, None),
    }
    assert rules.valid[TEMPLES][2] == {(TEMPLES, "temples", "3", None, None)}
    # The same valid values again, but across fields wrong in this group: still found.
    wrong = [
        KpiValue(WASTE, "total", "FY2567", "", "4", None, None, "d"),
        KpiValue(WASTE, "sorting", "FY2567", "", "10", None, None, "e"),
    ]
    found, deferred = kpi_problems(wrong, SPECS.get, rules, defer=True)
    assert (found, deferred) == full_check(wrong, defer=True)
    assert len(found) == 1 and "มากไป" in found[0]
    # A value once valid is valid again; an invalid one beside it is reported.
    mixed = [*good, KpiValue(TEMPLES, "temples", "2025-02", "", "51", None, None, "f")]
    assert kpi_problems(mixed, SPECS.get, rules, defer=True) == full_check(mixed, defer=True)
    assert kpi_problems(mixed, SPECS.get, rules, defer=True)[0] == [
        "ค่าตัวชี้วัด “temples” (กุมภาพันธ์ 2568): ต้องไม่มากกว่า 50"
    ]


def test_a_refused_value_is_named_as_the_form_names_it() -> None:
    """The indicator by its name and the period in Thai months and BE years: the reason read
    "ค่าตัวชี้วัด budget_spent (2024-10): …", codes an officer never sees."""
    from lev_desktop.domain.templates import builtin_template, spec_of

    p4 = spec_of(builtin_template("P4"))
    wrong = [KpiValue(TEMPLES, "budget_spent", "2024-10", "", "10.005", None, None, "a")]
    found, _deferred = kpi_problems(wrong, {TEMPLES: ("P4", p4)}.get, {}, defer=True)
    assert found == ["ค่าตัวชี้วัด “งบประมาณที่ใช้” (ตุลาคม 2567): จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]


def test_a_template_changed_in_the_preview_is_checked_afresh() -> None:
    """What is remembered belongs to the template it was checked against."""
    rules = IndicatorRules()
    records = [KpiValue(TEMPLES, "note", "2025-01", "", None, "ดี", None, "a")]
    assert kpi_problems(records, SPECS.get, rules, defer=True) == ([], [])
    other = {TEMPLES: ("P4", {"indicators": [{"code": "temples", "type": "integer"}]})}
    found, _deferred = kpi_problems(records, other.get, rules, defer=True)
    assert len(found) == 1  # "note" is no indicator of that template


def test_a_value_of_a_programme_not_known_yet_is_handed_back() -> None:
    records = [
        KpiValue(UNKNOWN, "total", "FY2567", "", "1", None, None, "a"),
        KpiValue(WASTE, "total", "FY2567", "", "1", None, None, "b"),
    ]
    found, deferred = kpi_problems(records, SPECS.get, IndicatorRules(), defer=True)
    assert (found, deferred) == ([], [records[0]])
    assert Decimal(deferred[0].value_num) == 1


def test_a_rule_of_another_shape_leaves_the_answer_to_the_full_check():
    """The shortcut knows the checks across fields by their two sides (``left`` ≤ ``right``):
    a rule of another shape (a template newer than this shortcut) is never taken as holding;
    the full check decides (it used to answer "holds" for any rule not of type ``lte``)."""
    spec = {
        "indicators": [{"code": "total", "type": "integer", "min": 0}],
        "rules": [{"type": "sum", "fields": ["total"], "equals": "total"}],
    }
    records = [KpiValue(WASTE, "total", "FY2567", "", "3", None, None, "id-1")]
    rules = IndicatorRules()
    assert payloads._all_valid(records, lambda _pid: ("P2", spec), rules) is False
    lte = {**spec, "rules": [{"type": "lte", "left": "total", "right": "total"}]}
    assert payloads._all_valid(records, lambda _pid: ("P2", lte), IndicatorRules()) is True
