"""Use cases of the plan, activity and monitoring editors, without Qt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import Activity, AuditEntry, PlanItem
from db.store import ForeignRecordError, Store
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.obligation_state import State
from lev_desktop.services import plans as ps
from lev_desktop.services.programmes import builtin_id
from tests.exchange.helpers import snapshot

P1 = builtin_id("P1")
FY = 2568


def _rows(store: Store, office: str = "4801006") -> list[ps.ItemRow]:
    return ps.load_plan(store, office, P1, FY).items


def test_cell_edits_are_saved_as_small_diffs_and_tombstoned(lao_store):
    a, b = ps.new_id(), ps.new_id()
    ps.apply_item_changes(
        lao_store,
        P1,
        FY,
        upserts=[
            {"id": a, "seq": 1, "project": "ปลูกป่า"},
            {"id": b, "seq": 2, "project": "ธนาคารขยะ"},
        ],
    )
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "budget": "12,500"}])
    rows = _rows(lao_store)
    assert [r.project for r in rows] == ["ปลูกป่า", "ธนาคารขยะ"]
    assert rows[0].budget == Decimal("12500.00") and not rows[0].no_budget
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "no_budget": True}])
    assert _rows(lao_store)[0].budget is None and _rows(lao_store)[0].no_budget
    ps.apply_item_changes(lao_store, P1, FY, deletes=[a], upserts=[{"id": b, "seq": 1}])
    assert [r.project for r in _rows(lao_store)] == ["ธนาคารขยะ"]
    with lao_store.read() as s:
        assert s.get(PlanItem, a).deleted is True  # a tombstone, not a deletion
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "seq": 2}])  # undo
    assert [r.project for r in _rows(lao_store)] == ["ธนาคารขยะ", "ปลูกป่า"]


def test_wrong_values_are_refused_in_thai_and_nothing_changes(lao_store):
    a = ps.new_id()
    ps.apply_item_changes(
        lao_store, P1, FY, upserts=[{"id": a, "seq": 1, "project": "x", "budget": "100"}]
    )
    with pytest.raises(ps.PlanError, match="ตัวเลข"):
        ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "budget": "ห้าพัน"}])
    with pytest.raises(ps.PlanError):
        ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "budget": "-5"}])
    assert _rows(lao_store)[0].budget == Decimal("100.00")


def test_examples_and_copy_last_year(lao_store):
    assert ps.start_from_examples(lao_store, P1, FY - 1) == 3
    assert _rows(lao_store) == []
    last = ps.load_plan(lao_store, "4801006", P1, FY - 1).items
    assert [r.seq for r in last] == [1, 2, 3]
    assert last[2].no_budget and last[0].budget == Decimal("20000.00")
    assert ps.copy_last_year(lao_store, P1, FY) == 3
    rows = _rows(lao_store)
    assert [r.project for r in rows] == [r.project for r in last]
    assert {r.id for r in rows}.isdisjoint({r.id for r in last})
    with pytest.raises(ps.PlanError, match="2566"):
        ps.copy_last_year(lao_store, P1, FY - 1)


def test_marking_complete_needs_valid_rows(lao_store):
    a = ps.new_id()
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "seq": 1, "project": "ปลูกป่า"}])
    problems = ps.set_form_status(lao_store, P1, FY, "F1", FormStatus.COMPLETE)
    assert problems and problems[0][0] == 1 and "งบประมาณ" in problems[0][1].message
    assert ps.load_plan(lao_store, "4801006", P1, FY).statuses["F1"] == FormStatus.DRAFT
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "no_budget": True}])
    assert ps.set_form_status(lao_store, P1, FY, "F1", FormStatus.COMPLETE) == []
    assert ps.load_plan(lao_store, "4801006", P1, FY).statuses["F1"] == FormStatus.COMPLETE
    # any later edit puts the form back into draft
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "project": "ปลูกป่าชุมชน"}])
    assert ps.load_plan(lao_store, "4801006", P1, FY).statuses["F1"] == FormStatus.DRAFT


def test_activities_progress_and_tombstones(lao_store, tmp_path):
    ps.start_from_examples(lao_store, P1, FY)
    item = _rows(lao_store)[0]
    assert (item.done, item.planned_activities) == (0, 4)
    one, two = ps.new_id(), ps.new_id()
    ps.save_activity(
        lao_store,
        P1,
        FY,
        {
            "id": one,
            "plan_item_id": item.id,
            "title": "ครั้งที่ 1",
            "held_on": dt.date(2024, 11, 17),
            "outputs": "ผู้เข้าร่วม 120 คน",
            "participants": 120,
            "budget_spent": Decimal("4500.5"),
        },
    )
    ps.save_activity(lao_store, P1, FY, {"id": two, "plan_item_id": item.id, "title": "ครั้งที่ 2"})
    # held: a date and a result; the second row has neither yet and is not counted
    assert _rows(lao_store)[0].done == 1
    assert ps.plan_lines(ps.load_plan(lao_store, "4801006", P1, FY))[0][-1] == "1/4"
    ps.save_activity(
        lao_store,
        P1,
        FY,
        {"id": two, "held_on": dt.date(2025, 2, 1), "outputs": "คัดแยกขยะ 40 ครัวเรือน"},
    )
    assert _rows(lao_store)[0].done == 2
    assert ps.plan_lines(ps.load_plan(lao_store, "4801006", P1, FY))[0][-1] == "2/4"
    ps.delete_activity(lao_store, P1, FY, two)
    assert _rows(lao_store)[0].done == 1
    rows = ps.list_activities(lao_store, "4801006", P1, FY)
    assert [r.budget_spent for r in rows] == [Decimal("4500.50")]
    with pytest.raises(ps.PlanError, match="ก่อนวันที่เริ่ม"):
        ps.save_activity(lao_store, P1, FY, {"id": one, "held_until": dt.date(2024, 11, 1)})
    # F2 complete needs a date on every activity
    ps.save_activity(
        lao_store, P1, FY, {"id": ps.new_id(), "plan_item_id": item.id, "title": "ไม่มีวันที่"}
    )
    assert ps.set_form_status(lao_store, P1, FY, "F2", FormStatus.COMPLETE)
    photo = tmp_path / "ภาพกิจกรรม.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    relative = ps.add_attachment(photo, one)
    assert (
        not relative.startswith("/")
        and ps.attachment_path(relative).read_bytes() == b"\xff\xd8 jpeg"
    )
    ps.save_activity(lao_store, P1, FY, {"id": one, "attachments": [relative]})
    assert ps.list_activities(lao_store, "4801006", P1, FY)[0].attachments == [relative]


def test_monitoring_override_needs_a_reason(lao_store):
    ps.start_from_examples(lao_store, P1, FY)
    item = _rows(lao_store)[0]
    ps.save_activity(
        lao_store,
        P1,
        FY,
        {
            "id": ps.new_id(),
            "plan_item_id": item.id,
            "held_on": dt.date(2025, 1, 5),
            "outputs": "ผู้เข้าร่วม 80 คน",
        },
    )
    view = ps.get_monitoring(lao_store, "4801006", P1, FY)
    assert view.derived_activities == 1 and view.activities == 1 and view.id is None
    with pytest.raises(ps.PlanError, match="เหตุผล"):
        ps.save_monitoring(lao_store, P1, FY, {"activities_override": 5})
    ps.save_monitoring(
        lao_store,
        P1,
        FY,
        {
            "activities_override": 5,
            "override_reason": "กิจกรรมร่วมกับ อบจ. ไม่ได้บันทึกแยก",
            "committee_selected_on": dt.date(2024, 10, 20),
        },
    )
    view = ps.get_monitoring(lao_store, "4801006", P1, FY)
    assert view.activities == 5 and view.committee_selected_on == dt.date(2024, 10, 20)
    with pytest.raises(ps.PlanError, match="ก่อน"):
        ps.save_monitoring(lao_store, P1, FY, {"committee_met_on": dt.date(2024, 10, 1)})
    problems = ps.set_form_status(lao_store, P1, FY, "F3", FormStatus.COMPLETE)
    assert {p.field for _n, p in problems} == {"committee_met_on", "plan_made_on"}


def test_district_reads_but_never_edits_an_lao(demo_store):
    lao = "4801003"
    view = ps.load_plan(demo_store, lao, P1, FY)
    assert view.items and not view.editable
    activity = ps.list_activities(demo_store, lao, P1, FY)[0]
    with pytest.raises(ForeignRecordError):
        ps.save_activity(demo_store, P1, FY, {"id": activity.id, "title": "แก้โดยอำเภอ"})
    with pytest.raises(ps.PlanError):
        ps.apply_item_changes(
            demo_store, P1, FY, upserts=[{"id": view.items[0].id, "project": "x"}]
        )
    assert ps.load_plan(demo_store, lao, P1, FY).items[0].project == view.items[0].project
    before = ps.form_statuses(demo_store, [lao], P1, FY)[lao]["F1"]
    assert before != FormStatus.RETURNED
    with pytest.raises(ps.PlanError):
        ps.add_review(demo_store, lao, P1, FY, "F1", "returned", "   ")
    ps.add_review(demo_store, lao, P1, FY, "F1", "returned", "โปรดระบุงบประมาณโครงการที่ 2")
    assert ps.form_statuses(demo_store, [lao], P1, FY)[lao]["F1"] == FormStatus.RETURNED
    reviews = ps.load_plan(demo_store, lao, P1, FY).reviews
    assert reviews[0].by_office == "D4801" and "งบประมาณ" in reviews[0].text


def test_audit_history_has_old_and_new_values(lao_store):
    a = ps.new_id()
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "seq": 1, "project": "เดิม"}])
    ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": a, "project": "ใหม่"}])
    history = ps.audit_history(lao_store, [a])
    change = next(h for h in history if h.action == "update" and h.field == "project")
    assert (change.old, change.new) == ("เดิม", "ใหม่")
    assert change.officer == "นางสาวทดสอบ ใจดี"
    with lao_store.read() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.record_id == a)).all()


def test_overview_counts_for_a_district(demo_store):
    from lev_desktop.services.offices import subordinate_laos

    laos = subordinate_laos(demo_store)
    rows = ps.offices_overview(demo_store, laos, P1, FY)
    assert len(rows) == len(laos) >= 10
    for row in rows[:3]:
        view = ps.load_plan(demo_store, row.code, P1, FY)
        assert row.rows == len(view.items)
        assert row.activities == sum(i.done for i in view.items)
        assert isinstance(row.statuses["F1"], State)  # the one model's state
    with demo_store.read() as s:
        assert s.scalars(select(Activity)).first() is not None


def test_a_save_says_when_it_put_a_finished_form_back_into_draft(lao_store):
    """The one home of form status answers "was it finished before this edit" (issue 12: the
    editor tells the clerk to confirm it complete again); a draft's edit says nothing."""
    ps.start_from_examples(lao_store, P1, FY)
    item = _rows(lao_store)[0]
    assert ps.set_form_status(lao_store, P1, FY, ps.FORM_PLAN, FormStatus.COMPLETE) == []
    first = ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": item.id, "budget": "13000"}])
    again = ps.apply_item_changes(lao_store, P1, FY, upserts=[{"id": item.id, "budget": "14000"}])
    assert (first.reopened, again.reopened) == (True, False)
    assert first.plan_id == again.plan_id
    one = ps.new_id()
    change = {"id": one, "plan_item_id": item.id, "title": "ครั้งที่ 1"}
    assert ps.save_activity(lao_store, P1, FY, change) is False  # F2 was not finished
    ps.set_form_status(lao_store, P1, FY, ps.FORM_RESULTS, FormStatus.SENT)  # an older "sent"
    assert ps.delete_activity(lao_store, P1, FY, one) is True
    assert ps.delete_activity(lao_store, P1, FY, one) is False  # nothing deleted: nothing edited
    assert ps.save_monitoring(lao_store, P1, FY, {"note": "ประชุมแล้ว"}) is False
    assert ps.set_form_status(lao_store, P1, FY, ps.FORM_MONITORING, FormStatus.RETURNED) == []
    assert ps.save_monitoring(lao_store, P1, FY, {"note": "แก้แล้ว"}) is False  # returned: not done


