"""Issue 14, speed without a second truth: the board and the month view read the facts in
bulk (grouped SQL, plain driver rows) and keep what they derived until something is written;
every state they show is still the model's (``DeadlineBook.instance``: one office, one
obligation, one period, judged by ``domain.obligation_state``)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import insert, update

from db.models import KpiValue, Office, Review, utcnow
from db.store import Store
from lev_desktop.changes import Changes
from lev_desktop.deadlines import State, engine
from lev_desktop.domain import reviews
from lev_desktop.domain.obligation_state import judge
from lev_desktop.services import consolidation, demo, offices, programmes
from lev_desktop.services.programmes import builtin_id
from lev_desktop.thai_format import fiscal_year_range

TYPES = ["sao"] * 6 + ["subdistrict_municipality"] * 3 + ["town_municipality", "pao"]
FY = 2568


@pytest.fixture
def province(tmp_path, monkeypatch) -> Store:
    """A generated province: 36 LAOs over four districts with the demo's records (plans,
    activities, KPI values, form states), and the facts that take an LAO off the common path
    (a manual mark, a return for correction, a later start, a form received and deleted)."""
    today = dt.date(2025, 9, 10)
    monkeypatch.setenv("LEV_TODAY", today.isoformat())
    store = Store(tmp_path / "province.db")
    offices.initialise(store, level="province", code="P48", name="สถจ.นครพนม", province_code="48")
    programmes.seed_builtins(store)
    rng = random.Random(14)
    rows = []
    for i in range(36):
        district = f"48{i % 4 + 1:02d}"
        code = f"{district}{i // 4 + 1:03d}"
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "owner_office": code,
                "revision": 1,
                "updated_at": utcnow(),
                "updated_by": "test",
                "deleted": False,
                "code": code,
                "name": f"อปท.ทดสอบ {code}",
                "level": "lao",
                "lao_type": rng.choice(TYPES),
                "province_code": "48",
                "district_code": district,
                "parent_code": None,
                "phone": "",
                "public_key": None,
            }
        )
    with store.session(importing=True) as session:
        session.execute(insert(Office), rows)
        for row in rows:
            demo.insert_records(
                session, demo.lao_records(row["code"], rng, fiscal_year=FY, received_by="P48")
            )
        session.add(
            Review(
                owner_office="P48",
                target_office=rows[1]["code"],
                target_kind="F3",
                target_id=reviews.plan_forms_target(builtin_id("P1"), FY),
                action=reviews.RETURNED,
                text="โปรดแก้วันที่ประชุม",
                updated_at=utcnow() + dt.timedelta(minutes=5),
                updated_by="จังหวัด",
                revision=1,
            )
        )
    engine.set_since(store, rows[2]["code"], dt.date(2025, 6, 1), source="list")
    engine.mark_sent(
        store,
        rows[3]["code"],
        "P5.LAO.REPORT",
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 8),
        programme="P5",
        reason="หนังสือที่ นพ ๑๒๓",
    )
    yield store
    store.dispose()


def test_every_board_state_is_the_models_state_of_that_office(province):
    """Every office, obligation and period of the year on the board: the state, the day that
    counts and the day received are those the model gives that one office (read alone)."""
    store = province
    today = engine.today()
    checked = Counter()
    for prog in consolidation.programmes_for_board(store):
        for ob in consolidation.board_obligations(prog, FY):
            for due in ob.dues:
                board = consolidation.build_board(
                    store, prog.code, fiscal_year=FY, obligation=ob.code, period=due.period
                )
                for row in board.rows:
                    # a book of its own for each office: nothing read for the others
                    book = engine.DeadlineBook(
                        store, today_=today, soon_days=engine.reminder_days(store)
                    )
                    instance = book.instance(row.code, ob.engine, due.period)
                    assert instance is not None, (row.code, ob.code, due.period)
                    expected = instance.judgement
                    assert (row.state, row.arrived, row.received_on) == (
                        expected.state,
                        expected.fulfilled_on if expected.state.fulfilled else None,
                        instance.facts.received_on,
                    ), (row.code, ob.code, due.period)
                    checked[row.state] += 1
    assert sum(checked.values()) > 500
    # the uncommon paths are among them
    assert {State.RECEIVED, State.LATE, State.RETURNED, State.NOT_APPLICABLE} <= set(checked)


def test_the_month_views_counts_are_the_models_states_counted(province):
    """The month view counts the LAOs in SQL (grouped by their facts); counted one office at a
    time by the model, every LAO instance of the year gives the same numbers."""
    store = province
    today = engine.today()
    book = engine.DeadlineBook(store, today_=today)
    start, end = fiscal_year_range(FY)
    checked = 0
    for deadline in book.expand(start, end, levels=["lao"]):
        ob = deadline.obligation
        if ob.form is None:
            continue
        due = book.instance_due(deadline)
        if due != deadline.due:
            continue
        summary = engine.DeadlineBook(store, today_=today)._summary(ob, due, deadline.period)
        counted: Counter[State] = Counter()
        for lao in engine.DeadlineBook(store, today_=today).laos_for(ob):
            alone = engine.DeadlineBook(store, today_=today)
            instance = alone.instance(lao.code, ob, deadline.period)
            assert instance is not None
            # the counts do not read whether unfinished forms have work in them: the model's
            # judgement of the same facts without that one
            facts = replace(instance.facts, work=False)
            counted[judge(facts, instance.due, today, alone.soon_days).state] += 1
        assert Counter({s: n for s, n in summary.counts.items() if n}) == counted, (
            ob.code,
            deadline.period,
        )
        checked += 1
    assert checked >= 15


def test_what_was_derived_is_read_again_after_a_write(province):
    """The board keeps its figures and states between builds; a write through the store (a
    KPI value, a manual mark) or a change notification makes the next build read again."""
    store = province
    first = consolidation.build_board(store, "P5", fiscal_year=FY)
    lao = first.rows[0]
    assert consolidation.build_board(store, "P5", fiscal_year=FY).rows == first.rows
    key = next(m.key for m in first.metrics if m.key.startswith("kpi:") and m.kind != "percent")
    with store.session() as session:
        session.execute(
            update(KpiValue)
            .where(
                KpiValue.owner_office == lao.code,
                KpiValue.programme_id == builtin_id("P5"),
                KpiValue.indicator_code == key[4:],
            )
            .values(value_num=123456)
        )
    after = consolidation.build_board(store, "P5", fiscal_year=FY)
    assert after.rows[0].values[key] != lao.values[key]
    unkept = Store(store.path)  # nothing derived kept: the truth
    try:
        assert after.rows == consolidation.build_board(unkept, "P5", fiscal_year=FY).rows
    finally:
        unkept.dispose()

    engine.unmark_sent(store, "4804001", "P5.LAO.REPORT", dt.date(2025, 9, 15), programme="P5")
    marked = {r.code: r for r in after.rows}["4804001"]
    unmarked = {r.code: r for r in consolidation.build_board(store, "P5", fiscal_year=FY).rows}
    assert marked.mark and not unmarked["4804001"].mark


def test_a_read_made_while_something_was_written_is_not_kept(province):
    store = province
    generation, found = store.kept("k")
    assert found is None
    with store.session() as session:  # written while "k" was being read
        session.execute(update(Office).where(Office.code == "4801001").values(phone="042"))
    store.keep("k", "older than the data", generation)
    assert store.kept("k")[1] is None
    generation, _found = store.kept("k")
    store.keep("k", "read after the write", generation)
    assert store.kept("k")[1] == "read after the write"
    store.written()  # what AppContext.notify does for a change of states
    assert store.kept("k")[1] is None


def test_a_change_notification_forgets_what_was_derived(make_ctx, province):
    ctx = make_ctx(province)
    generation, _found = province.kept("k")
    province.keep("k", 1, generation)
    ctx.notify(Changes(settings=False))  # nothing changed: kept
    assert province.kept("k")[1] == 1
    ctx.notify(Changes(marks=True))
    assert province.kept("k")[1] is None
