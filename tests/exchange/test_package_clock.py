"""A package's making time is the day the office above counts its reports as sent, on time or
late; the sending computer's clock sets it. A clock that cannot be right (a dead clock battery
back at its BIOS date, a date set back or ahead) is refused at both ends, in Thai, with the
database unchanged (validation.package_made_problem)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import ExportError, ensure_key, export_package, this_office_info

from .helpers import (
    assert_refused,
    make_district,
    make_lao,
    members,
    resign,
    snapshot,
    write_members,
)

# Friday 5 December 2569 BE, 09:00 in Thailand.
NOW = dt.datetime(2026, 12, 5, 2, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(tmp_path: Path, clock):
    """An LAO whose records (and key) were all made ten days before NOW, and its district; the
    clocks of both stand at NOW. (seed 2012: a template of this module's own, made under this
    clock.)"""
    clock.now = NOW - dt.timedelta(days=10)
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=2012)
    ensure_key(lao, this_office_info(lao))  # (the office record carries its key: changed too)
    district = make_district(tmp_path / "district.db")
    clock.now = NOW
    yield lao, district
    lao.dispose()
    district.dispose()


def _made(tmp_path: Path, lao, name: str, created: str) -> Path:
    """The LAO's package as its program writes it, then signed again by the LAO's own key with
    ``created`` as its making time (a sender whose clock said so)."""
    files = members(export_package(lao, "D4801", tmp_path / f"{name}-real.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m.update(created_at=created))
    return write_members(tmp_path / f"{name}.levpkg", files)


def _created_at(path: Path) -> str:
    return json.loads(members(path)[fmt.MANIFEST])["created_at"]


def test_a_package_from_a_computer_whose_clock_went_back_to_2012_is_refused(frozen, tmp_path):
    lao, district = frozen
    path = _made(tmp_path, lao, "2012", "2012-01-01T01:30:00Z")
    assert assert_refused(district, path, "clock") == (
        "ไม่ได้นำเข้าแพ็กเกจจาก 4801006: แพ็กเกจระบุว่าสร้างเมื่อ 1 ม.ค. 2555 08:30 น. "
        "ซึ่งเป็นเวลาก่อนที่จะมีโปรแกรม LEV Desktop รายงานในแพ็กเกจจะถูกนับว่าส่งทันหรือล่าช้าตามวันนั้น "
        "จึงรับแพ็กเกจนี้ไม่ได้ โปรดให้ 4801006 ตั้งวันที่และเวลาของเครื่องให้ถูกต้อง แล้วส่งออกแพ็กเกจใหม่"
    )


def test_a_package_made_after_now_is_refused_and_names_this_computers_time(frozen, tmp_path):
    lao, district = frozen
    path = _made(tmp_path, lao, "ahead", "2026-12-08T02:00:00Z")  # three days ahead
    reason = assert_refused(district, path, "clock")
    assert (
        "แพ็กเกจระบุว่าสร้างเมื่อ 8 ธ.ค. 2569 09:00 น. ซึ่งเป็นเวลาหลังวันและเวลาปัจจุบันของเครื่องนี้ "
        "(5 ธ.ค. 2569 09:00 น.) รายงาน"
    ) in reason


def test_a_package_made_before_a_change_it_holds_is_refused(frozen, tmp_path):
    """The clock was set back after the data were entered (to look on time): the package says
    it was made 13 days before NOW, before the records it carries were changed (10 days)."""
    lao, district = frozen
    path = _made(tmp_path, lao, "back", "2026-11-22T02:00:00Z")
    reason = assert_refused(district, path, "clock")
    assert (
        "แพ็กเกจระบุว่าสร้างเมื่อ 22 พ.ย. 2569 09:00 น. ซึ่งเป็นเวลาก่อนการแก้ไขข้อมูลที่อยู่ในแพ็กเกจนั้นเอง "
        "(25 พ.ย. 2569 09:00 น.) รายงาน"
    ) in reason


def test_a_package_made_before_the_same_offices_earlier_package_is_refused(frozen, tmp_path):
    lao, district = frozen
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    assert _created_at(first) == "2026-12-05T02:00:00Z"
    _plan, result = importer.import_files(district, [first], trust=True)
    assert result.imported
    # The next package says it was made five days before the first (the LAO's records are
    # older still, so only the earlier package shows the clock went back).
    path = _made(tmp_path, lao, "second", "2026-11-30T02:00:00Z")
    reason = assert_refused(district, path, "clock")
    assert (
        "แพ็กเกจระบุว่าสร้างเมื่อ 30 พ.ย. 2569 09:00 น. ซึ่งเป็นเวลาก่อนแพ็กเกจที่หน่วยงานเดียวกันสร้างไว้ก่อนหน้า "
        "(5 ธ.ค. 2569 09:00 น.) รายงาน"
    ) in reason


def test_two_packages_in_one_import_are_held_to_each_others_time(frozen, tmp_path):
    """The earlier package of the same import counts: the second is refused, the first is not."""
    lao, district = frozen
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    second = _made(tmp_path, lao, "second", "2026-11-30T02:00:00Z")
    _plan, result = importer.import_files(district, [first, second], trust=True)
    assert [p.path for p in result.imported] == [str(first)]
    assert [(p.path, p.code) for p in result.refused] == [(str(second), "clock")]


def test_a_clock_a_little_off_is_not_refused(frozen, tmp_path):
    """CLOCK_TOLERANCE (two days) both ways: a day ahead of this computer, and a day before the
    office's earlier package, are a clock a little off, not a false date."""
    lao, district = frozen
    first = _made(tmp_path, lao, "ahead", "2026-12-06T01:00:00Z")
    second = _made(tmp_path, lao, "behind", "2026-12-05T01:00:00Z")
    plan, result = importer.import_files(district, [first, second], trust=True)
    assert [p.path for p in result.imported] == [str(first), str(second)], [
        p.reason for p in plan.packages
    ]