def test_overview_does_not_count_the_rows_of_a_deleted_plan(demo_store):
    """A plan that came back deleted (a tombstone in a package) while its rows did not: the
    LAO list beside the plan screen counted its rows and activities, the plan itself (and the
    board) none."""
    from sqlalchemy import update

    from db.models import Plan
    from lev_desktop.services.offices import subordinate_laos

    laos = subordinate_laos(demo_store)
    before = {r.code: r for r in ps.offices_overview(demo_store, laos, P1, FY)}
    code = next(c for c, r in before.items() if r.rows and r.activities)
    with demo_store.session() as s:
        s.execute(
            update(Plan)
            .where(Plan.owner_office == code, Plan.programme_id == P1, Plan.fiscal_year == FY)
            .values(deleted=True)
        )
    after = {r.code: r for r in ps.offices_overview(demo_store, laos, P1, FY)}
    view = ps.load_plan(demo_store, code, P1, FY)
    assert (after[code].rows, after[code].activities) == (len(view.items), 0) == (0, 0)
    # F3's number of activities on its screen (it counted the deleted plan's: 17) and in its
    # report read the same count
    assert ps.get_monitoring(demo_store, code, P1, FY).derived_activities == 0
    from exports.reports.data import load_monitoring

    report = {r.lao_code: r for r in load_monitoring(demo_store, None, FY).rows}
    assert report[code].activities == 0
    others = [c for c in before if c != code]
    assert [(after[c].rows, after[c].activities) for c in others] == [
        (before[c].rows, before[c].activities) for c in others
    ]


