"""Fixtures of the exchange tests."""

from __future__ import annotations

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
