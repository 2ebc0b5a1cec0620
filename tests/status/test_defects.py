"""Issue 9: one test per defect found on the demo data (each failed before its fix)."""

from __future__ import annotations

import datetime as dt

from lev_desktop.deadlines import State, engine
from lev_desktop.services import plans
from lev_desktop.services.offices import initialise, subordinate_laos
from lev_desktop.services.programmes import builtin_id

D = dt.date
P1 = builtin_id("P1")


def test_the_calendar_and_the_f3_report_say_the_same(demo_store, monkeypatch):
    """Was: for อบต.หนองแสง the calendar said "overdue 429 days" while F3 showed it reported,
    and the district calendar said 0 of 14 LAOs reported while F3 showed 10."""
    from exports.reports.data import load_monitoring

    monkeypatch.setenv("LEV_TODAY", "2026-12-03")
    f3 = {r.lao_code: r for r in load_monitoring(demo_store, None, 2568).rows}
    item = next(
        i
        for i in engine.office_deadlines(demo_store, D(2025, 9, 1), D(2025, 9, 30))
        if i.obligation.code == "P1.DISTRICT.COMPILE"
    )
    laos = engine.completeness(demo_store, item.obligation, item.due)
    assert item.laos.done == sum(1 for s in laos if s.state.fulfilled) > 0
    assert item.laos.done == sum(1 for r in f3.values() if r.state and r.state.fulfilled)
    for state in laos:
        assert f3[state.code].state == state.state
        assert f3[state.code].state_text.startswith(state.state.label)


def test_f2_and_f3_chips_say_in_progress_when_work_exists(demo_store, monkeypatch):
    """Was: "ยังไม่เริ่ม" for every LAO, with activities and F3 dates filled in."""
    from db.models import FormSubmission

    with demo_store.session(importing=True) as session:  # forms of an earlier version: none
        session.execute(
            FormSubmission.__table__.delete().where(FormSubmission.form_code.in_(["F2", "F3"]))
        )
    found = engine.form_states(
        demo_store, ["4801006"], P1, ["F2", "F3"], "FY2568", today_=D(2025, 8, 1)
    )["4801006"]
    assert found["F2"].state == State.IN_PROGRESS
    assert found["F3"].state == State.IN_PROGRESS


def test_a_blank_activity_is_not_counted_as_held(lao_store):
    """Was: adding one blank activity counted as done ("ทำแล้ว/แผน 1/1")."""
    plans.start_from_examples(lao_store, P1, 2568)
    item = plans.load_plan(lao_store, "4801006", P1, 2568).items[0]
    plans.save_activity(lao_store, P1, 2568, {"id": plans.new_id(), "plan_item_id": item.id})
    assert plans.load_plan(lao_store, "4801006", P1, 2568).items[0].done == 0
    plans.save_activity(
        lao_store,
        P1,
        2568,
        {
            "id": plans.new_id(),
            "plan_item_id": item.id,
            "held_on": D(2025, 3, 1),
            "outputs": "ผู้เข้าร่วม ๑๒๐ คน เก็บขยะได้ ๓๐๐ กิโลกรัม",
        },
    )
    view = plans.load_plan(lao_store, "4801006", P1, 2568)
    assert view.items[0].done == 1
    assert plans.progress_cell(view.items[0]) == f"1/{item.planned_activities}"


def test_a_new_office_does_not_inherit_the_past(empty_store):
    """Was: an office set up in FY2570 was shown P3 (due 30 ก.ย. 2564) overdue and greeted
    with 9 overdue items."""
    initialise(
        empty_store,
        level="lao",
        code="4801099",
        name="องค์การบริหารส่วนตำบลทดสอบใหม่",
        lao_type="sao",
        parent="D4801",
        province_code="48",
        district_code="4801",
        since=D(2026, 11, 20),
    )
    today = D(2026, 12, 3)
    # only what fell due since it began: the monthly temple report of 1 Dec 2569
    found = engine.reminders(empty_store, today_=today)
    assert [(i.obligation.code, i.due) for i in found] == [("P4.LAO.MONTHLY", D(2026, 12, 1))]
    old = engine.office_deadlines(empty_store, D(2021, 1, 1), D(2026, 11, 19), today_=today)
    assert old and {i.state for i in old} == {State.NOT_APPLICABLE}
    p3 = [i for i in old if i.obligation.code == "P3.LAO.REPORT"]
    assert p3 and p3[0].state == State.NOT_APPLICABLE


