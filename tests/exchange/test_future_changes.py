"""A clock that was AHEAD while the data were entered: the records say they were saved in the
future, and once the clock is right every package is refused (the district: "made before a
change it holds"). The export and the start-up say what is wrong; a person confirms that now is
right and the office's own records get their times set to now (restamp.py, audit-logged);
records of other offices are never touched; a clock that cannot be right refuses it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.models import AuditEntry, FormSubmission, KpiValue, Monitoring, Office
from db.models_exchange import SentPackage
from lev_desktop.cli import main
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import (
    FutureChangesError,
    clock_problem,
    ensure_key,
    export_package,
    this_office_info,
)
from lev_desktop.exchange.restamp import (
    RestampError,
    future_changes,
    restamp_future_changes,
)
from lev_desktop.services import consolidation
from lev_desktop.services.programmes import builtin_id

from .helpers import make_district, make_lao, snapshot

LAO = "4801006"
P1 = builtin_id("P1")

# The real time: Saturday 20 September 2568 BE, 16:00 in Thailand; the LAO's clock ran 30 days
# ahead (20 October 2568) while its clerk entered the report.
REAL = dt.datetime(2025, 9, 20, 9, 0, tzinfo=dt.UTC)
AHEAD = REAL + dt.timedelta(days=30)


@pytest.fixture
def offices(tmp_path: Path, clock, monkeypatch):
    monkeypatch.setenv("LEV_TODAY", "2025-09-22")
    clock.now = dt.datetime(2024, 10, 1, 9, tzinfo=dt.UTC)
    lao = make_lao(tmp_path / "lao.db", LAO, seed=1212)
    ensure_key(lao, this_office_info(lao))  # (the first export would write it)
    district = make_district(tmp_path / "district.db")
    yield lao, district
    lao.dispose()
    district.dispose()


def _report(store) -> None:
    """The LAO's F2 and F3 of P1 complete (its report dated 18 Sep 2568), saved as the screens
    save them: stamped by the clock."""
    with store.session() as s:
        for form in s.scalars(
            select(FormSubmission).where(
                FormSubmission.owner_office == LAO,
                FormSubmission.programme_id == P1,
                FormSubmission.form_code.in_(["F2", "F3"]),
            )
        ):
            form.status = "complete"
            form.completed_at = dt.datetime(2025, 10, 20, 9)  # as kpi.py sets it: utcnow()
        for row in s.scalars(select(Monitoring).where(Monitoring.owner_office == LAO)):
            row.reported_on = row.notice_posted_on = dt.date(2025, 9, 18)


def _board_row(store) -> consolidation.BoardRow:
    board = consolidation.build_board(
        store, "P1", fiscal_year=2568, obligation="P1.LAO.REPORT", period="FY2568"
    )
    return {r.code: r for r in board.rows}[LAO]


def _entered_ahead(lao, clock) -> int:
    """The clerk's report entered under the clock 30 days ahead; the clock then set right.
    Returns how many of the LAO's records say they were saved after now."""
    clock.now = AHEAD
    _report(lao)
    clock.now = REAL
    with lao.read() as session:
        return future_changes(session, LAO, REAL.replace(tzinfo=None)).count


FUTURE_TEXT = (
    "ข้อมูลของหน่วยงานนี้ {n} รายการถูกบันทึกเมื่อเวลาในอนาคต ล่าสุดเมื่อ 20 ต.ค. 2568 16:00 น. "
    "ขณะที่วันและเวลาของเครื่องนี้ตอนนี้คือ 20 ก.ย. 2568 16:00 น."
)