def test_a_word_line_break_in_a_free_text_is_refused_where_it_is_saved(lao_store, demo_store):
    """The F3 note, the override's reason and a review's comment: the receiver refuses a
    control character (Word's manual line break, U+000B), so the saving refuses it, naming the
    field, and writes nothing; a plain line break in the multi-line note stays allowed."""
    ps.save_monitoring(lao_store, P1, FY, {"note": "ประชุมแล้ว"})
    before = snapshot(lao_store)
    with pytest.raises(ps.PlanError) as refused:
        ps.save_monitoring(lao_store, P1, FY, {"note": "ประชุมครั้งที่ 1\x0bครั้งที่ 2"})
    assert str(refused.value) == "หมายเหตุ: มีอักขระที่ไม่ใช่ข้อความ"
    with pytest.raises(ps.PlanError) as refused:
        ps.save_monitoring(
            lao_store,
            P1,
            FY,
            {"activities_override": 3, "override_reason": "รวมกิจกรรม\x0bร่วมกับ อบจ."},
        )
    assert str(refused.value) == "เหตุผลของจำนวนที่ระบุเอง: มีอักขระที่ไม่ใช่ข้อความ"
    assert snapshot(lao_store) == before
    ps.save_monitoring(lao_store, P1, FY, {"note": "ประชุมครั้งที่ 1\nครั้งที่ 2\r\n"})
    assert ps.get_monitoring(lao_store, "4801006", P1, FY).note == "ประชุมครั้งที่ 1\nครั้งที่ 2\r\n"

    lao = "4801003"
    before = snapshot(demo_store)
    with pytest.raises(ps.PlanError) as refused:
        ps.add_review(demo_store, lao, P1, FY, "F1", "returned", "โปรดแก้\x0bงบประมาณ")
    assert str(refused.value) == "ความเห็น: มีอักขระที่ไม่ใช่ข้อความ"
    assert snapshot(demo_store) == before
