"""Deadlines of an office, per-LAO completeness, sent marks, holidays, reminders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from db.models import FormSubmission, utcnow
from lev_desktop.deadlines import (
    State,
    completeness,
    mark_sent,
    office_deadlines,
    reminders,
    unmark_sent,
)
from lev_desktop.deadlines.engine import (
    DeadlineBook,
    badge_count,
    holiday_map,
    list_holidays,
    remove_holiday,
    set_holiday,
)
from lev_desktop.services import programmes
from lev_desktop.services.offices import add_lao

D = dt.date


def _submit(store, owner, programme, form, period, status):
    """A form of ``owner`` as a package import writes it (replacing the demo's own row)."""
    pid = programmes.builtin_id(programme)
    with store.session(importing=True) as session:
        session.execute(
            FormSubmission.__table__.delete().where(
                FormSubmission.owner_office == owner,
                FormSubmission.programme_id == pid,
                FormSubmission.form_code == form,
                FormSubmission.period == period,
            )
        )
        session.add(
            FormSubmission(
                owner_office=owner,
                programme_id=pid,
                form_code=form,
                period=period,
                status=status,
                updated_at=utcnow(),
                updated_by="t",
                revision=1,
            )
        )


def test_district_completeness_follows_routing(demo_store):
    # 4801001 is a เทศบาลเมือง: it reports straight to the province, not to the district.
    _submit(demo_store, "4801002", "P1", "F3", "FY2568", "complete")
    _submit(demo_store, "4801003", "P1", "F3", "FY2568", "sent")
    _submit(demo_store, "4801004", "P1", "F3", "FY2568", "draft")
    states = completeness(demo_store, "P1.DISTRICT.COMPILE", D(2025, 9, 30), today_=D(2025, 9, 20))
    by_code = {s.code: s for s in states}
    assert "4801001" not in by_code
    assert len(states) == 14
    # a complete form of an LAO here came by an import (of an earlier version: no receipt)
    assert by_code["4801002"].state == State.RECEIVED
    assert by_code["4801003"].state == State.RECEIVED
    assert by_code["4801004"].state == State.IN_PROGRESS and by_code["4801004"].status == "draft"
    late = completeness(demo_store, "P1.DISTRICT.COMPILE", D(2025, 9, 30), today_=D(2025, 10, 2))
    overdue = {s.code for s in late if s.state == State.OVERDUE}
    assert "4801004" in overdue and not overdue & {"4801002", "4801003"}
    assert all(s.state.fulfilled for s in late if s.code not in overdue)


def test_province_sees_every_lao_type(demo_store):
    from lev_desktop.services.offices import initialise

    # The same data seen from a province database.
    demo_store.set_setting("office_code", None)
    initialise(demo_store, level="province", code="P48", name="สถจ.นครพนม", province_code="48")
    add_lao(
        demo_store,
        code="4800001",
        name="องค์การบริหารส่วนจังหวัดนครพนม",
        lao_type="pao",
        district_code=None,
        province_code="48",
    )
    states = completeness(demo_store, "P5.PROVINCE.REPORT", D(2025, 9, 15), today_=D(2025, 9, 1))
    codes = {s.code for s in states}
    assert "4801001" in codes and "4800001" in codes and len(codes) == 16
    # the new อบจ. has not reported; the demo LAOs whose form arrived have
    assert "4800001" in {s.code for s in states if s.state == State.NOT_YET_DUE}
    assert {s.state for s in states} <= {
        State.RECEIVED,
        State.LATE,
        State.NOT_YET_DUE,
        State.IN_PROGRESS,
    }


def test_lao_report_is_done_only_when_sent(lao_store):
    today = D(2025, 9, 10)

    def p5():
        items = office_deadlines(lao_store, D(2025, 9, 1), D(2025, 9, 30), today_=today)
        return {i.obligation.code: i for i in items}["P5.LAO.REPORT"]

    items = {
        i.obligation.code: i
        for i in office_deadlines(lao_store, D(2025, 9, 1), D(2025, 9, 30), today_=today)
    }
    report = items["P5.LAO.REPORT"]
    assert report.state == State.DUE_SOON and report.days_left == 5
    assert items["P1.LAO.REPORT"].state == State.NOT_YET_DUE
    assert "P5.DISTRICT.REPORT" not in items
    _submit(lao_store, "4801006", "P5", "SP", "FY2568", "complete")
    assert p5().state == State.DUE_SOON and p5().form_status == "complete"
    mark_sent(
        lao_store,
        "4801006",
        "P5.LAO.REPORT",
        D(2025, 9, 15),
        D(2025, 9, 12),
        programme="P5",
        reason="ส่งทางไลน์",
    )
    assert p5().state == State.SENT and p5().mark.reason == "ส่งทางไลน์"
    unmark_sent(lao_store, "4801006", "P5.LAO.REPORT", D(2025, 9, 15), programme="P5")
    assert p5().state == State.DUE_SOON


def test_a_mark_needs_a_reason_and_is_audited(lao_store):
    import pytest

    from db.models import AuditEntry
    from lev_desktop.deadlines import MarkError

    with pytest.raises(MarkError):
        mark_sent(lao_store, "4801006", "P5.LAO.REPORT", D(2025, 9, 15), programme="P5", reason=" ")
    mark_sent(
        lao_store, "4801006", "P5.LAO.REPORT", D(2025, 9, 15), programme="P5", reason="ส่งทางไลน์"
    )
    unmark_sent(lao_store, "4801006", "P5.LAO.REPORT", D(2025, 9, 15), programme="P5")
    with lao_store.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "obligation_marks")
        ).all()
    assert [e.action for e in entries] == ["insert", "delete"]
    assert entries[0].changes["reason"] == "ส่งทางไลน์"


