"""A district day seen twice: the district's board and the province's board (after the
district's package to the province) give the same state, and the same day it counts from, for
an LAO's report — also when the LAO sent it in time and a correction after the deadline.

Built from real packages: the LAO's database exports, the district imports, the district
exports to the province, the province imports (the clock of each step pinned)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from exchange.helpers import make_district, make_lao, make_province
from sqlalchemy import select

import db.models
from db.models import FormSubmission, Monitoring
from lev_desktop.domain.obligation_state import State
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import consolidation
from lev_desktop.services.programmes import builtin_id

P1 = builtin_id("P1")
LAO = "4801006"


def _at(monkeypatch: pytest.MonkeyPatch, day: dt.date, hour: int = 9) -> None:
    when = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    monkeypatch.setattr(db.models, "clock", lambda: when)


def _report(store, *, reported: dt.date | None, office: str = LAO) -> None:
    """The LAO's F3 (and F2) complete with its report dated ``reported``, or drafts without a
    date (``None``): an ORM write, stamped as the screens' are."""
    with store.session() as s:
        for form in s.scalars(
            select(FormSubmission).where(
                FormSubmission.owner_office == office,
                FormSubmission.programme_id == P1,
                FormSubmission.form_code.in_(["F2", "F3"]),
            )
        ):
            form.status = "complete" if reported else "draft"
            form.completed_at = (
                dt.datetime(reported.year, reported.month, reported.day, 10) if reported else None
            )
        for row in s.scalars(select(Monitoring).where(Monitoring.owner_office == office)):
            row.reported_on = row.notice_posted_on = reported


def _rows(store) -> dict[str, consolidation.BoardRow]:
    board = consolidation.build_board(
        store, "P1", fiscal_year=2568, obligation="P1.LAO.REPORT", period="FY2568"
    )
    return {r.code: r for r in board.rows}


def _row(store) -> consolidation.BoardRow:
    return _rows(store)[LAO]


@pytest.mark.parametrize(
    "correction",
    [dt.date(2025, 9, 29), dt.date(2025, 10, 2)],
    ids=["correction-in-time", "correction-after-the-deadline"],
)
def test_a_correction_does_not_make_an_lao_late_at_the_province(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, correction: dt.date
):
    monkeypatch.setenv("LEV_TODAY", "2025-10-03")
    _at(monkeypatch, dt.date(2024, 10, 1))
    lao = make_lao(tmp_path / "lao.db", LAO, seed=611)
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")

    # the report, in time (due 30 Sep 2568): made on the 20th, imported on the 22nd
    _at(monkeypatch, dt.date(2025, 9, 19))
    _report(lao, reported=dt.date(2025, 9, 18))
    _at(monkeypatch, dt.date(2025, 9, 20))
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    _at(monkeypatch, dt.date(2025, 9, 22))
    assert importer.import_files(district, [first], trust=True)[1].imported
    # a correction of its date, a second full package
    _at(monkeypatch, correction - dt.timedelta(days=1))
    _report(lao, reported=dt.date(2025, 9, 19))
    _at(monkeypatch, correction)
    second = export_package(lao, "D4801", tmp_path / "second.levpkg").path
    _at(monkeypatch, correction, 14)
    assert importer.import_files(district, [second], trust=True)[1].imported

    at_district = _row(district)
    assert at_district.state == State.RECEIVED
    assert at_district.arrived == dt.date(2025, 9, 20)

    # the district's package to the province (its first), imported there the same day
    _at(monkeypatch, dt.date(2025, 10, 3))
    up = export_package(district, "P48", tmp_path / "up.levpkg").path
    _at(monkeypatch, dt.date(2025, 10, 3), 13)
    plan, result = importer.import_files(province, [up], trust=True)
    assert result.imported, [p.reason for p in plan.packages]

    at_province = _row(province)
    assert (at_province.state, at_province.arrived) == (at_district.state, at_district.arrived)
    # and the data the province holds is the correction's
    with province.read() as s:
        reported = s.scalar(select(Monitoring.reported_on).where(Monitoring.owner_office == LAO))
    assert reported == dt.date(2025, 9, 19)

    # the district's next package to the province still imports (nothing relayed twice
    # is refused as an old package)
    _at(monkeypatch, dt.date(2025, 10, 4))
    again = export_package(district, "P48", tmp_path / "again.levpkg").path
    _at(monkeypatch, dt.date(2025, 10, 4), 13)
    plan, result = importer.import_files(province, [again], trust=True)
    assert result.imported, [p.reason for p in plan.packages]
    assert _row(province).state == at_district.state
    for store in (lao, district, province):
        store.dispose()


