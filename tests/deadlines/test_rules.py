"""The expansion of deadline rules: exact dates of every seed programme, and properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lev_desktop.deadlines.rules import Obligation, expand, obligations_of, period_for
from lev_desktop.domain.templates import BUILTIN_TEMPLATES, P1, P2, P3, P4, P5

D = dt.date


def _dates(template, start, end, level=None, **kw):
    levels = None if level is None else [level]
    return [
        (d.first_day, d.due)
        for d in expand(obligations_of(template), start, end, levels=levels, **kw)
    ]


def test_p5_lao_rounds_of_2025():
    got = [due for _first, due in _dates(P5, D(2025, 9, 1), D(2025, 12, 31), "lao")]
    assert got == [
        D(2025, 9, 15),
        D(2025, 10, 5),
        D(2025, 10, 15),
        D(2025, 11, 5),
        D(2025, 11, 15),
        D(2025, 12, 5),
        D(2025, 12, 15),
    ]


def test_p5_rounds_stop_once_everyone_reported():
    obs = obligations_of(P5)
    got = [
        d.due
        for d in expand(
            obs,
            D(2025, 9, 1),
            D(2025, 12, 31),
            levels=["lao"],
            reported_on=lambda ob: D(2025, 10, 20),
        )
    ]
    # the round on or after the day of the last report is the last one
    assert got == [D(2025, 9, 15), D(2025, 10, 5), D(2025, 10, 15), D(2025, 11, 5)]
    none_yet = expand(
        obs, D(2025, 9, 1), D(2025, 12, 31), levels=["lao"], reported_on=lambda ob: None
    )
    assert len(none_yet) == 7


def test_p4_lao_first_of_month_and_province_fifth_of_following():
    lao = _dates(P4, D(2025, 1, 1), D(2025, 6, 30), "lao")
    assert [due for _f, due in lao] == [D(2025, m, 1) for m in range(1, 7)]
    province = expand(obligations_of(P4), D(2025, 1, 1), D(2025, 6, 30), levels=["province"])
    assert [d.due for d in province] == [D(2025, m, 5) for m in range(1, 7)]
    # the province's report of 5 Feb covers January
    assert province[1].period == "2025-01"
    # the very first LAO report is 1 Jul 2565, the first province report covers July 2565
    first = expand(obligations_of(P4), D(2022, 1, 1), D(2022, 8, 31))
    assert [(d.obligation.level, d.due) for d in first] == [
        ("lao", D(2022, 7, 1)),
        ("lao", D(2022, 8, 1)),
        ("province", D(2022, 8, 5)),
    ]


def test_p1_dates_at_their_levels():
    got = {
        (d.obligation.level, d.first_day, d.due)
        for d in expand(obligations_of(P1), D(2024, 10, 1), D(2025, 9, 30))
    }
    assert ("lao", D(2024, 12, 31), D(2024, 12, 31)) in got
    assert ("province", D(2025, 2, 1), D(2025, 2, 15)) in got  # LEV Week window
    assert ("province", D(2025, 3, 21), D(2025, 3, 21)) in got
    assert ("lao", D(2025, 9, 30), D(2025, 9, 30)) in got
    assert ("district", D(2025, 9, 30), D(2025, 9, 30)) in got
    assert ("province", D(2025, 9, 30), D(2025, 9, 30)) in got


def test_p2_window_and_briefing():
    got = expand(obligations_of(P2), D(2024, 11, 1), D(2024, 11, 30))
    assert [(d.first_day, d.due, d.time) for d in got] == [
        (D(2024, 11, 7), D(2024, 11, 7), "09:30"),
        (D(2024, 11, 7), D(2024, 11, 22), None),
    ]
    assert got[1].is_window and not got[0].is_window


def test_p3_once():
    assert _dates(P3, D(2021, 1, 1), D(2021, 12, 31)) == [(D(2021, 9, 30), D(2021, 9, 30))]
    assert _dates(P3, D(2021, 10, 1), D(2021, 12, 31)) == []


def test_pao_only_obligation_follows_lao_type():
    obs = obligations_of(P1)
    codes = {d.obligation.code for d in expand(obs, D(2024, 10, 1), D(2025, 9, 30), lao_type="sao")}
    assert "P1.PAO.NETWORK" not in codes
    codes = {d.obligation.code for d in expand(obs, D(2024, 10, 1), D(2025, 9, 30), lao_type="pao")}
    assert "P1.PAO.NETWORK" in codes


def test_weekend_and_holiday_flags():
    obs = obligations_of(P5)
    got = {
        d.due: d
        for d in expand(
            obs,
            D(2025, 9, 1),
            D(2025, 12, 31),
            levels=["lao"],
            holidays={D(2025, 12, 5): "วันพ่อแห่งชาติ"},
        )
    }
    assert got[D(2025, 10, 5)].weekend and got[D(2025, 10, 5)].non_working  # Sunday
    assert not got[D(2025, 10, 15)].non_working
    assert got[D(2025, 12, 5)].holiday == "วันพ่อแห่งชาติ" and not got[D(2025, 12, 5)].weekend
    assert got[D(2025, 10, 5)].working_day == D(2025, 10, 3)  # Sunday → Friday
    assert got[D(2025, 12, 5)].working_day == D(2025, 12, 4)
    assert got[D(2025, 10, 15)].working_day is None


def test_working_day_before_skips_holidays_and_weekends():
    from lev_desktop.deadlines.rules import previous_working_day

    # Mon 14 Apr 2025 (Songkran): back over Sun, Sat and Sun 13 to Fri 11 Apr
    holidays = {D(2025, 4, 13): "สงกรานต์", D(2025, 4, 14): "สงกรานต์"}
    assert previous_working_day(D(2025, 4, 14), holidays) == D(2025, 4, 11)


def test_routing_of_reports():
    ob = obligations_of(P5)[0]
    assert ob.destination("sao").value == "district"
    assert ob.destination("subdistrict_municipality").value == "district"
    assert ob.destination("town_municipality").value == "province"
    assert ob.destination("city_municipality").value == "province"
    assert ob.destination("pao").value == "province"


def test_period_keys():
    p5 = obligations_of(P5)[0]
    assert period_for(p5, D(2025, 12, 5)) == "FY2568"  # the programme's fiscal year
    p4, p4_province = obligations_of(P4)
    assert period_for(p4, D(2025, 1, 1)) == "2025-01"  # the January report
    assert period_for(p4_province, D(2025, 2, 5)) == "2025-01"  # collects January


def test_monthly_day_clamped_to_short_months():
    ob = Obligation("X", "X.M", "lao", "t", {"type": "monthly", "day": 31, "first": "2025-01-31"})
    got = [d.due for d in expand([ob], D(2025, 1, 1), D(2025, 4, 30))]
    assert got == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]


def test_fiscal_year_rule():
    ob = Obligation(
        "X", "X.FY", "lao", "t", {"type": "fiscal_year", "month": 12, "day": 31}, fiscal_year=2568
    )
    assert [d.due for d in expand([ob], D(2020, 1, 1), D(2030, 1, 1))] == [D(2024, 12, 31)]
    free = Obligation("X", "X.FY2", "lao", "t", {"type": "fiscal_year", "month": 3, "day": 31})
    assert [d.due for d in expand([free], D(2024, 10, 1), D(2026, 9, 30))] == [
        D(2025, 3, 31),
        D(2026, 3, 31),
    ]


def test_until_bounds_monthly():
    ob = Obligation(
        "X",
        "X.M",
        "lao",
        "t",
        {"type": "monthly", "day": 1, "first": "2025-01-01", "until": "2025-03-15"},
    )
    assert [d.due for d in expand([ob], D(2024, 1, 1), D(2026, 1, 1))] == [
        D(2025, 1, 1),
        D(2025, 2, 1),
        D(2025, 3, 1),
    ]


ALL_OBLIGATIONS = [ob for t in BUILTIN_TEMPLATES for ob in obligations_of(t)]


@settings(max_examples=150, deadline=None)
@given(
    start=st.dates(D(2019, 1, 1), D(2031, 12, 31)),
    days=st.integers(0, 900),
    levels=st.one_of(
        st.none(), st.sets(st.sampled_from(["lao", "district", "province"]), min_size=1)
    ),
    stop=st.one_of(st.none(), st.dates(D(2025, 9, 1), D(2027, 1, 1))),
)
def test_expansion_properties(start, days, levels, stop):
    end = start + dt.timedelta(days=days)
    got = expand(ALL_OBLIGATIONS, start, end, levels=levels, reported_on=lambda ob: stop)
    keys = [(d.obligation.programme_code, d.obligation.code, d.first_day, d.due) for d in got]
    assert len(keys) == len(set(keys)), "no duplicates"
    assert [d.sort_key() for d in got] == sorted(d.sort_key() for d in got), "sorted"
    for d in got:
        assert d.first_day <= end and d.due >= start, "inside the range"
        assert levels is None or d.obligation.level in levels
        assert d.first_day <= d.due
    # a sub-range never shows a deadline the whole range lacks
    if days > 2:
        middle = start + dt.timedelta(days=days // 2)
        part = expand(ALL_OBLIGATIONS, start, middle, levels=levels, reported_on=lambda ob: stop)
        assert {(d.obligation.code, d.due) for d in part} <= {
            (d.obligation.code, d.due) for d in got
        }


def test_shorten_keeps_thai_marks_with_their_letter():
    import unicodedata

    from lev_desktop.deadlines.holidays_th import FIXED
    from lev_desktop.deadlines.text import shorten

    for _month, _day, name in FIXED:
        for limit in range(5, 60):
            short = shorten(name, limit)
            assert short == name or short.endswith("…")
            body = short.rstrip("…")
            assert name.startswith(body)
            rest = name[len(body) :]
            assert not rest or unicodedata.category(rest[0]) != "Mn"
