"""Fixtures of the exchange tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .helpers import make_district, make_lao


@pytest.fixture
def offices(tmp_path: Path):
    """An LAO (4801006, with a plan, activities and indicator values) and its district, each
    with its own database file."""
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=6)
    district = make_district(tmp_path / "district.db")
    yield lao, district
    lao.dispose()
    district.dispose()


@pytest.fixture
def dated_offices(tmp_path: Path, clock, monkeypatch):
    """The LAO 4801006 made from its template (seed 1313) on 1 Sep 2567 and its district,
    with the clock and today moved to 6 Oct 2568 (after the P1 forms' deadlines): the
    receiver's checks of forms called complete (test_complete_forms, test_complete_plan_forms)."""
    monkeypatch.setenv("LEV_TODAY", "2025-10-06")
    clock.now = dt.datetime(2024, 9, 1, 3, tzinfo=dt.UTC)
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=1313)
    district = make_district(tmp_path / "district.db")
    clock.now = dt.datetime(2025, 10, 6, 3, tzinfo=dt.UTC)
    yield lao, district
    lao.dispose()
    district.dispose()
