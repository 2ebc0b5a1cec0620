"""Issue 9, the consistency test: a district whose LAOs cover every state, and the same state
for every (office, obligation, period) in ``lev status``, the consolidation board, the F3
report data, the KPI list and the screens' table models (the LAO list of a deadline, the
F1/F2/F3 chips of the LAO list, the KPI list, the agenda)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from db.models import FormSubmission, Monitoring, Review, utcnow
from db.models_deadlines import FormDelivery
from lev_desktop.cli import main
from lev_desktop.deadlines import State, engine
from lev_desktop.domain import reviews
from lev_desktop.services import consolidation, kpi, plans
from lev_desktop.services.offices import subordinate_laos
from lev_desktop.services.programmes import builtin_id, get_programme

TODAY = dt.date(2025, 9, 10)
FY = 2568
P1, P5 = builtin_id("P1"), builtin_id("P5")


@pytest.fixture
def district(demo_store, monkeypatch):
    """The demo district, with facts added so that its LAOs' instances take every state an
    LAO can have seen from a district."""
    monkeypatch.setenv("LEV_TODAY", TODAY.isoformat())
    store = demo_store
    with store.session(importing=True) as s:
        # 4801002: its F3 returned for correction by the district
        s.add(
            Review(
                owner_office="D4801",
                target_office="4801002",
                target_kind="F3",
                target_id=reviews.plan_forms_target(P1, FY),
                action=reviews.RETURNED,
                text="โปรดแก้วันที่ประชุม",
                updated_at=utcnow() + dt.timedelta(minutes=5),
                updated_by="อำเภอ",
                revision=1,
            )
        )
        # 4801003: nothing done on its F3 yet (no dates, no form)
        s.execute(
            update(Monitoring)
            .where(Monitoring.owner_office == "4801003")
            .values(
                committee_selected_on=None,
                committee_met_on=None,
                plan_made_on=None,
                reported_on=None,
                notice_posted_on=None,
            )
        )
        s.execute(
            FormSubmission.__table__.delete().where(
                FormSubmission.owner_office == "4801003", FormSubmission.form_code == "F3"
            )
        )
        s.execute(
            FormDelivery.__table__.delete().where(
                FormDelivery.owner_office == "4801003", FormDelivery.form_code == "F3"
            )
        )
    # 4801004 began using the app after the F3 deadline: not applicable
    engine.set_since(store, "4801004", dt.date(2025, 10, 1), source="list")
    # 4801005's report came on paper: marked received by hand
    engine.mark_sent(
        store,
        "4801005",
        "P1.LAO.REPORT",
        dt.date(2025, 9, 30),
        dt.date(2025, 9, 8),
        programme="P1",
        reason="หนังสือที่ นพ ๑๒๓ ลงวันที่ ๘ ก.ย. ๒๕๖๘",
    )
    # the district marks its own P5 round sent by hand (paper to the province)
    engine.mark_sent(
        store,
        "D4801",
        "P5.DISTRICT.REPORT",
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 9),
        programme="P5",
        reason="ส่งหนังสือถึงจังหวัด",
    )
    return store


def lev_status(store, capsys, office: str) -> dict[tuple[str, str], str]:
    db = store.engine.url.database
    assert main(["--db", db, "status", "--office", office, "--fiscal-year", str(FY)]) == 0
    header, *lines = (line.split("\t") for line in capsys.readouterr().out.splitlines())
    code, period, state = (header.index(t) for t in ("รหัสภารกิจ", "รหัสงวด", "สถานะ"))
    return {(cols[code], cols[period]): cols[state] for cols in lines}


def test_every_source_gives_the_same_state(district, capsys, qtbot):
    from ui.models.office_model import OfficeStatusModel
    from ui.screens.kpi_models import KpiListModel
    from ui.widgets.deadline_models import LaoStatesModel

    store = district
    laos = [o.code for o in subordinate_laos(store)]
    # 1. lev status, per LAO and for the district itself
    cli = {office: lev_status(store, capsys, office) for office in [*laos, "D4801"]}
    seen: dict[tuple[str, str, str], str] = {
        (office, code, period): word
        for office, lines in cli.items()
        for (code, period), word in lines.items()
    }
    words = set(seen.values())
    every_lao_state = {
        State.NOT_APPLICABLE,
        State.NOT_YET_DUE,
        State.IN_PROGRESS,
        State.DUE_SOON,
        State.OVERDUE,
        State.RETURNED,
        State.DONE,
        State.RECEIVED,
        State.LATE,
    }
    assert {s.label for s in every_lao_state} <= words, words
    assert State.SENT.label in {w for (o, _c, _p), w in seen.items() if o == "D4801"}

    compared = 0

    def same(office: str, code: str, period: str, word: str, where: str) -> None:
        nonlocal compared
        assert seen[(office, code, period)] == word, (where, office, code, period)
        compared += 1

    # 2. the consolidation board (every LAO obligation with a form, every period of FY2568)
    for programme in ("P1", "P2", "P4", "P5"):
        prog = get_programme(store, programme)
        year = prog.fiscal_year or FY
        for info in consolidation.board_obligations(prog, year):
            for due in info.dues:
                if due.due.year * 12 + due.due.month < 2024 * 12 + 10:
                    continue
                board = consolidation.build_board(
                    store, programme, fiscal_year=year, obligation=info.code, period=due.period
                )
                for row in board.rows:
                    if (row.code, info.code, due.period) in seen and row.state is not None:
                        same(row.code, info.code, due.period, row.state.label, "board")

    # 3. the F3 report data
    from exports.reports.data import load_monitoring

    for row in load_monitoring(store, None, FY).rows:
        if row.lao_code in laos:
            same(row.lao_code, "P1.LAO.REPORT", f"FY{FY}", row.state.label, "F3 report")

    # 4. table models of the screens: the LAO list of a deadline (calendar, board dialog)
    model = LaoStatesModel()
    for deadline in ("P1.DISTRICT.COMPILE", "P5.DISTRICT.REPORT"):
        lao_code = "P1.LAO.REPORT" if deadline.startswith("P1") else "P5.LAO.REPORT"
        due = dt.date(2025, 9, 30) if deadline.startswith("P1") else dt.date(2025, 9, 15)
        model.set_rows(engine.completeness(store, deadline, due))
        for row in range(model.rowCount()):
            office = model.rows[row].code
            word = model.index(row, 2).data()
            same(office, lao_code, f"FY{FY}", word, "LAO list dialog")

    # ... the F1/F2/F3 chips of the LAO list on the plan and activity screens
    offices = plans.offices_overview(store, subordinate_laos(store), P1, FY)
    chips = OfficeStatusModel()
    chips.set_rows(offices)
    codes = {"F1": "P1.LAO.PLAN", "F2": "P1.LAO.RUN", "F3": "P1.LAO.REPORT"}
    for row in range(chips.rowCount()):
        office = chips.rows[row].code
        for column, form in enumerate(("F1", "F2", "F3"), start=1):
            same(office, codes[form], f"FY{FY}", chips.index(row, column).data(), "F1/F2/F3")

    # ... the KPI list (P2, P4, P5 forms of every LAO)
    rows = kpi.kpi_list(store, laos, FY)
    listing = KpiListModel()
    listing.set_rows(rows)
    form_codes = {"KPI": "P2.LAO.KPI", "M": "P4.LAO.MONTHLY", "SP": "P5.LAO.REPORT"}
    for n in range(listing.rowCount()):
        row = listing.row_at(n)
        code = form_codes.get(row.form_code)
        if code is None or (row.office_code, code, row.period) not in seen:
            continue
        word = listing.index(n, listing.STATUS).data()
        same(row.office_code, code, row.period, word, "KPI list")

    assert compared > 500


def test_the_agenda_and_lev_status_agree_for_the_district_itself(district, capsys, qtbot):
    from ui.widgets.deadline_models import AgendaModel

    store = district
    words = lev_status(store, capsys, "D4801")
    start, end = dt.date(2024, 10, 1), dt.date(2025, 9, 30)
    items = [i for i in engine.office_deadlines(store, start, end) if not i.incoming]
    agenda = AgendaModel()
    agenda.set_items(items)
    for row, item in enumerate(agenda.rows):
        if item.due != item.deadline.due:
            continue  # a later round of the same instance
        key = (item.obligation.code, item.period)
        assert agenda.index(row, 0).data() == words[key], key
    assert words[("P5.DISTRICT.REPORT", f"FY{FY}")] == State.SENT.label


def test_the_month_view_counts_are_the_lao_lists_counted(district):
    """The month view counts the LAOs' states in SQL (``DeadlineBook._tally``: the whole
    country in a few queries); every count is the LAO list's, read one LAO at a time — with a
    manual mark, a return for correction, an LAO that began later, an LAO with nothing, and a
    form received here whose row was deleted since."""
    from collections import Counter

    from lev_desktop.thai_format import fiscal_year_range

    store = district
    with store.session(importing=True) as s:
        s.execute(
            FormSubmission.__table__.delete().where(
                FormSubmission.owner_office == "4801007", FormSubmission.form_code == "F3"
            )
        )

    def fresh() -> engine.DeadlineBook:
        return engine.DeadlineBook(store, today_=TODAY)

    book = fresh()
    assert sum(book._scope.values()) == len(book.laos) == len(subordinate_laos(store))
    tally = book._tally((P1, "F3", f"FY{FY}"))
    assert any(row is None for (_t, _s, (row, _d, _r)) in tally.counted)  # received, row gone
    assert {lao.code for lao in tally.special} >= {"4801002", "4801005"}  # returned, marked
    start, end = fiscal_year_range(FY)
    checked = 0
    for item in fresh().items(start, end, work=False):  # the month view's own lines
        if item.laos is None:
            continue
        states = fresh().lao_states(item.obligation, item.due, item.deadline.period, work=False)
        assert Counter({s: n for s, n in item.laos.counts.items() if n}) == Counter(
            s.state for s in states
        ), (item.obligation.code, item.deadline.period)
        checked += 1
    assert checked >= 3
    for deadline in book.expand(start, end, levels=["lao"]):  # every LAO instance of the year
        ob = deadline.obligation
        if ob.form is None:
            continue
        due = book.instance_due(deadline)
        summary = fresh()._summary(ob, due, deadline.period)
        states = fresh().lao_states(ob, due, deadline.period, work=False)
        assert Counter({s: n for s, n in summary.counts.items() if n}) == Counter(
            s.state for s in states
        ), (ob.code, deadline.period)
        checked += 1
    assert checked >= 20


def test_a_district_does_not_judge_a_report_sent_past_it(district, capsys):
    """An อบต.'s monthly temple report (P4) goes to the province itself (DOMAIN: "LAOs report to
    the province on the 1st of every month"). The district neither receives nor judges it: it
    called every LAO's P4 "overdue" every month, while its own P4 report counted the LAOs that
    had reported, and the province (which does receive it) judged them received or late."""
    from lev_desktop.services import consolidation

    words = lev_status(district, capsys, "4801006")
    monthly = {w for (code, _period), w in words.items() if code == "P4.LAO.MONTHLY"}
    assert monthly == {State.NOT_APPLICABLE.label}
    assert State.NOT_APPLICABLE.label == "ไม่ต้องดำเนินการ"
    prog = get_programme(district, "P4")
    for info in consolidation.board_obligations(prog, FY):
        board = consolidation.build_board(
            district, "P4", fiscal_year=FY, obligation=info.code, period=info.dues[-1].period
        )
        assert {row.state for row in board.rows} == {State.NOT_APPLICABLE}
        # the counts add up to the LAOs listed (the summary line and the chart read them)
        assert sum(board.counts.values()) == len(board.rows) == 14  # (the 15th: a ทม.)
        assert board.shown_states[-1] == State.NOT_APPLICABLE
    # what the district does judge is unchanged: its LAOs' F3 (P1) reports reach it
    assert words[("P1.LAO.REPORT", f"FY{FY}")] != State.NOT_APPLICABLE.label