def test_lev_init_records_the_day_the_office_began(tmp_path, capsys):
    from db.store import Store
    from lev_desktop.cli import main

    db = str(tmp_path / "new.db")
    args = ["--db", db, "init", "--level", "lao", "--office", "4801099", "--name", "อบต.ใหม่"]
    assert main([*args, "--type", "อบต.", "--since", "2026-11-20"]) == 0
    store = Store(db)
    assert engine.get_since(store, "4801099") == D(2026, 11, 20)
    store.dispose()


def test_an_lao_added_to_the_list_later_is_not_overdue_for_earlier_deadlines(demo_store):
    from lev_desktop.services.offices import add_laos

    add_laos(
        demo_store,
        [{"code": "4801099", "name": "อบต.ใหม่", "lao_type": "sao", "district_code": "4801"}],
        since=D(2026, 11, 20),
    )
    states = engine.completeness(
        demo_store, "P1.DISTRICT.COMPILE", D(2025, 9, 30), today_=D(2026, 12, 3)
    )
    new = next(s for s in states if s.code == "4801099")
    assert new.state == State.NOT_APPLICABLE
    assert "4801099" in {o.code for o in subordinate_laos(demo_store)}


def test_one_notification_keeps_every_badge_fresh(demo_store, qtbot, make_ctx, monkeypatch):
    """Was: Home showed 3 items while the calendar badge still showed 10 until visited."""
    from lev_desktop.changes import Changes

    monkeypatch.setenv("LEV_TODAY", "2025-09-20")
    ctx = make_ctx(demo_store)
    badges: dict[str, int] = {}
    ctx.badge_changed.connect(lambda key, n: badges.__setitem__(key, n))
    with qtbot.waitSignal(ctx.badge_changed, timeout=20000):
        ctx.notify(Changes(offices=True))
    before = dict(badges)
    assert before["home"] == before["calendar"] == len(engine.reminders(demo_store))
    # a change the badges must follow: the district's own P5 round marked sent by hand
    engine.mark_sent(
        demo_store,
        "D4801",
        "P5.DISTRICT.REPORT",
        D(2025, 9, 15),
        D(2025, 9, 14),
        programme="P5",
        reason="ส่งหนังสือถึงจังหวัด",
    )
    with qtbot.waitSignals([ctx.badge_changed, ctx.badge_changed], timeout=20000):
        ctx.notify(Changes(marks=True))
    assert badges["home"] == badges["calendar"] == len(engine.reminders(demo_store))
    assert badges["home"] == before["home"] - 1


def test_the_kpi_list_puts_what_there_is_to_do_before_what_fell_due_before_the_start(empty_store):
    """clerk12 (1366×768): an LAO that began in January read five months of the temple report
    marked "ไม่ต้องดำเนินการ" before its one due form; those now come after the others."""
    from lev_desktop.services import kpi

    initialise(
        empty_store,
        level="lao",
        code="4801099",
        name="องค์การบริหารส่วนตำบลทดสอบใหม่",
        lao_type="sao",
        parent="D4801",
        province_code="48",
        district_code="4801",
        since=D(2025, 3, 1),
    )
    rows = kpi.kpi_list(empty_store, ["4801099"], 2568, today=D(2025, 3, 10))
    months = [f"2025-{m:02d}" for m in range(4, 10)]
    before = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
    assert [(r.programme_code, r.period, r.status) for r in rows] == [
        ("P4", "2025-03", "overdue"),
        *(("P4", month, "not_yet_due") for month in months),
        ("P5", "FY2568", "not_yet_due"),
        ("P2", "FY2567", "not_applicable"),
        ("P3", "ONCE", "not_applicable"),
        *(("P4", month, "not_applicable") for month in before),
    ]
