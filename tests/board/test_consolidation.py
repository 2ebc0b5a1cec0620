"""The consolidation board's figures and states, checked against plain SQL on the same DB."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from decimal import Decimal

import pytest

from db.models import FormSubmission, Office
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.services import consolidation as c
from lev_desktop.services.consolidation import State
from lev_desktop.services.programmes import builtin_id

TODAY = dt.date(2026, 1, 10)


def _db(store) -> sqlite3.Connection:
    path = store.engine.url.database
    return sqlite3.connect(path)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _via_district(conn) -> set[str]:
    """LAOs that report through district 4801 (ทต./อบต.), read straight from the table."""
    return {
        code
        for (code,) in conn.execute(
            "SELECT code FROM offices WHERE level='lao' AND deleted=0 AND district_code='4801' "
            "AND lao_type IN ('subdistrict_municipality','sao')"
        )
    }


def test_p1_plan_figures_match_plain_sql(demo_store):
    board = c.build_board(demo_store, "P1", fiscal_year=2568, today=TODAY)
    conn = _db(demo_store)
    wanted = _via_district(conn)
    expected: dict[str, dict] = defaultdict(
        lambda: {"budget": Decimal(0), "planned": 0, "held": 0, "people": 0, "spent": Decimal(0)}
    )
    p1 = builtin_id("P1")
    for owner, budget, planned in conn.execute(
        "SELECT p.owner_office, i.budget, i.planned_activities FROM plans p "
        "JOIN plan_items i ON i.plan_id = p.id WHERE p.programme_id=? AND p.fiscal_year=2568 "
        "AND p.deleted=0 AND i.deleted=0",
        (p1,),
    ):
        expected[owner]["budget"] += _money(budget or 0)
        expected[owner]["planned"] += planned
    for owner, people, spent in conn.execute(
        "SELECT a.owner_office, a.participants, a.budget_spent FROM activities a "
        "JOIN plan_items i ON a.plan_item_id = i.id JOIN plans p ON i.plan_id = p.id "
        "WHERE p.programme_id=? AND p.fiscal_year=2568 AND a.deleted=0",
        (p1,),
    ):
        expected[owner]["held"] += 1
        expected[owner]["people"] += people or 0
        expected[owner]["spent"] += _money(spent or 0)
    assert {r.code for r in board.rows} == wanted
    assert len(board.rows) == 14  # the เทศบาลเมือง reports straight to the province
    for row in board.rows:
        e = expected[row.code]
        assert _money(row.values["budget_planned"]) == e["budget"]
        assert row.values["activities_planned"] == e["planned"]
        assert (row.values["activities_held"] or 0) == e["held"]
        assert (row.values["participants"] or 0) == e["people"]
        assert _money(row.values["budget_spent"] or 0) == e["spent"]
    assert _money(board.totals["budget_planned"]) == sum(expected[x]["budget"] for x in wanted)
    assert board.totals["participants"] == sum(expected[x]["people"] for x in wanted)
    assert board.totals["activities_held"] == sum(expected[x]["held"] for x in wanted)


def test_p5_products_income_and_p4_months(demo_store):
    conn = _db(demo_store)
    wanted = _via_district(conn)
    p5 = c.build_board(demo_store, "P5", today=TODAY)
    income: dict[str, Decimal] = defaultdict(Decimal)
    keys: dict[str, set] = defaultdict(set)
    for owner, code, row_key, value in conn.execute(
        "SELECT owner_office, indicator_code, row_key, value_num FROM kpi_values "
        "WHERE programme_id=? AND period='FY2568' AND deleted=0",
        (builtin_id("P5"),),
    ):
        keys[owner].add(row_key)
        if code == "income":
            income[owner] += _money(value)
    for row in p5.rows:
        assert _money(row.values["kpi:income"]) == income[row.code]
        assert row.values["products"] == len(keys[row.code])
    assert _money(p5.totals["kpi:income"]) == sum(income[x] for x in wanted)

    p4 = c.build_board(demo_store, "P4", fiscal_year=2568, today=TODAY)
    months = defaultdict(set)
    for owner, period in conn.execute(
        "SELECT owner_office, period FROM kpi_values WHERE programme_id=? AND deleted=0 "
        "AND period BETWEEN '2024-10' AND '2025-09'",
        (builtin_id("P4"),),
    ):
        months[owner].add(period)
    for row in p4.rows:
        assert row.values["months_reported"] == len(months[row.code])


def test_p2_stage_aggregates(demo_store):
    board = c.build_board(demo_store, "P2", today=TODAY)
    assert board.fiscal_year == 2567
    conn = _db(demo_store)
    wanted = _via_district(conn)
    values: dict[str, list[Decimal]] = defaultdict(list)
    for owner, code, value in conn.execute(
        "SELECT owner_office, indicator_code, value_num FROM kpi_values WHERE programme_id=? "
        "AND period='FY2567' AND deleted=0 AND value_num IS NOT NULL",
        (builtin_id("P2"),),
    ):
        if owner in wanted:
            values[code].append(Decimal(str(value)))
    by_code = {s.code: s for s in board.indicators}
    generated = by_code["waste_generated"]
    assert generated.stage == "source" and generated.stage_label == "ต้นทาง"
    assert generated.total.quantize(Decimal("0.01")) == sum(values["waste_generated"]).quantize(
        Decimal("0.01")
    )
    coverage = by_code["collection_coverage"]
    assert coverage.total is None  # percentages are not added up
    assert coverage.count == len(values["collection_coverage"]) == 14
    assert coverage.minimum == min(values["collection_coverage"])
    assert coverage.maximum == max(values["collection_coverage"])
    mean = sum(values["collection_coverage"]) / len(values["collection_coverage"])
    assert abs(coverage.mean - mean) < Decimal("0.0001")
    assert by_code["households_total"].total == sum(values["households_total"])


def test_filters_by_district_and_type(demo_store):
    from lev_desktop.services import offices

    every = c.build_board(demo_store, "P1", today=TODAY)
    sao = c.build_board(demo_store, "P1", lao_type="sao", today=TODAY)
    assert sao.rows and all(r.lao_type == "sao" for r in sao.rows)
    assert len(sao.rows) == len([r for r in every.rows if r.lao_type == "sao"])
    assert sao.totals["participants"] == sum(r.values["participants"] or 0 for r in sao.rows)
    assert sao.totals["participants"] < every.totals["participants"]
    assert c.build_board(demo_store, "P1", district="4802", today=TODAY).rows == []
    # An LAO in another district is not under this district office.
    offices.add_lao(
        demo_store,
        code="4802001",
        name="องค์การบริหารส่วนตำบลทดสอบ",
        lao_type="sao",
        district_code="4802",
    )
    assert "4802001" not in {r.code for r in c.build_board(demo_store, "P1", today=TODAY).rows}
    # The province sees it, and both districts.
    province = c.build_board(demo_store, "P1", office=None, today=TODAY)
    assert len(province.districts) == 1
    with demo_store.session() as s:
        s.add(
            Office(
                code="P48",
                owner_office="P48",
                name="สถจ.นครพนม",
                level="province",
                province_code="48",
            )
        )
    whole = c.build_board(demo_store, "P1", office="P48", today=TODAY)
    assert {d.key for d in whole.districts} == {"4801", "4802"}
    assert len(whole.rows) == 16  # incl. the เทศบาลเมือง
    only = c.build_board(demo_store, "P1", office="P48", district="4802", today=TODAY)
    assert [r.code for r in only.rows] == ["4802001"]
    assert only.rows[0].state == State.OVERDUE and only.rows[0].values["budget_planned"] is None


@pytest.fixture
def crafted(demo_store):
    """Four LAOs' P5 report states set by hand (as imports of an earlier version left them,
    without receipts); the P5 report is due on 15 Sep 2025."""
    from db.models_deadlines import FormDelivery

    p5 = builtin_id("P5")
    codes = ["4801002", "4801003", "4801004", "4801005"]
    when = {
        codes[0]: (FormStatus.SENT, dt.datetime(2025, 9, 14, 16, 0), None),
        codes[1]: (FormStatus.COMPLETE, None, dt.datetime(2025, 9, 20, 9, 0)),
        codes[2]: (FormStatus.DRAFT, None, None),
    }
    with demo_store.session(importing=True) as s:
        s.execute(FormDelivery.__table__.delete().where(FormDelivery.programme_id == p5))
        for sub in s.query(FormSubmission).filter(FormSubmission.programme_id == p5):
            status, sent, completed = when.get(sub.owner_office, (FormStatus.RETURNED, None, None))
            sub.status, sub.sent_at, sub.completed_at = status, sent, completed
            sub.updated_at = dt.datetime(2025, 9, 1)
    return codes


def test_states_on_crafted_dates(crafted, demo_store):
    on_time, late, draft, returned = crafted
    after = c.build_board(demo_store, "P5", today=dt.date(2025, 10, 1))
    states = {r.code: r.state for r in after.rows}
    assert states[on_time] == State.RECEIVED
    assert states[late] == State.LATE
    assert states[draft] == State.OVERDUE  # a draft has not arrived
    assert states[returned] == State.RETURNED  # returned for correction: the LAO must act
    row = next(r for r in after.rows if r.code == late)
    assert row.arrived == dt.date(2025, 9, 20) and row.due == dt.date(2025, 9, 15)
    before = c.build_board(demo_store, "P5", today=dt.date(2025, 9, 10))
    states = {r.code: r.state for r in before.rows}
    assert states[draft] == State.DUE_SOON and states[returned] == State.RETURNED
    assert before.counts[State.RETURNED] == len(before.rows) - 3
    assert sum(before.counts.values()) == len(before.rows)
    assert before.shown_states == [
        State.RECEIVED,
        State.LATE,
        State.DUE_SOON,
        State.RETURNED,
        State.OVERDUE,
    ]


def test_states_agree_with_the_deadline_engine(crafted, demo_store):
    from lev_desktop import deadlines

    today = dt.date(2025, 10, 1)
    board = c.build_board(demo_store, "P5", today=today)
    engine = deadlines.completeness(
        demo_store, "P5.LAO.REPORT", board.due.due, programme="P5", today_=today
    )
    assert {s.code for s in engine} == {r.code for r in board.rows}
    by_code = {s.code: s for s in engine}
    for row in board.rows:
        assert row.state == by_code[row.code].state
        assert row.arrived == (by_code[row.code].fulfilled_on if row.state.fulfilled else None)


@pytest.mark.parametrize("today", [dt.date(2025, 9, 10), dt.date(2025, 10, 1)])
def test_lao_ends_are_the_ends_of_lao_states(crafted, demo_store, today):
    """The board reads ``DeadlineBook.lao_ends`` (no tuple per LAO): for every LAO the same
    state, dates and mark as ``lao_states``, in a book of its own and after the other."""
    from lev_desktop.deadlines import DeadlineBook

    def book():
        demo_store.written()  # nothing kept from the other
        return DeadlineBook(demo_store, today_=today, programmes=[builtin_id("P5")])

    first = book()
    ob = first.find("P5.LAO.REPORT", "P5")
    due = next(d.due for d in c.board_obligations(first.programmes[0], 2568)[0].dues)
    states = first.lao_states(ob, due)
    assert len(states) > 3
    expected = {s.code: tuple(s)[4:] for s in states}
    assert book().lao_ends(ob, due) == expected
    assert first.lao_ends(ob, due) == expected


def test_recurring_obligation_periods(demo_store):
    board = c.build_board(demo_store, "P4", fiscal_year=2568, period="2025-03", today=TODAY)
    assert board.due.period == "2025-03"
    # The due date of a period is the engine's (its rules say which month a report covers).
    from lev_desktop.deadlines import expand, obligations_of

    ob = next(o for o in obligations_of(_programme(demo_store, "P4")) if o.code == "P4.LAO.MONTHLY")
    engine_due = next(
        d.due
        for d in expand([ob], dt.date(2024, 1, 1), dt.date(2026, 1, 1))
        if d.period == "2025-03"
    )
    assert board.due.due == engine_due
    obligations = c.board_obligations(_programme(demo_store, "P4"), 2568)
    assert [d.period for d in obligations[0].dues] == [
        f"{y:04d}-{m:02d}"
        for y, m in [(2024, 10), (2024, 11), (2024, 12)] + [(2025, m) for m in range(1, 10)]
    ]
    p5 = c.board_obligations(_programme(demo_store, "P5"), 2568)[0]
    assert [(d.period, d.due) for d in p5.dues] == [("FY2568", dt.date(2025, 9, 15))]
    with pytest.raises(LookupError):
        c.build_board(demo_store, "P4", period="1999-01")
    with pytest.raises(LookupError):
        c.build_board(demo_store, "P4", obligation="NOPE")


def _programme(store, code):
    from lev_desktop.services.programmes import get_programme

    return get_programme(store, code)


def test_a_receipt_records_when_the_lao_made_the_package_and_when_it_arrived(crafted, demo_store):
    """What an import records (``form_deliveries``): the LAO is judged by the day it made the
    package; the day it was imported here is shown beside it."""
    from db.models_deadlines import FormDelivery

    on_time, late, _draft, _returned = crafted
    p5 = builtin_id("P5")
    with demo_store.session() as session:
        for owner, made, imported in (
            (on_time, "2025-09-14 08:00:00", "2025-09-18 10:00:00"),
            (late, "2025-09-20 08:00:00", "2025-09-25 08:00:00"),
        ):
            session.add(
                FormDelivery(
                    direction="received",
                    owner_office=owner,
                    programme_id=p5,
                    form_code="SP",
                    period="FY2568",
                    package_uuid=f"pkg-{owner}",
                    counterpart=owner,
                    sent_at=dt.datetime.fromisoformat(made),
                    received_at=dt.datetime.fromisoformat(imported),
                    via="package",
                )
            )
    board = c.build_board(demo_store, "P5", today=dt.date(2025, 10, 1))
    rows = {r.code: r for r in board.rows}
    assert rows[on_time].state == State.RECEIVED
    assert (rows[on_time].arrived, rows[on_time].received_on) == (
        dt.date(2025, 9, 14),
        dt.date(2025, 9, 18),
    )
    assert rows[late].state == State.LATE and rows[late].received_on == dt.date(2025, 9, 25)


@pytest.mark.parametrize(
    "outputs",
    [
        None,
        "",
        " ",
        "   ",
        "x",
        " x",
        "x ",
        "  x  ",
        "\t",
        "\n",
        "\r\n",
        " \u00a0 ",
        "\u3000",
        "\u200b",
        "\ufeff\n",
        "\n\u00a0ผล",
        "ดำเนินการแล้ว",
        " ผล ",
    ],
)
def test_held_in_sql_is_held_on_the_screens(outputs):
    """``Activity.held()`` (SQL: the board, "done / planned", F3) says of every text what
    ``activity_held`` (the activities screen) says: a result of a line break or a no-break
    space alone is blank in both. (SQL used to strip spaces only: an activity whose result was
    "\n" was counted held on the board and F3 and shown not done on its screen.)"""
    from sqlalchemy import select
    from sqlalchemy.dialects import sqlite

    from db.models import Activity
    from lev_desktop.domain.validation import activity_held

    expected = activity_held({"held_on": dt.date(2025, 1, 10), "outputs": outputs})
    assert expected == bool((outputs or "").strip().strip("\u200b\ufeff"))
    query = select(Activity.id).where(Activity.held())
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE activities (id TEXT, held_on DATE, outputs TEXT)")
    conn.execute("INSERT INTO activities VALUES ('a', '2025-01-10', ?)", (outputs,))
    conn.execute("INSERT INTO activities VALUES ('b', NULL, ?)", (outputs,))
    assert "ltrim" in sql
    assert {r[0] for r in conn.execute(sql)} == ({"a"} if expected else set())


def test_held_on_postgresql_is_held_on_the_screens(pg_url):
    """The same agreement on PostgreSQL (a province server): its ``ltrim(text, characters)``."""
    from sqlalchemy import create_engine, select, text

    from db.models import Activity
    from lev_desktop.domain.validation import activity_held

    texts = [None, "", " ", "\n", "\r\n", "\t", " \u00a0 ", "\u3000", "\u200b", "x", " ผล "]
    engine = create_engine(pg_url)
    with engine.begin() as pg:
        pg.execute(text("CREATE TABLE activities (id TEXT, held_on DATE, outputs TEXT)"))
        for index, value in enumerate(texts):
            pg.execute(
                text("INSERT INTO activities VALUES (:id, '2025-01-10', :outputs)"),
                {"id": str(index), "outputs": value},
            )
        found = {int(r[0]) for r in pg.execute(select(Activity.id).where(Activity.held()))}
    engine.dispose()
    expected = {
        i for i, v in enumerate(texts) if activity_held({"held_on": dt.date.today(), "outputs": v})
    }
    assert expected == {9, 10}
    assert found == expected


@pytest.mark.parametrize("code", ["P1", "P2", "P5"])
def test_district_summaries_equal_the_plain_group_sums(demo_store, code):
    """The board's per-district totals (each district a run of the sorted rows) and board
    totals are exactly ``group_summaries``/``combine``'s — also for rows out of order and
    LAOs without a figure."""
    import random

    board = c.build_board(demo_store, code, today=TODAY)
    metrics = board.metrics
    expected = c.group_summaries(
        metrics, board.rows, key=lambda r: r.district_code or "", label=lambda r: r.district
    )
    assert repr(board.districts) == repr(expected)
    assert repr(board.totals) == repr(c.combine(metrics, board.rows))
    rows = list(board.rows)
    # another district, an LAO without any figure and one without the first metric's
    rows[0] = c.BoardRow(**{**vars(rows[0]), "district_code": "4802", "district": "อำเภอ2"})
    rows[1] = c.BoardRow(**{**vars(rows[1]), "values": dict.fromkeys(rows[1].values)})
    rows[2] = c.BoardRow(**{**vars(rows[2]), "values": {**rows[2].values, metrics[0].key: None}})
    random.Random(5).shuffle(rows)
    found, columns = c._district_summaries(metrics, rows)
    expected = c.group_summaries(
        metrics, rows, key=lambda r: r.district_code or "", label=lambda r: r.district
    )
    assert [g.key for g in found] == ["4801", "4802"]
    assert repr(found) == repr(expected)
    ordered = sorted(rows, key=lambda r: r.district_code or "")
    assert repr(columns) == repr({m.key: c._present(ordered, m.key) for m in metrics})
