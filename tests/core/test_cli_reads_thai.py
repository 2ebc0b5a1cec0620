"""What ``lev`` prints is read by an officer: Buddhist-era dates, Thai names beside the codes,
baht as 45,000.00 — with the machine columns (codes, ISO dates) kept beside them and the TSV
shape kept (tabs, one header line where there is one). Exact lines, code point for code point."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lev_desktop.cli import main

TODAY = "2568-09-20"
CE_YEAR = re.compile(r"\b20[0-9]{2}\b")  # a Christian-era year (2024, 2025, …)


def run(capsys, *args: str) -> list[str]:
    assert main(list(args)) == 0
    out = capsys.readouterr().out
    return out.splitlines()


def test_status_names_the_obligation_and_period_and_dates_the_be_year(demo_store, capsys):
    db = str(demo_store.path)
    lines = run(
        capsys, "--db", db, "status", "--office", "4801006", "--fiscal-year", "2568",
        "--today", TODAY,
    )  # fmt: skip
    assert lines[0] == (
        "รหัสภารกิจ\tภารกิจ\tรหัสงวด\tงวด\tกำหนดส่ง (ISO)\tกำหนดส่ง\tสถานะ\t"
        "วันที่ทำเสร็จ\tวันที่ส่ง\tวันที่รับ\tหมายเหตุ"
    )
    assert (
        "P2.LAO.KPI\tบันทึกผลตัวชี้วัดตามแผนปฏิบัติการ “จังหวัดสะอาด”\tFY2567\t"
        "ปีงบประมาณ พ.ศ. 2567\t2024-11-22\tศ. 22 พ.ย. 2567\tได้รับแล้ว\t"
        "16 พ.ย. 2567\t16 พ.ย. 2567\t18 พ.ย. 2567\t"
    ) in lines
    assert (
        "P4.LAO.MONTHLY\tรายงานผลการดำเนินงานวัดและชุมชนให้จังหวัดทราบ (ทุกวันที่ ๑ ของเดือน)\t"
        "2024-11\tพฤศจิกายน 2567\t2024-11-01\tศ. 1 พ.ย. 2567\tไม่ต้องดำเนินการ\t31 ต.ค. 2567\t\t\t"
    ) in lines  # (the temple report goes to the province itself: the district does not judge it)
    # one header, then lines of its width; CE years only in the ISO and period-code columns
    cells = [line.split("\t") for line in lines]
    assert {len(c) for c in cells} == {11}
    for row in cells[1:]:
        readable = [cell for index, cell in enumerate(row) if index not in (0, 2, 4)]
        assert not CE_YEAR.search(" ".join(readable)), row

    district = run(capsys, "--db", db, "status", "--fiscal-year", "2568", "--today", TODAY)
    assert district[1] == (
        "P5.DISTRICT.REPORT\tอำเภอรวบรวมรายงาน Soft Power ของ ทต. และ อบต. ส่งจังหวัด\tFY2568\t"
        "ปีงบประมาณ พ.ศ. 2568\t2025-09-15\tจ. 15 ก.ย. 2568\tเกินกำหนด\t\t\t\t"
    )


def test_board_writes_baht_and_counts_as_the_product_does(demo_store, capsys):
    db = str(demo_store.path)
    lines = run(
        capsys, "--db", db, "board", "--programme", "P1", "--fiscal-year", "2568",
        "--type", "sao", "--today", TODAY,
    )  # fmt: skip
    assert lines[0] == (
        "อำเภอ\tรหัส\tอปท.\tประเภท\tสถานะ\tวันที่ส่ง/ทำเสร็จ\tวันที่รับ\t"
        "งบประมาณตามแผน (บาท)\tงบประมาณที่ใช้จริง (บาท)\tกิจกรรมตามแผน\tกิจกรรมที่จัดแล้ว\t"
        "ผู้เข้าร่วม (คน)"
    )
    assert (
        "อำเภอเมืองนครพนม\t4801006\tองค์การบริหารส่วนตำบลหนองแสง\tอบต.\tเสร็จแล้ว\t"
        "31 ต.ค. 2567\t\t35,000.00\t43,500.00\t18\t17\t2,550"
    ) in lines
    assert lines[-1] == (
        "รวม\t10\tเสร็จแล้ว=6 เกินกำหนด=4\t\t\t\t\t551,000.00\t401,100.00\t216\t140\t19,580"
    )


def test_board_by_district_keeps_its_total_under_its_header(demo_store, capsys):
    db = str(demo_store.path)
    lines = run(
        capsys, "--db", db, "board", "--programme", "P5", "--by-district",
        "--fiscal-year", "2568", "--today", TODAY,
    )  # fmt: skip
    assert lines == [
        "อำเภอ\tจำนวน อปท.\tได้รับแล้ว\tล่าช้ากว่ากำหนด\tเกินกำหนด\tผลิตภัณฑ์\t"
        "จำนวนผู้เข้าร่วม (คน)\tรายได้ที่เกิดขึ้น (บาท)",
        "อำเภอเมืองนครพนม\t14\t10\t1\t3\t19\t566\t330,300.00",
        "รวม\t14\t10\t1\t3\t19\t566\t330,300.00",
    ]


def test_board_totals_of_percentages_say_they_are_means(demo_store, capsys):
    """A percentage's total is the mean of the LAOs' (the board's cells say "เฉลี่ย"): the
    command's figures are bare numbers, so the column's title and the total's label say it."""
    db = str(demo_store.path)
    args = ("board", "--programme", "P2", "--fiscal-year", "2568", "--today", TODAY)
    by_district = run(capsys, "--db", db, *args, "--by-district")
    titles = by_district[0].split("\t")
    assert "พื้นที่ที่ได้รับบริการเก็บขนขยะ (%, ค่าเฉลี่ย)" in titles
    assert "พื้นที่ที่ได้รับบริการเก็บขนขยะ (%)" not in titles
    lines = run(capsys, "--db", db, *args)
    assert "พื้นที่ที่ได้รับบริการเก็บขนขยะ (%)" in lines[0].split("\t")
    assert lines[-1].split("\t")[0] == "รวม (ร้อยละเป็นค่าเฉลี่ย)"


def test_plans_and_kpi_write_baht_and_name_the_period(demo_store, capsys):
    db = str(demo_store.path)
    plans = run(capsys, "--db", db, "plans", "--office", "4801002", "--fiscal-year", "2568")
    assert plans[0] == (
        "1\tโครงการรณรงค์ทำความสะอาดครั้งใหญ่ (Big Cleaning Day)\t"
        "เพื่อให้ชุมชนสะอาด ลดแหล่งเพาะพันธุ์ยุงลายและขยะตกค้าง\t"
        "ประชาชนและเครือข่าย อถล. ร่วมกิจกรรมไม่น้อยกว่า ๑๐๐ คน ปีละ ๔ ครั้ง\t"
        "ถนนสายหลักและพื้นที่สาธารณะในเขต อปท.\t20,000.00\t"
        "จำนวนครั้งที่จัดกิจกรรม และจำนวนผู้เข้าร่วม\t"
        "พื้นที่สาธารณะสะอาด ประชาชนมีส่วนร่วมดูแลสิ่งแวดล้อม\t3/4"
    )
    monthly = run(
        capsys, "--db", db, "kpi", "--programme", "P4", "--office", "4801003",
        "--period", "2024-10",
    )  # fmt: skip
    assert "2024-10\tตุลาคม 2567\t\tbudget_spent\tงบประมาณที่ใช้\t8,500.00\tบาท" in monthly
    yearly = run(
        capsys, "--db", db, "kpi", "--programme", "P5", "--office", "4801003",
        "--period", "FY2568",
    )  # fmt: skip
    assert "FY2568\tปีงบประมาณ พ.ศ. 2568\t1\tincome\tรายได้ที่เกิดขึ้น\t14,900.00\tบาท" in yearly


def test_deadlines_name_the_level_and_the_meeting_time(lao_store, capsys):
    lines = run(
        capsys, "--db", str(lao_store.path), "deadlines", "--from", "2567-11-01",
        "--to", "2567-11-10", "--programme", "P2",
    )  # fmt: skip
    assert lines == [
        "2024-11-07\tพฤ. 7 พ.ย. 2567 เวลา 09:30 น.\tlao\tอปท.\t"
        "ประชุมชี้แจงการบันทึกข้อมูลตัวชี้วัด (๐๙.๓๐ น.)",
        "2024-11-07/2024-11-22\t7–22 พ.ย. 2567\tlao\tอปท.\tบันทึกผลตัวชี้วัดตามแผนปฏิบัติการ “จังหวัดสะอาด”",
    ]


@pytest.fixture
def bangkok(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Bangkok")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_export_and_history_in_thai_words_and_local_time(lao_store, tmp_path, capsys, bangkok):
    db = str(lao_store.path)
    out = run(capsys, "--db", db, "export", "--to", "D4801", "--out", str(tmp_path / "p"))
    assert "  หน่วยงาน\t1" in out  # the table's Thai name, not "offices"
    assert not any(line.startswith("  offices") for line in out)
    [records] = re.findall(r"ลำดับที่ 1 \(ข้อมูลทั้งหมด\) ([0-9,]+) รายการ", "\n".join(out))
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE exchange_sent SET created_at = '2026-12-04 14:17:11.000000'")
    connection.close()
    history = run(capsys, "--db", db, "exchange-history")
    assert history[0] == (
        "รับ/ส่ง\tหน่วยงาน\tชื่อหน่วยงาน\tผ่าน\tลำดับที่\tประเภท\tเมื่อ (UTC, ISO)\tเมื่อ\tจำนวนรายการ"
    )
    assert history[1:] == [
        "ส่ง\tD4801\tสำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม\t\t1\tข้อมูลทั้งหมด\t"
        f"2026-12-04T14:17:11\t4 ธ.ค. 2569 21:17 น.\t{records}"
    ]


def test_keys_group_a_trusted_fingerprint_as_it_is_read_aloud(lao_store, tmp_path, capsys):
    run(
        capsys, "--db", str(lao_store.path), "export", "--to", "D4801", "--out", str(tmp_path / "p")
    )
    district = str(tmp_path / "district.db")
    run(
        capsys, "--db", district, "init", "--level", "district", "--office", "D4801",
        "--name", "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม", "--province", "48",
        "--district", "4801",
    )  # fmt: skip
    run(capsys, "--db", district, "import", str(tmp_path / "p.levpkg"), "--trust")
    keys = run(capsys, "--db", district, "keys")
    assert re.fullmatch(r"4801006\t(?:[0-9A-F]{4} ){15}[0-9A-F]{4}", keys[-1]), keys[-1]
    # the district's history names the LAO it received from (it printed the code alone)
    received = run(capsys, "--db", district, "exchange-history")[1].split("\t")
    assert received[:5] == ["รับ", "4801006", "องค์การบริหารส่วนตำบลหนองแสง", "", "1"]


def test_a_reader_that_stops_early_gets_no_traceback(demo_store):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before lev writes (``lev status | head -0``)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lev_desktop.cli", "--db", str(demo_store.path), "status"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


def test_board_reads_a_period_as_the_officer_types_it(demo_store, capsys):
    """``lev board --period`` reads a month as ``lev kpi`` does: 2568-03 (BE, as every date
    an officer types), Thai digits, or the stored code 2025-03; all pick the same month. It
    answered "ไม่พบภารกิจหรืองวดรายงาน: 2568-03" for the BE month its own --today asks for."""
    db = str(demo_store.path)
    args = ("--db", db, "board", "--programme", "P4", "--fiscal-year", "2568", "--today", TODAY)
    stored = run(capsys, *args, "--period", "2025-03")
    assert run(capsys, *args, "--period", "2568-03") == stored
    assert run(capsys, *args, "--period", "๒๕๖๘-๐๓") == stored
    assert run(capsys, *args, "--period", "03/2568") == stored
    other = run(capsys, *args, "--period", "2568-04")
    assert other != stored and len(other) == len(stored)
