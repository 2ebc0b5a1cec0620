"""A custom programme's forms and deadlines as they cross the boundary: every key the deadline
engine reads is checked on import, and a programme whose deadline cannot be read is refused with
a Thai reason naming it. Before, any obligation passed if its rule had a known type: a missing
title took a whole programme's deadlines off the status (its overdue rows disappeared without
a word), `lev board` stopped with "ไม่พบภารกิจหรืองวดรายงาน: title", and an event time such as
"เก้าโมง" stopped the calendar's .ics export with a traceback."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Programme
from lev_desktop.deadlines import DeadlineBook
from lev_desktop.deadlines.rules import expand, obligations_of
from lev_desktop.domain.templates import builtin_template
from lev_desktop.domain.validation import programme_spec_problems
from lev_desktop.exchange import exporter
from lev_desktop.exchange.exporter import ExportError, export_package
from lev_desktop.services.programmes import create_from_template

from .helpers import assert_refused, make_district, make_lao

GOOD = {"code": "A1", "level": "lao", "title": "ส่งรายงาน", "form": "F1"}


def _spec(**obligation):
    spec = {"forms": [{"code": "F1", "kind": "results", "name": "แบบ"}]}
    spec["obligations"] = [{**GOOD, **obligation}]
    return spec


@pytest.mark.parametrize(
    ("obligation", "reason"),
    [
        ({"rule": {"type": "once"}}, "กำหนดส่ง “A1”: ไม่มีค่า “date” ของกฎกำหนดส่ง หรือไม่ใช่วันที่"),
        (
            {"rule": {"type": "event", "date": "2025-09-20", "time": "เก้าโมง"}},
            "กำหนดส่ง “A1”: ต้องเขียนเวลาเป็น ชั่วโมง:นาที เช่น 09:30",
        ),
        (
            {"rule": {"type": "monthly", "first": "2025-01-01", "day": 0}},
            "กำหนดส่ง “A1”: วันที่ของเดือนต้องอยู่ระหว่าง 1 ถึง 31",
        ),
        (
            {"rule": {"type": "fiscal_year", "month": 13, "day": 1}},
            "กำหนดส่ง “A1”: เดือนหรือวันของกฎกำหนดส่งไม่ถูกต้อง",
        ),
        (
            {"rule": {"type": "fiscal_year", "month": 2, "day": 30}},
            "กำหนดส่ง “A1”: เดือนกุมภาพันธ์ไม่มีวันที่ 30 โปรดเขียนวันที่ 1 ถึง 29",
        ),
        (
            {"rule": {"type": "fiscal_year", "month": 4, "day": 31}},
            "กำหนดส่ง “A1”: เดือนเมษายนไม่มีวันที่ 31 โปรดเขียนวันที่ 1 ถึง 30",
        ),
        (
            {"title": None, "rule": {"type": "once", "date": "2025-09-20"}},
            "กำหนดส่ง “A1”: ไม่มีชื่อภารกิจ หรือชื่อยาวเกินไป",
        ),
        (
            {"level": "king", "rule": {"type": "once", "date": "2025-09-20"}},
            "กำหนดส่ง “A1”: ระดับหน่วยงานไม่ถูกต้อง",
        ),
        (
            {"form": "F9", "rule": {"type": "once", "date": "2025-09-20"}},
            "กำหนดส่ง “A1”: อ้างถึงแบบ F9 ซึ่งไม่มีในโครงการนี้",
        ),
        (
            {"rule": {"type": "window", "start": "2025-10-01", "end": "2025-09-20"}},
            "กำหนดส่ง “A1”: วันเริ่มของกฎกำหนดส่งอยู่หลังวันสิ้นสุด",
        ),
    ],
    ids=[
        "no-date",
        "time",
        "day-0",
        "month-13",
        "30-february",
        "31-april",
        "no-title",
        "level",
        "form",
        "window",
    ],
)
def test_each_unreadable_deadline_is_named(obligation, reason):
    assert programme_spec_problems(_spec(**obligation)) == [reason]


def test_29_february_is_a_day_of_the_fiscal_year():
    """A day the month has in some years is accepted: 29 February is due on 29 February in a
    leap year and on the 28th in the others (the engine takes the month's last day, as a
    monthly rule's 31st is 30 April). Before, 30 February was accepted as well and fell due
    on 28 or 29 February without a word, and 31 April on 30 April."""
    spec = _spec(rule={"type": "fiscal_year", "month": 2, "day": 29})
    spec["forms"][0]["period"] = "fiscal_year"
    assert programme_spec_problems(spec) == []
    obligations = obligations_of({"code": "X", "spec": spec})
    dues = expand(obligations, dt.date(2023, 10, 1), dt.date(2026, 9, 30))
    assert [(d.due, d.period) for d in dues] == [
        (dt.date(2024, 2, 29), "FY2567"),
        (dt.date(2025, 2, 28), "FY2568"),
        (dt.date(2026, 2, 28), "FY2569"),
    ]


def _export_unchecked(store, path: Path, monkeypatch, reason: str) -> Path:
    """The package as a version before the export asked the programme's rules wrote it (the
    export now names the deadline and writes nothing): what the receiver must still refuse."""
    with pytest.raises(ExportError) as refused:
        export_package(store, "D4801", path)
    assert reason in str(refused.value)
    with monkeypatch.context() as patched:
        patched.setattr(exporter, "decoded_record_problems", lambda _table, _record: [])
        return export_package(store, "D4801", path).path


def test_a_deadline_on_a_day_the_month_never_has_is_refused(tmp_path: Path, monkeypatch):
    """A package whose programme is due on 30 February: refused, the deadline named (before,
    imported, and due on 28 February 2569)."""
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    made = create_from_template(lao, "P1", code="P1-2569", fiscal_year=2569)
    with lao.session() as session:
        programme = session.get(Programme, made.id)
        spec = copy.deepcopy(programme.spec)
        spec["obligations"].append(
            {
                "code": "P1.FEB",
                "level": "lao",
                "title": "ส่งรายงาน",
                "rule": {"type": "fiscal_year", "month": 2, "day": 30},
            }
        )
        programme.spec = spec
    said = "กำหนดส่ง “P1.FEB”: เดือนกุมภาพันธ์ไม่มีวันที่ 30 โปรดเขียนวันที่ 1 ถึง 29"
    path = _export_unchecked(lao, tmp_path / "lao.levpkg", monkeypatch, said)
    reason = assert_refused(district, path)
    assert said in reason, reason
    lao.dispose()
    district.dispose()


def test_the_built_in_templates_pass_the_same_check():
    for code in ("P1", "P2", "P3", "P4", "P5"):
        template = builtin_template(code)
        spec = {key: template[key] for key in ("indicators", "rules", "forms", "obligations")}
        assert programme_spec_problems(spec) == [], code


def test_a_programme_with_an_unreadable_deadline_is_refused(tmp_path: Path, monkeypatch):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    made = create_from_template(lao, "P1", code="P1-2569", fiscal_year=2569)
    with lao.session() as session:
        programme = session.get(Programme, made.id)
        spec = copy.deepcopy(programme.spec)
        spec["obligations"].append(
            {"code": "P1.EV", "level": "district", "title": "ประชุม", "rule": {"type": "once"}}
        )
        programme.spec = spec
    said = "กำหนดส่ง “P1.EV”: ไม่มีค่า “date” ของกฎกำหนดส่ง หรือไม่ใช่วันที่"
    path = _export_unchecked(lao, tmp_path / "lao.levpkg", monkeypatch, said)
    reason = assert_refused(district, path)
    assert said in reason, reason
    lao.dispose()
    district.dispose()


def test_one_unreadable_deadline_leaves_its_programmes_others(demo_store, capsys):
    """A record from before the check (or a template edited by hand): the one obligation is
    left out and named; the programme's other deadlines stay on the calendar and status, and
    ``lev status`` says what it leaves out."""
    from lev_desktop.cli import main

    with demo_store.session() as session:
        programme = session.scalar(select(Programme).where(Programme.code == "P1"))
        spec = copy.deepcopy(programme.spec)
        spec["obligations"].append({"code": "P1.X", "level": "lao", "rule": {"type": "once"}})
        programme.spec = spec
    book = DeadlineBook(demo_store, today_=dt.date(2025, 10, 1))
    codes = {ob.code for ob in book.obligations if ob.programme_code == "P1"}
    assert "P1.DISTRICT.COMPILE" in codes and "P1.X" not in codes
    said = "มีกำหนดส่งบางรายการที่อ่านเงื่อนไขไม่ได้จึงไม่แสดง: P1 P1.X กรุณาตรวจสอบโครงการเหล่านี้"
    assert book.problem_text() == said
    capsys.readouterr()
    code = main(["--db", str(demo_store.path), "status", "--today", "2025-10-01"])
    out, err = capsys.readouterr()
    assert code == 0 and err == f"lev: {said}\n"
    assert [line.split("\t")[0] for line in out.splitlines()[1:]] == [
        "P5.DISTRICT.REPORT",
        "P1.DISTRICT.COMPILE",
    ]


def test_a_programme_whose_letter_date_is_not_a_date_is_refused(tmp_path: Path, monkeypatch):
    """The printed notice reads the letter's date as a date ("ลงวันที่ ๒๖ พฤษภาคม ๒๕๖๗") and the
    programmes tab shows it: "15/2/2568" or a number in it stopped both. Refused on import."""
    from lev_desktop.domain.validation import letter_problems

    for code in ("P1", "P2", "P3", "P4", "P5"):
        assert letter_problems(builtin_template(code)["letter"]) == [], code
    assert letter_problems({"date": "15/2/2568", "number": 5}) == [
        "ค่า “date” ของหนังสือสั่งการไม่ถูกต้อง",
        "ค่า “number” ของหนังสือสั่งการไม่ถูกต้อง",
    ]
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    made = create_from_template(lao, "P1", code="P1-2569", fiscal_year=2569)
    with lao.session() as session:
        programme = session.get(Programme, made.id)
        programme.letter = {**programme.letter, "date": "15/2/2568"}
    said = "ค่า “date” ของหนังสือสั่งการไม่ถูกต้อง"
    path = _export_unchecked(lao, tmp_path / "lao.levpkg", monkeypatch, said)
    reason = assert_refused(district, path)
    assert said in reason, reason
    lao.dispose()
    district.dispose()


def test_an_indicator_without_its_name_is_refused():
    """The KPI screen lists a programme's indicators by name (``i["name"]``): one without a
    name, or with a group or "repeat" of another type, is refused where it comes in."""
    good = {"code": "a", "type": "integer", "name": "จำนวน", "group": "ก", "repeat": True}
    assert programme_spec_problems({"indicators": [good]}) == []
    for broken in ({"name": None}, {"name": " "}, {"group": ["ก"]}, {"repeat": "yes"}):
        spec = {"indicators": [{**good, **broken}]}
        assert programme_spec_problems(spec) == ["ตัวชี้วัด “a” มีรูปแบบไม่ถูกต้อง"], broken
