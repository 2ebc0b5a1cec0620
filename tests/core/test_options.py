"""Every setting is declared in lev_desktop/options.py and read and written through it."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from lev_desktop import options

ROOT = Path(__file__).resolve().parents[2]
RAW = {"get_setting", "set_setting", "set_settings", "settings"}
# The store keeps the table (and the office's identity), options.py declares what is in it.
ALLOWED = {"db/store.py", "lev_desktop/options.py"}


def test_no_code_reads_or_writes_settings_by_key_outside_options():
    found = []
    for package in ("lev_desktop", "db", "exports", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in RAW
                ):
                    found.append(f"{name}:{node.lineno}: .{node.func.attr}()")
    assert found == []


def test_defaults_types_and_unknown_keys(empty_store):
    assert options.get(empty_store, "reminder.days") == 7
    assert options.get(empty_store, "reminder.enabled") is True
    options.save(empty_store, {"reminder.days": "3", "reminder.enabled": "false"})
    assert options.get(empty_store, "reminder.days") == 3
    assert options.get(empty_store, "reminder.enabled") is False
    with pytest.raises(KeyError):
        options.get(empty_store, "reminder.day")
    with pytest.raises(KeyError):
        options.save(empty_store, {"reminder.days": 5, "no.such.option": 1})
    assert options.get(empty_store, "reminder.days") == 3  # all or none


def test_fiscal_year_is_the_chosen_one_else_this_one(empty_store):
    assert options.fiscal_year(empty_store, today=dt.date(2025, 10, 1)) == 2569
    assert options.fiscal_year(empty_store, today=dt.date(2025, 9, 30)) == 2568
    options.save(empty_store, {"fiscal_year": 2566})
    assert options.fiscal_year(empty_store, today=dt.date(2025, 10, 1)) == 2566


def test_this_fiscal_year_follows_the_one_today(empty_store, monkeypatch):
    """ "This year" is the fiscal year of the app's one today (``LEV_TODAY`` pins it, as the
    deadlines, Home's "วันนี้" and the reports' "ข้อมูล ณ วันที่" do): Home said "วันนี้ 3 ตุลาคม
    2568 · ปีงบประมาณ พ.ศ. 2570" on a computer whose clock was in December 2026."""
    from lev_desktop.deadlines import engine

    monkeypatch.setenv("LEV_TODAY", "2025-10-03")
    assert engine.today() == dt.date(2025, 10, 3)
    assert options.fiscal_year(empty_store) == 2569
    monkeypatch.setenv("LEV_TODAY", "2025-09-30")
    assert options.fiscal_year(empty_store) == 2568