def test_records_entered_ahead_refuse_the_export_then_restamped_reach_the_district(
    offices, clock, tmp_path
):
    lao, district = offices
    count = _entered_ahead(lao, clock)
    assert count == 3  # F2, F3 and the P1 monitoring row
    before = snapshot(lao)
    with pytest.raises(FutureChangesError) as refused:
        export_package(lao, "D4801", tmp_path / "refused.levpkg")
    assert str(refused.value) == (
        "ยังไม่ได้เขียนแพ็กเกจ: " + FUTURE_TEXT.format(n=3) + " หากวันและเวลาตอนนี้ถูกต้อง "
        "แสดงว่านาฬิกาของเครื่องเดินเร็วไปขณะบันทึกข้อมูลเหล่านั้น โปรดกด "
        '"ปรับเวลาบันทึกเป็นเวลาปัจจุบัน" (หรือใช้คำสั่ง lev restamp) แล้วส่งออกอีกครั้ง '
        "หากวันและเวลาตอนนี้ไม่ถูกต้อง โปรดตั้งวันที่และเวลาของ Windows ให้ถูกต้อง "
        "(การตั้งค่า › เวลาและภาษา)"
    )
    assert not (tmp_path / "refused.levpkg").exists()
    assert snapshot(lao) == before
    problem = clock_problem(lao)
    assert problem is not None and problem.future is not None
    assert problem.text == (
        FUTURE_TEXT.format(n=3) + " หน่วยงานที่รับรายงานจะไม่รับแพ็กเกจของหน่วยงานนี้จนกว่าจะแก้ไข "
        "หากวันและเวลาตอนนี้ถูกต้อง แสดงว่านาฬิกาของเครื่องเดินเร็วไปขณะบันทึกข้อมูลเหล่านั้น โปรดกด "
        '"ปรับเวลาบันทึกเป็นเวลาปัจจุบัน" หากวันและเวลาตอนนี้ไม่ถูกต้อง โปรดตั้งวันที่และเวลาของ Windows '
        "ให้ถูกต้อง (การตั้งค่า › เวลาและภาษา) แล้วเปิด LEV Desktop ใหม่"
    )

    with lao.read() as s:
        revisions = {
            f.id: f.revision
            for f in s.scalars(select(FormSubmission).where(FormSubmission.owner_office == LAO))
        }
    done = restamp_future_changes(lao)
    assert (done.count, done.latest) == (3, dt.datetime(2025, 10, 20, 9))
    now = REAL.replace(tzinfo=None)
    with lao.read() as s:
        assert future_changes(s, LAO, now).count == 0
        forms = list(
            s.scalars(
                select(FormSubmission).where(
                    FormSubmission.programme_id == P1,
                    FormSubmission.form_code.in_(["F2", "F3"]),
                )
            )
        )
        assert {(f.status, f.updated_at, f.completed_at) for f in forms} == {("complete", now, now)}
        assert all(f.revision == revisions[f.id] + 1 for f in forms)
        audit = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "restamp")))
    assert len(audit) == 3
    assert {a.record_id for a in audit} >= {f.id for f in forms}
    assert {(a.officer, a.office, a.at) for a in audit} == {("เจ้าหน้าที่ อปท.", LAO, now)}
    form_audit = next(a for a in audit if a.record_id == forms[0].id)
    assert form_audit.changes == {
        "updated_at": ["2025-10-20T09:00:00", "2025-09-20T09:00:00"],
        "completed_at": ["2025-10-20T09:00:00", "2025-09-20T09:00:00"],
    }
    assert clock_problem(lao) is None

    package = export_package(lao, "D4801", tmp_path / "right.levpkg").path
    clock.now = REAL + dt.timedelta(days=2)
    _plan, result = importer.import_files(district, [package], trust=True)
    assert [p.path for p in result.imported] == [str(package)]
    row = _board_row(district)
    assert (row.state, row.arrived) == (State.RECEIVED, dt.date(2025, 9, 20))


def test_the_district_restamps_only_its_own_records(offices, clock, tmp_path):
    """Records of an LAO received while both clocks were ahead keep the times the LAO gave
    them; the district's own record (its office) is re-stamped."""
    lao, district = offices
    clock.now = REAL
    package = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    assert importer.import_files(district, [package], trust=True)[1].imported
    with district.session() as s:  # received while both clocks ran ahead (simulated)
        s.execute(
            update(KpiValue)
            .where(KpiValue.owner_office == LAO)
            .values(updated_at=dt.datetime(2025, 10, 20, 9))
        )
    clock.now = AHEAD
    district.set_identity(officer="เจ้าหน้าที่อำเภอ คนใหม่")
    with district.session() as s:  # the district's clerk changes its own office record
        office = s.scalar(select(Office).where(Office.code == "D4801"))
        office.phone = "042-000000"
    clock.now = REAL
    received_before = _kpi_stamps(district)
    done = restamp_future_changes(district)
    assert done.count == 1
    assert _kpi_stamps(district) == received_before
    with district.read() as s:
        assert future_changes(s, "D4801", REAL.replace(tzinfo=None)).count == 0


