"""Programmes made from a template."""

from __future__ import annotations

from lev_desktop.services import programmes


def test_a_programme_from_a_builtin_template_the_database_does_not_hold(empty_store):
    # found by mypy --strict: the template of a programme not in the database was read from None
    made = programmes.create_from_template(empty_store, "P1", code="P1-2569", fiscal_year=2569)
    assert (made.code, made.fiscal_year, made.builtin) == ("P1-2569", 2569, False)
    assert programmes.get_programme(empty_store, "P1-2569").name == made.name


def test_next_years_programme_has_next_years_deadlines(demo_store):
    """ "P1-2569" made from P1 (the drive of 2568) for the fiscal year 2569: its deadlines are
    P1's a year later. Before, they were P1's own (F1 due 31 Dec 2567, the report 30 Sep 2568):
    the new programme had no deadline in its year and every LAO was overdue for it in 2568,
    with no screen to change the dates."""
    import datetime as dt

    from lev_desktop.deadlines import DeadlineBook

    made = programmes.create_from_template(demo_store, "P1", code="P1-2569", fiscal_year=2569)
    rules = {ob["code"]: ob["rule"] for ob in made.spec["obligations"]}
    titles = {ob["code"]: ob["title"] for ob in made.spec["obligations"]}
    assert titles["P1.LAO.RUN"] == "ดำเนินกิจกรรมตามแผนปฏิบัติงานในปีงบประมาณ พ.ศ. ๒๕๖๙"
    assert rules["P1.LAO.PLAN"] == {"type": "once", "date": "2025-12-31"}
    assert rules["P1.LAO.RUN"] == {"type": "window", "start": "2025-10-01", "end": "2026-09-30"}
    assert rules["P1.PROVINCE.WEEK"] == {
        "type": "window",
        "start": "2026-02-01",
        "end": "2026-02-15",
    }
    book = DeadlineBook(demo_store, today_=dt.date(2025, 10, 1))
    dues = {
        d.obligation.code: d.due
        for d in book.expand(dt.date(2024, 10, 1), dt.date(2026, 9, 30))
        if d.obligation.programme_code == "P1-2569"
    }
    assert dues["P1.LAO.PLAN"] == dt.date(2025, 12, 31)
    assert min(dues.values()) >= dt.date(2025, 10, 1)  # all in the fiscal year 2569
    # P2's letter is of 2567 but its dates of 2568: moved from the dates' own year
    p2 = programmes.create_from_template(demo_store, "P2", code="P2-2569", fiscal_year=2569)
    assert p2.spec["obligations"][0]["rule"]["date"] == "2025-11-07"


def test_a_29_february_moves_to_the_28th_of_a_common_year():
    from lev_desktop.deadlines.rules import moved_to_year

    spec = {"obligations": [{"code": "A", "rule": {"type": "once", "date": "2024-02-29"}}]}
    assert moved_to_year(spec, 2568)["obligations"][0]["rule"]["date"] == "2025-02-28"
    assert spec["obligations"][0]["rule"]["date"] == "2024-02-29"  # the template is left as it is
