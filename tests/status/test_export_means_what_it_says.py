"""Issue 9, "export that means what it says": only what a package carries, to the office this
one reports to, is marked sent; anything else is refused or fulfils nothing, and says so."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from lev_desktop.deadlines import State, office_status
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import ExportError, export_package, plan_export
from lev_desktop.services import demo, plans
from lev_desktop.services import programmes as programme_service
from tests.exchange.helpers import make_district, make_lao

D = dt.date
TODAY = D(2025, 9, 20)


def states(store, office=None, today=TODAY):
    return {
        (i.obligation.code, i.period): i
        for i in office_status(store, office or store.office_code, 2568, today_=today)
    }


@pytest.fixture
def lao(tmp_path):
    store = make_lao(tmp_path / "lao.db", "4801006", fill=False)
    demo.fill(store)  # the LAO's own FY2568 records
    yield store
    store.dispose()


def test_a_package_to_the_district_marks_only_the_complete_reports_it_carries(lao, tmp_path):
    # F3 (the monitoring report) back into draft: it must not become "sent".
    pid = programme_service.builtin_id("P1")
    plans.save_monitoring(lao, pid, 2568, {"note": "กำลังปรับปรุง"})
    before = states(lao)
    assert before[("P1.LAO.REPORT", "FY2568")].state == State.IN_PROGRESS
    assert before[("P5.LAO.REPORT", "FY2568")].state == State.OVERDUE_READY  # complete, not sent

    result = export_package(lao, "D4801", tmp_path / "up.levpkg")

    after = states(lao)
    assert after[("P5.LAO.REPORT", "FY2568")].state == State.LATE  # sent today, due 15 Sep
    assert after[("P5.LAO.REPORT", "FY2568")].facts.sent_on == dt.date.today()
    assert after[("P1.LAO.REPORT", "FY2568")].state == State.IN_PROGRESS  # a draft: not sent
    # the temple reports go to the province: a package for the district does not send them
    monthly = [i for (code, _p), i in after.items() if code == "P4.LAO.MONTHLY"]
    assert monthly and all(not i.state.fulfilled for i in monthly)
    assert result.fulfilment is not None
    assert any("Soft Power" in line for line in result.fulfilment.lines)
    assert not any("ปิดประกาศ" in line for line in result.fulfilment.lines)


def test_a_package_limited_to_one_programme_sends_only_that_programme(lao, tmp_path):
    export_package(lao, "D4801", tmp_path / "p1.levpkg", programmes=["P1"])
    after = states(lao)
    assert not after[("P5.LAO.REPORT", "FY2568")].state.fulfilled
    export_package(lao, "D4801", tmp_path / "all.levpkg")
    assert states(lao)[("P5.LAO.REPORT", "FY2568")].state.fulfilled


def test_a_package_to_another_office_above_fulfils_nothing_and_says_so(lao, tmp_path):
    # P5 goes through the district (the temple report, P4, is the province's: below)
    plan = plan_export(lao, "P48", programmes=["P5"])
    assert plan.relation == "above" and plan.fulfils_nothing
    assert "ไม่ใช่สำนักงานที่สำนักงานนี้รายงานไป" in plan.warning()
    export_package(lao, "P48", tmp_path / "province.levpkg", programmes=["P5"])
    assert not states(lao)[("P5.LAO.REPORT", "FY2568")].state.fulfilled


def test_the_temple_report_sent_to_the_province_itself_is_marked_sent(lao, tmp_path):
    # clerk12: an อบต.'s monthly temple report goes to the province, not its district
    # (P4). A package to the district carries it without sending it; a package to the
    # province fulfilled nothing either, "not the office this one reports to". So a clerk
    # who sent it every month saw it "complete, still to send", then overdue, for ever.
    monthly = [k for k, i in states(lao).items() if k[0] == "P4.LAO.MONTHLY"]
    before = states(lao)
    complete = [k for k in monthly if before[k].facts.completed_on and not before[k].facts.sent]
    assert complete  # the demo's LAO finished some months and sent none
    plan = plan_export(lao, "P48", today=TODAY)
    assert plan.relation == "above" and not plan.fulfils_nothing and plan.warning() == ""
    assert all("วัดและชุมชน" in line for line in plan.lines)
    assert len(plan.lines) == len(complete)
    export_package(lao, "P48", tmp_path / "province.levpkg")
    after = states(lao)
    assert all(after[k].state.fulfilled for k in complete)
    assert after[complete[0]].facts.sent_on == dt.date.today()
    # what goes through the district is still not sent by a package to the province
    assert not after[("P5.LAO.REPORT", "FY2568")].state.fulfilled
    # exported again: already sent, and not "not the office this one reports to"
    again = plan_export(lao, "P48", today=TODAY)
    assert len(again.already) == len(complete) and again.fulfils_nothing
    assert "ไม่ใช่สำนักงานที่สำนักงานนี้รายงานไป" not in again.warning()


def test_a_package_to_the_district_says_where_its_complete_temple_reports_go(lao):
    plan = plan_export(lao, "D4801", programmes=["P4"], today=TODAY)
    assert plan.relation == "reports_to" and plan.fulfils_nothing
    assert plan.warning() == (
        "แพ็กเกจนี้ไม่นับเป็นการส่งรายงานถึง "
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม (D4801): "
        "รายงานที่กรอกครบถ้วนในแพ็กเกจนี้ต้องส่งถึง "
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม (P48) "
        "โปรดส่งออกแพ็กเกจถึงสำนักงานนั้นอีกชุดหนึ่ง"
    )


def test_a_code_that_is_not_above_on_the_route_is_refused(tmp_path):
    other = make_lao(tmp_path / "other.db", "4802001", district="4802", parent="D4802")
    with pytest.raises(ExportError, match="ไม่ใช่สำนักงานที่อยู่เหนือสำนักงานนี้"):
        export_package(other, "D4801", tmp_path / "wrong.levpkg")
    assert not (tmp_path / "wrong.levpkg").exists()
    with pytest.raises(ExportError):
        export_package(other, "XYZ", tmp_path / "unknown.levpkg")


def test_the_preview_warns_when_a_package_fulfils_nothing(lao):
    plan = plan_export(lao, "D4801", programmes=["P3"])
    assert plan.relation == "reports_to" and plan.fulfils_nothing
    assert "ไม่มีรายงานที่กรอกครบถ้วน" in plan.warning()


def test_lev_export_to_a_wrong_office_exits_2_with_a_thai_reason(tmp_path):
    other = make_lao(tmp_path / "other.db", "4802001", district="4802", parent="D4802")
    other.dispose()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lev_desktop.cli",
            "--db",
            str(tmp_path / "other.db"),
            "export",
            "--to",
            "D4801",
            "--out",
            str(tmp_path / "x.levpkg"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 2
    assert "D4801 ไม่ใช่สำนักงานที่อยู่เหนือสำนักงานนี้ตามสายการรายงาน" in done.stderr
    assert "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอปลาปาก (D4802)" in done.stderr
    assert not (tmp_path / "x.levpkg").exists()


def test_the_district_reads_received_from_the_import_judged_by_the_day_the_package_was_made(
    lao, tmp_path
):
    package = export_package(lao, "D4801", tmp_path / "up.levpkg").path
    district = make_district(tmp_path / "district.db")
    from lev_desktop.services.offices import add_lao

    add_lao(district, code="4801006", name="อบต.ทดสอบ", lao_type="sao", district_code="4801")
    importer.import_files(district, [package], trust=True)
    mine = states(lao)
    seen = states(district, "4801006")
    # the LAO and its district say the same of every obligation the district receives
    for key in (("P5.LAO.REPORT", "FY2568"), ("P2.LAO.KPI", "FY2567")):
        assert seen[key].state == mine[key].state == State.LATE
        assert seen[key].facts.sent_on == mine[key].facts.sent_on == dt.date.today()
        assert seen[key].facts.received_on == dt.date.today()


def test_a_package_whose_file_could_not_be_placed_fulfils_nothing(lao, tmp_path, monkeypatch):
    """What a package fulfils is recorded in the transaction that records the package, after
    its file is in place: a rename Windows refuses (yesterday's package open in another
    program) leaves every obligation as it was, and the next try marks it sent."""
    import os

    from lev_desktop import files
    from tests.windows.test_locked_files import HeldBy

    monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)
    out = tmp_path / "up.levpkg"
    out.write_bytes(b"yesterday's package, open in another program")
    before = states(lao)
    monkeypatch.setattr(os, "replace", HeldBy(out, 32))
    with pytest.raises(OSError):
        export_package(lao, "D4801", out)
    monkeypatch.undo()
    after = states(lao)
    assert {k: (i.state, i.facts.sent_on) for k, i in after.items()} == {
        k: (i.state, i.facts.sent_on) for k, i in before.items()
    }
    assert after[("P5.LAO.REPORT", "FY2568")].state == State.OVERDUE_READY
    export_package(lao, "D4801", out)
    assert states(lao)[("P5.LAO.REPORT", "FY2568")].state == State.LATE


def test_a_district_relaying_some_of_its_laos_is_told_what_is_left_not_to_complete_a_form(
    lao, tmp_path
):
    """fit15's district relayed three LAO packages and read "แพ็กเกจนี้ไม่มีรายงานที่กรอก
    ครบถ้วน… โปรดกรอกแบบฟอร์มให้ครบและกด “ครบถ้วน” ก่อน": advice for an LAO. A district's
    reports that gather its LAOs' forms are sent by the package that relays all of them; the
    preview now says which, and how many LAOs are in."""
    from lev_desktop.services.offices import add_lao

    package = export_package(lao, "D4801", tmp_path / "up.levpkg").path
    district = make_district(tmp_path / "district.db")
    add_lao(district, code="4801006", name="อบต.ทดสอบ", lao_type="sao", district_code="4801")
    add_lao(district, code="4801007", name="อบต.ทดสอบสอง", lao_type="sao", district_code="4801")
    importer.import_files(district, [package], trust=True)
    plan = plan_export(district, "P48", today=TODAY)
    assert plan.relation == "reports_to" and plan.relayed and plan.fulfils_nothing
    assert plan.waiting == [
        "อำเภอรวบรวมรายงาน Soft Power ของ ทต. และ อบต. ส่งจังหวัด — ปีงบประมาณ พ.ศ. 2568 "
        "กำหนดส่ง 15 ก.ย. 2568: ได้รับแล้ว 1 จาก 2 แห่ง",
        "รวบรวมแบบติดตามของ อปท. ในพื้นที่ส่งจังหวัด — ปีงบประมาณ พ.ศ. 2568 กำหนดส่ง "
        "30 ก.ย. 2568: ได้รับแล้ว 1 จาก 2 แห่ง",
    ]
    warning = plan.warning()
    assert warning == (
        "แพ็กเกจนี้ส่งต่อแบบฟอร์มของ อปท. ที่ได้รับแล้ว แต่ยังไม่นับเป็นการส่งรายงาน: "
        + "; ".join(plan.waiting)
        + " รายงานแต่ละฉบับจะบันทึกว่าส่งแล้วเมื่อแพ็กเกจส่งต่อแบบฟอร์มของ อปท. ครบทุกแห่ง"
    )