def _kpi_stamps(store) -> list[tuple]:
    with store.read() as s:
        return sorted(
            s.execute(
                select(KpiValue.id, KpiValue.updated_at, KpiValue.revision).where(
                    KpiValue.owner_office == LAO
                )
            ).all()
        )


def test_a_clock_back_at_2012_restamps_nothing(offices, clock):
    lao, _district = offices
    _entered_ahead(lao, clock)
    clock.now = dt.datetime(2012, 1, 1, 1, 30, tzinfo=dt.UTC)
    before = snapshot(lao)
    with pytest.raises(RestampError) as refused:
        restamp_future_changes(lao)
    assert str(refused.value) == (
        "วันที่และเวลาของเครื่องนี้ (1 ม.ค. 2555 08:30 น.) ไม่น่าจะถูกต้อง เพราะเป็นเวลาก่อนที่จะมีโปรแกรม "
        "LEV Desktop จึงยังไม่ได้แก้ไขข้อมูลใด โปรดตั้งวันที่และเวลาของ Windows ให้ถูกต้องก่อน "
        "(การตั้งค่า › เวลาและภาษา)"
    )
    assert snapshot(lao) == before


def test_a_package_written_while_ahead_does_not_hide_restamped_records_from_the_next_delta(
    offices, clock, tmp_path
):
    """A package written under the clock ahead is refused by the district; after the clock is
    set right and the records re-stamped, "changes since the last package" would leave out
    every record older than that package: a full package is written instead."""
    lao, district = offices
    clock.now = AHEAD
    _report(lao)
    export_package(lao, "D4801", tmp_path / "ahead.levpkg")
    clock.now = REAL
    restamp_future_changes(lao)
    result = export_package(lao, "D4801", tmp_path / "next.levpkg", since_last=True)
    assert result.kind == "full"
    assert result.note == (
        "แพ็กเกจล่าสุดที่ส่งให้ D4801 ระบุว่าสร้างเมื่อ 20 ต.ค. 2568 16:00 น. "
        "ซึ่งเป็นเวลาหลังเวลาปัจจุบัน จึงเขียนแพ็กเกจที่มีข้อมูลทั้งหมด"
    )
    with lao.read() as s:
        assert s.scalar(select(SentPackage.kind).order_by(SentPackage.sequence.desc())) == "full"
    clock.now = REAL + dt.timedelta(days=1)
    assert importer.import_files(district, [result.path], trust=True)[1].imported
    assert _board_row(district).state == State.RECEIVED


def test_lev_restamp_asks_and_yes_restamps(offices, clock, capsys, monkeypatch):
    lao, _district = offices
    _entered_ahead(lao, clock)
    db = lao.engine.url.database
    lao.dispose()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--db", db, "restamp"]) == 2
    out, err = capsys.readouterr()
    assert out == FUTURE_TEXT.format(n=3) + "\n"
    assert err.strip().endswith("ยังไม่ได้ยืนยัน: โปรดตอบที่หน้าจอเทอร์มินัล หรือใส่ --yes ในสคริปต์")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action='restamp'").fetchone() == (
            0,
        )
    assert main(["--db", db, "restamp", "--yes"]) == 0
    out, _err = capsys.readouterr()
    assert out.splitlines()[-1] == (
        "ปรับเวลาบันทึกของข้อมูลของหน่วยงานนี้ 3 รายการเป็น 20 ก.ย. 2568 16:00 น. แล้ว ส่งออกแพ็กเกจได้อีกครั้ง"
    )
    assert main(["--db", db, "restamp", "--yes"]) == 0
    out, _err = capsys.readouterr()
    assert out == "ไม่มีข้อมูลของหน่วยงานนี้ที่บันทึกเมื่อเวลาหลังเวลาปัจจุบัน จึงไม่ได้แก้ไขข้อมูลใด\n"
