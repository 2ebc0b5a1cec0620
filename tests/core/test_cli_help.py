"""Command-line help in Thai, wrapped between words (exports.plain_text)."""

from __future__ import annotations

import argparse
import itertools
import unicodedata

import pytest

from exports.pdf.words import segment
from exports.plain_text import ThaiHelpFormatter, display_width, wrap
from lev_desktop.cli import build_parser
from lev_desktop.i18n import install


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


@pytest.fixture
def thai():
    install("th")
    yield
    install("th")


def test_every_help_line_fits_and_breaks_between_words(thai, monkeypatch):
    """``lev key-export --help`` read "รหัสผ่า" / "น" and ``lev import --help`` "แทนข้อม" /
    "ูลเดิม": argparse's textwrap cuts Thai (no spaces between words) anywhere, even between
    a consonant and its vowel mark."""
    monkeypatch.setenv("COLUMNS", "60")
    helps = [parser.format_help() for parser in _parsers(build_parser())]
    assert len(helps) > 20
    for text in helps:
        for line in text.splitlines():
            if not any("\u0e00" <= c <= "\u0e7f" for c in line):
                continue  # (argparse's own usage lines: options, no Thai)
            assert display_width(line) <= 58 or " " not in line.strip(), line
            if line.strip():
                first = line.strip()[0]
                assert unicodedata.category(first) != "Mn", line


def test_wrap_breaks_only_where_the_word_breaker_does():
    text = "ยืนยันว่าข้อมูลที่หน่วยงานบันทึกซ้ำหลังติดตั้งโปรแกรมใหม่แทนข้อมูลเดิม (สำหรับสคริปต์ ถ้าใช้เทอร์มินัลจะถาม)"
    for width in range(12, 70, 3):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        boundaries = set()
        at = 0
        for unit in segment(text):
            at += len(unit.replace(" ", ""))
            boundaries.add(at)
        at = 0
        for line in lines[:-1]:
            at += len(line.replace(" ", ""))
            assert at in boundaries, (width, line)


def test_the_formatter_is_every_parsers(thai):
    assert all(p.formatter_class is ThaiHelpFormatter for p in _parsers(build_parser()))


def test_report_help_names_every_kind(thai, monkeypatch):
    """The kinds' names come from the report screen's list (KIND_LABELS): the help's own list
    had left out province (F4) and monthly (P4)."""
    from exports.reports import KINDS

    monkeypatch.setenv("COLUMNS", "1000")
    report = next(p for p in _parsers(build_parser()) if p.prog.endswith(" report"))
    text = " ".join(report.format_help().split())
    assert [kind for kind in KINDS if f"{kind}: " not in text] == []


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_no_help_line_ends_inside_a_compound(thai, monkeypatch, columns):
    """``lev report --help`` read "สรุปผลการดำเนิน" / "งาน" and "รายงานตัวชี้" /
    "วัดจังหวัดสะอาด" (ICU splits the compounds; resources/data/compounds_th.txt keeps them
    whole, and the temple-name rule no longer takes that วัด for a temple)."""
    monkeypatch.setenv("COLUMNS", columns)
    compounds = ("ตัวชี้วัด", "ดำเนินงาน", "ดำเนินการ", "งบประมาณ", "ท้องถิ่น", "เครือข่าย")
    found = []
    for parser in _parsers(build_parser()):
        lines = [line.strip() for line in parser.format_help().splitlines()]
        for a, b in itertools.pairwise(lines):
            for w in compounds:
                if any(a.endswith(w[:k]) and b.startswith(w[k:]) for k in range(1, len(w))):
                    found.append(f"{parser.prog}: {a[-12:]}|{b[:12]}")
    assert found == []


def test_argparse_speaks_thai_and_a_christian_era_fiscal_year_is_refused(thai, capsys, tmp_path):
    """``lev status --fiscal-year 2025`` printed its header and no row, as if nothing were due
    (2025 matched no fiscal year); argparse's own words were English ("error: the following
    arguments are required")."""
    from lev_desktop.cli import main

    db = str(tmp_path / "x.db")
    with pytest.raises(SystemExit) as stop:
        main(["--db", db, "status", "--fiscal-year", "2025"])
    assert stop.value.code == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines()[-1] == (
        "lev status: ข้อผิดพลาด: อาร์กิวเมนต์ --fiscal-year: "
        "2025 เป็นปี ค.ศ.: โปรดระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2568"
    )
    with pytest.raises(SystemExit):
        main(["--db", db, "board"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "lev board: ข้อผิดพลาด: ต้องระบุอาร์กิวเมนต์ต่อไปนี้: --programme"
    )


def test_usage_lines_stand_under_the_first(thai, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    board = next(p for p in _parsers(build_parser()) if p.prog.endswith(" board"))
    lines = board.format_usage().splitlines()
    assert lines[0].startswith("วิธีใช้: lev board [")
    start = int(display_width(lines[0][: lines[0].index("[")]))
    assert len(lines) > 2
    assert all(len(line) - len(line.lstrip(" ")) == start for line in lines[1:])