def test_the_f3_remark_names_the_day_the_board_says_it_was_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The F3's หมายเหตุ says "ได้รับแล้ว <day>": the day the district imported the package
    (the board's วันที่รับ), not the day the LAO made it (it printed the 29th for a package
    made on the 29th and received on the 30th)."""
    from exports.reports.data import load_monitoring

    monkeypatch.setenv("LEV_TODAY", "2025-10-03")
    _at(monkeypatch, dt.date(2024, 10, 1))
    lao = make_lao(tmp_path / "lao.db", LAO, seed=612)
    district = make_district(tmp_path / "district.db")
    _at(monkeypatch, dt.date(2025, 9, 28))
    _report(lao, reported=dt.date(2025, 9, 28))
    _at(monkeypatch, dt.date(2025, 9, 29))
    package = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    _at(monkeypatch, dt.date(2025, 9, 30), 14)
    assert importer.import_files(district, [package], trust=True)[1].imported

    board = _row(district)
    assert (board.state, board.arrived, board.received_on) == (
        State.RECEIVED,
        dt.date(2025, 9, 29),
        dt.date(2025, 9, 30),
    )
    row = next(r for r in load_monitoring(district, None, 2568).rows if r.lao_code == LAO)
    assert row.state == board.state
    assert row.state_text == "ได้รับแล้ว 30 ก.ย. 2568"
    for store in (lao, district):
        store.dispose()


NAMES = {  # make_lao makes อบต.
    "4801002": ("องค์การบริหารส่วนตำบลหนองญาติ", "อบต."),
    "4801003": ("องค์การบริหารส่วนตำบลนาทราย", "อบต."),
    "4801004": ("องค์การบริหารส่วนตำบลท่าค้อ", "อบต."),
    "4801005": ("องค์การบริหารส่วนตำบลหนองแสง", "อบต."),
    "4801007": ("องค์การบริหารส่วนตำบลกุรุคุ", "อบต."),
    "4801008": ("องค์การบริหารส่วนตำบลบ้านผึ้ง", "อบต."),
}


def test_a_district_day_every_place_gives_the_same_lao_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """The mix of a district near the F3 deadline (30 Sep 2568), on 3 Oct 2568, from real
    packages: on time, late, partly sent (F3 still a draft), a correction after the deadline,
    never sent, a package signed with a new key (refused). ``lev status``, the board, the LAO
    list of the district's deadline, the F3 report data, Home's and the month view's counts and
    the province's board (after the district's package) give the same LAOs per state; the
    counts add up to the LAOs expected."""
    from exports.reports.data import load_monitoring
    from lev_desktop.cli import main
    from lev_desktop.deadlines import engine
    from lev_desktop.exchange import keys
    from lev_desktop.services.offices import add_laos

    monkeypatch.setenv("LEV_TODAY", "2025-10-03")
    _at(monkeypatch, dt.date(2024, 10, 1))
    sent = [c for c in NAMES if c != "4801007"]
    laos = {c: make_lao(tmp_path / f"{c}.db", c, seed=620 + int(c[-1])) for c in sent}
    district = make_district(tmp_path / "district.db")
    province = make_province(tmp_path / "province.db")
    rows = [
        {"code": c, "name": n, "lao_type": t, "district_code": "4801", "province_code": "48"}
        for c, (n, t) in NAMES.items()
    ]
    for office in (district, province):  # the LAO list of each office
        add_laos(office, rows, since=dt.date(2024, 10, 1))

    def send(code: str, made: dt.date, reported: dt.date | None, *, imported: bool = True):
        _at(monkeypatch, made - dt.timedelta(days=1))
        _report(laos[code], reported=reported, office=code)
        _at(monkeypatch, made)
        path = export_package(laos[code], "D4801", tmp_path / f"{code}-{made}.levpkg").path
        _at(monkeypatch, made, 14)
        plan, result = importer.import_files(district, [path], trust=True)
        assert bool(result.imported) == imported, [p.reason for p in plan.packages]

    send("4801008", dt.date(2025, 9, 18), None)  # its plan; then a new key
    keys.key_path("4801008").unlink()
    send("4801005", dt.date(2025, 9, 20), dt.date(2025, 9, 18))
    send("4801002", dt.date(2025, 9, 26), dt.date(2025, 9, 24))
    send("4801008", dt.date(2025, 9, 27), dt.date(2025, 9, 25), imported=False)
    send("4801004", dt.date(2025, 9, 28), None)  # partly: F3 still a draft
    send("4801005", dt.date(2025, 10, 2), dt.date(2025, 9, 19))  # the correction
    send("4801003", dt.date(2025, 10, 2), dt.date(2025, 10, 1))  # late

    expected = {
        State.RECEIVED: {"4801002", "4801005"},
        State.LATE: {"4801003"},
        State.OVERDUE: {"4801004", "4801007", "4801008"},
    }

    def by_state(pairs) -> dict[State, set[str]]:
        out: dict[State, set[str]] = {}
        for code, state in pairs:
            out.setdefault(state, set()).add(code)
        return out

    board = _rows(district)
    assert by_state((c, r.state) for c, r in board.items()) == expected, "board"
    states = engine.completeness(district, "P1.DISTRICT.COMPILE", dt.date(2025, 9, 30))
    assert by_state((s.code, s.state) for s in states) == expected, "LAO list"
    f3 = load_monitoring(district, None, 2568)
    assert by_state((r.lao_code, r.state) for r in f3.rows) == expected, "F3 report"
    assert f3.reported == 3
    words = {s.label: s for s in State}
    db = str(district.path)
    for code in NAMES:
        assert main(["--db", db, "status", "--office", code, "--fiscal-year", "2568"]) == 0
        header, *lines = (line.split("\t") for line in capsys.readouterr().out.splitlines())
        col = {t: header.index(t) for t in ("รหัสภารกิจ", "สถานะ")}
        (word,) = [r[col["สถานะ"]] for r in lines if r[col["รหัสภารกิจ"]] == "P1.LAO.REPORT"]
        assert code in expected[words[word]], ("lev status", code, word)
    counts = {s: len(c) for s, c in expected.items()}
    book = engine.DeadlineBook(district, soon_days=engine.reminder_days(district))
    (item,) = [
        i
        for i in book.items(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
        if i.obligation.code == "P1.DISTRICT.COMPILE"
    ]
    assert item.laos is not None and dict(item.laos.counts) == counts, "month view"
    assert item.laos.total == len(NAMES) == sum(counts.values())

    # the district's package to the province
    _at(monkeypatch, dt.date(2025, 10, 3))
    up = export_package(district, "P48", tmp_path / "up.levpkg").path
    _at(monkeypatch, dt.date(2025, 10, 3), 13)
    plan, result = importer.import_files(province, [up], trust=True)
    assert result.imported, [p.reason for p in plan.packages]
    above = _rows(province)
    assert by_state((c, r.state) for c, r in above.items()) == expected, "province board"
    assert {c: r.arrived for c, r in above.items()} == {c: r.arrived for c, r in board.items()}
    for store in (*laos.values(), district, province):
        store.dispose()