def test_lao_rounds_stop_after_it_reported(lao_store):
    _submit(lao_store, "4801006", "P5", "SP", "FY2568", "sent")  # stored "sent" (earlier versions)
    with lao_store.session(importing=True) as session:
        session.execute(update(FormSubmission).values(sent_at=dt.datetime(2025, 10, 7, 3, 0)))
    items = [
        i
        for i in office_deadlines(lao_store, D(2025, 9, 1), D(2025, 12, 31), today_=D(2025, 11, 1))
        if i.obligation.code == "P5.LAO.REPORT"
    ]
    assert [i.deadline.due for i in items] == [D(2025, 9, 15), D(2025, 10, 5), D(2025, 10, 15)]
    # one instance, due at the first round: sent on 7 Oct, late
    assert all(i.due == D(2025, 9, 15) and i.state == State.LATE for i in items)


def test_overdue_and_target(lao_store):
    items = office_deadlines(lao_store, D(2024, 12, 1), D(2024, 12, 31), today_=D(2025, 1, 3))
    plan = next(i for i in items if i.obligation.code == "P1.LAO.PLAN")
    assert plan.state == State.OVERDUE and plan.days_left == -3
    assert plan.target == ("plans", {"programme": "P1", "form": "F1", "period": "FY2568"})
    p4 = next(i for i in items if i.obligation.code == "P4.LAO.MONTHLY")
    assert p4.target == ("kpi", {"programme": "P4", "form": "M", "period": "2024-12"})


def test_later_mark_covers_earlier_rounds_of_the_same_period(lao_store):
    mark_sent(
        lao_store,
        "4801006",
        "P5.LAO.REPORT",
        D(2025, 10, 15),
        D(2025, 10, 14),
        programme="P5",
        reason="ส่งเป็นหนังสือ",
    )
    items = [
        i
        for i in office_deadlines(lao_store, D(2025, 9, 1), D(2025, 10, 31), today_=D(2025, 10, 20))
        if i.obligation.code == "P5.LAO.REPORT"
    ]
    assert [i.state for i in items] == [State.LATE] * 3  # sent 14 Oct, due 15 Sep


