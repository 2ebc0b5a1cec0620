"""The Soft Power report's "รายงานรอบวันที่ …" is the round of the programme's reporting rule as
the deadline engine dates it (the calendar's), not a copy of the 2568 letter's rule."""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy import select

from db.models import Programme
from exports.reports import ReportOptions
from exports.reports.data import load_softpower, softpower_round
from exports.reports.documents import softpower_pdf
from lev_desktop.deadlines import engine

from .conftest import needs_poppler, norm, pdftotext


def test_the_round_follows_the_letters_rule(demo_store):
    """First Monday 15 Sep 2568, then every 5th and 15th (DOMAIN.md, P5)."""
    for today, expected in [
        ("2025-09-10", "2025-09-15"),
        ("2025-09-15", "2025-09-15"),
        ("2025-09-16", "2025-10-05"),
        ("2025-10-06", "2025-10-15"),
        ("2026-12-05", "2026-12-05"),
    ]:
        for office in ("D4801", "4801002"):
            found = softpower_round(demo_store, office, "P5", dt.date.fromisoformat(today))
            assert found == dt.date.fromisoformat(expected), (office, today)


def _rounds_moved(store, days: list[int]) -> None:
    """The P5 programme's reporting rounds set to other days of the month (as an office may
    edit a programme's deadlines)."""
    with store.session() as session:
        programme = session.scalar(select(Programme).where(Programme.code == "P5"))
        spec = copy.deepcopy(programme.spec)
        for obligation in spec["obligations"]:
            if obligation["rule"].get("type") == "days_of_month":
                obligation["rule"]["days"] = days
        programme.spec = spec


@needs_poppler
def test_an_edited_rule_is_the_rule_the_report_names(demo_store, tmp_path, monkeypatch):
    """Before, the report named the 5th or the 15th whatever the programme said (the rule was
    copied into the report): with rounds on the 10th and the 25th, the calendar said 10 Oct
    and the report 'รายงานรอบวันที่ ๑๕ ตุลาคม ๒๕๖๘'."""
    monkeypatch.setenv("LEV_TODAY", "2025-10-06")
    _rounds_moved(demo_store, [10, 25])
    today = dt.date(2025, 10, 6)
    calendar = [
        item.deadline.due
        for item in engine.office_deadlines(
            demo_store, today, today + dt.timedelta(days=31), office="D4801", today_=today
        )
        if item.obligation.code == "P5.DISTRICT.REPORT"
    ]
    assert calendar[0] == dt.date(2025, 10, 10)
    data = load_softpower(demo_store, "D4801", 2568)
    assert data.round_due == dt.date(2025, 10, 10)
    path = tmp_path / "sp.pdf"
    path.write_bytes(softpower_pdf(data, ReportOptions()))
    assert "รายงานรอบวันที่๑๐ตุลาคม๒๕๖๘" in norm(pdftotext(path, 1))


@needs_poppler
def test_no_round_no_round_line(demo_store, tmp_path):
    """An office without rounds of its own (``round_due`` None) prints no round line."""
    data = load_softpower(demo_store, "D4801", 2568)
    data.round_due = None
    path = tmp_path / "sp.pdf"
    path.write_bytes(softpower_pdf(data, ReportOptions()))
    assert "รายงานรอบ" not in norm(pdftotext(path, 1))
