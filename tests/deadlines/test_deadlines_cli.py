"""``lev deadlines``: TSV lines and an .ics file the icalendar package reads back."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from lev_desktop.cli import main


@pytest.fixture
def db(lao_store):
    return str(lao_store.path)


def _lines(capsys, *args):
    assert main(list(args)) == 0
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def test_p5_lao_lines(db, capsys):
    rows = _lines(
        capsys,
        "--db",
        db,
        "deadlines",
        "--from",
        "2025-09-01",
        "--to",
        "2025-12-31",
        "--programme",
        "P5",
        "--level",
        "lao",
    )
    assert [r[0] for r in rows] == [
        "2025-09-15",
        "2025-10-05",
        "2025-10-15",
        "2025-11-05",
        "2025-11-15",
        "2025-12-05",
        "2025-12-15",
    ]
    assert rows[0][1] == "จ. 15 ก.ย. 2568"
    assert {(r[2], r[3]) for r in rows} == {("lao", "อปท.")}
    assert all(len(r) == 5 and r[4] for r in rows)


def test_p4_levels(db, capsys):
    rows = _lines(
        capsys,
        "--db",
        db,
        "deadlines",
        "--from",
        "2025-09-01",
        "--to",
        "2025-12-31",
        "--programme",
        "P4",
    )
    lao = [r[0] for r in rows if r[2] == "lao"]
    province = [r[0] for r in rows if r[2] == "province"]
    assert lao == ["2025-09-01", "2025-10-01", "2025-11-01", "2025-12-01"]
    assert province == ["2025-09-05", "2025-10-05", "2025-11-05", "2025-12-05"]


def test_p1_p2_p3(db, capsys):
    p1 = _lines(
        capsys,
        "--db",
        db,
        "deadlines",
        "--from",
        "2024-10-01",
        "--to",
        "2025-09-30",
        "--programme",
        "P1",
    )
    got = {(r[0], r[2]) for r in p1}
    assert {
        ("2024-12-31", "lao"),
        ("2025-02-01/2025-02-15", "province"),
        ("2025-03-21", "province"),
        ("2025-09-30", "lao"),
        ("2025-09-30", "district"),
        ("2025-09-30", "province"),
    } <= got
    week = next(r for r in p1 if r[0] == "2025-02-01/2025-02-15")
    assert week[1] == "1–15 ก.พ. 2568"
    p2 = _lines(
        capsys,
        "--db",
        db,
        "deadlines",
        "--from",
        "2024-11-01",
        "--to",
        "2024-11-30",
        "--programme",
        "P2",
        "--level",
        "lao",
    )
    assert "2024-11-07/2024-11-22" in [r[0] for r in p2]
    p3 = _lines(
        capsys,
        "--db",
        db,
        "deadlines",
        "--from",
        "2021-01-01",
        "--to",
        "2021-12-31",
        "--programme",
        "P3",
    )
    assert [(r[0], r[1]) for r in p3] == [("2021-09-30", "พฤ. 30 ก.ย. 2564")]


def test_ics_file_parses_with_the_same_events(db, capsys, tmp_path):
    out = tmp_path / "deadlines.ics"
    tsv = _lines(capsys, "--db", db, "deadlines", "--from", "2024-09-01", "--to", "2025-12-31")
    assert (
        main(
            [
                "--db",
                db,
                "deadlines",
                "--from",
                "2024-09-01",
                "--to",
                "2025-12-31",
                "--format",
                "ics",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(tsv)
    starts = sorted(str(e.decoded("dtstart"))[:10] for e in events)
    assert starts == sorted(r[0].split("/")[0] for r in tsv)
    week = next(e for e in events if "LEV Week" in str(e.get("summary")))
    assert week.decoded("dtstart") == dt.date(2025, 2, 1)
    assert week.decoded("dtend") == dt.date(2025, 2, 16)  # DTEND is exclusive
    briefing = next(e for e in events if "ประชุมชี้แจง" in str(e.get("summary")))
    assert briefing.decoded("dtstart").hour == 9 and briefing.decoded("dtstart").minute == 30
    assert len({str(e.get("uid")) for e in events}) == len(events)


def test_bad_input_is_a_polite_error(db, capsys):
    assert main(["--db", db, "deadlines", "--from", "2025-13-01", "--to", "2025-12-31"]) == 2
    assert "2025-13-01" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                db,
                "deadlines",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--programme",
                "P9",
            ]
        )
        == 2
    )
    assert main(["--db", db, "deadlines", "--from", "2025-12-01", "--to", "2025-01-01"]) == 2


def test_a_database_not_set_up_uses_the_builtin_templates(empty_store, capsys):
    rows = _lines(
        capsys,
        "--db",
        str(empty_store.path),
        "deadlines",
        "--from",
        "2025-09-01",
        "--to",
        "2025-12-31",
        "--programme",
        "P5",
        "--level",
        "lao",
    )
    assert len(rows) == 7 and rows[0][0] == "2025-09-15"
    assert (
        main(
            [
                "--db",
                str(empty_store.path),
                "deadlines",
                "--from",
                "2025-09-01",
                "--to",
                "2025-12-31",
                "--programme",
                "P9",
            ]
        )
        == 2
    )


def test_dates_are_read_in_the_buddhist_era_as_an_officer_writes_them(db, capsys):
    """``--from 2568-09-01`` is 1 September 2025 (BE year first, as the entry screens read it),
    not the year 2568 CE, whose empty list said nothing was due."""
    be = _lines(capsys, "--db", db, "deadlines", "--from", "2568-09-01", "--to", "31/12/2568")
    ce = _lines(capsys, "--db", db, "deadlines", "--from", "2025-09-01", "--to", "2025-12-31")
    assert be == ce
    assert be and be[0][0].startswith("2025-09")
    assert main(["--db", db, "deadlines", "--from", "3111-01-01", "--to", "3111-12-31"]) == 2
    assert "ไม่ใช่วันที่: 3111-01-01" in capsys.readouterr().err