def test_district_sees_incoming_lao_windows(demo_store):
    items = office_deadlines(demo_store, D(2024, 11, 1), D(2024, 11, 30), today_=D(2024, 11, 10))
    kpi = next(i for i in items if i.obligation.code == "P2.LAO.KPI")
    assert kpi.incoming and kpi.laos.total == 14
    # demo: every LAO's P2 form arrived (some after the window closed)
    assert kpi.laos.done == 14 and kpi.state in (State.RECEIVED, State.LATE)
    assert kpi.state == (State.LATE if kpi.laos.late else State.RECEIVED)
    assert all(i.obligation.code != "P2.BRIEFING" for i in items)  # not a report


def test_district_round_needs_every_lao_and_sending(demo_store):
    items = office_deadlines(demo_store, D(2025, 9, 1), D(2025, 9, 30), today_=D(2025, 9, 10))
    p5 = next(i for i in items if i.obligation.code == "P5.DISTRICT.REPORT")
    assert p5.laos.total == 14 and p5.laos.done < 14  # demo: some LAOs are still missing
    assert p5.form_status is None and p5.state == State.DUE_SOON
    # LAO rounds already compiled by the district's own round are not listed twice
    assert all(i.obligation.code != "P5.LAO.REPORT" for i in items)


def test_holidays_seeded_and_editable(lao_store):
    days = holiday_map(lao_store)
    assert days[D(2025, 12, 5)].startswith("วันคล้ายวันพระบรมราชสมภพ")
    assert D(2025, 2, 12) in days  # มาฆบูชา 2568
    assert len(list_holidays(lao_store, 2025)) >= 14
    set_holiday(lao_store, D(2025, 9, 15), "วันหยุดพิเศษ")
    items = office_deadlines(lao_store, D(2025, 9, 1), D(2025, 9, 30), today_=D(2025, 9, 1))
    p5 = next(i for i in items if i.obligation.code == "P5.LAO.REPORT")
    assert p5.deadline.holiday == "วันหยุดพิเศษ" and p5.deadline.non_working
    remove_holiday(lao_store, D(2025, 9, 15))
    assert D(2025, 9, 15) not in holiday_map(lao_store)


def test_reminders_and_badge(lao_store):
    lao_store.set_setting("reminder.days", 7)
    found = reminders(lao_store, today_=D(2025, 9, 10))
    codes = {i.obligation.code for i in found}
    assert "P5.LAO.REPORT" in codes
    assert all(i.state in (State.OVERDUE, State.DUE_SOON, State.RETURNED) for i in found)
    assert badge_count(lao_store, today_=D(2025, 9, 10)) == len(found)
    lao_store.set_setting("reminder.days", 3)
    assert "P5.LAO.REPORT" not in {
        i.obligation.code
        for i in reminders(lao_store, today_=D(2025, 9, 10))
        if i.state == State.DUE_SOON
    }


def test_book_reads_the_same_laos_as_the_office_service(demo_store):
    from lev_desktop.services.offices import initialise, subordinate_laos

    book = DeadlineBook(demo_store, today_=D(2025, 9, 10))
    assert [lao.code for lao in book.laos] == [o.code for o in subordinate_laos(demo_store)]
    demo_store.set_setting("office_code", None)
    initialise(demo_store, level="province", code="P48", name="สถจ.นครพนม", province_code="48")
    book = DeadlineBook(demo_store, today_=D(2025, 9, 10))
    assert [lao.code for lao in book.laos] == [o.code for o in subordinate_laos(demo_store)]
    assert len(book.laos) == 15


def test_book_reads_only_the_form_states_it_needs(demo_store):
    book = DeadlineBook(demo_store, today_=D(2025, 9, 10))
    book.items(D(2025, 9, 1), D(2025, 9, 30))
    periods = {key[3] for key in book.forms}
    assert periods == {"FY2568"}  # P5 and P1 of FY2568; not the monthly P4 reports
    assert {key[2] for key in book.forms} == {"SP", "F3"}
    with demo_store.read() as session:
        expected = session.scalars(
            select(FormSubmission).where(
                FormSubmission.period == "FY2568",
                FormSubmission.form_code == "SP",
                FormSubmission.owner_office != "4801001",
            )
        ).all()
    assert len([k for k in book.forms if k[2] == "SP"]) == len(expected) == 14