# ---- the sending office: its own clock is caught before a package is written ------------------


def _export_refused(lao, tmp_path: Path) -> str:
    before = snapshot(lao)
    out = tmp_path / "refused.levpkg"
    with pytest.raises(ExportError) as refused:
        export_package(lao, "D4801", out)
    assert not out.exists()
    assert snapshot(lao) == before
    return str(refused.value)


def test_an_lao_whose_clock_battery_died_is_told_before_writing(frozen, tmp_path, clock):
    lao, _district = frozen
    clock.now = dt.datetime(2012, 1, 1, 1, 30, tzinfo=dt.UTC)
    assert _export_refused(lao, tmp_path) == (
        "วันที่และเวลาของเครื่องนี้ไม่ถูกต้อง จึงยังไม่ได้เขียนแพ็กเกจ: แพ็กเกจจะระบุว่าสร้างเมื่อ 1 ม.ค. 2555 "
        "08:30 น. ซึ่งเป็นเวลาก่อนที่จะมีโปรแกรม LEV Desktop โปรดตั้งวันที่และเวลาของ Windows ให้ถูกต้อง "
        "(การตั้งค่า › เวลาและภาษา) แล้วส่งออกอีกครั้ง"
    )


def test_an_lao_that_once_exported_with_its_clock_far_ahead_is_not_locked_out(
    frozen, tmp_path, clock
):
    """A package written with the clock a month ahead is refused by the district (after its
    now + 2 days). Once the clock is right again, the next export is written and imported: the
    office's own earlier packages are no bound at the sender (it would refuse every export for
    a month)."""
    lao, district = frozen
    clock.now = NOW + dt.timedelta(days=30)
    ahead = export_package(lao, "D4801", tmp_path / "ahead.levpkg").path
    clock.now = NOW
    assert "ซึ่งเป็นเวลาหลังวันและเวลาปัจจุบันของเครื่องนี้" in assert_refused(district, ahead, "clock")
    right = export_package(lao, "D4801", tmp_path / "right.levpkg").path
    _plan, result = importer.import_files(district, [right], trust=True)
    assert [p.path for p in result.imported] == [str(right)]


def test_an_lao_whose_clock_was_set_back_after_entering_data(frozen, tmp_path, clock):
    """The records say they were saved in the future: the clock is behind now, or was ahead
    then (test_future_changes.py). The message names both and what to do for each."""
    lao, _district = frozen
    clock.now = NOW - dt.timedelta(days=13)  # before its records were changed
    assert _export_refused(lao, tmp_path).startswith(
        "ยังไม่ได้เขียนแพ็กเกจ: ข้อมูลของหน่วยงานนี้ 109 รายการถูกบันทึกเมื่อเวลาในอนาคต "
        "ล่าสุดเมื่อ 25 พ.ย. 2569 09:00 น. ขณะที่วันและเวลาของเครื่องนี้ตอนนี้คือ 22 พ.ย. 2569 09:00 น. "
        "หากวันและเวลาตอนนี้ถูกต้อง"
    )