def test_completeness_accepts_template_obligations(demo_store):
    from lev_desktop.deadlines import obligations_of
    from lev_desktop.domain.templates import P5

    district = next(ob for ob in obligations_of(P5) if ob.code == "P5.DISTRICT.REPORT")
    assert district.programme_id == ""
    states = completeness(demo_store, district, D(2025, 9, 15), today_=D(2025, 9, 1))
    assert len(states) == 14 and all(s.state != State.NOT_APPLICABLE for s in states)


def test_a_past_meeting_is_not_overdue(lao_store):
    items = office_deadlines(lao_store, D(2024, 11, 1), D(2024, 11, 30), today_=D(2024, 11, 10))
    briefing = next(i for i in items if i.obligation.code == "P2.BRIEFING")
    assert briefing.state == State.DONE and briefing.deadline.time == "09:30"
    before = office_deadlines(lao_store, D(2024, 11, 1), D(2024, 11, 30), today_=D(2024, 11, 5))
    assert next(i for i in before if i.obligation.code == "P2.BRIEFING").state == State.DUE_SOON


def test_no_reminders_before_the_office_is_set_up(empty_store):
    from lev_desktop.services.programmes import seed_builtins

    seed_builtins(empty_store)
    assert reminders(empty_store, today_=D(2025, 9, 10)) == []


def test_draft_forms_of_this_office(lao_store):
    from lev_desktop.deadlines.engine import draft_forms

    _submit(lao_store, "4801006", "P1", "F1", "FY2568", "draft")
    _submit(lao_store, "4801006", "P4", "M", "2025-07", "returned")
    _submit(lao_store, "4801006", "P5", "SP", "FY2568", "complete")
    _submit(lao_store, "4801007", "P1", "F1", "FY2568", "draft")  # another office's
    drafts = {(d.programme_code, d.form_code): d for d in draft_forms(lao_store)}
    assert set(drafts) == {("P1", "F1"), ("P4", "M")}
    assert drafts[("P1", "F1")].target == (
        "plans",
        {"programme": "P1", "form": "F1", "period": "FY2568"},
    )
    assert drafts[("P4", "M")].status == "returned"


def test_completeness_board_and_month(demo_store):
    from lev_desktop.deadlines import completeness_board, month_deadlines

    board = completeness_board(demo_store, D(2025, 9, 1), D(2025, 9, 30), today_=D(2025, 10, 1))
    codes = [item.obligation.code for item, _states in board]
    assert codes == ["P5.DISTRICT.REPORT", "P1.DISTRICT.COMPILE"]
    compile_states = board[1][1]
    assert len(compile_states) == 14
    assert {s.state for s in compile_states} <= {State.RECEIVED, State.LATE, State.OVERDUE}
    assert any(s.state == State.OVERDUE for s in compile_states)
    month = month_deadlines(demo_store, 2025, 9, today_=D(2025, 9, 10))
    assert [i.due for i in month] == [D(2025, 9, 15), D(2025, 9, 30)]


def test_a_broken_rule_is_skipped_and_named(lao_store):
    from db.models import Programme

    with lao_store.session() as session:
        programme = session.scalar(select(Programme).where(Programme.code == "P3"))
        spec = dict(programme.spec)
        spec["obligations"] = [dict(spec["obligations"][0], rule={"type": "once"})]
        programme.spec = spec
    book = DeadlineBook(lao_store, today_=D(2021, 9, 1))
    items = book.items(D(2021, 1, 1), D(2025, 12, 31))
    assert items and all(i.obligation.programme_code != "P3" for i in items)
    assert "P3 P3.LAO.REPORT" in book.problem_text()
